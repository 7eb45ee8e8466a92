"""Shared fixtures: real boto3 clients pointed at the active fake."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import boto3
import pytest

from pytest_cognito_sync import CognitoSyncMock


@pytest.fixture
def make_client(cognito_sync_mock: CognitoSyncMock) -> Callable[..., Any]:
    """Build a real cognito-sync client; keyword arguments go to boto3."""

    def make(**kwargs: Any) -> Any:
        kwargs.setdefault("region_name", cognito_sync_mock.options.region)
        return boto3.client("cognito-sync", **kwargs)

    return make


@pytest.fixture
def client(make_client: Callable[..., Any]) -> Any:
    return make_client()


@pytest.fixture
def pool_id(cognito_sync_mock: CognitoSyncMock) -> str:
    return cognito_sync_mock.create_identity_pool()
