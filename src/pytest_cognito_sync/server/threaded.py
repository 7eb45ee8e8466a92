"""CognitoSyncServer: the fake on a local socket, served from a thread.

Python's ``http.server`` reads the requests, with HTTP/1.1 keep-alive and
one thread per connection. The accept loop waits on the listening socket
and on a wake-up socket, so ``stop()`` ends it at once instead of at the
next poll, and then closes the connections still open, so no thread is
left behind.
"""

from __future__ import annotations

import contextlib
import selectors
import socket
import socketserver
import threading
import time
from types import TracebackType
from typing import Any

from .handler import CognitoSyncRequestHandler
from .served_mock import ServedMock

#: How long stop() waits for the threads of open connections to end.
_STOP_GRACE = 5.0


class CognitoSyncHTTPServer(socketserver.ThreadingMixIn, socketserver.TCPServer):
    """The listening socket and the threads of its connections."""

    allow_reuse_address = True  # a stopped server's port is free at once
    daemon_threads = True
    block_on_close = False  # connections are closed and joined in stop()
    request_queue_size = 128

    def __init__(
        self,
        address: tuple[Any, ...],
        family: socket.AddressFamily,
        mock: ServedMock,
        request_timeout: float,
    ) -> None:
        self.address_family = family
        self.mock = mock
        self.request_timeout = request_timeout
        self._connections: dict[socket.socket, threading.Thread] = {}
        self._connections_lock = threading.Lock()
        super().__init__(address, CognitoSyncRequestHandler)
        # Accept only when the selector says a client waits; a client gone
        # in between must not block the loop in accept().
        self.socket.setblocking(False)
        host, port = str(self.server_address[0]), int(self.server_address[1])
        self.authority = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"

    def process_request(self, request: Any, client_address: Any) -> None:
        thread = threading.Thread(
            target=self.process_request_thread,
            args=(request, client_address),
            name=f"cognito-sync-server connection {client_address}",
            daemon=True,
        )
        with self._connections_lock:
            self._connections[request] = thread
        thread.start()

    def shutdown_request(self, request: Any) -> None:
        with self._connections_lock:
            self._connections.pop(request, None)
        super().shutdown_request(request)

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that vanished mid-request is no news; the handler
        # answers everything else itself.
        pass

    def close_connections(self, deadline: float) -> None:
        """End every open connection and wait for its thread."""
        with self._connections_lock:
            open_now = list(self._connections.items())
        for connection, _ in open_now:
            # Wakes a thread blocked reading: it sees the end of input.
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)
        for _, thread in open_now:
            thread.join(max(0.0, deadline - time.monotonic()))


class CognitoSyncServer:
    """The fake Cognito Sync service as a local HTTP endpoint.

    ``CognitoSyncServer(host="127.0.0.1", port=0, **options)`` takes the
    options of ``mock_cognito_sync``; port 0 picks a free port. ``url`` is
    the endpoint to give clients, ``mock`` seeds and inspects the state it
    serves. The server's state is its own: the in-process mocks neither
    see it nor answer for it.
    """

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        request_timeout: float = 10.0,
        **options: Any,
    ) -> None:
        if isinstance(port, bool) or not isinstance(port, int) or not 0 <= port < 65536:
            raise ValueError(
                f"port must be a whole number from 0 to 65535; got {port!r}"
            )
        if not request_timeout > 0:
            raise ValueError(
                f"request_timeout must be positive; got {request_timeout!r}"
            )
        self.mock = ServedMock(**options)
        self.host = host
        self.request_timeout = float(request_timeout)
        self._requested_port = port
        self._lock = threading.Lock()
        self._httpd: CognitoSyncHTTPServer | None = None
        self._loop: threading.Thread | None = None
        self._wake: tuple[socket.socket, socket.socket] | None = None

    # -- lifecycle ------------------------------------------------------------

    def start(self) -> CognitoSyncServer:
        """Listen and serve; a no-op if already running. When it returns,
        the server accepts requests. An address in use raises OSError."""
        with self._lock:
            if self._httpd is not None:
                return self
            family = _family(self.host, self._requested_port)
            self.mock.start()
            try:
                httpd = CognitoSyncHTTPServer(
                    (self.host, self._requested_port),
                    family,
                    self.mock,
                    self.request_timeout,
                )
            except OSError as error:
                self.mock.stop()
                raise OSError(
                    error.errno,
                    f"cannot listen on {self.host}:{self._requested_port}: "
                    f"{error.strerror or error}",
                ) from error
            wake = socket.socketpair()
            loop = threading.Thread(
                target=_serve,
                args=(httpd, wake[0]),
                name=f"cognito-sync-server {httpd.authority}",
                daemon=True,
            )
            loop.start()
            self._httpd, self._loop, self._wake = httpd, loop, wake
            return self

    def stop(self) -> None:
        """Stop serving, free the port, end every connection and discard the
        state; harmless if not running."""
        with self._lock:
            httpd, loop, wake = self._httpd, self._loop, self._wake
            self._httpd = self._loop = self._wake = None
            if httpd is None or loop is None or wake is None:
                return
            deadline = time.monotonic() + _STOP_GRACE
            wake[1].send(b"\0")
            loop.join(_STOP_GRACE)
            httpd.server_close()
            httpd.close_connections(deadline)
            for end in wake:
                end.close()
            self.mock.stop()

    @property
    def running(self) -> bool:
        return self._httpd is not None

    def __enter__(self) -> CognitoSyncServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    # -- where ---------------------------------------------------------------

    @property
    def port(self) -> int:
        """The port it listens on (the one picked, for port 0)."""
        return int(self._running().server_address[1])

    @property
    def url(self) -> str:
        """The base URL clients take as their endpoint: ``http://host:port``."""
        host = str(self._running().server_address[0])
        # An unspecified address listens everywhere; clients on this
        # machine reach it on the loopback.
        host = {"0.0.0.0": "127.0.0.1", "::": "::1"}.get(host, host)
        if ":" in host:
            host = f"[{host}]"
        return f"http://{host}:{self.port}"

    def _running(self) -> CognitoSyncHTTPServer:
        httpd = self._httpd
        if httpd is None:
            raise RuntimeError("the server is not running: call start() first")
        return httpd

    def __repr__(self) -> str:
        where = self.url if self.running else "stopped"
        return f"<CognitoSyncServer {where}>"


def _family(host: str, port: int) -> socket.AddressFamily:
    try:
        infos = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )
    except socket.gaierror as error:
        raise OSError(
            error.errno, f"cannot listen on {host}:{port}: {error.strerror}"
        ) from None
    return infos[0][0]


def _serve(httpd: CognitoSyncHTTPServer, wake: socket.socket) -> None:
    """Accept connections until the wake-up socket is written to."""
    with selectors.DefaultSelector() as selector:
        selector.register(httpd, selectors.EVENT_READ)
        selector.register(wake, selectors.EVENT_READ)
        while True:
            ready = selector.select()
            if any(key.fileobj is wake for key, _ in ready):
                return
            httpd.handle_request()
