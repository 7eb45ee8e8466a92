"""What pytest-cognito-sync costs its users, figure by figure, in one run.

    python benchmarks/run.py            # the full run, about six minutes
    python benchmarks/run.py --quick    # a smoke run: every figure, tiny sizes,
                                        # no verdicts (its figures mean nothing)

One run prints one table: each figure, its target and PASS or MISS.

- Start-up: ``pytest --co`` on a generated suite that never touches AWS, with
  the plugin loaded and without, in fresh interpreters, alternately; the
  figure is the fastest child CPU time with the plugin less the fastest
  without (other work only ever adds time, by more than the difference).
  Other plugins are kept out (``PYTEST_DISABLE_PLUGIN_AUTOLOAD=1``; the
  plugin comes in through ``PYTEST_PLUGINS``, as its entry point would bring
  it), so that their own start-up does not drown the difference; the side
  without it loads an empty plugin the same way, so that pytest's search of
  the installed entry points for a plugin named so, which autoloading does
  once with the plugin or without, is on both sides. Bytecode is written.
- Activation: ``with mock_cognito_sync(): pass``, the median of five means.
- Seeding among many pools: ``put_dataset`` in a mock of 10,001 pools
  against one in a mock of one pool, batches alternating; the median of
  the per-pair ratios (the helpers find a pool by its id).
- Reads while many pools publish: GetBulkPublishDetails in a mock where
  1,000 pools have a bulk publish in progress against one where none has,
  batches alternating; the median of the per-pair ratios (a request
  settles only the publishes that came due).
- A page among many pools: a ListIdentityPoolUsage page from the middle
  of a mock of 20,000 pools (two regions) against the same page in a mock
  of 61, batches alternating; the median of the per-pair ratios (a page
  reads its own account and region's pools alone).
- Per call, every operation: a real boto3 client with the mock active,
  against botocore's floor: the same client with the mock inactive (its
  state kept), answered by a ``before-send`` hook that replays exactly what
  the fake answered (status, headers, body). The floor is what botocore
  itself spends on the call (serialise, sign, parse); it is asked calls of
  its own, of the kind the fake is (a BulkPublish of a pool no call named
  before), so that botocore's own cost of arguments it meets for the first
  time counts on both sides. Short batches of fake
  and floor calls alternate, each warmed up and timed with the collector
  paused (as ``timeit`` does); the ratio is taken per pair and the figure
  is the median of the pairs: this shared machine drifts by tens of percent
  within a minute, which separate medians of long rounds would take for a
  difference. The pairs take turns going first, so that a drift within a
  pair favours neither side.
- Against moto: moto has no cognito-sync, so its nearest call stands in
  (Cognito Identity's DescribeIdentityPool, a read of one pool, as
  GetBulkPublishDetails is). Batches alternate, each with its own mock
  alone active; the figure is the median of the per-pair ratios.
- Seeding 100,000 datasets of 10 records with ``put_dataset``, then a bulk
  publish of them, timed from the BulkPublish call until
  GetBulkPublishDetails says SUCCEEDED, ``stream_records()`` has returned
  every record and the young generations the collector skipped while they
  were built are collected (the deferred work any test pays next). Each
  run is a fresh interpreter, so that its peak memory (``ru_maxrss``) is
  the run's own: the interpreter, botocore, the seeded pool, the stream
  records and the records read.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import itertools
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import boto3
import botocore
from botocore import xform_name
from botocore.awsrequest import AWSResponse

import pytest_cognito_sync
from pytest_cognito_sync import CognitoSyncMock, mock_cognito_sync
from pytest_cognito_sync.backend.ops_usage import DEFAULT_PAGE

# The floor needs the mock inactive between two fake batches, with its state
# kept: the benchmark steps out of the stack of active mocks and back in.
from pytest_cognito_sync.interception import active

REGION = "us-east-1"
DEVELOPER: dict[str, Any] = {
    "region_name": REGION,
    "aws_access_key_id": "AKIAIOSFODNN7EXAMPLE",
    "aws_secret_access_key": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
}
POOL = "us-east-1:0f6ef0a3-0b3e-4c4e-8a55-2bd0c5b5ad6e"
IDENTITY = "us-east-1:7d3a1c52-9b0e-4f6b-a3a8-1e2f3a4b5c6d"
DATASET = "settings"
STREAM = "benchmark-stream"
LAMBDA = "arn:aws:lambda:us-east-1:123456789012:function:ValidateSync"
GCM_APP = "arn:aws:sns:us-east-1:123456789012:app/GCM/MyGame"
#: per identity, as AWS allows
DATASETS_PER_IDENTITY = 20
RECORDS_PER_DATASET = 10


@dataclass(frozen=True)
class Sizes:
    startup_pairs: int
    enter_exit: int
    #: Pairs of batches per call figure (and against moto). On this shared
    #: machine one pair's ratio lands anywhere from 0.6 to 1.9, its middle
    #: half spanning about 0.2: the median of 25 pairs moved by 0.03 or more
    #: between runs of the same code. A median's spread shrinks as the
    #: square root of the pairs: 100 halve it.
    pairs: int
    batch: int
    big_batch: int
    warmup: int
    imports: int
    datasets: int
    bulk_runs: int
    #: pools beside the one seeded, for the figure of seeding among many
    many_pools: int
    #: pools publishing beside the one read, for the figure of reads while
    #: many pools publish
    publishing_pools: int
    #: pools in each of two regions, for the figure of a page among many
    listed_pools: int


FULL = Sizes(
    startup_pairs=30,
    enter_exit=2000,
    pairs=100,
    batch=25,
    big_batch=5,
    warmup=3,
    imports=9,
    datasets=100_000,
    bulk_runs=3,
    many_pools=10_000,
    publishing_pools=1_000,
    listed_pools=10_000,
)
QUICK = Sizes(
    startup_pairs=1,
    enter_exit=50,
    pairs=2,
    batch=3,
    big_batch=1,
    warmup=1,
    imports=1,
    datasets=400,
    bulk_runs=1,
    many_pools=100,
    publishing_pools=10,
    listed_pools=200,
)


# -- the table -------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    figure: str
    measured: str
    target: str = ""
    #: whether the target is met; None for figures without one
    met: bool | None = None


def micros(seconds: float) -> str:
    return f"{seconds * 1e6:,.1f} µs"


def print_table(rows: list[Row], verdicts: bool) -> None:
    def result(row: Row) -> str:
        if not verdicts or row.met is None:
            return ""
        return "PASS" if row.met else "MISS"

    table = [("figure", "measured", "target", "result" if verdicts else "")]
    table += [(row.figure, row.measured, row.target, result(row)) for row in rows]
    widths = [max(len(line[column]) for line in table) for column in range(4)]
    for line in table:
        cells = [
            cell.ljust(width) if index == 0 else cell.rjust(width)
            for index, (cell, width) in enumerate(zip(line, widths, strict=True))
        ]
        print("  ".join(cells).rstrip())


# -- timing ----------------------------------------------------------------


def in_turn(pair: int, first: Callable[[], None], second: Callable[[], None]) -> None:
    """Run a pair's two batches, in turn each side first: a machine slowing
    down or speeding up within a pair favours neither side over the run."""
    if pair % 2:
        second()
        first()
    else:
        first()
        second()


def paired(
    sizes: Sizes, first: Callable[[], float], second: Callable[[], float]
) -> tuple[float, float, float]:
    """``sizes.pairs`` pairs of batches, each side timed by its function,
    taking turns going first: the median of the per-pair ratios second /
    first, then the median of each side's times."""
    firsts: list[float] = []
    seconds: list[float] = []
    for number in range(sizes.pairs):
        in_turn(
            number,
            lambda: firsts.append(first()),
            lambda: seconds.append(second()),
        )
    ratio = statistics.median(b / a for a, b in zip(firsts, seconds, strict=True))
    return ratio, statistics.median(firsts), statistics.median(seconds)


