"""One HTTP connection: each request read by ``http.server``, then answered
by the control API or, like every other way in, by
``interception.dispatch.answer`` on the served mock's backend."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator, Mapping
from http.server import BaseHTTPRequestHandler
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from ..interception.dispatch import answer
from ..protocol import HttpRequest
from . import control, cors

if TYPE_CHECKING:
    from email.message import Message

    from .threaded import CognitoSyncHTTPServer

log = logging.getLogger(__name__)

#: Larger bodies are refused unread (413). AWS caps a dataset at 1 MB; an
#: UpdateRecords that fills it, JSON-escaped, stays far below this.
MAX_BODY = 16 * 1024 * 1024

_HOST = re.compile(r"([A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(:\d{1,5})?")


class _Refused(Exception):
    """A request the transport cannot pass on: answered, then closed."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


class RequestHeaders(Mapping[str, Any]):
    """The request's headers, case-insensitive, as raw bytes.

    ``http.server`` decodes header values as Latin-1; encoding them back
    gives the bytes the client sent, which the protocol reads as UTF-8
    exactly as it reads botocore's header values in process.
    """

    def __init__(self, message: Message) -> None:
        self._message = message

    def __getitem__(self, name: str) -> bytes:
        value = self._message.get(name)
        if value is None:
            raise KeyError(name)
        return str(value).encode("latin-1", "replace")

    def __iter__(self) -> Iterator[str]:
        return iter(self._message.keys())

    def __len__(self) -> int:
        return len(self._message)


class CognitoSyncRequestHandler(BaseHTTPRequestHandler):
    # HTTP/1.1 keeps connections open between requests, as SDKs expect;
    # without Nagle's algorithm a response's headers and body are not held
    # back waiting for the client's delayed ACK (40 ms a request).
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    server_version = "pytest-cognito-sync"
    server: CognitoSyncHTTPServer

    def version_string(self) -> str:
        return self.server_version

    def setup(self) -> None:
        # Every read and write on the connection is bounded: a client that
        # sends nothing, or half a request, loses its connection, not the
        # server its thread for good.
        super().setup()
        self.connection.settimeout(self.server.request_timeout)

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        self._serve()

    do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = do_OPTIONS = do_GET

    def _serve(self) -> None:
        try:
            body = self._read_body()
            url = self._url()
            path = urlsplit(url).path
        except _Refused as refused:
            self._send_json(refused.status, {"message": refused.message}, close=True)
            return
        try:
            if cors.is_preflight(self.command, self.headers):
                self._send(200, cors.preflight_headers(self.headers), b"")
            elif path.startswith(control.PREFIX):
                self._control(path[len(control.PREFIX) :], body)
            else:
                self._cognito_sync(url, body)
        except OSError:  # the client went away, or timed out: nothing to answer
            self.close_connection = True
        except Exception as error:  # a bug of the fake: say so, keep serving
            log.exception("pytest-cognito-sync server failed on %s", self.requestline)
            self._send_json(
                500,
                {
                    "message": f"pytest-cognito-sync failed: {type(error).__name__}: "
                    f"{error}"
                },
            )

    # -- the two kinds of request --------------------------------------------

    def _cognito_sync(self, url: str, body: bytes) -> None:
        backend = self.server.mock.current_backend()
        if backend is None:
            self._send_json(503, {"message": "the server is stopping"}, close=True)
            return
        request = HttpRequest(self.command, url, RequestHeaders(self.headers), body)
        response = answer(backend, request)
        self._send(response.status, list(response.headers.items()), response.body)

    def _control(self, method: str, body: bytes) -> None:
        if method == control.HEALTH:
            if self.command in ("GET", "HEAD", "POST"):
                self._send_json(200, {"result": "ok"})
            else:
                self._not_allowed("GET, POST")
            return
        if self.command != "POST" and method in control.METHODS:
            self._not_allowed("POST")
            return
        self._send_json(*control.call(self.server.mock, method, body))

    def _not_allowed(self, allowed: str) -> None:
        message = f"{self.command} is not allowed here; use {allowed}"
        self._send_json(405, {"message": message}, extra=[("Allow", allowed)])

    # -- reading -------------------------------------------------------------

    def _read_body(self) -> bytes:
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            # SDKs send JSON bodies with a length; refusing beats decoding
            # chunks by hand.
            raise _Refused(411, "send the request body with a Content-Length")
        text = self.headers.get("Content-Length")
        if text is None:
            return b""
        try:
            length = int(text)
            if length < 0:
                raise ValueError
        except ValueError:
            message = f"Content-Length must be a whole number; got {text!r}"
            raise _Refused(400, message) from None
        if length > MAX_BODY:
            raise _Refused(
                413, f"the request body is {length} bytes; the limit is {MAX_BODY}"
            )
        try:
            body = self.rfile.read(length)
        except TimeoutError:
            raise _Refused(408, "the request body did not arrive in time") from None
        if len(body) < length:
            raise _Refused(
                400, f"the request body ended after {len(body)} of {length} bytes"
            )
        return body

    def _url(self) -> str:
        # The target as sent: http.server's ``path`` folds leading slashes.
        words = self.requestline.split()
        target = words[1] if len(words) == 3 else self.path
        if target.startswith(("http://", "https://")):  # absolute form
            url = target
        else:
            if not target.startswith("/"):
                target = "/" + target
            url = f"http://{self._host()}{target}"
        try:
            urlsplit(url).port  # noqa: B018 - raises on a malformed authority
        except ValueError:
            raise _Refused(400, f"malformed request target {self.path!r}") from None
        return url

    def _host(self) -> str:
        # The protocol takes a region from a cognito-sync host name, as it
        # does in process; a Host header that is no host name is ignored.
        host = self.headers.get("Host") or ""
        if _HOST.fullmatch(host):
            return host
        return self.server.authority

    # -- writing -------------------------------------------------------------

    def _send_json(
        self,
        status: int,
        document: Mapping[str, Any],
        *,
        close: bool = False,
        extra: list[tuple[str, str]] | None = None,
    ) -> None:
        body = json.dumps(document).encode()
        headers = [("Content-Type", "application/json"), *(extra or [])]
        self._send(status, headers, body, close=close)

    def _send(
        self,
        status: int,
        headers: list[tuple[str, str]],
        body: bytes,
        *,
        close: bool = False,
    ) -> None:
        self.send_response(status)
        has_length = False
        for name, value in headers:
            self.send_header(name, value)
            has_length = has_length or name.lower() == "content-length"
        if not has_length:
            self.send_header("Content-Length", str(len(body)))
        for name, value in cors.response_headers(self.headers):
            self.send_header(name, value)
        if close:
            self.send_header("Connection", "close")  # also ends the loop
        self.end_headers()
        if self.command != "HEAD" and body:
            self.wfile.write(body)

    def send_error(
        self, code: int, message: str | None = None, explain: str | None = None
    ) -> None:
        """http.server's own refusals (a garbled request line, oversized
        headers), as JSON like every other answer, and the connection
        closed: what follows on it cannot be trusted."""
        try:
            short, long = self.responses[code]
        except KeyError:
            short, long = "Error", ""
        self.close_connection = True
        body = json.dumps({"message": message or short, "explain": explain or long})
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD" and code >= 200 and code not in (204, 304):
            self.wfile.write(body.encode())

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("%s %s", self.address_string(), format % args)

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        # Per request: kept cheap unless someone listens.
        if log.isEnabledFor(logging.DEBUG):
            super().log_request(code, size)
