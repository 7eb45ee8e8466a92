"""What the fake service stores: pools, identities, datasets and records.

Records are immutable and replaced on every write, so a snapshot of a
dataset (for a stream record or a bulk publish) is just a tuple of the
current objects: cheap enough to publish 100,000 datasets at once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from .bulk_publish import BulkPublish


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
        if self.value is None:
            return 0
        return len(self.key.encode()) + len(self.value.encode())


@dataclass(slots=True)
class Dataset:
    identity_id: str
    name: str
    created: dt.datetime
    last_modified: dt.datetime
    last_modified_by: str
    sync_count: int = 0
    records: dict[str, Record] = field(default_factory=dict)

    def live_records(self) -> list[Record]:
        return [record for record in self.records.values() if record.value is not None]

    @property
    def storage_bytes(self) -> int:
        return sum(record.storage_bytes for record in self.records.values())


@dataclass(slots=True)
class Identity:
    identity_id: str
    datasets: dict[str, Dataset] = field(default_factory=dict)
    #: name -> the dataset's sync count when it was deleted
    deleted_datasets: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class CognitoStreams:
    stream_name: str | None = None
    role_arn: str | None = None
    streaming_status: str = "ENABLED"


@dataclass(slots=True)
class IdentityPool:
    pool_id: str
    account_id: str
    region: str
    identities: dict[str, Identity] = field(default_factory=dict)
    streams: CognitoStreams | None = None
    bulk_publish: BulkPublish = field(default_factory=BulkPublish)

    def identity(self, identity_id: str) -> Identity:
        """The identity, registered on first use as Cognito Sync does."""
        found = self.identities.get(identity_id)
        if found is None:
            found = self.identities[identity_id] = Identity(identity_id)
        return found

    def datasets(self) -> list[Dataset]:
        return [
            dataset
            for identity in self.identities.values()
            for dataset in identity.datasets.values()
        ]

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
