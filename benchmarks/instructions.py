"""Instructions per call, fake against botocore's floor, counted by callgrind.

    python benchmarks/instructions.py GetBulkPublishDetails ListRecords
    python benchmarks/instructions.py --calls 5 "UpdateRecords (1,000 patches)"
    python benchmarks/instructions.py --misses BulkPublish

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
``--misses`` also simulates the caches, with a last level of 512 KB (the
L2 cache of one core of the machines these figures come from) and counts
the lines that miss it, code and data. Little of what the fake touches is
still cached when its next request comes, so what it adds to a call's time
follows these misses more closely than its instructions: instructions are
a few percent of botocore's, misses a sixth to a quarter.
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
from collections.abc import Callable
from pathlib import Path

import run

from pytest_cognito_sync import mock_cognito_sync


def make_calls(label: str, side: str, calls: int) -> None:
    """In the child: seed, warm up, then make ``calls`` counted calls."""
    scenario = run.scenario_named(label)
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


def _counted(call: Callable[[], object], calls: int) -> None:
    collections.deque(itertools.starmap(call, itertools.repeat((), calls)), maxlen=0)


#: callgrind's options that simulate the caches, the last level as one
#: core's L2 (the first levels are the machine's own)
_CACHE_SIMULATION = ["--cache-sim=yes", "--LL=524288,8,64"]
#: the events that count a line missing the last level: code, data read,
#: data written
_MISSES = ("ILmr", "DLmr", "DLmw")


def count(label: str, side: str, calls: int, misses: bool = False) -> dict[str, int]:
    """callgrind's events of ``calls`` calls on one side, counted in a child:
    ``Ir`` (instructions) and, with ``misses``, the lines that missed the
    simulated last level, as ``misses``."""
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "callgrind.out"
        subprocess.run(
            [
                "valgrind",
                "--tool=callgrind",
                *(_CACHE_SIMULATION if misses else []),
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
        names: list[str] = []
        for line in out.read_text().splitlines():
            if line.startswith("events:"):
                names = line.split()[1:]
            elif line.startswith("summary:"):
                events = dict(zip(names, map(int, line.split()[1:]), strict=True))
                if misses:
                    events["misses"] = sum(events[name] for name in _MISSES)
                return events
    raise RuntimeError("callgrind wrote no summary")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("labels", nargs="+", help="scenario labels of run.py")
    parser.add_argument("--calls", type=int, default=50)
    parser.add_argument(
        "--misses", action="store_true", help="count simulated cache misses too"
    )
    parser.add_argument("--child", choices=["fake", "floor"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        make_calls(args.labels[0], args.child, args.calls)
        return
    for label in args.labels:
        label = run.scenario_named(label).label
        fake = count(label, "fake", args.calls, args.misses)
        floor = count(label, "floor", args.calls, args.misses)
        report = [_added(fake, floor, "Ir", "instructions", args.calls)]
        if args.misses:
            report.append(_added(fake, floor, "misses", "cache misses", args.calls))
        print(f"{label}: " + "; ".join(report), flush=True)


def _added(
    fake: dict[str, int], floor: dict[str, int], event: str, what: str, calls: int
) -> str:
    on_fake, on_floor = fake[event] / calls, floor[event] / calls
    return (
        f"fake {on_fake:,.0f}, floor {on_floor:,.0f} {what} a call; the fake adds "
        f"{on_fake - on_floor:,.0f} ({on_fake / on_floor - 1:.1%})"
    )


if __name__ == "__main__":
    main()
