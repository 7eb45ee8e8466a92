"""The benchmark script runs to the end and prints every figure.

Only that: its timings depend on the machine, so nothing here asserts them.
"""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "benchmarks" / "run.py"

OPERATIONS = [
    "GetBulkPublishDetails",
    "ListRecords (10 records)",
    "UpdateRecords (1 patch)",
    "BulkPublish",
    "UpdateRecords (1,000 patches)",
    "DeleteDataset",
    "DescribeDataset",
    "DescribeIdentityPoolUsage",
    "DescribeIdentityUsage",
    "GetCognitoEvents",
    "GetIdentityPoolConfiguration",
    "ListDatasets",
    "ListIdentityPoolUsage",
    "SetCognitoEvents",
    "SetIdentityPoolConfiguration",
    "RegisterDevice",
    "SubscribeToDataset",
    "UnsubscribeFromDataset",
]
#: figure -> its target, as the table prints it ("" for none)
FIGURES = {
    "pytest --co of a suite without AWS, plugin off": "",
    "pytest start-up added by the plugin": "<= +10 ms",
    "  of which importing the plugin after pytest": "",
    "with mock_cognito_sync(): pass": "<= 50 µs",
    "put_dataset in a mock of 101 pools / of one pool": "",
    "GetBulkPublishDetails while 10 pools publish / while none does": "",
    "ListIdentityPoolUsage page in a mock of 400 pools / of 61": "",
    "GetBulkPublishDetails: fake / botocore floor": "<= 1.05x",
    "ListRecords (10 records): fake / botocore floor": "<= 1.10x",
    "UpdateRecords (1 patch): fake / botocore floor": "<= 1.10x",
    "BulkPublish: fake / botocore floor": "<= 1.10x",
    "UpdateRecords (1,000 patches): fake / botocore floor": "<= 1.15x",
    "moto DescribeIdentityPool / fake GetBulkPublishDetails": ">= 2x",
    "seed 400 datasets x 10 records": "<= 20 µs",
    "bulk publish 400 datasets until every stream record is read": "<= 1 s",
    "  of which BulkPublish until SUCCEEDED": "",
    "  of which stream_records()": "",
    "  of which the collector's deferred work": "",
    "peak memory of that run": "<= 400 MB",
}


@pytest.fixture(scope="module")
def report() -> str:
    if not SCRIPT.exists():
        pytest.skip("the benchmarks/ folder is not part of this checkout")
    finished = subprocess.run(
        [sys.executable, str(SCRIPT), "--quick"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert finished.returncode == 0, finished.stderr
    return finished.stdout


def test_the_quick_run_names_the_versions_it_measured(report):
    header = report.splitlines()[0]
    for name in ("Python", "botocore", "boto3"):
        assert name in header


def line_of(report: str, figure: str) -> str:
    (line,) = [line for line in report.splitlines() if line.startswith(figure)]
    return line


@pytest.mark.parametrize("figure", FIGURES)
def test_the_quick_run_prints_every_figure_with_its_target(report, figure):
    line = line_of(report, figure)
    assert line.rstrip().endswith(FIGURES[figure]), line


@pytest.mark.parametrize("operation", OPERATIONS)
def test_every_operation_is_compared_with_botocores_floor(report, operation):
    line = line_of(report, f"{operation}: fake / botocore floor")
    assert "x (" in line and "µs ->" in line, line


def test_the_quick_run_gives_no_verdicts(report):
    # Its sizes are too small for its figures to mean anything.
    words = report.split()
    assert "PASS" not in words and "MISS" not in words


def test_the_bulk_publish_streamed_every_dataset(report):
    # A failed publish prints its status instead of a time.
    line = line_of(report, "bulk publish 400 datasets")
    assert re.search(r"\d\.\d{3} s +<= 1 s$", line), line


def test_each_pair_of_batches_takes_its_turn_going_first():
    # A machine that slows down within a pair must not favour one side
    # over the whole run.
    if not SCRIPT.exists():
        pytest.skip("the benchmarks/ folder is not part of this checkout")
    # Loaded under a name of its own, so that no module of the suite, or
    # of the benchmarks, named ``run`` is shadowed or reused.
    spec = importlib.util.spec_from_file_location("benchmark_run", SCRIPT)
    assert spec is not None and spec.loader is not None
    run = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = run  # dataclasses look their module up
    try:
        spec.loader.exec_module(run)
    finally:
        del sys.modules[spec.name]
    order: list[str] = []
    for pair in range(4):
        run.in_turn(pair, lambda: order.append("fake"), lambda: order.append("floor"))
    assert order == ["fake", "floor", "floor", "fake"] * 2
