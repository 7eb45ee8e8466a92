"""What the fake service stores: pools, identities, datasets and records.

Records are immutable and replaced on every write, so a snapshot of a
dataset is just the current objects: a tuple of them for a stream record,
or for a bulk publish the dataset's own dict of them, which its next write
copies instead of changing (cheap enough to publish 100,000 datasets at
once).
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import secrets
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Final

from .bulk_publish import BulkPublish

#: A position in a dataset's change order: (sync count, key).
Position = tuple[int, str]

#: One record of a dataset, immutable: (key, value, sync count, last
#: modified, last modified by, device last modified). The value is ``None``
#: once removed: the record stays, with its sync count, so that devices
#: syncing from an older count learn of the removal.
#:
#: A plain tuple rather than a named tuple: the cyclic garbage collector
#: stops tracking a plain tuple of strings, numbers and datetimes once it
#: has seen it, but tracks a named tuple for ever, and a seeded pool holds
#: millions of records (every full collection walked them all: half the
#: time of seeding 100,000 datasets). A display also builds it without a
#: call. Read it by unpacking, or by the field positions below. The fields
#: are the model's Record members in the model's order: answers hand the
#: stored tuples over as they are, and the encoder writes them so.
Record = tuple[str, str | None, int, dt.datetime, str, dt.datetime | None]

KEY: Final = 0
VALUE: Final = 1
SYNC_COUNT: Final = 2
LAST_MODIFIED: Final = 3
LAST_MODIFIED_BY: Final = 4
DEVICE_LAST_MODIFIED: Final = 5


def value_bytes(key: str, value: str | None) -> int:
    """A live record's size as Cognito Sync counts it: UTF-8 key + value."""
    if value is None:
        return 0
    # ASCII text is its own UTF-8: counted without encoding a copy. Written
    # out rather than by _utf8_length: an UpdateRecords counts four sizes
    # per patch.
    if key.isascii() and value.isascii():
        return len(key) + len(value)
    return len(key.encode()) + len(value.encode())


def _utf8_length(text: str) -> int:
    # ASCII text is its own UTF-8: counted without encoding a copy.
    return len(text) if text.isascii() else len(text.encode())


@dataclass(slots=True)
class PoolUsage:
    """A pool's DataStorage and LastModifiedDate, kept as its datasets
    change: summed over every dataset at each DescribeIdentityPoolUsage,
    a pool of 100,000 datasets answered in 19 ms.

    The storage is kept exactly. The last change is kept as the latest
    moment met; a change at a moment before it (a clock moved back, as
    freezegun and time-machine can) or a merge, which drops the merged
    identity's deletions, can make the true answer earlier: it is then
    ``stale``, and found again from the datasets when next asked."""

    data_storage: int = 0
    last_modified: dt.datetime | None = None
    stale: bool = False

    def changed(self, storage: int, at: dt.datetime) -> None:
        """Note a change of ``storage`` bytes (negative: fewer) at ``at``."""
        self.data_storage += storage
        last = self.last_modified
        if last is None or at >= last:
            self.last_modified = at
        else:
            self.stale = True