def warmed_batch(call: Callable[[], Any], sizes: Sizes, calls: int = 0) -> float:
    """The mean time of a batch of ``call`` (``calls``, or the batch size),
    after a few calls unmeasured."""
    for _ in range(sizes.warmup):
        call()
    return mean_per_call(call, calls or sizes.batch)


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


# -- start-up --------------------------------------------------------------

_SUITE_MODULES = 30
#: the plugin loaded on the side without ours: an empty module
_STAND_IN = "stand_in_plugin"


def _write_suite(folder: Path) -> None:
    for number in range(_SUITE_MODULES):
        (folder / f"test_module_{number}.py").write_text(
            f"def test_{number}():\n    assert {number} == {number}\n"
        )
    (folder / f"{_STAND_IN}.py").write_text('"""Loaded as a plugin; does nothing."""\n')


def _pytest_collect_cpu(folder: Path, with_plugin: bool) -> float:
    # Bytecode is written, as on a developer's machine: the first runs
    # cache it (pytest's rewritten plugin and test modules included).
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("PYTEST_") and k != "PYTHONDONTWRITEBYTECODE"
    }
    env["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
    # Both sides load a plugin by name, because pytest searches every
    # installed distribution's entry points for any plugin named that way
    # (several milliseconds): a cost of the way in, which autoloading pays
    # once in every run with the plugin or without it.
    env["PYTEST_PLUGINS"] = "pytest_cognito_sync.plugin" if with_plugin else _STAND_IN
    child = subprocess.Popen(
        [sys.executable, "-m", "pytest", "--co", "-q", "-p", "no:cacheprovider"],
        cwd=folder,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    _, status, usage = os.wait4(child.pid, 0)
    if status != 0:
        raise RuntimeError(f"pytest --co failed in {folder} (status {status})")
    return usage.ru_utime + usage.ru_stime


def measure_startup(sizes: Sizes) -> list[Row]:
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        _write_suite(folder)
        # Both once first, to write the bytecode caches.
        _pytest_collect_cpu(folder, True)
        _pytest_collect_cpu(folder, False)
        with_plugin: list[float] = []
        without: list[float] = []
        for _ in range(sizes.startup_pairs):
            with_plugin.append(_pytest_collect_cpu(folder, True))
            without.append(_pytest_collect_cpu(folder, False))
    # The fastest run of each side: other work on the machine only ever adds
    # time, and adds it by tens of milliseconds to a run of 400.
    cost = min(with_plugin) - min(without)
    return [
        Row(
            "pytest --co of a suite without AWS, plugin off (fastest)",
            ms(min(without)),
        ),
        Row(
            "pytest start-up added by the plugin (fastest against fastest)",
            f"{cost * 1e3:+.1f} ms",
            "<= +10 ms",
            cost <= 0.010,
        ),
        measure_plugin_import(sizes),
    ]


def ms(seconds: float) -> str:
    return f"{seconds * 1e3:,.1f} ms"


_IMPORT = (
    "import time, pytest\n"
    "start = time.perf_counter()\n"
    "import pytest_cognito_sync.plugin\n"
    "elapsed = time.perf_counter() - start\n"
    "import sys\n"
    "print(elapsed, sum(name.startswith('botocore') for name in sys.modules))\n"
)


def measure_plugin_import(sizes: Sizes) -> Row:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}

    def once() -> tuple[float, int]:
        out = subprocess.run(
            [sys.executable, "-c", _IMPORT],
            check=True,
            capture_output=True,
            text=True,
            env=env,
        ).stdout.split()
        return float(out[0]), int(out[1])

    once()  # compile and cache the bytecode first
    runs = [once() for _ in range(sizes.imports)]
    botocore_modules = max(modules for _, modules in runs)
    return Row(
        "  of which importing the plugin after pytest (fastest)",
        f"{ms(min(cost for cost, _ in runs))}, {botocore_modules} botocore modules",
    )


# -- activation ------------------------------------------------------------


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
        "with mock_cognito_sync(): pass", micros(cost), "<= 50 µs", cost <= 50e-6
    )


