"""What the fake service stores: pools, identities, datasets and records.

Records are immutable and replaced on every write, so a snapshot of a
dataset (for a stream record or a bulk publish) is just a tuple of the
current objects: cheap enough to publish 100,000 datasets at once.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from .bulk_publish import BulkPublish

#: A position in a dataset's change order: (sync count, key).
Position = tuple[int, str]


@dataclass(frozen=True, slots=True)
class Record:
    key: str
    #: ``None`` once removed: the record stays, with its sync count, so that
    #: devices syncing from an older count learn of the removal
    value: str | None
    sync_count: int
    last_modified: dt.datetime
    last_modified_by: str
    device_last_modified: dt.datetime | None = None

    @property
    def op(self) -> str:
        return "remove" if self.value is None else "replace"

    @property
    def storage_bytes(self) -> int:
        """Bytes this record counts toward the 1 MB dataset limit."""
        return value_bytes(self.key, self.value)


def value_bytes(key: str, value: str | None) -> int:
    """A live record's size as Cognito Sync counts it: UTF-8 key + value."""
    if value is None:
        return 0
    return len(key.encode()) + len(value.encode())


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
    #: devices to notify when the dataset changes (an ordered set)
    subscribers: dict[str, None] = field(default_factory=dict)
    # Every write as (sync count, key), ascending. An entry is stale once
    # its key was written again; stale entries are dropped in bulk when they
    # outnumber the records. ListRecords pages through this in O(page).
    _changes: list[Position] = field(default_factory=list)
    _stale: int = 0

    def commit(self, records: Iterable[Record], now: dt.datetime, by: str) -> None:
        """Store one sync: ``records`` all carry ``sync_count + 1``."""
        count = self.sync_count + 1
        unique = {record.key: record for record in records}
        for record in sorted(unique.values(), key=_by_key):
            if record.sync_count != count:
                raise ValueError(f"{record!r} is not of sync count {count}")
            old = self.records.pop(record.key, None)
            if old is not None:
                self._stale += 1
                if old.value is not None:
                    self.num_records -= 1
                self.data_storage -= old.storage_bytes
            if record.value is not None:
                self.num_records += 1
            self.data_storage += record.storage_bytes
            self.records[record.key] = record
            self._changes.append((count, record.key))
        self.sync_count = count
        self.last_modified = now
        self.last_modified_by = by
        if self._stale > len(self.records):
            self._changes = [
                (count, key)
                for count, key in self._changes
                if self.records[key].sync_count == count
            ]
            self._stale = 0

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
                return first, (following.sync_count, following.key)
            return first, None
        lowest = (after_sync_count + 1, "")
        changes = self._changes
        index = bisect.bisect_left(changes, max(lowest, start or lowest))
        page: list[Record] = []
        while index < len(changes):
            count, key = changes[index]
            record = self.records[key]
            if record.sync_count == count:  # not written again since
                if len(page) == limit:
                    return page, (count, key)
                page.append(record)
            index += 1
        return page, None


def _by_key(record: Record) -> str:
    return record.key


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

    def open_dataset(self, name: str, now: dt.datetime, by: str) -> Dataset:
        """The dataset, created on first write as Cognito Sync does.

        A dataset created again after a deletion counts on from where the
        deleted one stopped, so a name's sync counts never go back.
        """
        found = self.datasets.get(name)
        if found is None:
            found = Dataset(self.identity_id, name, now, now, by)
            found.sync_count = self.deleted_datasets.get(name, 0)
            self.datasets[name] = found
        return found

    def delete_dataset(self, name: str, now: dt.datetime) -> Dataset | None:
        dataset = self.datasets.pop(name, None)
        if dataset is not None:
            self.deleted_datasets[name] = dataset.sync_count
            self.last_deleted = now
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
    notifications: list[PushNotification] = field(default_factory=list)
    bulk_publish: BulkPublish = field(default_factory=BulkPublish)
    #: signs the pool's SyncSessionTokens, so no other pool's verify
    session_secret: bytes = field(default_factory=lambda: secrets.token_bytes(16))
    sync_sessions: int = 0
    #: the session numbers of SyncSessionTokens a successful UpdateRecords used
    spent_sessions: set[int] = field(default_factory=set)
    #: when the pool was created, on the fake clock (set by Backend.add_pool)
    created: dt.datetime | None = None

    def identity(self, identity_id: str) -> Identity:
        """The identity, registered on first use as Cognito Sync does."""
        found = self.identities.get(identity_id)
        if found is None:
            found = self.identities[identity_id] = Identity(identity_id)
        return found

    def dataset(self, identity_id: str, name: str) -> Dataset | None:
        identity = self.identities.get(identity_id)
        return identity.datasets.get(name) if identity is not None else None

    def datasets(self) -> list[Dataset]:
        return [
            dataset
            for identity in self.identities.values()
            for dataset in identity.datasets.values()
        ]

    @property
    def data_storage(self) -> int:
        return sum(identity.data_storage for identity in self.identities.values())

    @property
    def last_modified(self) -> dt.datetime | None:
        """The last change to the pool's data; its creation before any.

        AWS's usage samples show a pool's LastModifiedDate even when it
        holds no data, so a pool without data answers when it was created.
        """
        moments = (identity.last_modified for identity in self.identities.values())
        return max(
            (moment for moment in moments if moment is not None), default=self.created
        )

    @property
    def streaming(self) -> bool:
        """Whether changes go to the pool's Cognito stream right now."""
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
