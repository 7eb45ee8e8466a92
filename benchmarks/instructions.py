"""Instructions per call, fake against botocore's floor, counted by callgrind.

    python benchmarks/instructions.py GetBulkPublishDetails ListRecords
    python benchmarks/instructions.py --calls 5 "UpdateRecords (1,000 patches)"

Timed ratios drift with whatever else the machine runs; instruction counts
do not. Each scenario of ``run.py`` (named by its label, or by the first
label that starts with what is given) runs twice under
``valgrind --tool=callgrind``: once making its calls with the mock active,
once against the floor (the same client, the mock inactive, answered by a
``before-send`` hook replaying the fake's answer, asked calls of its own
as ``run.py``'s floor is), after the same seeding and warm-up. Only the
calls themselves are counted: they run through ``itertools.starmap``, and
callgrind collects inside ``starmap_next`` alone.

Needs valgrind. Counts say what the fake adds, not what it costs in time:
its code runs between long stretches of botocore's, with colder caches.
"""

from __future__ import annotations

import argparse
import collections
import gc
import itertools
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import run

from pytest_cognito_sync import mock_cognito_sync


def make_calls(label: str, side: str, calls: int) -> None:
    """In the child: seed, warm up, then make ``calls`` counted calls."""
    scenario = _scenario(label)
    total = calls + 10
    with mock_cognito_sync() as mock:
        client, fake_call, floor_call = run.prepare_calls(scenario, mock, total)
        for _ in range(5):
            fake_call()
        replay = run.Replay(run.capture_answer(client, scenario.operation, fake_call))
        gc.collect()
        gc.disable()
        if side == "fake":
            fake_call()
            _counted(fake_call, calls)
        else:
            with run.floor_of(client, scenario.operation, replay, mock):
                floor_call()
                _counted(floor_call, calls)


def _counted(call: object, calls: int) -> None:
    collections.deque(itertools.starmap(call, itertools.repeat((), calls)), maxlen=0)


def _scenario(label: str) -> run.Scenario:
    for scenario in run.scenarios():
        if scenario.label == label or scenario.label.startswith(label):
            return scenario
    labels = ", ".join(repr(s.label) for s in run.scenarios())
    raise SystemExit(f"no scenario {label!r}; the scenarios are: {labels}")


def count(label: str, side: str, calls: int) -> int:
    """Instructions of ``calls`` calls on one side, in a child under callgrind."""
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "callgrind.out"
        subprocess.run(
            [
                "valgrind",
                "--tool=callgrind",
                "--collect-atstart=no",
                "--toggle-collect=starmap_next",
                f"--callgrind-out-file={out}",
                sys.executable,
                __file__,
                "--child",
                side,
                "--calls",
                str(calls),
                label,
            ],
            check=True,
            capture_output=True,
            env={**os.environ, "PYTHONHASHSEED": "0"},
        )
        for line in out.read_text().splitlines():
            if line.startswith("summary:"):
                return int(line.split()[1])
    raise RuntimeError("callgrind wrote no summary")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("labels", nargs="+", help="scenario labels of run.py")
    parser.add_argument("--calls", type=int, default=50)
    parser.add_argument("--child", choices=["fake", "floor"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        make_calls(args.labels[0], args.child, args.calls)
        return
    for label in args.labels:
        label = _scenario(label).label
        fake = count(label, "fake", args.calls) / args.calls
        floor = count(label, "floor", args.calls) / args.calls
        print(
            f"{label}: fake {fake:,.0f}, floor {floor:,.0f} instructions a call; "
            f"the fake adds {fake - floor:,.0f} ({fake / floor - 1:.1%})",
            flush=True,
        )


if __name__ == "__main__":
    main()
