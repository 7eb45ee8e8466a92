"""moto as the fake's neighbour: its Cognito Identity pools and Kinesis streams.

moto is never imported here. It is consulted only where the test process
already imported it and while its ``mock_aws`` is active, and only its
in-process state is read or written: nothing goes over the network, and
nothing is done while moto runs as a separate server.
"""

from __future__ import annotations

import base64
import sys
from collections.abc import Iterator, Sequence
from typing import Any

from ..backend.neighbours import Delivered, OutgoingRecord

# Kinesis' PutRecords limits: moto's put_records refuses more.
_BATCH_RECORDS = 500
_BATCH_BYTES = 5 * 1024 * 1024
_RECORD_BYTES = 1024 * 1024


def moto_active() -> bool:
    """Whether moto's ``mock_aws`` is active in this process, in-process.

    moto counts its active mocks on ``MockAWS`` (its server and proxy modes
    count on subclasses, and keep their state elsewhere).
    """
    models = sys.modules.get("moto.core.models")
    mock_class = getattr(models, "MockAWS", None)
    return getattr(mock_class, "_nested_count", 0) > 0


def _backend(module_name: str, attribute: str, account_id: str, region: str) -> Any:
    """moto's backend of a service in that account and region, if moto is
    active and has ever created it; never created here."""
    module = sys.modules.get(module_name)
    # Without that module, moto (if loaded at all) holds nothing of that
    # service: asked first, it spares every request without moto a call.
    if module is None or not moto_active():
        return None
    accounts = getattr(module, attribute)
    # dict.get, not [], which would create the backend as a side effect
    by_region = dict.get(accounts, account_id)
    return None if by_region is None else dict.get(by_region, region)


_COGNITO_IDENTITY = ("moto.cognitoidentity.models", "cognitoidentity_backends")
_KINESIS = ("moto.kinesis.models", "kinesis_backends")


class MotoBridge:
    """The :class:`~pytest_cognito_sync.backend.neighbours.Neighbours` that
    moto provides while its mock is active."""

    def holds_identity_pool(self, account_id: str, region: str, pool_id: str) -> bool:
        backend = _backend(*_COGNITO_IDENTITY, account_id, region)
        return backend is not None and pool_id in backend.identity_pools

    def identity_pools(self, account_id: str, region: str) -> list[str]:
        backend = _backend(*_COGNITO_IDENTITY, account_id, region)
        return [] if backend is None else list(backend.identity_pools)

    def identity_pool_homes(self, pool_id: str) -> list[tuple[str, str]]:
        if not moto_active():
            return []
        module = sys.modules.get("moto.cognitoidentity.models")
        if module is None:
            return []
        backends = module.cognitoidentity_backends.iter_backends()
        return [
            (account_id, region)
            for account_id, region, backend in backends
            if pool_id in backend.identity_pools
        ]

    def has_stream(self, account_id: str, region: str, stream_name: str) -> bool:
        backend = _backend(*_KINESIS, account_id, region)
        return backend is not None and stream_name in backend.streams

    def deliver(
        self,
        account_id: str,
        region: str,
        stream_name: str,
        records: Sequence[OutgoingRecord],
    ) -> list[Delivered] | None:
        backend = _backend(*_KINESIS, account_id, region)
        stream = None if backend is None else backend.streams.get(stream_name)
        if stream is None:
            return None
        delivered: list[Delivered] = []
        for batch in _batches(records):
            if len(batch) == 1:
                # PutRecord, as a single write is sent
                record = batch[0]
                sequence, shard_id = backend.put_record(
                    stream_arn=None,
                    stream_name=stream_name,
                    partition_key=record.partition_key,
                    explicit_hash_key=None,
                    data=_base64(record.data),
                )
                placed = [(sequence, shard_id)]
            else:
                answer = backend.put_records(
                    stream_arn=None,
                    stream_name=stream_name,
                    records=[
                        {
                            "PartitionKey": record.partition_key,
                            "Data": _base64(record.data),
                        }
                        for record in batch
                    ],
                )
                placed = [
                    (r["SequenceNumber"], r["ShardId"]) for r in answer["Records"]
                ]
            for sequence, shard_id in placed:
                stored = stream.get_shard(shard_id).records[int(sequence)]
                delivered.append(
                    Delivered(stream.arn, shard_id, sequence, stored.created_at)
                )
        return delivered


def _base64(data: bytes) -> str:
    # moto keeps a record's data as the base64 text of PutRecord's request.
    return base64.b64encode(data).decode("ascii")


def _batches(records: Sequence[OutgoingRecord]) -> Iterator[list[OutgoingRecord]]:
    """Records in PutRecords-sized batches, in order; a record over Kinesis'
    1 MB record limit goes alone (moto's PutRecord takes it)."""
    batch: list[OutgoingRecord] = []
    size = 0
    for record in records:
        record_size = len(record.data) + len(record.partition_key)
        if record_size > _RECORD_BYTES:
            if batch:
                yield batch
                batch, size = [], 0
            yield [record]
            continue
        if len(batch) == _BATCH_RECORDS or size + record_size > _BATCH_BYTES:
            yield batch
            batch, size = [], 0
        batch.append(record)
        size += record_size
    if batch:
        yield batch
