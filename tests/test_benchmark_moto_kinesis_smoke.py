"""benchmarks/moto_kinesis.py runs to the end and prints every figure.

Only that: its timings depend on the machine, so nothing here asserts them.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "benchmarks" / "moto_kinesis.py"

FIGURES = [
    "UpdateRecords, record delivered into moto Kinesis, per call: ",
    "UpdateRecords, no moto stream of that name, per call: ",
    "UpdateRecords delivered / not delivered (median of 3 per-round ratios",
    "bulk publish of 50 datasets into a moto stream: ",
    "bulk publish of 100 datasets into a moto stream: ",
]


@pytest.mark.skipif(not SCRIPT.is_file(), reason="needs the source checkout")
def test_the_quick_run_prints_every_figure():
    finished = subprocess.run(
        [sys.executable, str(SCRIPT), "--quick"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert finished.returncode == 0, finished.stderr
    lines = finished.stdout.splitlines()
    assert len(lines) == len(FIGURES)
    for line, figure in zip(lines, FIGURES, strict=True):
        assert line.startswith(figure), line
    assert lines[2].endswith(("PASS", "MISS"))
    assert "moto's PutRecords" in lines[3] and "per dataset" in lines[3]
