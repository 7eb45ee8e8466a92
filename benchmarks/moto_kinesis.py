"""What delivering Cognito Streams records into moto's Kinesis costs.

    python benchmarks/moto_kinesis.py            # the full run, about a minute
    python benchmarks/moto_kinesis.py --quick    # a smoke run: every row, tiny sizes

Both parts run under one ``mock_aws()`` and one ``mock_cognito_sync()``.

UpdateRecords, per call. Two pools stream to two Kinesis stream names; moto
has a stream of the first name only. So an UpdateRecords on the first pool
also puts its record into moto's stream (the JSON rendering, the base64
text moto keeps, moto's PutRecord and its CloudWatch metrics), and one on
the second pool does everything else alike. Rounds alternate which pool
goes first; in a round each pool gets a batch of calls with the garbage
collector paused, and the round's figure is the ratio of the two batches'
means. Each round starts from a new, empty moto stream, as each test does:
moto's PutRecord looks up the shard's highest sequence number by listing
every record of the shard, so its cost grows with the stream (see below).

Bulk publish. Pools of 2,500, 5,000 and 10,000 datasets are published into
an empty moto stream, timed from the BulkPublish call until
GetBulkPublishDetails says SUCCEEDED. The time inside moto's PutRecords is
measured apart (moto's share); the rest is the fake's share (rendering each
record once for Kinesis, batching, the publish itself). The fake's share per
dataset stays flat as the pool grows; moto's grows with the stream.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import boto3
from moto import mock_aws
from moto.kinesis.models import KinesisBackend

from pytest_cognito_sync import CognitoSyncMock, mock_cognito_sync
from pytest_cognito_sync.backend.tokens import issue_session

REGION = "us-east-1"
IDENTITY = "us-east-1:7d3a1c52-9b0e-4f6b-a3a8-1e2f3a4b5c6d"
DATASET = "settings"
IN_MOTO = "in-moto-kinesis"
NOT_IN_MOTO = "fake-only-stream"
#: UpdateRecords with its record delivered, over the same call without
TARGET_RATIO = 1.25


@dataclass(frozen=True)
class Sizes:
    rounds: int
    calls: int
    warmup: int
    pools: tuple[int, ...]


FULL = Sizes(rounds=25, calls=100, warmup=20, pools=(2_500, 5_000, 10_000))
QUICK = Sizes(rounds=3, calls=10, warmup=2, pools=(50, 100))


@contextmanager
def collector_paused() -> Iterator[None]:
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


class Syncer:
    """UpdateRecords on one pool, one record replaced at its current count."""

    def __init__(self, mock: CognitoSyncMock, client: Any, stream: str) -> None:
        self.mock, self.client = mock, client
        self.pool_id = mock.create_identity_pool()
        mock.configure_streams(self.pool_id, stream)
        mock.put_dataset(self.pool_id, IDENTITY, DATASET, {"counter": "0"})
        self.sync_count = 1
        self.tokens: list[str] = []

    def mint(self, count: int) -> None:
        """Session tokens as ListRecords would issue them (each UpdateRecords
        spends one), minted outside the timed calls."""
        backend = self.mock.backend
        with backend.lock:
            pool = backend.pools_named(self.pool_id)[0]
            now = backend.clock.now()
            self.tokens = [
                issue_session(pool, IDENTITY, DATASET, now) for _ in range(count)
            ]

    def batch(self, calls: int) -> float:
        """Mean seconds per UpdateRecords over ``calls`` calls."""
        update = self.client.update_records
        start = time.perf_counter()
        for _ in range(calls):
            answer = update(
                IdentityPoolId=self.pool_id,
                IdentityId=IDENTITY,
                DatasetName=DATASET,
                SyncSessionToken=self.tokens.pop(),
                RecordPatches=[
                    {
                        "Op": "replace",
                        "Key": "counter",
                        "Value": str(self.sync_count),
                        "SyncCount": self.sync_count,
                    }
                ],
            )
            self.sync_count = answer["Records"][0]["SyncCount"]
        return (time.perf_counter() - start) / calls


def new_stream(kinesis: Any, name: str) -> None:
    if name in kinesis.list_streams()["StreamNames"]:
        kinesis.delete_stream(StreamName=name)
    kinesis.create_stream(StreamName=name, ShardCount=1)


def update_records(sizes: Sizes, kinesis: Any, mock: CognitoSyncMock) -> list[str]:
    client = boto3.client("cognito-sync", region_name=REGION)
    delivered = Syncer(mock, client, IN_MOTO)
    kept = Syncer(mock, client, NOT_IN_MOTO)
    ratios, with_moto, without = [], [], []
    for round_number in range(sizes.rounds):
        new_stream(kinesis, IN_MOTO)
        pair = (delivered, kept) if round_number % 2 == 0 else (kept, delivered)
        means: dict[int, float] = {}
        for syncer in pair:
            syncer.mint(sizes.warmup + sizes.calls)
            syncer.batch(sizes.warmup)
            with collector_paused():
                means[id(syncer)] = syncer.batch(sizes.calls)
        ratios.append(means[id(delivered)] / means[id(kept)])
        with_moto.append(means[id(delivered)])
        without.append(means[id(kept)])
    ratio = statistics.median(ratios)
    verdict = "PASS" if ratio <= TARGET_RATIO else "MISS"
    return [
        f"UpdateRecords, record delivered into moto Kinesis, per call: "
        f"{statistics.median(with_moto) * 1e6:.1f} µs",
        f"UpdateRecords, no moto stream of that name, per call: "
        f"{statistics.median(without) * 1e6:.1f} µs",
        f"UpdateRecords delivered / not delivered (median of {sizes.rounds} "
        f"per-round ratios; range {min(ratios):.3f}-{max(ratios):.3f}): "
        f"{ratio:.3f}x (target <= {TARGET_RATIO}x) {verdict}",
    ]


class MotoClock:
    """Time spent inside moto's KinesisBackend.put_records / put_record."""

    def __init__(self) -> None:
        self.seconds = 0.0

    @contextmanager
    def watching(self) -> Iterator[None]:
        originals = {
            name: getattr(KinesisBackend, name)
            for name in ("put_records", "put_record")
        }

        def timed(original: Callable[..., Any]) -> Callable[..., Any]:
            def run(*args: Any, **kwargs: Any) -> Any:
                start = time.perf_counter()
                try:
                    return original(*args, **kwargs)
                finally:
                    self.seconds += time.perf_counter() - start

            return run

        for name, original in originals.items():
            setattr(KinesisBackend, name, timed(original))
        try:
            yield
        finally:
            for name, original in originals.items():
                setattr(KinesisBackend, name, original)


