"""The ``requests`` side: cognito-sync URLs answered through ``responses``.

Anything else passes through to whatever ``HTTPAdapter.send`` was before
this route started: the network, or a user's or moto's own ``responses``
mock, which therefore keep working. ``responses`` is imported on first use
only, to keep importing the plugin cheap.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from ..protocol import HttpRequest
from . import active
from .dispatch import answer

if TYPE_CHECKING:
    import responses

COGNITO_SYNC_URL = re.compile(
    r"https?://cognito-sync(-fips)?\.[a-z0-9-]+\.amazonaws\.com(\.cn)?(:\d+)?(/.*)?"
)
_METHODS = ("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS")
_EVERYTHING_ELSE = re.compile(".*")

_mock: responses.RequestsMock | None = None


def _callback(request: Any) -> tuple[int, dict[str, str], bytes]:
    backend = active.current()
    body = request.body
    if body is None:
        body = b""
    elif isinstance(body, str):
        body = body.encode()
    if backend is None:  # raced with the last stop(); nothing answers now
        raise ConnectionError("pytest-cognito-sync is no longer active")
    headers = dict(request.headers)
    response = answer(backend, HttpRequest(request.method, request.url, headers, body))
    return response.status, response.headers, response.body


def _build() -> responses.RequestsMock:
    import responses

    mock = responses.RequestsMock(assert_all_requests_are_fired=False)
    for method in _METHODS:
        mock.add_callback(method, COGNITO_SYNC_URL, callback=_callback)
    mock.add_passthru(_EVERYTHING_ELSE)
    return mock


def start() -> None:
    global _mock
    from requests.adapters import HTTPAdapter

    if _mock is None:
        _mock = _build()
    # Pass through to what is installed now, not to the bare network.
    _mock._real_send = HTTPAdapter.send
    _mock.start()


def stop() -> None:
    if _mock is not None:
        _mock.stop(allow_assert=False)