@dataclass(slots=True)
class Dataset:
    identity_id: str
    name: str
    created: dt.datetime
    last_modified: dt.datetime
    last_modified_by: str
    sync_count: int = 0
    #: the current record of every key ever written, removed ones included,
    #: in (sync count, key) order: a rewritten key moves to the end
    records: dict[str, Record] = field(default_factory=dict)
    #: records holding a value, and their size: kept as writes happen so
    #: that limits and usage never walk the whole dataset
    num_records: int = 0
    data_storage: int = 0
    #: devices to notify when the dataset changes (an ordered set); None
    #: until a device subscribes, rather than an empty dict for each of a
    #: seeded pool's datasets (6 MB for 100,000)
    subscribers: dict[str, None] | None = None
    # Every write as (sync count, key), ascending, for ListRecords to page
    # through in O(page). Built at the first listing that needs it (until
    # then ``records`` holds the same order, and a pool seeded with 100,000
    # datasets saves a tuple per record), then kept as writes happen. An
    # entry is stale once its key was written again; stale entries are
    # dropped in bulk when they outnumber the records.
    _changes: list[Position] | None = None
    _stale: int = 0
    # Whether ``records`` is also a stream record's snapshot (snapshot()):
    # the next write then changes a copy.
    _records_shared: bool = False
    #: the usage of the pool the dataset belongs to, which its writes update
    usage: PoolUsage = field(default_factory=PoolUsage)

    def snapshot(self) -> dict[str, Record]:
        """The records as they are now, in order, left so by later writes.

        The dict itself rather than a copy: the next write copies it
        instead. A bulk publish snapshots every dataset of the pool, most
        of which are never written again: this saves a tuple of records
        per dataset (12 MB for 100,000 datasets of 10 records).
        """
        self._records_shared = True
        return self.records

    def seed(
        self,
        values: Mapping[str, str | None],
        now: dt.datetime,
        by: str,
        *,
        size: int | None = None,
    ) -> None:
        """Store one sync that sets ``values`` (key -> value, or ``None`` for
        a removed record), as data that was there before the test began.
        ``size``, if the caller counted it, is the UTF-8 bytes of the keys
        and values, and says that none of the values is ``None``."""
        count = self.sync_count + 1
        # Sorted by key alone: no (key, value) pair built per record.
        records: dict[str, Record] = {
            key: (key, values[key], count, now, by, now) for key in sorted(values)
        }
        if self.records or (size is None and None in values.values()):
            self._store(count, list(records.values()), now, by)
            return
        # Live records into an empty dataset (what seeding mostly does):
        # nothing is replaced, so the records go in as built and the totals
        # are counted at C speed instead of record by record.
        if size is None:
            size = _utf8_length("".join(records)) + _utf8_length(
                "".join(values.values())  # type: ignore[arg-type]  # no None in it
            )
        self.usage.changed(size - self.data_storage, now)
        self.records = records
        self._records_shared = False
        self.num_records = len(records)
        self.data_storage = size
        self.sync_count = count
        self.last_modified = now
        self.last_modified_by = by
        # The listing index, if any, is built afresh when next needed.
        self._changes = None
        self._stale = 0

    def subscribe(self, device_id: str) -> None:
        if self.subscribers is None:
            self.subscribers = {}
        self.subscribers[device_id] = None

    def unsubscribe(self, device_id: str) -> None:
        if self.subscribers is not None:
            self.subscribers.pop(device_id, None)

    def commit(self, records: Iterable[Record], now: dt.datetime, by: str) -> None:
        """Store one sync: ``records``, one per key, all of ``sync_count + 1``
        (as an UpdateRecords' changes are)."""
        # Tuples with distinct keys (their first item) sort by key, in C: no
        # dict of them by key to sort, nor a comprehension frame, per sync.
        self._store(self.sync_count + 1, sorted(records), now, by)

    def _store(
        self, count: int, records: list[Record], now: dt.datetime, by: str
    ) -> None:
        """Store ``records``: of sync count ``count``, one per key, in key order."""
        current = self.records
        if self._records_shared:
            current = self.records = dict(current)
            self._records_shared = False
        changes = self._changes
        # Counted in locals, stored once: a seeded pool commits 100,000 times.
        live, size, stale = self.num_records, self.data_storage, self._stale
        for record in records:
            key, value = record[KEY], record[VALUE]
            old = current.pop(key, None)
            if old is not None:
                stale += 1
                old_value = old[VALUE]
                if old_value is not None:
                    live -= 1
                    # value_bytes() inlined for ASCII text, as below
                    if key.isascii() and old_value.isascii():
                        size -= len(key) + len(old_value)
                    else:
                        size -= value_bytes(key, old_value)
            if value is not None:
                live += 1
                # value_bytes() inlined for ASCII text, whose UTF-8 is itself:
                # a call less for every record written and every one replaced
                if key.isascii() and value.isascii():
                    size += len(key) + len(value)
                else:
                    size += value_bytes(key, value)
            current[key] = record
            if changes is not None:
                changes.append((count, key))
        self.usage.changed(size - self.data_storage, now)
        self.num_records, self.data_storage = live, size
        self.sync_count = count
        self.last_modified = now
        self.last_modified_by = by
        if changes is None or stale > len(current):
            # No index, or a mostly stale one: built afresh when next needed.
            self._changes = None
            stale = 0
        self._stale = stale

    def changes(
        self, after_sync_count: int, start: Position | None, limit: int
    ) -> tuple[list[Record], Position | None]:
        """Up to ``limit`` records written after ``after_sync_count``, in
        (sync count, key) order from ``start``, and where the next page
        starts (``None`` when this is the last)."""
        if after_sync_count == 0 and start is None:
            # The first page of a whole listing: records are kept in order.
            first = list(itertools.islice(self.records.values(), limit + 1))
            if len(first) > limit:
                following = first.pop()
                return first, (following[SYNC_COUNT], following[KEY])
            return first, None
        lowest = (after_sync_count + 1, "")
        changes = self._changes
        if changes is None:
            # ``records`` is in (sync count, key) order and holds no stale.
            changes = self._changes = [
                (record[SYNC_COUNT], record[KEY]) for record in self.records.values()
            ]
            self._stale = 0
        index = bisect.bisect_left(changes, max(lowest, start or lowest))
        page: list[Record] = []
        while index < len(changes):
            count, key = changes[index]
            record = self.records[key]
            if record[SYNC_COUNT] == count:  # not written again since
                if len(page) == limit:
                    return page, (count, key)
                page.append(record)
            index += 1
        return page, None


