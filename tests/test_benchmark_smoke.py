"""The benchmark script runs to the end and prints every figure.

Only that: its timings depend on the machine, so nothing here asserts them.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "benchmarks" / "run.py"

FIGURES = [
    "GetBulkPublishDetails: botocore alone, per call",
    "GetBulkPublishDetails: with the fake, per call",
    "GetBulkPublishDetails: fake / botocore alone",
    "moto DescribeIdentityPool, per call",
    "moto / fake (GetBulkPublishDetails)",
    "ListRecords: botocore alone, per call",
    "ListRecords: with the fake, per call",
    "ListRecords: fake / botocore alone",
    "UpdateRecords: botocore alone, per call",
    "UpdateRecords: with the fake, per call",
    "UpdateRecords: fake / botocore alone",
    "with mock_cognito_sync(): pass",
    "import pytest_cognito_sync after boto3",
    "seed ",
    "bulk publish ",
]
#: the figures that have a target, and so a verdict
JUDGED = [
    "GetBulkPublishDetails: fake / botocore alone",
    "moto / fake (GetBulkPublishDetails)",
    "ListRecords: fake / botocore alone",
    "UpdateRecords: fake / botocore alone",
    "with mock_cognito_sync(): pass",
    "import pytest_cognito_sync after boto3",
    "bulk publish ",
]


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
    for name in ("Python", "botocore", "boto3", "moto"):
        assert name in header


@pytest.mark.parametrize("figure", FIGURES)
def test_the_quick_run_prints_every_figure(report, figure):
    assert any(line.startswith(figure) for line in report.splitlines())


@pytest.mark.parametrize("figure", JUDGED)
def test_every_figure_with_a_target_gets_a_verdict(report, figure):
    (line,) = [line for line in report.splitlines() if line.startswith(figure)]
    assert line.split()[-1] in ("PASS", "MISS")
