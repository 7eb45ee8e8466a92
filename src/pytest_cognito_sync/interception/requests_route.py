"""The ``requests`` side: cognito-sync URLs answered by an adapter of the fake.

While a mock is active, ``requests.Session.get_adapter`` hands cognito-sync
URLs to an adapter of the fake's own, whose ``send`` answers from the
backend. Every other URL keeps its usual adapter, so whatever patches
``HTTPAdapter.send`` (the network, a user's ``responses`` mock, moto's)
keeps answering it. Choosing the adapter, one step above
``HTTPAdapter.send``, is what lets the fake answer its URLs even when such
a mock was started after it and would otherwise refuse them or answer
"not implemented". Activation is one attribute set on ``Session``, nothing
more. This module is imported by the first activation only, to keep
importing the plugin cheap.
"""

from __future__ import annotations

from http.client import responses as reasons
from io import BytesIO
from typing import Any

from requests import PreparedRequest, Response, Session
from requests.adapters import HTTPAdapter
from urllib3 import HTTPResponse

from ..protocol import HttpRequest
from . import active
from .dispatch import answer
from .hosts import url_pattern


class CognitoSyncAdapter(HTTPAdapter):
    """The transport of cognito-sync URLs while a mock is active: the fake
    answers, and requests builds the response as from any server's."""

    def send(self, request: PreparedRequest, *args: Any, **kwargs: Any) -> Response:
        backend = active.current()
        if backend is None:  # raced with the last stop(); nothing answers now
            raise ConnectionError("pytest-cognito-sync is no longer active")
        method = request.method or "GET"
        response = answer(
            backend,
            HttpRequest(
                method, request.url or "", request.headers, _body_bytes(request.body)
            ),
        )
        # A response to HEAD carries no body.
        body = b"" if method == "HEAD" else response.body
        raw = HTTPResponse(
            body=BytesIO(body),
            headers=response.headers,
            status=response.status,
            reason=reasons.get(response.status),
            preload_content=False,
            request_method=method,
        )
        return self.build_response(request, raw)


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


_adapter = CognitoSyncAdapter()
_original_get_adapter = Session.get_adapter


def _get_adapter(session: Session, url: str) -> Any:
    if url_pattern().match(url):
        return _adapter
    return _original_get_adapter(session, url)


def start() -> None:
    global _original_get_adapter
    if Session.get_adapter is not _get_adapter:
        # Route from whatever is installed now, not from requests' own.
        _original_get_adapter = Session.get_adapter
        Session.get_adapter = _get_adapter  # type: ignore[method-assign,assignment]


def stop() -> None:
    if Session.get_adapter is _get_adapter:
        Session.get_adapter = _original_get_adapter  # type: ignore[method-assign]
