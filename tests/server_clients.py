"""Clients of a CognitoSyncServer, shared by the server tests."""

from __future__ import annotations

import json
from typing import Any

import boto3
import requests
from requests_aws4auth import AWS4Auth

from pytest_cognito_sync import CognitoSyncServer

ACCESS_KEY = "AKIASERVERTEST000000"


def sync_client(server: CognitoSyncServer, **kwargs: Any) -> Any:
    """A boto3 client that talks to the server over HTTP (no mock is active
    in the process, so nothing intercepts it)."""
    kwargs.setdefault("region_name", "us-east-1")
    kwargs.setdefault("aws_access_key_id", ACCESS_KEY)
    kwargs.setdefault("aws_secret_access_key", "secret")
    return boto3.client("cognito-sync", endpoint_url=server.url, **kwargs)


def signed(region: str = "us-east-1", access_key: str = ACCESS_KEY) -> AWS4Auth:
    return AWS4Auth(access_key, "secret", region, "cognito-sync")


def control(server: CognitoSyncServer, method: str, **arguments: Any) -> Any:
    """Call the control API and return its result, failing on an error."""
    response = requests.post(
        f"{server.url}/_cognito_sync/{method}", data=json.dumps(arguments), timeout=10
    )
    assert response.status_code == 200, response.text
    return response.json()["result"]


def client_environment(**extra: str) -> dict[str, str]:
    """The environment of a client process: this one's, without any AWS
    setting, with fake credentials, and no config files to find."""
    import os

    environment = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    environment.update(
        AWS_ACCESS_KEY_ID=ACCESS_KEY,
        AWS_SECRET_ACCESS_KEY="secret",
        AWS_DEFAULT_REGION="us-east-1",
        AWS_CONFIG_FILE=os.devnull,
        AWS_SHARED_CREDENTIALS_FILE=os.devnull,
        AWS_EC2_METADATA_DISABLED="true",
    )
    environment.update(extra)
    return environment
