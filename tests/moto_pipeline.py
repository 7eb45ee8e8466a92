"""moto and the fake active together, and what the tests of the migration
pipeline share: moto's pools and streams, and reading a moto stream back."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws

from pytest_cognito_sync import CognitoSyncMock, mock_cognito_sync

ORDERS = pytest.mark.parametrize(
    "moto_outside", [True, False], ids=["moto-outside", "moto-inside"]
)
ROLE = "arn:aws:iam::123456789012:role/CognitoStreams"


@contextlib.contextmanager
def both(moto_outside: bool, **options: Any) -> Iterator[CognitoSyncMock]:
    fake = mock_cognito_sync(**options)
    contexts = [mock_aws(), fake] if moto_outside else [fake, mock_aws()]
    with contextlib.ExitStack() as stack:
        for context in contexts:
            stack.enter_context(context)
        yield fake


def moto_pool(region: str = "us-east-1", **client_kwargs: Any) -> str:
    """An identity pool created through moto's Cognito Identity."""
    identity = boto3.client("cognito-identity", region_name=region, **client_kwargs)
    created = identity.create_identity_pool(
        IdentityPoolName="migration", AllowUnauthenticatedIdentities=True
    )
    return str(created["IdentityPoolId"])


def moto_stream(name: str, region: str = "us-east-1", shards: int = 1) -> Any:
    kinesis = boto3.client("kinesis", region_name=region)
    kinesis.create_stream(StreamName=name, ShardCount=shards)
    return kinesis


def stream_to(client: Any, pool_id: str, stream: str) -> None:
    client.set_identity_pool_configuration(
        IdentityPoolId=pool_id,
        CognitoStreams={
            "StreamName": stream,
            "RoleArn": ROLE,
            "StreamingStatus": "ENABLED",
        },
    )


def read_kinesis(name: str, region: str = "us-east-1") -> list[dict[str, Any]]:
    """Every record of a moto stream, shard by shard, as a consumer reads
    them with get_shard_iterator / get_records."""
    kinesis = boto3.client("kinesis", region_name=region)
    shards = kinesis.list_shards(StreamName=name)["Shards"]
    records: list[dict[str, Any]] = []
    for shard in shards:
        iterator = kinesis.get_shard_iterator(
            StreamName=name,
            ShardId=shard["ShardId"],
            ShardIteratorType="TRIM_HORIZON",
        )["ShardIterator"]
        while iterator:
            page = kinesis.get_records(ShardIterator=iterator, Limit=1000)
            records.extend(
                {"ShardId": shard["ShardId"], **record} for record in page["Records"]
            )
            if not page["Records"]:
                break
            iterator = page["NextShardIterator"]
    return records


def decoded(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [json.loads(record["Data"]) for record in records]