def measure_seeding_among_pools(sizes: Sizes) -> Row:
    """A seed in a mock of many pools against one in a mock of one: the
    test-side helpers find a pool by its id, however many there are.
    Batches alternate between the two mocks; the figure is the median of
    the per-pair ratios."""
    one, many = CognitoSyncMock(), CognitoSyncMock()
    with one, many:
        one_pool = _seeder(one, 0)
        many_pools = _seeder(many, sizes.many_pools)
        ratio, single, among = paired(
            sizes,
            lambda: warmed_batch(one_pool, sizes),
            lambda: warmed_batch(many_pools, sizes),
        )
    return Row(
        f"put_dataset in a mock of {sizes.many_pools + 1:,} pools / of one pool",
        f"{ratio:.3f}x ({micros(single)} -> {micros(among)})",
    )


def _seeder(mock: CognitoSyncMock, other_pools: int) -> Callable[[], None]:
    """Seeds a new dataset of 10 records at each call, in a pool created
    after ``other_pools`` others."""
    for _ in range(other_pools):
        mock.create_identity_pool()
    pool = mock.create_identity_pool()
    records = {f"key{i}": f"value{i}" for i in range(RECORDS_PER_DATASET)}
    numbers = itertools.count()

    def seed() -> None:
        number = next(numbers)  # 20 datasets per identity, the most allowed
        identity = f"{REGION}:{number // 20:08x}-0000-4000-8000-000000000000"
        mock.put_dataset(pool, identity, f"dataset-{number % 20}", records)

    return seed


