"""Cognito Streams: the records the service writes to a pool's Kinesis stream.

Events are stored as immutable snapshots and rendered in the documented
record format only when a test reads them. Dates in stream records are
epoch milliseconds (the API uses epoch seconds). The dataset field is
``datasetName``: the Cognito Streams guide prints ``dataSetName``, but AWS's
streams connector sample and real consumers read ``datasetName``.
"""

from __future__ import annotations

import datetime as dt
import gc
import json
from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

from .._named_tuples import build
from .state import Dataset, Record

#: Records whose inline form exceeds Kinesis' payload limit are sent as an
#: S3 URL instead (the Cognito Streams guide: "larger than the Kinesis
#: maximum payload size").
INLINE_LIMIT_BYTES = 1024 * 1024


# An upper bound of a payload's inline size, so that the exact size (a JSON
# encoding) is computed only for payloads that may be over the limit: a
# bulk publish renders 100,000 of them. JSON writes a character as at most
# 12 ASCII characters (an escaped surrogate pair); everything in a sync
# record besides its key and value (field names, punctuation, three numbers
# of at most 20 digits, "replace") takes under 200.
_ESCAPED_CHAR = 12
_RECORD_FRAME = 200


class collector_paused:  # lower case: used as a function, as contextlib's are
    """Pause the cyclic garbage collector while building many stream records.

    A bulk publish writes, and a read renders, hundreds of thousands of
    containers that can never form a cycle; with the collector running,
    each batch of them triggers a scan of the whole (large) service state
    for nothing. Reference counting frees them all the same.

    A class rather than a generator-based context manager: every
    BulkPublish pauses once, and this costs it a quarter as much.
    """

    __slots__ = ("_enabled",)

    def __enter__(self) -> None:
        self._enabled = gc.isenabled()
        gc.disable()

    def __exit__(self, *exception: object) -> None:
        if not self._enabled:
            return
        threshold0, threshold1, _ = gc.get_threshold()
        if threshold0 and gc.get_count()[0] >= threshold0 * threshold1:
            # So many containers were made that the collector, running,
            # would have collected the young generations as a whole
            # meanwhile: one such collection now, instead of the first
            # allocation after resuming scanning the youngest alone and the
            # next collection of the young generations scanning it all
            # again.
            gc.collect(1)
        gc.enable()


def payload_bound(records: Sequence[Record]) -> int:
    """An upper bound of the inline size of ``records``."""
    text = sum(len(key) + len(value or "") for key, value, *_ in records)
    return 2 + _RECORD_FRAME * len(records) + _ESCAPED_CHAR * text


def dataset_bound(dataset: Dataset) -> int:
    """payload_bound() of all a dataset's records, from its running totals
    rather than a walk of its records: the UTF-8 bytes of its live keys and
    values bound their characters; removed records add their keys."""
    text = dataset.data_storage
    if dataset.num_records != len(dataset.records):
        text += sum(map(len, dataset.records))
    return 2 + _RECORD_FRAME * len(dataset.records) + _ESCAPED_CHAR * text


def epoch_millis(moment: dt.datetime) -> int:
    return round(moment.timestamp() * 1000)


class EpochMillis(dict[dt.datetime, int]):
    """``epoch_millis`` of each moment looked up, computed once per moment:
    a dataset's records share their timestamps."""

    def __missing__(self, moment: dt.datetime) -> int:
        # epoch_millis(), inlined: a bulk publish's read misses 100,000 times
        millis = self[moment] = round(moment.timestamp() * 1000)
        return millis


class _SyncRecordEntry:
    """One entry of a stream record's ``kinesisSyncRecords``, handed out as
    its ``__dict__``. Instance dicts share one table of keys (PEP 412), so
    each holds only its values: a six-key entry takes about 140 bytes
    instead of the 290 of a dict display, on CPython 3.10 to 3.13, and a
    bulk publish's read hands out a million. It is an ordinary dict all the
    same: keys in the order they are set below, equal to any dict of the
    same items, mutable, and no one else's (the instance is dropped at
    once)."""

    key: str
    value: str | None
    syncCount: int
    lastModifiedDate: int
    deviceLastModifiedDate: int
    op: str


class _StreamRecord:
    """A stream record, handed out as its ``__dict__`` for the same reason
    (nine keys: about 170 bytes instead of 290)."""

    identityPoolId: str
    identityId: str
    datasetName: str
    operation: str
    kinesisSyncRecords: list[dict[str, Any]] | None
    lastModifiedDate: int
    kinesisSyncRecordsURL: str | None
    payloadType: str
    syncCount: int


