"""Where the fake's time in a call goes, stage by stage, and how much of it
is memory gone cold.

    python benchmarks/stages.py
    python benchmarks/stages.py "UpdateRecords (1 patch)" BulkPublish

For each scenario of ``run.py`` (named by its label, or by the first label
that starts with what is given), a real client makes the scenario's calls
with the mock active, as ``run.py``'s fake batches do, and each stage of
the fake's answer is timed inside those calls: decoding the request, the
backend handling it, encoding the answer, and building the response
botocore is handed. Then, still inside the call, each stage that keeps no
state is run a second time at once on the same input: the same work, with
what the first run brought into the caches. For the backend that is done
only where the second run answers as the first did (a read); a write's
second run is refused (a spent token, a publish already running) and is
not shown.

What a stage costs in the call against what it costs again at once is
mostly what cold memory adds to it: between two requests botocore's own
work pushes the fake's code and data out of the caches. Not only that: the
run again also finds what the first one left in the fake's own caches (a
request line's decoding, a moment's text), which is most of the gap for
a request line met for the first time, as every BulkPublish's is (a pool
of its own per call). The figures are medians of the calls; each timer
costs well under a microsecond.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import time
from collections.abc import Callable
from typing import Any

import run

from pytest_cognito_sync import mock_cognito_sync
from pytest_cognito_sync.errors import ServiceError
from pytest_cognito_sync.interception import botocore_hook
from pytest_cognito_sync.protocol import decode_request, encode_error, encode_result

DEFAULT_SCENARIOS = ("GetBulkPublishDetails", "UpdateRecords (1 patch)", "BulkPublish")
STAGES = ("decode", "handle", "encode", "response")
WARMUP = 25


class StageTimes:
    """Per stage, the time of each call's run and of its run again at once."""

    def __init__(self) -> None:
        self.first: dict[str, list[float]] = {stage: [] for stage in STAGES}
        self.again: dict[str, list[float]] = {stage: [] for stage in STAGES}

    def clear(self) -> None:
        for times in (*self.first.values(), *self.again.values()):
            times.clear()

    def timed(self, stage: str, run_stage: Callable[[], Any], *, repeat: bool) -> Any:
        clock = time.perf_counter
        start = clock()
        result = run_stage()
        self.first[stage].append(clock() - start)
        if repeat:
            start = clock()
            again = run_stage()
            elapsed = clock() - start
            if stage != "handle" or again == result:
                self.again[stage].append(elapsed)
        return result


def _encode(operation: str | None, outcome: Any) -> Any:
    if isinstance(outcome, ServiceError):
        return encode_error(outcome)
    assert operation is not None
    return encode_result(operation, outcome)


def instrument(times: StageTimes) -> Callable[[], None]:
    """Time the stages of every answer the botocore hook gives; the
    returned function undoes it."""
    http_request, _, build_response = botocore_hook._dispatch()

    def answer(backend: Any, request: Any) -> Any:
        decoded = times.timed("decode", lambda: decode_request(request), repeat=True)
        outcome = times.timed("handle", lambda: backend.handle(decoded), repeat=True)
        return times.timed(
            "encode", lambda: _encode(decoded.operation, outcome), repeat=True
        )

    def response(url: str, answered: Any) -> Any:
        return times.timed(
            "response", lambda: build_response(url, answered), repeat=True
        )

    original = botocore_hook._dispatch
    botocore_hook._dispatch = lambda: (http_request, answer, response)  # type: ignore[assignment]

    def undo() -> None:
        botocore_hook._dispatch = original

    return undo


def measure(scenario: run.Scenario, calls: int) -> StageTimes:
    times = StageTimes()
    with mock_cognito_sync() as mock:
        _, fake_call, _ = run.prepare_calls(scenario, mock, WARMUP + calls)
        undo = instrument(times)
        try:
            for _ in range(WARMUP):
                fake_call()
            times.clear()
            gc.collect()
            gc.disable()
            try:
                for _ in range(calls):
                    fake_call()
            finally:
                gc.enable()
        finally:
            undo()
    return times


def report(label: str, times: StageTimes) -> None:
    print(label)
    print(f"  {'stage':<10}{'in the call':>14}{'again at once':>16}{'ratio':>8}")
    total = 0.0
    for stage in STAGES:
        first = statistics.median(times.first[stage])
        total += first
        again_times = times.again[stage]
        if again_times:
            again = statistics.median(again_times)
            shown = f"{again * 1e6:14.1f} µs{first / again:7.1f}x"
        else:
            shown = f"{'-':>17}"
        print(f"  {stage:<10}{first * 1e6:11.1f} µs{shown}")
    print(f"  {'all four':<10}{total * 1e6:11.1f} µs")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("scenarios", nargs="*", default=list(DEFAULT_SCENARIOS))
    parser.add_argument("--calls", type=int, default=1000, help="timed calls each")
    args = parser.parse_args(argv)
    scenarios = [run.scenario_named(label) for label in args.scenarios]
    for scenario in scenarios:
        report(scenario.label, measure(scenario, args.calls))


if __name__ == "__main__":
    main()
