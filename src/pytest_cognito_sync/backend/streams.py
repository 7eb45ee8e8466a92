"""Cognito Streams: the records the service writes to a pool's Kinesis stream.

Events are stored as immutable snapshots and rendered in the documented
record format only when a test reads them. Dates in stream records are
epoch milliseconds (the API uses epoch seconds). The dataset field is
``datasetName``: the Cognito Streams guide prints ``dataSetName``, but AWS's
streams connector sample and real consumers read ``datasetName``.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .state import Record

#: Records whose inline form exceeds Kinesis' payload limit are sent as an
#: S3 URL instead (the Cognito Streams guide: "larger than the Kinesis
#: maximum payload size").
INLINE_LIMIT_BYTES = 1024 * 1024


def epoch_millis(moment: dt.datetime | None) -> int | None:
    if moment is None:
        return None
    return int(round(moment.timestamp() * 1000))


@dataclass(frozen=True, slots=True)
class StreamEvent:
    stream_name: str
    identity_pool_id: str
    identity_id: str
    dataset_name: str
    #: "replace" (an update or a bulk publish) or "remove" (a deleted dataset)
    operation: str
    records: Sequence[Record]
    sync_count: int
    last_modified: dt.datetime
    sequence: int

    def sync_records(self) -> list[dict[str, Any]]:
        return [
            {
                "key": record.key,
                "value": record.value,
                "syncCount": record.sync_count,
                "lastModifiedDate": epoch_millis(record.last_modified),
                "deviceLastModifiedDate": epoch_millis(
                    record.device_last_modified or record.last_modified
                ),
                "op": record.op,
            }
            for record in self.records
        ]

    def render(self) -> dict[str, Any]:
        sync_records = self.sync_records()
        inline = len(json.dumps(sync_records, separators=(",", ":")).encode())
        rendered: dict[str, Any] = {
            "identityPoolId": self.identity_pool_id,
            "identityId": self.identity_id,
            "datasetName": self.dataset_name,
            "operation": self.operation,
            "kinesisSyncRecords": sync_records,
            "lastModifiedDate": epoch_millis(self.last_modified),
            "kinesisSyncRecordsURL": None,
            "payloadType": "Inline",
            "syncCount": self.sync_count,
        }
        if inline > INLINE_LIMIT_BYTES:
            rendered["kinesisSyncRecords"] = None
            rendered["payloadType"] = "S3Url"
            rendered["kinesisSyncRecordsURL"] = self.payload_url()
        return rendered

    def payload_url(self) -> str:
        return (
            "https://cognito-sync-streams.s3.amazonaws.com/"
            f"{self.identity_pool_id}/{self.identity_id}/{self.dataset_name}/"
            f"{self.sync_count}-{self.sequence}.json"
        )


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
    ) -> None:
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
        )
        self._events.setdefault(stream_name, []).append(event)

    def events(self, stream_name: str) -> list[StreamEvent]:
        return list(self._events.get(stream_name, ()))

    def payload(self, url: str) -> list[dict[str, Any]] | None:
        """The sync records behind an S3Url payload the fake handed out."""
        for events in self._events.values():
            for event in events:
                if event.payload_url() == url:
                    return event.sync_records()
        return None
