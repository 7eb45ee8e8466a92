"""The server benchmark runs to the end and prints every figure.

Only that: its timings depend on the machine, so nothing here asserts them.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "benchmarks" / "server.py"

FIGURES = [
    "server GetBulkPublishDetails, per request",
    "moto server DescribeIdentityPool, per request",
    "moto server / server, per request",
    "server, 8 concurrent clients",
    "moto server, 8 concurrent clients",
    "server / moto server, throughput",
    "CognitoSyncServer start to ready, in process",
    "ThreadedMotoServer start to ready, in process",
    "CognitoSyncServer start + stop (the fixture's cost per test)",
]
JUDGED = [
    "moto server / server, per request",
    "server / moto server, throughput",
    "CognitoSyncServer start to ready, in process",
]


def test_the_quick_run_prints_every_figure_and_a_verdict_for_each_target():
    if not SCRIPT.exists():
        pytest.skip("the benchmarks/ folder is not part of this checkout")
    finished = subprocess.run(
        [sys.executable, str(SCRIPT), "--quick"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert finished.returncode == 0, finished.stderr
    rows = {
        cells[1].strip(): cells[2:]
        for line in finished.stdout.splitlines()
        if (cells := line.split("|"))[1:2] and line.startswith("| ")
    }
    for figure in FIGURES:
        assert figure in rows, (figure, finished.stdout)
        assert rows[figure][0].strip()
    for figure in JUDGED:
        assert rows[figure][2].strip() in ("PASS", "MISS")
    assert finished.stderr == ""
