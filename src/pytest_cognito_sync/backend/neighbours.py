"""What the fake asks of other AWS fakes running in the same process.

A test suite may run moto beside this fake. Cognito Sync depends on two
services moto can fake: Cognito Identity, which holds the identity pools,
and Kinesis, which receives the Cognito Streams records. The backend asks
through this small interface and never learns which fake answers; the
adapter lives in ``pytest_cognito_sync.integrations``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple, Protocol


class Delivered(NamedTuple):
    """Where a record landed in an outside Kinesis stream."""

    stream_arn: str
    shard_id: str
    sequence_number: str
    #: epoch seconds, as Kinesis' ApproximateArrivalTimestamp
    arrival: float


class OutgoingRecord(NamedTuple):
    partition_key: str
    data: bytes


class Neighbours(Protocol):
    """The outside services the fake consults; each answer is "nothing
    there" while no such service is active."""

    def holds_identity_pool(self, account_id: str, region: str, pool_id: str) -> bool:
        """Whether an outside Cognito Identity holds that pool."""
        ...

    def identity_pools(self, account_id: str, region: str) -> list[str]:
        """The ids of the pools an outside Cognito Identity holds there."""
        ...

    def identity_pool_homes(self, pool_id: str) -> list[tuple[str, str]]:
        """Every (account, region) where an outside Cognito Identity holds
        a pool of that id."""
        ...

    def has_stream(self, account_id: str, region: str, stream_name: str) -> bool:
        """Whether an outside Kinesis has a stream of that name there."""
        ...

    def deliver(
        self,
        account_id: str,
        region: str,
        stream_name: str,
        records: Sequence[OutgoingRecord],
    ) -> list[Delivered] | None:
        """Put ``records``, in order, into the outside Kinesis stream of that
        name; ``None`` (and nothing put) when there is no such stream."""
        ...
