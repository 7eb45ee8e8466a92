"""``cognito-sync-server`` (also ``python -m pytest_cognito_sync``): the fake
as a standalone local endpoint, until Ctrl-C or SIGTERM."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from collections.abc import Sequence
from typing import Any

from .._options import Options, to_timedelta
from .._time_range import MAX_DURATION
from .control import parse_datetime

#: Clear of moto's server (5000) and LocalStack (4566).
DEFAULT_PORT = 5566


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    arguments = parser.parse_args(argv)
    try:
        options = _options(arguments)
    except (TypeError, ValueError) as error:
        parser.error(str(error))  # exits 2

    from .threaded import CognitoSyncServer

    server = CognitoSyncServer(arguments.host, arguments.port, **options)
    try:
        server.start()
    except OSError as error:
        print(f"cognito-sync-server: {error.strerror or error}", file=sys.stderr)
        return 1
    stop = threading.Event()

    def request_stop(signum: int, frame: Any) -> None:
        stop.set()

    signal.signal(signal.SIGINT, request_stop)
    signal.signal(signal.SIGTERM, request_stop)
    try:
        print(
            f"pytest-cognito-sync server listening on {server.url} (Ctrl-C to stop)",
            flush=True,
        )
        while not stop.wait(3600):
            pass
    finally:
        server.stop()
    return 0


def _parser() -> argparse.ArgumentParser:
    defaults = Options()
    parser = argparse.ArgumentParser(
        prog="cognito-sync-server",
        description="Serve the pytest-cognito-sync fake of AWS Cognito Sync over "
        "HTTP, for the AWS CLI, the JavaScript SDKs, browsers and any other "
        "client that takes an endpoint URL.",
        allow_abbrev=False,
    )
    parser.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default %(default)s)"
    )
    parser.add_argument(
        "--port",
        type=_port,
        default=DEFAULT_PORT,
        help="port to listen on; 0 picks a free one (default %(default)s)",
    )
    parser.add_argument(
        "--region",
        default=defaults.region,
        help="region of pools created without one (default %(default)s)",
    )
    parser.add_argument(
        "--account-id",
        default=defaults.account_id,
        help="account that default credentials map to (default %(default)s)",
    )
    parser.add_argument(
        "--bulk-publish-duration",
        type=float,
        default=0.0,
        metavar="SECONDS",
        help="virtual time a bulk publish stays IN_PROGRESS (default 0)",
    )
    parser.add_argument(
        "--now",
        metavar="ISO8601",
        help="start the fake clock frozen at this moment, e.g. "
        "2024-01-01T00:00:00Z (default: real time)",
    )
    return parser


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        port = -1
    if not 0 <= port < 65536:
        raise argparse.ArgumentTypeError(
            f"must be a whole number from 0 to 65535; got {text!r}"
        )
    return port


def _options(arguments: argparse.Namespace) -> dict[str, Any]:
    options: dict[str, Any] = {
        "region": arguments.region,
        "account_id": arguments.account_id,
        # Checked here, against the option's own limit, so that the error
        # shows the number given rather than a timedelta it was clamped to.
        "bulk_publish_duration": to_timedelta(
            arguments.bulk_publish_duration, "--bulk-publish-duration", MAX_DURATION
        ),
    }
    if arguments.now is not None:
        options["now"] = parse_datetime(arguments.now, "--now")
    try:
        Options(**options)  # refuses a bad region, account or moment
    except (TypeError, ValueError) as error:
        raise type(error)(_as_flag(str(error), options)) from None
    return options


def _as_flag(message: str, options: dict[str, Any]) -> str:
    """The rule as Options words it, naming the command's flag (``--now``)
    rather than the Python option (``now``) the user never typed."""
    for name in options:
        if message.startswith(f"{name} "):
            return "--" + name.replace("_", "-") + message[len(name) :]
    return message
