"""Garbage on the server's socket never stops it, and nothing hangs it."""

from __future__ import annotations

import json
import socket
import threading
import time

import pytest
import requests

from pytest_cognito_sync import CognitoSyncServer
from server_clients import sync_client


@pytest.fixture
def server():
    with CognitoSyncServer(request_timeout=0.5) as running:
        yield running


def read_to_end(sock: socket.socket) -> bytes:
    received = b""
    while chunk := sock.recv(65536):
        received += chunk
    return received


def exchange(server, raw: bytes, *, read_timeout: float = 5.0) -> bytes:
    """Send raw bytes, then read until the server closes or goes quiet."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as sock:
        sock.sendall(raw)
        sock.settimeout(read_timeout)
        received = b""
        try:
            while chunk := sock.recv(65536):
                received += chunk
        except TimeoutError:
            pass
        return received


def still_answers(server) -> None:
    pool_id = server.mock.create_identity_pool()
    details = sync_client(server).get_bulk_publish_details(IdentityPoolId=pool_id)
    assert details["BulkPublishStatus"] == "NOT_STARTED"


GARBAGE = [
    pytest.param(b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + bytes(64), id="tls"),
    pytest.param(b"HELLO THERE\r\n\r\n", id="not-http"),
    pytest.param(b"\x00\xff" * 100 + b"\r\n\r\n", id="binary"),
    pytest.param(b"GET /" + b"a" * 70000 + b" HTTP/1.1\r\n\r\n", id="huge-line"),
    pytest.param(
        b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + b"b" * 70000 + b"\r\n\r\n",
        id="huge-header",
    ),
    pytest.param(
        b"GET / HTTP/1.1\r\n"
        + b"".join(b"X-%d: 1\r\n" % i for i in range(200))
        + b"\r\n",
        id="too-many-headers",
    ),
    pytest.param(
        b"POST /identitypools/a:1/bulkpublish HTTP/1.1\r\nContent-Length: abc\r\n\r\n",
        id="bad-length",
    ),
    pytest.param(
        b"POST /x HTTP/1.1\r\nContent-Length: 999999999999\r\n\r\n", id="huge-length"
    ),
    pytest.param(
        b"POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
        b"5\r\nhello\r\n0\r\n\r\n",
        id="chunked",
    ),
    pytest.param(b"GET http://[::1/x HTTP/1.1\r\n\r\n", id="bad-target"),
]


@pytest.mark.parametrize("raw", GARBAGE)
def test_garbage_is_refused_and_the_next_request_is_answered(server, raw):
    answer = exchange(server, raw)
    if answer.startswith(b"HTTP/1."):
        status = int(answer.split(b" ", 2)[1])
        assert 400 <= status < 500, answer[:200]
        assert b"Connection: close" in answer
    elif answer:  # a two-word line reads as HTTP/0.9, answered without headers
        assert json.loads(answer)["message"].startswith("Bad ")
    still_answers(server)


def test_a_truncated_body_is_refused_once_the_client_gives_up(server):
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as sock:
        sock.sendall(
            b"POST /identitypools/a:1/bulkpublish HTTP/1.1\r\n"
            b'Content-Length: 100\r\n\r\n{"half'
        )
        sock.shutdown(socket.SHUT_WR)
        answer = read_to_end(sock)
    assert answer.startswith(b"HTTP/1.1 400"), answer
    assert b"ended after 6 of 100 bytes" in answer
    still_answers(server)


def test_a_body_that_never_comes_times_out_without_stopping_the_server(server):
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as sock:
        sock.sendall(b"POST /x HTTP/1.1\r\nContent-Length: 100\r\n\r\n{")
        still_answers(server)  # answered meanwhile, on another connection
        answer = read_to_end(sock)  # the 408 comes before the socket's 5 s
    assert answer.startswith(b"HTTP/1.1 408"), answer


def test_a_client_that_connects_and_says_nothing_is_dropped(server):
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as sock:
        still_answers(server)
        assert sock.recv(1) == b""  # closed by the server after its timeout


def test_many_silent_clients_do_not_block_the_others(server):
    silent = [
        socket.create_connection(("127.0.0.1", server.port), timeout=5)
        for _ in range(50)
    ]
    try:
        still_answers(server)
    finally:
        for sock in silent:
            sock.close()


def test_keep_alive_serves_many_requests_on_one_connection(server):
    session = requests.Session()
    url = f"{server.url}/_cognito_sync/health"
    for _ in range(20):
        assert session.get(url, timeout=5).status_code == 200
    assert len(session.get_adapter(url).poolmanager.pools) == 1


def test_stop_while_clients_are_mid_request_leaves_no_thread():
    server = CognitoSyncServer(request_timeout=30).start()
    half = socket.create_connection(("127.0.0.1", server.port), timeout=5)
    half.sendall(b"POST /x HTTP/1.1\r\nContent-Length: 100\r\n\r\n{")
    time.sleep(0.05)
    server.stop()  # ends the connection instead of waiting 30 s to read from it
    assert not [t for t in threading.enumerate() if t.name.startswith("cognito-sync")]
    half.close()


def test_a_failure_of_the_fake_is_a_500_saying_so_and_serving_goes_on(
    server, monkeypatch, caplog
):
    from pytest_cognito_sync.server import handler

    def broken(backend, request):
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(handler, "answer", broken)
    response = requests.post(f"{server.url}/identitypools/a:1/bulkpublish", timeout=5)
    assert response.status_code == 500
    assert "ZeroDivisionError: a bug" in response.json()["message"]
    assert "pytest-cognito-sync server failed on POST" in caplog.text
    monkeypatch.undo()
    still_answers(server)