#: the clock of the mocks whose publishes must never come due
_FROZEN = dt.datetime(2024, 5, 1, 12, 0, tzinfo=dt.timezone.utc)


def measure_reads_while_publishing(sizes: Sizes) -> Row:
    """GetBulkPublishDetails in a mock where many pools have a bulk publish
    in progress against one in a mock where none has: a request settles the
    publishes that came due, not a walk of every one in progress. Both
    clocks are frozen, so none comes due."""
    client = developer_client()
    quiet = CognitoSyncMock(now=_FROZEN, bulk_publish_duration=3600)
    busy = CognitoSyncMock(now=_FROZEN, bulk_publish_duration=3600)
    with quiet, busy:  # busy is the one active
        quiet_pool = quiet.create_identity_pool()
        busy_pool = busy.create_identity_pool()
        for _ in range(sizes.publishing_pools):
            pool = busy.create_identity_pool()
            busy.configure_streams(pool, STREAM)
            client.bulk_publish(IdentityPoolId=pool)
        ratio, quiet_time, busy_time = _in_two_mocks(
            sizes,
            quiet,
            lambda: client.get_bulk_publish_details(IdentityPoolId=quiet_pool),
            busy,
            lambda: client.get_bulk_publish_details(IdentityPoolId=busy_pool),
        )
    return Row(
        f"GetBulkPublishDetails while {sizes.publishing_pools:,} pools publish / "
        "while none does",
        f"{ratio:.3f}x ({micros(quiet_time)} -> {micros(busy_time)})",
    )


