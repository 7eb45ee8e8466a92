"""The stage benchmark runs to the end and reports every stage it times.

Its timings depend on the machine, so nothing here asserts them.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "benchmarks" / "stages.py"
STAGES = ("decode", "handle", "encode", "response")
#: a stage in the call, then (if shown) again at once and their ratio
STAGE_LINE = re.compile(r"  (\w+) +(\d+\.\d) µs(?: +(\d+\.\d) µs +(\d+\.\d)x| +-)$")


@pytest.fixture(scope="module")
def report() -> str:
    if not SCRIPT.exists():
        pytest.skip("the benchmarks/ folder is not part of this checkout")
    finished = subprocess.run(
        [sys.executable, str(SCRIPT), "--calls", "5"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert finished.returncode == 0, finished.stderr
    return finished.stdout


def stages_of(report: str, scenario: str) -> dict[str, re.Match[str]]:
    lines = report.splitlines()
    start = lines.index(scenario)
    found = {}
    for line in lines[start + 2 : start + 2 + len(STAGES)]:
        match = STAGE_LINE.fullmatch(line)
        assert match is not None, line
        found[match.group(1)] = match
    return found


@pytest.mark.parametrize(
    "scenario", ["GetBulkPublishDetails", "UpdateRecords (1 patch)", "BulkPublish"]
)
def test_every_stage_is_timed_in_the_call(report, scenario):
    stages = stages_of(report, scenario)
    assert list(stages) == list(STAGES)
    assert all(float(match.group(2)) > 0 for match in stages.values())


@pytest.mark.parametrize(
    "scenario", ["GetBulkPublishDetails", "UpdateRecords (1 patch)", "BulkPublish"]
)
def test_the_stages_without_state_run_again_at_once(report, scenario):
    stages = stages_of(report, scenario)
    for stage in ("decode", "encode", "response"):
        assert stages[stage].group(3) is not None, stages[stage].group(0)


def test_the_backend_runs_again_only_where_it_answers_alike(report):
    # A read answers its second run as its first; a write's second run is
    # refused (a spent token, a publish that already ran) and is not shown.
    assert stages_of(report, "GetBulkPublishDetails")["handle"].group(3) is not None
    assert stages_of(report, "UpdateRecords (1 patch)")["handle"].group(3) is None
    assert stages_of(report, "BulkPublish")["handle"].group(3) is None


def test_an_unknown_scenario_names_the_scenarios():
    if not SCRIPT.exists():
        pytest.skip("the benchmarks/ folder is not part of this checkout")
    finished = subprocess.run(
        [sys.executable, str(SCRIPT), "Nonsense"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert finished.returncode != 0
    assert "no scenario 'Nonsense'" in finished.stderr
    assert "'UpdateRecords (1 patch)'" in finished.stderr
