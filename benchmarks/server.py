"""How fast the server answers over loopback, against moto's server.

    python benchmarks/server.py            # the full run, about three minutes
    python benchmarks/server.py --quick    # a smoke run: every row, tiny sizes

One run prints one table: each figure, its target and PASS or MISS.

- Per request: one client on one connection sends a request it signed once,
  again and again, and reads each answer: GetBulkPublishDetails to
  ``cognito-sync-server``, and moto's closest call, cognito-identity
  DescribeIdentityPool (a small signed JSON POST), to moto's server
  (ThreadedMotoServer). Each server runs in a process of its own, as users
  run them; each keeps or closes connections as it does for any client.
- Throughput: 8 client processes send such requests at once, each a batch
  of its own; requests per second of wall time until the last answer.
- Start to ready, in process: ``CognitoSyncServer().start()`` until a first
  answer to ``GET /_cognito_sync/health``; the same for ThreadedMotoServer
  (its ``start()`` until a first answer).

Batches of the two servers alternate, first one then the other, so that
drift (CPU frequency, the other processes of the machine) hits them alike;
each ratio is taken within a pair of batches, and the figure is the median
of those ratios.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from http.client import HTTPConnection
from typing import Any
from urllib.parse import urlsplit

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

REGION = "us-east-1"
CREDENTIALS = Credentials(
    "AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
)
CLIENTS = 8

#: Runs moto's server in a process of its own and prints its URL.
MOTO_SERVER = """
from moto.server import ThreadedMotoServer
import threading
server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
server.start()
host, port = server.get_host_and_port()
print(f"http://{host}:{port}", flush=True)
threading.Event().wait()
"""


@dataclass(frozen=True)
class Sizes:
    rounds: int
    requests: int
    concurrent_requests: int
    starts: int


FULL = Sizes(rounds=9, requests=300, concurrent_requests=150, starts=30)
QUICK = Sizes(rounds=2, requests=20, concurrent_requests=10, starts=3)


@dataclass(frozen=True)
class Replay:
    """A request signed once, sent as it is again and again."""

    url: str
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


def signed(service: str, method: str, url: str, body: bytes, **headers: str) -> Replay:
    request = AWSRequest(method=method, url=url, data=body, headers=headers)
    SigV4Auth(CREDENTIALS, service, REGION).add_auth(request)
    parts = urlsplit(url)
    return Replay(url, method, parts.path or "/", dict(request.headers.items()), body)


def send(connection: HTTPConnection, replay: Replay) -> int:
    connection.request(replay.method, replay.path, replay.body, replay.headers)
    response = connection.getresponse()
    response.read()
    return response.status


def timed_batch(replay: Replay, count: int) -> float:
    """Seconds for ``count`` requests in a row on one client connection."""
    parts = urlsplit(replay.url)
    connection = HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        status = send(connection, replay)  # connect, warm up
        assert status == 200, status
        started = time.perf_counter()
        for _ in range(count):
            send(connection, replay)
        return time.perf_counter() - started
    finally:
        connection.close()


def concurrent_batch(pool: ProcessPoolExecutor, replay: Replay, count: int) -> float:
    """Requests per second with CLIENTS processes sending ``count`` each."""
    started = time.perf_counter()
    list(pool.map(timed_batch, [replay] * CLIENTS, [count] * CLIENTS))
    return CLIENTS * (count + 1) / (time.perf_counter() - started)


# -- the two servers ------------------------------------------------------------


def start_process(arguments: list[str], started: list[subprocess.Popen[str]]) -> str:
    """Start a server process, add it to ``started`` (to be ended whatever
    happens next) and return the URL from its first line."""
    # A file, not a pipe: moto's server logs every request, and a full pipe
    # would stall it. The process keeps its own descriptor of the file.
    with tempfile.TemporaryFile("w+") as errors:
        process = subprocess.Popen(
            arguments, stdout=subprocess.PIPE, stderr=errors, text=True
        )
        started.append(process)
        assert process.stdout is not None
        line = process.stdout.readline()
        if "http://" not in line:
            process.kill()
            process.communicate()
            errors.seek(0)
            raise RuntimeError(f"{arguments[:3]} did not start:\n{errors.read()}")
    return line[line.index("http://") :].split()[0]


def end(processes: list[subprocess.Popen[str]]) -> None:
    for process in processes:
        process.terminate()
        try:
            process.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()


def control(url: str, method: str, **arguments: Any) -> Any:
    request = urllib.request.Request(
        f"{url}/_cognito_sync/{method}", json.dumps(arguments).encode(), method="POST"
    )
    with urllib.request.urlopen(request) as answer:
        return json.load(answer)["result"]


def cognito_sync_request(url: str) -> Replay:
    pool_id = control(url, "create_identity_pool")
    return signed(
        "cognito-sync",
        "POST",
        f"{url}/identitypools/{pool_id}/getBulkPublishDetails",
        b"",
    )


def moto_request(url: str) -> Replay:
    target = "AWSCognitoIdentityService."
    kind = {"Content-Type": "application/x-amz-json-1.1"}
    create = signed(
        "cognito-identity",
        "POST",
        url + "/",
        json.dumps(
            {"IdentityPoolName": "bench", "AllowUnauthenticatedIdentities": True}
        ).encode(),
        **kind,
        **{"X-Amz-Target": target + "CreateIdentityPool"},
    )
    parts = urlsplit(url)
    connection = HTTPConnection(parts.hostname, parts.port, timeout=30)
    connection.request("POST", "/", create.body, create.headers)
    pool_id = json.loads(connection.getresponse().read())["IdentityPoolId"]
    connection.close()
    return signed(
        "cognito-identity",
        "POST",
        url + "/",
        json.dumps({"IdentityPoolId": pool_id}).encode(),
        **kind,
        **{"X-Amz-Target": target + "DescribeIdentityPool"},
    )


# -- start to ready ----------------------------------------------------------------


def ready(url: str) -> None:
    with urllib.request.urlopen(url) as answer:
        answer.read()


def start_to_ready_ours() -> float:
    from pytest_cognito_sync import CognitoSyncServer

    started = time.perf_counter()
    server = CognitoSyncServer().start()
    ready(f"{server.url}/_cognito_sync/health")
    elapsed = time.perf_counter() - started
    server.stop()
    return elapsed


def start_and_stop_ours() -> float:
    """What the cognito_sync_server fixture adds to a test."""
    from pytest_cognito_sync import CognitoSyncServer

    started = time.perf_counter()
    CognitoSyncServer().start().stop()
    return time.perf_counter() - started


def start_to_ready_moto() -> float:
    import logging

    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # a line per request

    started = time.perf_counter()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    ready(f"http://{host}:{port}/moto-api/")
    elapsed = time.perf_counter() - started
    server.stop()
    return elapsed


# -- the run ---------------------------------------------------------------------


def alternate(
    rounds: int, ours: Any, theirs: Any
) -> tuple[list[float], list[float], list[float]]:
    """Run both in every round, in alternating order; (ours, theirs, ratios)."""
    ours_values, their_values, ratios = [], [], []
    for index in range(rounds):
        if index % 2:
            theirs_value, ours_value = theirs(), ours()
        else:
            ours_value, theirs_value = ours(), theirs()
        ours_values.append(ours_value)
        their_values.append(theirs_value)
        ratios.append(theirs_value / ours_value)
    return ours_values, their_values, ratios


def row(name: str, value: str, target: str = "", verdict: str = "") -> None:
    print(f"| {name} | {value} | {target} | {verdict} |", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="tiny sizes, every row")
    sizes = QUICK if parser.parse_args().quick else FULL

    processes: list[subprocess.Popen[str]] = []
    try:
        ours_url = start_process(
            [sys.executable, "-m", "pytest_cognito_sync", "--port", "0"], processes
        )
        moto_url = start_process([sys.executable, "-c", MOTO_SERVER], processes)
        ours, theirs = cognito_sync_request(ours_url), moto_request(moto_url)
        print("| figure | measured | target | |")
        print("|---|---|---|---|")

        our_times, moto_times, ratios = alternate(
            sizes.rounds,
            lambda: timed_batch(ours, sizes.requests) / sizes.requests,
            lambda: timed_batch(theirs, sizes.requests) / sizes.requests,
        )
        speedup = statistics.median(ratios)
        row(
            "server GetBulkPublishDetails, per request",
            f"{statistics.median(our_times) * 1e6:.0f} µs",
        )
        row(
            "moto server DescribeIdentityPool, per request",
            f"{statistics.median(moto_times) * 1e6:.0f} µs",
        )
        row(
            "moto server / server, per request",
            f"{speedup:.1f}x",
            "≥ 5x",
            "PASS" if speedup >= 5 else "MISS",
        )

        with ProcessPoolExecutor(CLIENTS) as pool:
            our_rates, moto_rates, rate_ratios = alternate(
                sizes.rounds,
                lambda: 1 / concurrent_batch(pool, ours, sizes.concurrent_requests),
                lambda: 1 / concurrent_batch(pool, theirs, sizes.concurrent_requests),
            )
        gain = statistics.median(rate_ratios)
        row(
            f"server, {CLIENTS} concurrent clients",
            f"{1 / statistics.median(our_rates):.0f} requests/s",
        )
        row(
            f"moto server, {CLIENTS} concurrent clients",
            f"{1 / statistics.median(moto_rates):.0f} requests/s",
        )
        row(
            "server / moto server, throughput",
            f"{gain:.1f}x",
            "≥ 5x",
            "PASS" if gain >= 5 else "MISS",
        )
    finally:
        end(processes)

    start_to_ready_ours()  # imports and model loading, once per process
    start_to_ready_moto()
    our_starts, moto_starts, _ = alternate(
        sizes.starts, start_to_ready_ours, start_to_ready_moto
    )
    start = statistics.median(our_starts)
    row(
        "CognitoSyncServer start to ready, in process",
        f"{start * 1e3:.1f} ms",
        "< 100 ms",
        "PASS" if start < 0.1 else "MISS",
    )
    row(
        "ThreadedMotoServer start to ready, in process",
        f"{statistics.median(moto_starts) * 1e3:.1f} ms",
    )
    cycle = statistics.median(start_and_stop_ours() for _ in range(sizes.starts * 3))
    row(
        "CognitoSyncServer start + stop (the fixture's cost per test)",
        f"{cycle * 1e3:.1f} ms",
    )


if __name__ == "__main__":
    main()