class StreamEvent(NamedTuple):
    """One stream record, as an immutable snapshot (a named tuple: a bulk
    publish writes one per dataset)."""

    stream_name: str
    identity_pool_id: str
    identity_id: str
    dataset_name: str
    #: "replace" (an update or a bulk publish) or "remove" (a deleted dataset)
    operation: str
    #: the records, in order; for a bulk publish the dataset's own
    #: (Dataset.snapshot()), whose values they are
    records: Sequence[Record] | dict[str, Record]
    sync_count: int
    last_modified: dt.datetime
    sequence: int
    #: whether the inline size of ``records`` may exceed INLINE_LIMIT_BYTES
    #: (from payload_bound(): a flag rather than the bound, which would be
    #: one more int object per stream record)
    may_be_over_limit: bool

    def sync_records(self, millis: EpochMillis | None = None) -> list[dict[str, Any]]:
        return _sync_records(
            self.records,
            self.last_modified,
            epoch_millis(self.last_modified),
            EpochMillis() if millis is None else millis,
        )

    def render(self, millis: EpochMillis | None = None) -> dict[str, Any]:
        # Unpacked in one step: cheaper than nine attribute reads, for each
        # of a bulk publish's 100,000 stream records.
        (
            _,
            pool_id,
            identity_id,
            dataset_name,
            operation,
            records,
            sync_count,
            last_modified,
            _,
            may_be_over_limit,
        ) = self
        modified = epoch_millis(last_modified)
        sync_records = _sync_records(
            records,
            last_modified,
            modified,
            EpochMillis() if millis is None else millis,
        )
        rendered = _StreamRecord()
        rendered.identityPoolId = pool_id
        rendered.identityId = identity_id
        rendered.datasetName = dataset_name
        rendered.operation = operation
        rendered.kinesisSyncRecords = sync_records
        rendered.lastModifiedDate = modified
        rendered.kinesisSyncRecordsURL = None
        rendered.payloadType = "Inline"
        rendered.syncCount = sync_count
        if may_be_over_limit and _inline_size(sync_records) > INLINE_LIMIT_BYTES:
            rendered.kinesisSyncRecords = None
            rendered.payloadType = "S3Url"
            rendered.kinesisSyncRecordsURL = self.payload_url()
        return rendered.__dict__

    def payload_url(self) -> str:
        return (
            "https://cognito-sync-streams.s3.amazonaws.com/"
            f"{self.identity_pool_id}/{self.identity_id}/{self.dataset_name}/"
            f"{self.sync_count}-{self.sequence}.json"
        )


def _sync_records(
    records: Sequence[Record] | dict[str, Record],
    latest: dt.datetime,
    latest_millis: int,
    millis: EpochMillis,
) -> list[dict[str, Any]]:
    # Records written in the sync that made the stream record share its
    # moment (``latest``, the same object): converted once, not looked up
    # per record (nor looked up at all: hashing an aware datetime costs
    # more than converting it).
    rendered = []
    listed = records.values() if isinstance(records, dict) else records
    # Unpacked in one step: cheaper than six subscripts.
    for key, value, sync_count, moment, _, device in listed:
        entry = _SyncRecordEntry()
        entry.key = key
        entry.value = value
        entry.syncCount = sync_count
        entry.lastModifiedDate = modified = (
            latest_millis if moment is latest else millis[moment]
        )
        entry.deviceLastModifiedDate = (
            modified if device is None or device is moment else millis[device]
        )
        entry.op = "remove" if value is None else "replace"
        rendered.append(entry.__dict__)
    # Appends over-allocate (16 slots for 10 entries); a copy is sized
    # exactly: 48 bytes less for each of a bulk publish's lists.
    return rendered.copy()


def _inline_size(sync_records: list[dict[str, Any]]) -> int:
    return len(json.dumps(sync_records, separators=(",", ":")).encode())


class StreamLog:
    """Every stream the fake has written to, by stream name, oldest first."""

    def __init__(self) -> None:
        self._events: dict[str, list[StreamEvent]] = {}
        self._sequence = 0

    def write(
        self,
        stream_name: str,
        pool_id: str,
        identity_id: str,
        dataset_name: str,
        operation: str,
        records: Sequence[Record],
        sync_count: int,
        last_modified: dt.datetime,
    ) -> StreamEvent:
        """Append one stream record."""
        self._sequence += 1
        event = StreamEvent(
            stream_name,
            pool_id,
            identity_id,
            dataset_name,
            operation,
            records,
            sync_count,
            last_modified,
            self._sequence,
            payload_bound(records) > INLINE_LIMIT_BYTES,
        )
        self._events.setdefault(stream_name, []).append(event)
        return event

    def write_datasets(
        self, stream_name: str, pool_id: str, datasets: Iterable[Dataset]
    ) -> list[StreamEvent]:
        """Append one "replace" record per dataset, with all its records:
        what a bulk publish writes (for 100,000 datasets in one go)."""
        sequence = self._sequence
        # A loop, not a comprehension: one would be a function made at each
        # call, with cells for what it reads of this frame.
        written: list[StreamEvent] = []
        for offset, dataset in enumerate(datasets, start=1):
            event = build(
                StreamEvent,
                (
                    stream_name,
                    pool_id,
                    dataset.identity_id,
                    dataset.name,
                    "replace",
                    dataset.snapshot(),
                    dataset.sync_count,
                    dataset.last_modified,
                    sequence + offset,
                    dataset_bound(dataset) > INLINE_LIMIT_BYTES,
                ),
            )
            written.append(event)
        self._sequence += len(written)
        self._events.setdefault(stream_name, []).extend(written)
        return written

    def records(self, stream_name: str) -> list[dict[str, Any]]:
        """The stream's records rendered, oldest first."""
        millis = EpochMillis()
        with collector_paused():
            return [event.render(millis) for event in self._events.get(stream_name, ())]

    def events(self, stream_name: str) -> list[StreamEvent]:
        return list(self._events.get(stream_name, ()))

    def payload(self, url: str) -> list[dict[str, Any]] | None:
        """The sync records behind an S3Url payload the fake handed out."""
        for events in self._events.values():
            for event in events:
                if event.payload_url() == url:
                    return event.sync_records()
        return None