@dataclass(slots=True)
class Identity:
    identity_id: str
    datasets: dict[str, Dataset] = field(default_factory=dict)
    #: name -> the dataset's sync count when it was (last) deleted; kept
    #: after the name is used again, so stale devices learn of the deletion
    deleted_datasets: dict[str, int] = field(default_factory=dict)
    last_deleted: dt.datetime | None = None
    #: dataset name -> the names of datasets merged in for it from other
    #: identities (see merges.py)
    merged: dict[str, list[str]] = field(default_factory=dict)
    #: the usage of the pool the identity belongs to
    usage: PoolUsage = field(default_factory=PoolUsage)

    def open_dataset(self, name: str, now: dt.datetime, by: str) -> Dataset:
        """The dataset, created on first write as Cognito Sync does.

        A dataset created again after a deletion counts on from where the
        deleted one stopped, so a name's sync counts never go back.
        """
        found = self.datasets.get(name)
        if found is None:
            found = Dataset(self.identity_id, name, now, now, by, usage=self.usage)
            found.sync_count = self.deleted_datasets.get(name, 0)
            self.datasets[name] = found
        return found

    def take_dataset(self, name: str, dataset: Dataset) -> None:
        """Hold another identity's dataset as ``name`` (a merge): its records
        and counts as they are, none of its subscriptions (the other
        identity's devices subscribed to it)."""
        self.datasets[name] = replace(
            dataset, identity_id=self.identity_id, name=name, subscribers=None
        )
        self.usage.changed(dataset.data_storage, dataset.last_modified)

    def delete_dataset(self, name: str, now: dt.datetime) -> Dataset | None:
        dataset = self.datasets.pop(name, None)
        if dataset is not None:
            self.deleted_datasets[name] = dataset.sync_count
            self.last_deleted = now
            self.usage.changed(-dataset.data_storage, now)
        return dataset

    def sync_count_of(self, name: str) -> int:
        """The dataset's count; a deleted one's count at deletion; else 0."""
        dataset = self.datasets.get(name)
        if dataset is not None:
            return dataset.sync_count
        return self.deleted_datasets.get(name, 0)

    @property
    def data_storage(self) -> int:
        return sum(dataset.data_storage for dataset in self.datasets.values())

    @property
    def last_modified(self) -> dt.datetime | None:
        moments = [dataset.last_modified for dataset in self.datasets.values()]
        if self.last_deleted is not None:
            moments.append(self.last_deleted)
        return max(moments, default=None)


@dataclass(frozen=True, slots=True)
class CognitoStreams:
    stream_name: str | None = None
    role_arn: str | None = None
    streaming_status: str = "ENABLED"


@dataclass(frozen=True, slots=True)
class PushSync:
    application_arns: tuple[str, ...] = ()
    role_arn: str | None = None


@dataclass(frozen=True, slots=True)
class Device:
    device_id: str
    identity_id: str
    platform: str
    token: str
    application_arn: str


@dataclass(frozen=True, slots=True)
class PushNotification:
    """A silent push Amazon SNS would have delivered to ``device``."""

    device: Device
    dataset_name: str
    sync_count: int
    sent: dt.datetime


#: A sync trigger standing in for a Lambda function: ``(event, context)``.
SyncTriggerFunction = Callable[[dict[str, Any], Any], Any]

#: The Cognito Events guide: the function "must respond within 5 seconds
#: ... It is not possible to increase this timeout value."
SYNC_TRIGGER_TIMEOUT = dt.timedelta(seconds=5)