def bulk_publish(datasets: int, kinesis: Any, mock: CognitoSyncMock) -> str:
    client = boto3.client("cognito-sync", region_name=REGION)
    pool_id = mock.create_identity_pool()
    stream = f"bulk-{datasets}"
    kinesis.create_stream(StreamName=stream, ShardCount=1)
    mock.configure_streams(pool_id, stream)
    for number in range(datasets // 20):
        identity = f"us-east-1:{number:08x}-0000-4000-8000-000000000000"
        for dataset in range(20):
            mock.put_dataset(pool_id, identity, f"d{dataset}", {"k": "v" * 20})
    moto = MotoClock()
    with collector_paused(), moto.watching():
        start = time.perf_counter()
        client.bulk_publish(IdentityPoolId=pool_id)
        details = client.get_bulk_publish_details(IdentityPoolId=pool_id)
        total = time.perf_counter() - start
    assert details["BulkPublishStatus"] == "SUCCEEDED", details
    in_kinesis = kinesis.describe_stream_summary(StreamName=stream)
    assert in_kinesis["StreamDescriptionSummary"]["StreamStatus"] == "ACTIVE"
    ours = total - moto.seconds
    return (
        f"bulk publish of {datasets:,} datasets into a moto stream: {total:.2f} s "
        f"(moto's PutRecords {moto.seconds:.2f} s, {moto.seconds / total:.0%}; "
        f"the fake's share {ours:.2f} s, {ours / datasets * 1e6:.1f} µs per dataset)"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="tiny sizes, a smoke run")
    sizes = QUICK if parser.parse_args().quick else FULL
    with mock_aws(), mock_cognito_sync() as mock:
        kinesis = boto3.client("kinesis", region_name=REGION)
        for line in update_records(sizes, kinesis, mock):
            print(line, flush=True)
        for datasets in sizes.pools:
            print(bulk_publish(datasets, kinesis, mock), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