def measure_listing_among_pools(sizes: Sizes) -> Row:
    """A page of ListIdentityPoolUsage from the middle of a mock of many
    pools (in two regions) against the same page in a mock of one page's
    pools and one more: a page reads its own account and region's pools,
    and asks only its own whether they still exist."""
    client = developer_client()
    small, large = CognitoSyncMock(), CognitoSyncMock()
    with small, large:  # large is the one active
        for _ in range(DEFAULT_PAGE + 1):
            small.create_identity_pool()
        for region in (REGION, "eu-west-1"):
            for _ in range(sizes.listed_pools):
                large.create_identity_pool(region=region)
        # The token of a page from the middle of the caller's pools.
        token: dict[str, str] = {}
        for _ in range(sizes.listed_pools // DEFAULT_PAGE // 2):
            token = {"NextToken": client.list_identity_pool_usage(**token)["NextToken"]}
        ratio, small_time, large_time = _in_two_mocks(
            sizes,
            small,
            lambda: client.list_identity_pool_usage(),
            large,
            lambda: client.list_identity_pool_usage(**token),
        )
    pools = 2 * sizes.listed_pools
    return Row(
        f"ListIdentityPoolUsage page in a mock of {pools:,} pools / "
        f"of {DEFAULT_PAGE + 1}",
        f"{ratio:.3f}x ({micros(small_time)} -> {micros(large_time)})",
    )


def _in_two_mocks(
    sizes: Sizes,
    plain: CognitoSyncMock,
    plain_call: Callable[[], Any],
    active_one: CognitoSyncMock,
    active_call: Callable[[], Any],
) -> tuple[float, float, float]:
    """``paired`` batches of ``plain_call``, made in ``plain`` while
    ``active_one`` (the innermost active mock) steps out of the stack of
    active mocks, and of ``active_call``, made in ``active_one``."""

    def plain_batch() -> float:
        active.remove(active_one.backend)
        try:
            return warmed_batch(plain_call, sizes)
        finally:
            active.push(active_one.backend)

    return paired(sizes, plain_batch, lambda: warmed_batch(active_call, sizes))


# -- per call --------------------------------------------------------------


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
    if seen[-1].status >= 300:
        raise RuntimeError(f"{operation} failed in the benchmark: {seen[-1].body!r}")
    return seen[-1]


class Replay:
    """A ``before-send`` hook that answers with the fake's own response:
    botocore's floor."""

    def __init__(self, canned: Captured) -> None:
        self.canned = canned

    def __call__(self, request: Any, **kwargs: Any) -> AWSResponse:
        canned = self.canned
        # A plain mapping, as the fake's own answer hands botocore: AWSResponse
        # wraps it in its case-insensitive HeadersDict.
        headers: Any = canned.headers
        return AWSResponse(request.url, canned.status, headers, _Raw(canned.body))


@contextmanager
def floor_of(
    client: Any, operation: str, replay: Replay, mock: CognitoSyncMock
) -> Iterator[None]:
    """The same client with the mock inactive (its state kept for the next
    fake batch), answered by ``replay``. The hook is there for the floor's
    calls alone: left in place, botocore would call it (to no effect)
    before every call of the fake as well."""
    backend = mock.backend
    event = f"before-send.cognito-sync.{operation}"
    active.remove(backend)
    client.meta.events.register(event, replay, unique_id="benchmark-floor")
    try:
        yield
    finally:
        client.meta.events.unregister(event, unique_id="benchmark-floor")
        active.push(backend)


def developer_client() -> Any:
    # A session of its own: built after every handler was registered.
    return boto3.session.Session().client("cognito-sync", **DEVELOPER)


def identity_client(credentials: dict[str, Any]) -> Any:
    return boto3.session.Session().client(
        "cognito-sync",
        region_name=REGION,
        aws_access_key_id=credentials["AccessKeyId"],
        aws_secret_access_key=credentials["SecretKey"],
        aws_session_token=credentials["SessionToken"],
    )


@dataclass
class Scenario:
    """One operation: how to prepare an activation for ``calls`` calls and
    make the n-th of them."""

    label: str
    operation: str
    #: ratio target, if the issue of speed set one
    target: float | None = None
    #: a device's call, signed with Cognito Identity credentials
    as_identity: bool = False
    big: bool = False
    state: dict[str, Any] = field(default_factory=dict)

    def seed(self, mock: CognitoSyncMock, client: Any, calls: int) -> None:
        mock.create_identity_pool(POOL)
        mock.put_dataset(
            POOL,
            IDENTITY,
            DATASET,
            {f"key{i}": f"value{i}" for i in range(RECORDS_PER_DATASET)},
        )

    def arguments(self, number: int) -> dict[str, Any]:
        return {}

    def call(self, client: Any, number: int) -> Any:
        return getattr(client, xform_name(self.operation))(**self.arguments(number))

    def after(self, answer: Any) -> None:
        """Note what the next call needs from this answer."""


def _pool(**extra: Any) -> dict[str, Any]:
    return {"IdentityPoolId": POOL, **extra}


def _dataset(**extra: Any) -> dict[str, Any]:
    return {
        "IdentityPoolId": POOL,
        "IdentityId": IDENTITY,
        "DatasetName": DATASET,
        **extra,
    }


class Simple(Scenario):
    """The same request every time."""

    def __init__(
        self,
        operation: str,
        arguments: dict[str, Any],
        label: str | None = None,
        **kwargs: Any,
    ):
        super().__init__(label or operation, operation, **kwargs)
        self.fixed = arguments

    def arguments(self, number: int) -> dict[str, Any]:
        return self.fixed


class BulkPublish(Scenario):
    """A pool of its own per call (one publish per pool a day), each with
    one dataset of 10 records to publish."""

    def seed(self, mock: CognitoSyncMock, client: Any, calls: int) -> None:
        super().seed(mock, client, calls)
        records = {f"key{i}": f"value{i}" for i in range(RECORDS_PER_DATASET)}
        self.state["pools"] = pools = []
        for _ in range(calls):
            pool = mock.create_identity_pool()
            mock.configure_streams(pool, STREAM)
            mock.put_dataset(pool, IDENTITY, DATASET, records)
            pools.append(pool)

    def arguments(self, number: int) -> dict[str, Any]:
        return {"IdentityPoolId": self.state["pools"][number]}


class DeleteDataset(Scenario):
    """A dataset of its own per call."""

    def seed(self, mock: CognitoSyncMock, client: Any, calls: int) -> None:
        super().seed(mock, client, calls)
        for number in range(calls):
            mock.put_dataset(
                POOL, f"us-east-1:{number:08x}-0000-4000-8000-0000", DATASET, {"k": "v"}
            )

    def arguments(self, number: int) -> dict[str, Any]:
        return {
            "IdentityPoolId": POOL,
            "IdentityId": f"us-east-1:{number:08x}-0000-4000-8000-0000",
            "DatasetName": DATASET,
        }


class UpdateRecords(Scenario):
    """Replaces ``patches`` records of one dataset, each time at their
    current SyncCount, with a session token of its own (a token works once)."""

    def __init__(self, label: str, patches: int, **kwargs: Any) -> None:
        super().__init__(label, "UpdateRecords", **kwargs)
        self.patches = patches

    def seed(self, mock: CognitoSyncMock, client: Any, calls: int) -> None:
        mock.create_identity_pool(POOL)
        mock.put_dataset(
            POOL, IDENTITY, DATASET, {f"key{i:04}": "0" for i in range(self.patches)}
        )
        self.state["tokens"] = [
            client.list_records(**_dataset(MaxResults=1))["SyncSessionToken"]
            for _ in range(calls)
        ]
        self.state["sync_count"] = 1

    def arguments(self, number: int) -> dict[str, Any]:
        count = self.state["sync_count"]
        return _dataset(
            SyncSessionToken=self.state["tokens"][number],
            RecordPatches=[
                {
                    "Op": "replace",
                    "Key": f"key{i:04}",
                    "Value": str(count),
                    "SyncCount": count,
                }
                for i in range(self.patches)
            ],
        )

    def after(self, answer: Any) -> None:
        self.state["sync_count"] = answer["Records"][0]["SyncCount"]


class DeviceScenario(Scenario):
    """A device's call: Cognito Identity credentials, push sync configured."""

    def seed(self, mock: CognitoSyncMock, client: Any, calls: int) -> None:
        super().seed(mock, client, calls)
        configuration = developer_client()
        configuration.set_identity_pool_configuration(
            IdentityPoolId=POOL, PushSync={"ApplicationArns": [GCM_APP]}
        )
        self.state["device"] = client.register_device(
            IdentityPoolId=POOL, IdentityId=IDENTITY, Platform="GCM", Token="t"
        )["DeviceId"]


class RegisterDevice(DeviceScenario):
    def arguments(self, number: int) -> dict[str, Any]:
        return _pool(IdentityId=IDENTITY, Platform="GCM", Token="gcm-token")


class Subscription(DeviceScenario):
    def arguments(self, number: int) -> dict[str, Any]:
        return _dataset(DeviceId=self.state["device"])


def scenarios() -> list[Scenario]:
    configuration = {
        "CognitoStreams": {"StreamName": STREAM, "StreamingStatus": "ENABLED"},
        "PushSync": {"ApplicationArns": [GCM_APP]},
    }
    return [
        Simple("GetBulkPublishDetails", _pool(), target=1.05),
        Simple("ListRecords", _dataset(), "ListRecords (10 records)", target=1.10),
        UpdateRecords("UpdateRecords (1 patch)", 1, target=1.10),
        BulkPublish("BulkPublish", "BulkPublish", target=1.10),
        UpdateRecords("UpdateRecords (1,000 patches)", 1000, target=1.15, big=True),
        DeleteDataset("DeleteDataset", "DeleteDataset"),
        Simple("DescribeDataset", _dataset()),
        Simple("DescribeIdentityPoolUsage", _pool()),
        Simple("DescribeIdentityUsage", _pool(IdentityId=IDENTITY)),
        Simple("GetCognitoEvents", _pool()),
        Simple("GetIdentityPoolConfiguration", _pool()),
        Simple("ListDatasets", _pool(IdentityId=IDENTITY)),
        Simple("ListIdentityPoolUsage", {}),
        Simple("SetCognitoEvents", _pool(Events={"SyncTrigger": LAMBDA})),
        Simple("SetIdentityPoolConfiguration", _pool(**configuration)),
        RegisterDevice("RegisterDevice", "RegisterDevice", as_identity=True),
        Subscription("SubscribeToDataset", "SubscribeToDataset", as_identity=True),
        Subscription(
            "UnsubscribeFromDataset", "UnsubscribeFromDataset", as_identity=True
        ),
    ]


def scenario_named(label: str) -> Scenario:
    """The scenario of that label, or the first whose label starts so."""
    for scenario in scenarios():
        if scenario.label == label or scenario.label.startswith(label):
            return scenario
    labels = ", ".join(repr(s.label) for s in scenarios())
    raise SystemExit(f"no scenario {label!r}; the scenarios are: {labels}")


@dataclass
class PerCall:
    scenario: Scenario
    fake: list[float] = field(default_factory=list)
    floor: list[float] = field(default_factory=list)

    @property
    def ratios(self) -> list[float]:
        return [fake / floor for fake, floor in zip(self.fake, self.floor, strict=True)]


def _client_for(scenario: Scenario, mock: CognitoSyncMock) -> Any:
    if scenario.as_identity:
        return identity_client(mock.issue_identity_credentials(IDENTITY))
    return developer_client()


def prepare_calls(
    scenario: Scenario, mock: CognitoSyncMock, calls: int
) -> tuple[Any, Callable[[], None], Callable[[], None]]:
    """The client, and its n-th call of the fake and of the floor, for up to
    ``calls`` of each, seeded for both."""
    client = _client_for(scenario, mock)
    # Seeded for twice the calls: the floor makes calls of its own.
    scenario.seed(mock, client, 2 * calls)
    numbers = iter(range(calls))
    floor_numbers = iter(range(calls, 2 * calls))

    def fake_call() -> None:
        scenario.after(scenario.call(client, next(numbers)))

    def floor_call() -> None:
        # The floor answers every call alike, but is asked what the fake
        # is: arguments as new to botocore as the fake's, never the fake's
        # own (a BulkPublish names a pool no call named before, and a URL
        # botocore meets for the first time costs botocore more than one it
        # has split before).
        scenario.call(client, next(floor_numbers))

    return client, fake_call, floor_call


def measure_scenario(scenario: Scenario, sizes: Sizes) -> PerCall:
    batch = sizes.big_batch if scenario.big else sizes.batch
    calls = sizes.warmup + 1 + sizes.pairs * (sizes.warmup + batch)
    result = PerCall(scenario)
    with mock_cognito_sync() as mock:
        client, fake_call, floor_call = prepare_calls(scenario, mock, calls)
        for _ in range(sizes.warmup):
            fake_call()
        replay = Replay(capture_answer(client, scenario.operation, fake_call))

        def fake_batch() -> None:
            result.fake.append(warmed_batch(fake_call, sizes, batch))

        def floor_batch() -> None:
            with floor_of(client, scenario.operation, replay, mock):
                result.floor.append(warmed_batch(floor_call, sizes, batch))

        for number in range(sizes.pairs):
            in_turn(number, fake_batch, floor_batch)
    return result


def measure_per_call(sizes: Sizes, only: list[str] | None = None) -> list[PerCall]:
    results = []
    for scenario in scenarios():
        if only and scenario.operation not in only:
            continue
        results.append(measure_scenario(scenario, sizes))
        print(f"  measured {scenario.label}", file=sys.stderr, flush=True)
    return results


def per_call_rows(results: list[PerCall]) -> list[Row]:
    rows = []
    for result in results:
        ratio = statistics.median(result.ratios)
        target = result.scenario.target
        rows.append(
            Row(
                f"{result.scenario.label}: fake / botocore floor",
                f"{ratio:.3f}x ({micros(statistics.median(result.floor))} -> "
                f"{micros(statistics.median(result.fake))})",
                "" if target is None else f"<= {target:.2f}x",
                None if target is None else ratio <= target,
            )
        )
    return rows


def measure_against_moto(sizes: Sizes) -> list[Row]:
    """moto's DescribeIdentityPool against the fake's GetBulkPublishDetails,
    each a read of one pool with its own mock alone active, in alternating
    batches."""
    from moto import mock_aws  # imported here: a second of start-up

    identity = boto3.client("cognito-identity", **DEVELOPER)
    sync = developer_client()

    def moto_batch() -> float:
        with mock_aws():
            pool = identity.create_identity_pool(
                IdentityPoolName="benchmark", AllowUnauthenticatedIdentities=True
            )["IdentityPoolId"]
            return warmed_batch(
                lambda: identity.describe_identity_pool(IdentityPoolId=pool), sizes
            )

    def fake_batch() -> float:
        with mock_cognito_sync() as mock:
            mock.create_identity_pool(POOL)
            return warmed_batch(
                lambda: sync.get_bulk_publish_details(IdentityPoolId=POOL), sizes
            )

    speedup, fake_time, moto_time = paired(sizes, fake_batch, moto_batch)
    return [
        Row(
            "moto DescribeIdentityPool / fake GetBulkPublishDetails",
            f"{speedup:.2f}x ({micros(moto_time)} vs {micros(fake_time)})",
            ">= 2x",
            speedup >= 2,
        )
    ]


# -- seeding and bulk publish ----------------------------------------------


def bulk_publish_child(datasets: int) -> dict[str, Any]:
    """One run in this fresh interpreter: seed, publish, read."""
    client = developer_client()
    identities = -(-datasets // DATASETS_PER_IDENTITY)
    records = {f"key{i}": f"value of record {i}" for i in range(RECORDS_PER_DATASET)}
    with mock_cognito_sync() as mock:
        pool = mock.create_identity_pool()
        mock.configure_streams(pool, STREAM)
        start = time.perf_counter()
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
        published = sum(len(record["kinesisSyncRecords"]) for record in stream)
        read_at = time.perf_counter()
        # What the collector put off while the records were built: the
        # young generations it would have scanned along the way.
        gc.collect(1)
        collected_at = time.perf_counter()
        streamed = len(stream)
        del stream
    return {
        "seeding": seeding,
        "publishing": published_at - start,
        "reading": read_at - published_at,
        "collecting": collected_at - read_at,
        "streamed": streamed,
        "records": published,
        "status": details["BulkPublishStatus"],
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def measure_bulk_publish(sizes: Sizes) -> list[Row]:
    runs = []
    for _ in range(sizes.bulk_runs):
        out = subprocess.run(
            [sys.executable, __file__, "--bulk-publish-child", str(sizes.datasets)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        runs.append(json.loads(out))
    expected = sizes.datasets * RECORDS_PER_DATASET
    failed = [
        run
        for run in runs
        if run["status"] != "SUCCEEDED"
        or run["streamed"] != sizes.datasets
        or run["records"] != expected
    ]
    total = statistics.median(
        run["publishing"] + run["reading"] + run["collecting"] for run in runs
    )
    seeding = statistics.median(run["seeding"] for run in runs) / sizes.datasets
    peak = statistics.median(run["peak_mb"] for run in runs)
    times = "" if sizes.bulk_runs == 1 else f", median of {sizes.bulk_runs}"
    identities = -(-sizes.datasets // DATASETS_PER_IDENTITY)

    def part(name: str) -> str:
        return f"{statistics.median(run[name] for run in runs):.3f} s"

    return [
        Row(
            f"seed {sizes.datasets:,} datasets x {RECORDS_PER_DATASET} records "
            f"({identities:,} identities), per dataset",
            micros(seeding),
            "<= 20 µs",
            seeding <= 20e-6,
        ),
        Row(
            f"bulk publish {sizes.datasets:,} datasets until every stream record "
            f"is read{times}",
            f"{failed[0]['status']}, {failed[0]['streamed']} stream records"
            if failed
            else f"{total:.3f} s",
            "<= 1 s",
            not failed and total <= 1,
        ),
        Row("  of which BulkPublish until SUCCEEDED", part("publishing")),
        Row("  of which stream_records()", part("reading")),
        Row("  of which the collector's deferred work", part("collecting")),
        Row(
            "peak memory of that run (seeding included)",
            f"{peak:,.0f} MB",
            "<= 400 MB",
            peak <= 400,
        ),
    ]


# -- main ------------------------------------------------------------------


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument(
        "--quick", action="store_true", help="smoke run: every figure, no verdicts"
    )
    parser.add_argument(
        "--only",
        metavar="OPERATIONS",
        help="only the per-call figures of these comma-separated operations",
    )
    parser.add_argument("--bulk-publish-child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.bulk_publish_child is not None:
        print(json.dumps(bulk_publish_child(args.bulk_publish_child)))
        return
    sizes = QUICK if args.quick else FULL

    print(
        f"pytest-cognito-sync {pytest_cognito_sync.__version__}, "
        f"Python {sys.version.split()[0]}, botocore {botocore.__version__}, "
        f"boto3 {boto3.__version__}"
    )
    print(
        "quick smoke run: figures not meaningful, no verdicts"
        if args.quick
        else (
            f"full run: {sizes.startup_pairs} start-up pairs; per call, "
            f"{sizes.pairs} pairs of {sizes.batch}-call batches "
            f"({sizes.big_batch} for 1,000 patches)"
        ),
        end="\n\n",
        flush=True,
    )
    if args.only:
        only = args.only.split(",")
        rows = per_call_rows(measure_per_call(sizes, only))
    else:
        rows = measure_startup(sizes)
        rows.append(measure_enter_exit(sizes))
        rows.append(measure_seeding_among_pools(sizes))
        rows.append(measure_reads_while_publishing(sizes))
        rows.append(measure_listing_among_pools(sizes))
        rows += per_call_rows(measure_per_call(sizes))
        rows += measure_against_moto(sizes)
        rows += measure_bulk_publish(sizes)
    print_table(rows, verdicts=not args.quick)


if __name__ == "__main__":
    main()
