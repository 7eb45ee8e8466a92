"""Shared fixtures: real boto3 clients pointed at the active fake."""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.awsrequest import AWSResponse

from pytest_cognito_sync import CognitoSyncMock


@pytest.fixture
def make_client(cognito_sync_mock: CognitoSyncMock) -> Callable[..., Any]:
    """Build a real cognito-sync client; keyword arguments go to boto3."""

    def make(**kwargs: Any) -> Any:
        kwargs.setdefault("region_name", cognito_sync_mock.options.region)
        return boto3.client("cognito-sync", **kwargs)

    return make


@pytest.fixture
def identity_client(
    cognito_sync_mock: CognitoSyncMock, make_client: Callable[..., Any]
) -> Callable[..., Any]:
    """Build a client signed with Cognito Identity credentials, as a device is.

    ``identity_client()`` gets credentials for the shared test identity;
    ``identity_client(identity_id, **boto3_kwargs)`` for another, or with
    other client options.
    """
    from devices import IDENTITY

    def make(identity: str | None = IDENTITY, **kwargs: Any) -> Any:
        credentials = cognito_sync_mock.issue_identity_credentials(identity)
        return make_client(
            aws_access_key_id=credentials["AccessKeyId"],
            aws_secret_access_key=credentials["SecretKey"],
            aws_session_token=credentials["SessionToken"],
            **kwargs,
        )

    return make


@pytest.fixture
def client(make_client: Callable[..., Any]) -> Any:
    return make_client()


@pytest.fixture
def pool_id(cognito_sync_mock: CognitoSyncMock) -> str:
    return cognito_sync_mock.create_identity_pool()


@pytest.fixture
def no_aws_config(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A machine with no AWS setup: no AWS_* variables, empty config files,
    and no instance metadata service to fall back on."""
    import os

    for name in list(os.environ):
        if name.startswith("AWS_"):
            monkeypatch.delenv(name)
    empty = tmp_path / "empty-aws-config"
    empty.write_text("")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(empty))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(empty))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    # boto3's default session may have cached credentials of its own.
    monkeypatch.setattr(boto3, "DEFAULT_SESSION", None)


class NetworkUsed(AssertionError):
    """A test tried to open a network connection."""


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Make every attempt to connect or resolve a name fail loudly; the
    returned list records each attempt's address."""
    attempts: list[Any] = []

    def refuse(address: Any) -> None:
        attempts.append(address)
        raise NetworkUsed(f"a connection to {address!r} was attempted")

    def connect(self: socket.socket, address: Any) -> None:
        refuse(address)

    def getaddrinfo(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        refuse((host, port))

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return attempts


class SendRecorder:
    """A ``before-send`` handler that records the requests botocore sends and
    offers a canned 200 for each, so nothing leaves the process.

    botocore calls every ``before-send`` handler and uses the first answer
    that is not ``None``, most specific event first: while a mock is active
    its answer wins; while none is, this one's does.
    """

    #: the canned body; a cognito-sync client parses it as this pool id
    BODY = b'{"IdentityPoolId": "us-east-1:canned"}'

    def __init__(self) -> None:
        self.urls: list[str] = []

    def __call__(self, request: Any, **kwargs: Any) -> AWSResponse:
        self.urls.append(request.url)
        return AWSResponse(request.url, 200, {}, _CannedBody(self.BODY))


class _CannedBody:
    def __init__(self, content: bytes) -> None:
        self._content = content

    def stream(self, **kwargs: Any) -> Iterator[bytes]:
        yield self._content

    def read(self, *args: Any, **kwargs: Any) -> bytes:
        return self._content


@pytest.fixture
def send_recorder() -> SendRecorder:
    return SendRecorder()
