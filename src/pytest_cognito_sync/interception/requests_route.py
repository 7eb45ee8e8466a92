"""The ``requests`` side: cognito-sync URLs answered through ``responses``.

While a mock is active, ``requests.Session.get_adapter`` hands cognito-sync
URLs to an adapter of the fake's own, whose ``send`` a ``responses`` mock
answers from the backend. Every other URL keeps its usual adapter, so
whatever patches ``HTTPAdapter.send`` (the network, a user's ``responses``
mock, moto's) keeps answering it. Choosing the adapter, one step above
``HTTPAdapter.send``, is what lets the fake answer its URLs even when such
a mock was started after it and would otherwise refuse them or answer
"not implemented". This module is imported by the first activation only,
to keep importing the plugin cheap.
"""

from __future__ import annotations

import re
from typing import Any

import responses
from requests import Session
from requests.adapters import HTTPAdapter

from ..protocol import HttpRequest
from . import active
from .dispatch import answer

COGNITO_SYNC_URL = re.compile(
    r"https?://cognito-sync(-fips)?\.[a-z0-9-]+\.amazonaws\.com(\.cn)?(:\d+)?(/.*)?",
    re.IGNORECASE,
)
_METHODS = ("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS")


class CognitoSyncAdapter(HTTPAdapter):
    """The transport of cognito-sync URLs while a mock is active; its
    ``send`` is what the ``responses`` mock below patches."""


def _body_bytes(body: Any) -> bytes:
    if body is None:
        return b""
    if isinstance(body, str):
        return body.encode()
    if isinstance(body, (bytes, bytearray)):
        return bytes(body)
    if hasattr(body, "read"):  # a file object
        return _body_bytes(body.read())
    # a generator or other iterable of chunks
    return b"".join(_body_bytes(chunk) for chunk in body)


def _callback(request: Any) -> tuple[int, dict[str, str], bytes]:
    backend = active.current()
    if backend is None:  # raced with the last stop(); nothing answers now
        raise ConnectionError("pytest-cognito-sync is no longer active")
    http_request = HttpRequest(
        request.method, request.url, request.headers, _body_bytes(request.body)
    )
    response = answer(backend, http_request)
    # A response to HEAD carries no body (urllib3 refuses one that does).
    body = b"" if request.method == "HEAD" else response.body
    return response.status, response.headers, body


def _build() -> responses.RequestsMock:
    mock = responses.RequestsMock(
        assert_all_requests_are_fired=False,
        target=f"{__name__}.{CognitoSyncAdapter.__qualname__}.send",
    )
    for method in _METHODS:
        mock.add_callback(method, COGNITO_SYNC_URL, callback=_callback)
    return mock


_mock = _build()
_adapter = CognitoSyncAdapter()
_original_get_adapter = Session.get_adapter


def _get_adapter(session: Session, url: str) -> Any:
    if COGNITO_SYNC_URL.match(url):
        return _adapter
    return _original_get_adapter(session, url)


def start() -> None:
    global _original_get_adapter
    _mock.start()
    if Session.get_adapter is not _get_adapter:
        # Route from whatever is installed now, not from requests' own.
        _original_get_adapter = Session.get_adapter
        Session.get_adapter = _get_adapter  # type: ignore[method-assign,assignment]


def stop() -> None:
    if Session.get_adapter is _get_adapter:
        Session.get_adapter = _original_get_adapter  # type: ignore[method-assign]
    _mock.stop(allow_assert=False)