@dataclass(slots=True)
class IdentityPool:
    pool_id: str
    account_id: str
    region: str
    identities: dict[str, Identity] = field(default_factory=dict)
    streams: CognitoStreams | None = None
    push_sync: PushSync | None = None
    #: Cognito Events: event type -> Lambda function ARN
    events: dict[str, str] = field(default_factory=dict)
    #: the Python callable run where the SyncTrigger Lambda would be
    sync_trigger: SyncTriggerFunction | None = None
    #: how long Cognito waits for the sync trigger's answer
    sync_trigger_timeout: dt.timedelta = SYNC_TRIGGER_TIMEOUT
    #: how many coming sync trigger invocations AWS Lambda throttles
    trigger_throttles: int = 0
    devices: dict[str, Device] = field(default_factory=dict)
    #: the id of each device registered, by (identity, platform, token): a
    #: device registering again is found without a walk of every device
    device_ids: dict[tuple[str, str, str], str] = field(default_factory=dict)
    notifications: list[PushNotification] = field(default_factory=list)
    bulk_publish: BulkPublish = field(default_factory=BulkPublish)
    #: signs the pool's SyncSessionTokens, so no other pool's verify
    session_secret: bytes = field(default_factory=lambda: secrets.token_bytes(16))
    sync_sessions: int = 0
    #: the session numbers of SyncSessionTokens a successful UpdateRecords used
    spent_sessions: set[int] = field(default_factory=set)
    #: when the pool was created, on the fake clock (set by Backend.add_pool)
    created: dt.datetime | None = None
    #: DataStorage and LastModifiedDate, kept by the datasets as they change
    usage: PoolUsage = field(default_factory=PoolUsage)

    def identity(self, identity_id: str) -> Identity:
        """The identity, registered on first use as Cognito Sync does."""
        found = self.identities.get(identity_id)
        if found is None:
            found = Identity(identity_id, usage=self.usage)
            self.identities[identity_id] = found
        return found

    def remove_identity(self, identity_id: str) -> Identity | None:
        """Take the identity, and its data, out of the pool (a merge, which
        hands its datasets to another). Its deletions leave with it, so the
        pool's last change may now be earlier than the one noted."""
        identity = self.identities.pop(identity_id, None)
        if identity is not None:
            self.usage.data_storage -= identity.data_storage
            self.usage.stale = True
        return identity

    def dataset(self, identity_id: str, name: str) -> Dataset | None:
        identity = self.identities.get(identity_id)
        return identity.datasets.get(name) if identity is not None else None

    def datasets(self) -> list[Dataset]:
        # A loop, not a comprehension: one would be a function made at each
        # call, cold memory for a pool of a few datasets.
        found: list[Dataset] = []
        for identity in self.identities.values():
            found.extend(identity.datasets.values())
        return found

    @property
    def data_storage(self) -> int:
        return self.usage.data_storage

    @property
    def last_modified(self) -> dt.datetime | None:
        """The last change to the pool's data; its creation before any.

        AWS's usage samples show a pool's LastModifiedDate even when it
        holds no data, so a pool without data answers when it was created.
        """
        usage = self.usage
        if usage.stale:
            moments = (identity.last_modified for identity in self.identities.values())
            usage.last_modified = max(
                (moment for moment in moments if moment is not None), default=None
            )
            usage.stale = False
        last = usage.last_modified
        return self.created if last is None else last

    def streaming(self) -> bool:
        """Whether changes go to the pool's Cognito stream right now.

        A method, not a property: CPython 3.11 looks a property up through
        the type at every read, a few cold cache lines each."""
        streams = self.streams
        return (
            streams is not None
            and bool(streams.stream_name)
            and streams.streaming_status == "ENABLED"
        )

    def streaming_problem(self) -> str | None:
        """Why records cannot be streamed now, or ``None`` if they can."""
        if self.streams is None or not self.streams.stream_name:
            return (
                f"No Cognito stream is configured for identity pool {self.pool_id}: "
                "set CognitoStreams.StreamName with SetIdentityPoolConfiguration"
            )
        if self.streams.streaming_status != "ENABLED":
            return (
                f"Cognito streaming is {self.streams.streaming_status} for identity "
                f"pool {self.pool_id}: set CognitoStreams.StreamingStatus to ENABLED"
            )
        return None
