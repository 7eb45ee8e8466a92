"""The Cognito Streams records as Kinesis holds them.

The fake's stream log keeps what Cognito wrote; this keeps where each record
sits in Kinesis: the stream's account and region, its shard and sequence
number, and when it arrived. While an outside Kinesis (moto) has a stream
of that name in the pool's account and region, each record is also put
there, and Kinesis' own shard and sequence number are kept. From these,
``lambda_events()`` builds the events a Lambda function subscribed to the
stream would receive.
"""

from __future__ import annotations

import base64
import bisect
import datetime as dt
import json
from collections.abc import Sequence
from typing import Any, NamedTuple

from .._named_tuples import build
from .neighbours import Delivered, Neighbours, OutgoingRecord
from .streams import EpochMillis, StreamEvent, collector_paused

#: Lambda's batch size range for Kinesis event source mappings.
MAX_BATCH_SIZE = 10_000

# Kinesis sequence numbers are 56-digit decimal strings that grow within a
# shard. Records no outside Kinesis holds get this base plus their position
# in the fake's log: the sequence number of AWS's example Kinesis event.
_SEQUENCE_BASE = 49590338271490256608559692538361571095921575989136588898
_SHARD_ID = "shardId-000000000000"


def partition(region: str) -> str:
    if region.startswith("cn-"):
        return "aws-cn"
    if region.startswith("us-gov-"):
        return "aws-us-gov"
    return "aws"


def stream_arn(account_id: str, region: str, stream_name: str) -> str:
    return f"arn:{partition(region)}:kinesis:{region}:{account_id}:stream/{stream_name}"


def record_bytes(event: StreamEvent, millis: EpochMillis | None = None) -> bytes:
    """A stream record's Kinesis data: its JSON, as stream_records() decodes."""
    return json.dumps(event.render(millis), separators=(",", ":")).encode()


class _Origin(NamedTuple):
    """Records from ``first_sequence`` on, until the next origin, were
    written by a pool of this account and region at ``written``."""

    first_sequence: int
    account_id: str
    region: str
    written: dt.datetime


class KinesisLedger:
    def __init__(self, neighbours: Neighbours) -> None:
        self.neighbours = neighbours
        self._origins: list[_Origin] = []
        self._first_sequences: list[int] = []
        #: log sequence -> where an outside Kinesis put that record
        self._delivered: dict[int, Delivered] = {}

    def written(
        self,
        events: Sequence[StreamEvent],
        account_id: str,
        region: str,
        at: dt.datetime,
    ) -> None:
        """Note records a pool just wrote, and put them into the outside
        Kinesis stream of their name, if there is one."""
        if not events:
            return
        first = events[0].sequence
        self._origins.append(build(_Origin, (first, account_id, region, at)))
        self._first_sequences.append(first)
        stream_name = events[0].stream_name
        if not self.neighbours.has_stream(account_id, region, stream_name):
            return
        millis = EpochMillis()
        with collector_paused():
            outgoing = [
                OutgoingRecord(event.identity_id, record_bytes(event, millis))
                for event in events
            ]
        delivered = self.neighbours.deliver(account_id, region, stream_name, outgoing)
        for event, where in zip(events, delivered or (), strict=False):
            self._delivered[event.sequence] = where

    def origin(self, sequence: int) -> _Origin:
        return self._origins[bisect.bisect_right(self._first_sequences, sequence) - 1]

    def lambda_events(
        self, stream_name: str, events: Sequence[StreamEvent], batch_size: int
    ) -> list[dict[str, Any]]:
        """The invocations of a Lambda function subscribed to the stream.

        Lambda reads each shard in order and invokes the function with up to
        ``batch_size`` records of one shard; shards are listed in the order
        their first record was written.
        """
        # Keyed by whether Kinesis numbered the records too: records moto's
        # Kinesis never held (written while moto was not active) are not
        # mixed into a batch with moto's own sequence numbers.
        shards: dict[tuple[str, str, bool], list[dict[str, Any]]] = {}
        millis = EpochMillis()
        with collector_paused():
            for event in events:
                origin = self.origin(event.sequence)
                data = record_bytes(event, millis)
                where = self._delivered.get(event.sequence)
                in_kinesis = where is not None
                if where is None:
                    where = Delivered(
                        stream_arn(origin.account_id, origin.region, stream_name),
                        _SHARD_ID,
                        str(_SEQUENCE_BASE + event.sequence),
                        origin.written.timestamp(),
                    )
                shard = (where.stream_arn, where.shard_id, in_kinesis)
                shards.setdefault(shard, []).append(
                    _lambda_record(event, data, where, origin)
                )
        return [
            {"Records": records[start : start + batch_size]}
            for records in shards.values()
            for start in range(0, len(records), batch_size)
        ]


def _lambda_record(
    event: StreamEvent, data: bytes, where: Delivered, origin: _Origin
) -> dict[str, Any]:
    # The shape AWS documents for Kinesis events delivered to Lambda.
    return {
        "kinesis": {
            "kinesisSchemaVersion": "1.0",
            "partitionKey": event.identity_id,
            "sequenceNumber": where.sequence_number,
            "data": base64.b64encode(data).decode("ascii"),
            # Kinesis keeps arrival times to the millisecond.
            "approximateArrivalTimestamp": round(where.arrival, 3),
        },
        "eventSource": "aws:kinesis",
        "eventVersion": "1.0",
        "eventID": f"{where.shard_id}:{where.sequence_number}",
        "eventName": "aws:kinesis:record",
        "invokeIdentityArn": (
            f"arn:{partition(origin.region)}:iam::{origin.account_id}:role/lambda-role"
        ),
        "awsRegion": origin.region,
        "eventSourceARN": where.stream_arn,
    }
