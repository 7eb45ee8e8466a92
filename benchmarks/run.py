"""How much pytest-cognito-sync adds to a boto3 call, and how fast it is otherwise.

    python benchmarks/run.py            # the full run, about a minute
    python benchmarks/run.py --quick    # a smoke run: every row, tiny sizes

One run prints one table: each figure, its target and PASS or MISS.

Per-call cost. A call through a real boto3 client is timed three ways:

- botocore alone: a client whose own ``before-send`` hook answers with a
  canned response carrying the very body the fake answers, while no mock is
  active. That is what botocore itself spends on the call (serialise, sign,
  parse), with no service behind it: the floor any fake stands on.
- fake: the same kind of client with ``mock_cognito_sync()`` active.
- moto, for comparison: moto has no cognito-sync, so a comparable small JSON
  call, cognito-identity DescribeIdentityPool, under ``mock_aws``.

Rounds of the kinds alternate, so that drift (CPU frequency, other load)
hits them alike. A round is a fresh activation, seeded, warmed up, then a
timed batch of calls with the garbage collector paused (as ``timeit`` does);
each figure is the median over rounds of the mean per call in a round. The
fake's own work is the difference between the fake and botocore alone.

Also: entering and leaving ``with mock_cognito_sync(): pass``; importing the
package after boto3 (fresh interpreters with bytecode cached, median); and
a bulk publish of a pool of 100,000 datasets of 10 records, timed from the
BulkPublish call until GetBulkPublishDetails says SUCCEEDED and
``stream_records()`` has returned every record, median of three fresh pools
(seeding through the mock's helpers is timed apart).
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import boto3
import botocore
import moto  # before any client is built: moto adds a handler to new sessions
from botocore.awsrequest import AWSResponse
from botocore.exceptions import ClientError
from moto import mock_aws

import pytest_cognito_sync
from pytest_cognito_sync import CognitoSyncMock, mock_cognito_sync
from pytest_cognito_sync.backend.tokens import issue_session

REGION = "us-east-1"
ACCESS = {
    "region_name": REGION,
    "aws_access_key_id": "AKIAIOSFODNN7EXAMPLE",
    "aws_secret_access_key": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
}
POOL = "us-east-1:0f6ef0a3-0b3e-4c4e-8a55-2bd0c5b5ad6e"
IDENTITY = "us-east-1:7d3a1c52-9b0e-4f6b-a3a8-1e2f3a4b5c6d"
DATASET = "settings"
STREAM = "benchmark-stream"
#: per identity, as AWS allows
DATASETS_PER_IDENTITY = 20
RECORDS_PER_DATASET = 10


@dataclass(frozen=True)
class Sizes:
    rounds: int
    calls: int
    warmup: int
    moto_calls: int
    enter_exit: int
    imports: int
    datasets: int
    bulk_runs: int


FULL = Sizes(
    rounds=25,
    calls=200,
    warmup=30,
    moto_calls=60,
    enter_exit=2000,
    imports=9,
    datasets=100_000,
    bulk_runs=3,
)
QUICK = Sizes(
    rounds=2,
    calls=10,
    warmup=3,
    moto_calls=5,
    enter_exit=50,
    imports=2,
    datasets=400,
    bulk_runs=1,
)


# -- the table -------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    figure: str
    measured: str
    target: str = ""
    result: str = ""


def verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def micros(seconds: float) -> str:
    return f"{seconds * 1e6:,.1f} µs"


def print_table(rows: list[Row]) -> None:
    widths = [
        max(len(getattr(row, column)) for row in rows)
        for column in ("figure", "measured", "target", "result")
    ]
    header = Row("figure", "measured", "target", "result")
    for row in [header, *rows]:
        cells = (row.figure, row.measured, row.target, row.result)
        line = "  ".join(
            cell.ljust(width) if index == 0 else cell.rjust(width)
            for index, (cell, width) in enumerate(zip(cells, widths, strict=True))
        )
        print(line.rstrip())


# -- timing ----------------------------------------------------------------


def mean_per_call(call: Callable[[], Any], count: int) -> float:
    gc.collect()
    gc.disable()
    try:
        start = time.perf_counter()
        for _ in range(count):
            call()
        return (time.perf_counter() - start) / count
    finally:
        gc.enable()


class _Raw:
    """The raw body botocore reads a canned response from."""

    def __init__(self, content: bytes) -> None:
        self._content = content

    def stream(self, **kwargs: Any) -> Iterator[bytes]:
        yield self._content

    def read(self, *args: Any, **kwargs: Any) -> bytes:
        return self._content


@dataclass
class Captured:
    status: int
    headers: dict[str, str]
    body: bytes


def capture_answer(client: Any, operation: str, call: Callable[[], Any]) -> Captured:
    """Make one call and keep the HTTP response botocore received."""
    seen: list[Captured] = []

    def keep(response_dict: dict[str, Any], **kwargs: Any) -> None:
        seen.append(
            Captured(
                response_dict["status_code"],
                dict(response_dict["headers"]),
                response_dict["body"],
            )
        )

    event = f"before-parse.cognito-sync.{operation}"
    client.meta.events.register(event, keep, unique_id="benchmark-capture")
    try:
        call()
    finally:
        client.meta.events.unregister(event, unique_id="benchmark-capture")
    return seen[-1]


def answer_with(client: Any, operation: str, canned: Captured) -> None:
    """From now on ``client`` answers ``operation`` itself, with ``canned``."""

    def answer(request: Any, **kwargs: Any) -> AWSResponse:
        return AWSResponse(
            request.url, canned.status, canned.headers, _Raw(canned.body)
        )

    client.meta.events.register(
        f"before-send.cognito-sync.{operation}",
        answer,
        unique_id=f"benchmark-floor-{operation}",
    )


# -- per-call scenarios ----------------------------------------------------


class Scenario:
    """One cognito-sync operation: how to seed the fake and make one call."""

    operation = ""

    def seed(self, mock: CognitoSyncMock, client: Any) -> None:
        mock.create_identity_pool(POOL)

    def call(self, client: Any) -> Any:
        raise NotImplementedError


class GetBulkPublishDetails(Scenario):
    operation = "GetBulkPublishDetails"

    def call(self, client: Any) -> Any:
        return client.get_bulk_publish_details(IdentityPoolId=POOL)


class ListRecords(Scenario):
    operation = "ListRecords"

    def seed(self, mock: CognitoSyncMock, client: Any) -> None:
        super().seed(mock, client)
        records = {f"key{i}": f"value{i}" for i in range(RECORDS_PER_DATASET)}
        mock.put_dataset(POOL, IDENTITY, DATASET, records)

    def call(self, client: Any) -> Any:
        return client.list_records(
            IdentityPoolId=POOL, IdentityId=IDENTITY, DatasetName=DATASET
        )


class UpdateRecords(Scenario):
    """Replaces one record over and over, each time at its current SyncCount."""

    operation = "UpdateRecords"

    #: Session tokens minted per round: a successful UpdateRecords spends
    #: its token, so each call takes a fresh one (more than warmup + calls).
    TOKENS = 512

    def __init__(self) -> None:
        # The floor replays the token and counts of the last fake round.
        self.token = ""
        self.tokens: list[str] = []
        self.sync_count = 0

    def seed(self, mock: CognitoSyncMock, client: Any) -> None:
        super().seed(mock, client)
        mock.put_dataset(POOL, IDENTITY, DATASET, {"counter": "0"})
        listed = client.list_records(
            IdentityPoolId=POOL, IdentityId=IDENTITY, DatasetName=DATASET
        )
        self.token = listed["SyncSessionToken"]
        self.sync_count = listed["Records"][0]["SyncCount"]
        # Minted as ListRecords would, outside the timed calls.
        backend = mock.backend
        with backend.lock:
            pool = backend.pools_named(POOL)[0]
            now = backend.clock.now()
            self.tokens = [
                issue_session(pool, IDENTITY, DATASET, now) for _ in range(self.TOKENS)
            ]

    def call(self, client: Any) -> Any:
        if self.tokens:
            self.token = self.tokens.pop()
        response = client.update_records(
            IdentityPoolId=POOL,
            IdentityId=IDENTITY,
            DatasetName=DATASET,
            SyncSessionToken=self.token,
            RecordPatches=[
                {
                    "Op": "replace",
                    "Key": "counter",
                    "Value": str(self.sync_count),
                    "SyncCount": self.sync_count,
                }
            ],
        )
        self.sync_count = response["Records"][0]["SyncCount"]
        return response


SCENARIOS = (GetBulkPublishDetails(), ListRecords(), UpdateRecords())


@dataclass
class PerCall:
    scenario: Scenario
    floor: list[float]
    fake: list[float]
    #: why the fake could not answer, if it could not
    unavailable: str | None = None


def new_client(service: str) -> Any:
    # A session of its own: built after every handler was registered.
    return boto3.session.Session().client(service, **ACCESS)


def fake_round(scenario: Scenario, client: Any, sizes: Sizes) -> float:
    with mock_cognito_sync() as mock:
        scenario.seed(mock, client)
        for _ in range(sizes.warmup):
            scenario.call(client)
        return mean_per_call(lambda: scenario.call(client), sizes.calls)


def floor_round(scenario: Scenario, client: Any, sizes: Sizes) -> float:
    for _ in range(sizes.warmup):
        scenario.call(client)
    return mean_per_call(lambda: scenario.call(client), sizes.calls)


def moto_round(client: Any, sizes: Sizes) -> float:
    with mock_aws():
        pool = client.create_identity_pool(
            IdentityPoolName="benchmark", AllowUnauthenticatedIdentities=True
        )["IdentityPoolId"]

        def call() -> Any:
            return client.describe_identity_pool(IdentityPoolId=pool)

        for _ in range(sizes.warmup):
            call()
        return mean_per_call(call, sizes.moto_calls)


def prepare(scenario: Scenario, fake: Any, floor: Any) -> str | None:
    """Teach the floor client the fake's answer; say why not if the fake
    cannot answer this operation yet."""
    with mock_cognito_sync() as mock:
        try:
            scenario.seed(mock, fake)
            canned = capture_answer(
                fake, scenario.operation, lambda: scenario.call(fake)
            )
        except ClientError as error:
            code = error.response["Error"]["Code"]
            if code == "NotImplemented":
                return "not implemented yet"
            return f"fails: {code}"
    answer_with(floor, scenario.operation, canned)
    return None


def measure_per_call(sizes: Sizes) -> tuple[list[PerCall], list[float]]:
    fake_client = new_client("cognito-sync")
    floor_client = new_client("cognito-sync")
    moto_client = new_client("cognito-identity")
    results = [
        PerCall(scenario, [], [], prepare(scenario, fake_client, floor_client))
        for scenario in SCENARIOS
    ]
    moto: list[float] = []
    for _ in range(sizes.rounds):
        for result in results:
            if result.unavailable is None:
                # Fake first: the floor replays what the fake just answered.
                result.fake.append(fake_round(result.scenario, fake_client, sizes))
                result.floor.append(floor_round(result.scenario, floor_client, sizes))
        moto.append(moto_round(moto_client, sizes))
    return results, moto


def per_call_rows(results: list[PerCall], moto: list[float]) -> list[Row]:
    rows = []
    for result in results:
        name = result.scenario.operation
        if result.unavailable is not None:
            rows += [
                Row(f"{name}: botocore alone, per call", result.unavailable),
                Row(f"{name}: with the fake, per call", result.unavailable),
                Row(f"{name}: fake / botocore alone", "-", "<= 1.05x", "SKIP"),
            ]
            continue
        floor = statistics.median(result.floor)
        fake = statistics.median(result.fake)
        ratio = fake / floor
        rows += [
            Row(f"{name}: botocore alone, per call", micros(floor)),
            Row(
                f"{name}: with the fake, per call",
                micros(fake),
                f"(fake's own work {micros(fake - floor)})",
            ),
            Row(
                f"{name}: fake / botocore alone",
                f"{ratio:.3f}x",
                "<= 1.05x",
                verdict(ratio <= 1.05),
            ),
        ]
        if isinstance(result.scenario, GetBulkPublishDetails):
            moto_call = statistics.median(moto)
            speedup = moto_call / fake
            rows += [
                Row("moto DescribeIdentityPool, per call", micros(moto_call)),
                Row(
                    f"moto / fake ({name})",
                    f"{speedup:.1f}x",
                    ">= 2x",
                    verdict(speedup >= 2),
                ),
            ]
    return rows


# -- activation and import -------------------------------------------------


def measure_enter_exit(sizes: Sizes) -> Row:
    def enter_exit() -> None:
        with mock_cognito_sync():
            pass

    for _ in range(sizes.enter_exit // 10 + 1):
        enter_exit()
    cost = statistics.median(
        mean_per_call(enter_exit, sizes.enter_exit) for _ in range(5)
    )
    return Row(
        "with mock_cognito_sync(): pass",
        f"{cost * 1e3:.4f} ms",
        "< 0.1 ms",
        verdict(cost < 1e-4),
    )


_IMPORT = (
    "import time, boto3\n"
    "start = time.perf_counter()\n"
    "import pytest_cognito_sync\n"
    "print(time.perf_counter() - start)\n"
)


def measure_import(sizes: Sizes) -> Row:
    # With bytecode cached, as after any first import (an installed wheel
    # ships it): an environment that turns the cache off is overridden.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}

    def once() -> float:
        out = subprocess.run(
            [sys.executable, "-c", _IMPORT],
            check=True,
            capture_output=True,
            text=True,
            env=env,
        )
        return float(out.stdout)

    once()  # compile and cache the bytecode first
    cost = statistics.median(once() for _ in range(sizes.imports))
    return Row(
        "import pytest_cognito_sync after boto3",
        f"{cost * 1e3:.1f} ms",
        "< 15 ms",
        verdict(cost < 0.015),
    )


# -- bulk publish ----------------------------------------------------------


@dataclass
class BulkRun:
    seeding: float
    publishing: float  # BulkPublish until GetBulkPublishDetails says SUCCEEDED
    reading: float  # stream_records(), until its records are counted
    published: int
    status: str


def bulk_publish_once(datasets: int) -> BulkRun:
    client = new_client("cognito-sync")
    identities = -(-datasets // DATASETS_PER_IDENTITY)
    records = {f"key{i}": f"value of record {i}" for i in range(RECORDS_PER_DATASET)}
    with mock_cognito_sync() as mock:
        start = time.perf_counter()
        pool = mock.create_identity_pool()
        mock.configure_streams(pool, STREAM)
        seeded = 0
        for number in range(identities):
            identity = f"{REGION}:{number:08x}-0000-4000-8000-000000000000"
            for index in range(min(DATASETS_PER_IDENTITY, datasets - seeded)):
                mock.put_dataset(pool, identity, f"dataset-{index}", records)
                seeded += 1
        seeding = time.perf_counter() - start

        gc.collect()  # start clean, not with the collection seeding left due
        start = time.perf_counter()
        client.bulk_publish(IdentityPoolId=pool)
        while True:
            details = client.get_bulk_publish_details(IdentityPoolId=pool)
            if details["BulkPublishStatus"] in ("SUCCEEDED", "FAILED"):
                break
        published_at = time.perf_counter()
        stream = mock.stream_records(STREAM)
        published = len(stream)
        read_at = time.perf_counter()
        del stream  # freeing a million dicts is the reader's cost, not the fake's
    return BulkRun(
        seeding,
        published_at - start,
        read_at - published_at,
        published,
        details["BulkPublishStatus"],
    )


def measure_bulk_publish(sizes: Sizes) -> list[Row]:
    runs = [bulk_publish_once(sizes.datasets) for _ in range(sizes.bulk_runs)]
    failed = [run for run in runs if run.status != "SUCCEEDED"]
    failed += [run for run in runs if run.published != sizes.datasets]
    total = statistics.median(run.publishing + run.reading for run in runs)
    identities = -(-sizes.datasets // DATASETS_PER_IDENTITY)
    times = "" if sizes.bulk_runs == 1 else f" (median of {sizes.bulk_runs})"
    return [
        Row(
            f"seed {sizes.datasets:,} datasets x {RECORDS_PER_DATASET} records "
            f"({identities:,} identities)",
            f"{statistics.median(run.seeding for run in runs):.3f} s",
        ),
        Row(
            f"bulk publish {sizes.datasets:,} datasets, until stream read{times}",
            f"{runs[0].status}, {runs[0].published} records"
            if failed
            else f"{total:.3f} s",
            "< 1 s",
            verdict(not failed and total < 1),
        ),
        Row(
            "  of which BulkPublish until SUCCEEDED",
            f"{statistics.median(run.publishing for run in runs):.3f} s",
        ),
        Row(
            "  of which stream_records()",
            f"{statistics.median(run.reading for run in runs):.3f} s",
        ),
    ]


# -- main ------------------------------------------------------------------


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument(
        "--quick", action="store_true", help="smoke run: every row, tiny sizes"
    )
    args = parser.parse_args(argv)
    sizes = QUICK if args.quick else FULL

    print(
        f"pytest-cognito-sync {pytest_cognito_sync.__version__}, "
        f"Python {sys.version.split()[0]}, botocore {botocore.__version__}, "
        f"boto3 {boto3.__version__}, moto {moto.__version__}"
    )
    print(
        f"{'quick smoke run (figures not meaningful)' if args.quick else 'full run'}: "
        f"{sizes.rounds} alternating rounds of {sizes.calls} calls "
        f"({sizes.moto_calls} under moto)\n",
        flush=True,
    )
    results, moto_calls = measure_per_call(sizes)
    rows = per_call_rows(results, moto_calls)
    rows.append(measure_enter_exit(sizes))
    rows.append(measure_import(sizes))
    rows += measure_bulk_publish(sizes)
    print_table(rows)


if __name__ == "__main__":
    main()
