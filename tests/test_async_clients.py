"""aiobotocore and aioboto3 cognito-sync clients are answered by the fake
as boto3 clients are: on every surface, including clients built before
activation and clients without credentials."""

from __future__ import annotations

from typing import Any

import aioboto3
import pytest
from aiobotocore.session import get_session

from devices import IDENTITY
from moto_pipeline import both, moto_pool
from pytest_cognito_sync import CognitoSyncMock, mock_cognito_sync

pytestmark = pytest.mark.asyncio


async def sync_and_publish(client: Any, cs: CognitoSyncMock) -> None:
    """What every surface must support through an async client."""
    pool = cs.create_identity_pool()
    cs.configure_streams(pool, "exports")
    where = {"IdentityPoolId": pool, "IdentityId": IDENTITY, "DatasetName": "game"}
    listing = await client.list_records(**where)
    assert listing["DatasetExists"] is False
    written = await client.update_records(
        **where,
        SyncSessionToken=listing["SyncSessionToken"],
        RecordPatches=[{"Op": "replace", "Key": "level", "Value": "3", "SyncCount": 0}],
    )
    assert written["Records"][0]["SyncCount"] == 1
    await client.bulk_publish(IdentityPoolId=pool)
    details = await client.get_bulk_publish_details(IdentityPoolId=pool)
    assert details["BulkPublishStatus"] == "SUCCEEDED"
    assert [record["datasetName"] for record in cs.stream_records("exports")] == [
        "game",
        "game",
    ]
    assert [call.operation for call in cs.calls] == [
        "ListRecords",
        "UpdateRecords",
        "BulkPublish",
        "GetBulkPublishDetails",
    ]


async def test_an_aiobotocore_client_in_an_async_test_with_the_fixture(
    cognito_sync_mock, no_network
):
    async with get_session().create_client(
        "cognito-sync", region_name="us-east-1"
    ) as client:
        await sync_and_publish(client, cognito_sync_mock)


async def test_an_aioboto3_client_inside_async_with(no_aws_config, no_network):
    async with mock_cognito_sync() as cs:
        session = aioboto3.Session()
        async with session.client("cognito-sync", region_name="us-east-1") as client:
            await sync_and_publish(client, cs)


decorated = mock_cognito_sync()


@decorated
async def test_an_aioboto3_client_in_a_decorated_async_test(no_aws_config, no_network):
    async with aioboto3.Session().client(
        "cognito-sync", region_name="us-east-1"
    ) as client:
        await sync_and_publish(client, decorated)


async def test_clients_built_before_activation_are_answered(no_aws_config, no_network):
    async with (
        get_session().create_client("cognito-sync", region_name="us-east-1") as early,
        aioboto3.Session().client("cognito-sync", region_name="us-east-1") as early3,
    ):
        with mock_cognito_sync() as cs:
            await sync_and_publish(early, cs)
        with mock_cognito_sync() as cs:
            await sync_and_publish(early3, cs)


async def test_modeled_errors_arrive_as_the_clients_exceptions(cognito_sync_mock):
    async with get_session().create_client(
        "cognito-sync", region_name="us-east-1"
    ) as client:
        with pytest.raises(client.exceptions.ResourceNotFoundException) as caught:
            await client.get_bulk_publish_details(
                IdentityPoolId="us-east-1:00000000-0000-0000-0000-000000000000"
            )
        assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404
        pool = cognito_sync_mock.create_identity_pool()
        cognito_sync_mock.inject_error("BulkPublish", "DuplicateRequestException")
        with pytest.raises(client.exceptions.DuplicateRequestException):
            await client.bulk_publish(IdentityPoolId=pool)


async def test_identity_credentials_sign_async_clients_too(cognito_sync_mock):
    pool = cognito_sync_mock.create_identity_pool()
    user = cognito_sync_mock.issue_identity_credentials(IDENTITY)
    async with get_session().create_client(
        "cognito-sync",
        region_name="us-east-1",
        aws_access_key_id=user["AccessKeyId"],
        aws_secret_access_key=user["SecretKey"],
        aws_session_token=user["SessionToken"],
    ) as device:
        with pytest.raises(device.exceptions.NotAuthorizedException):
            await device.bulk_publish(IdentityPoolId=pool)
        listing = await device.list_records(
            IdentityPoolId=pool, IdentityId=IDENTITY, DatasetName="game"
        )
        assert listing["Count"] == 0


async def test_sync_clients_still_work_beside_async_ones(cognito_sync_mock):
    import boto3

    pool = cognito_sync_mock.create_identity_pool()
    sync = boto3.client("cognito-sync", region_name="us-east-1")
    async with aioboto3.Session().client(
        "cognito-sync", region_name="us-east-1"
    ) as client:
        await client.bulk_publish(IdentityPoolId=pool)
        status = sync.get_bulk_publish_details(IdentityPoolId=pool)
        assert status["BulkPublishStatus"] == "FAILED"  # no stream configured


@pytest.mark.parametrize(
    "moto_outside", [True, False], ids=["moto-outside", "moto-inside"]
)
async def test_an_async_client_reaches_a_moto_pool_beside_moto(
    no_aws_config, no_network, moto_outside
):
    with both(moto_outside) as cs:
        pool = moto_pool()
        cs.configure_streams(pool, "exports")
        async with aioboto3.Session().client(
            "cognito-sync", region_name="us-east-1"
        ) as client:
            usage = await client.describe_identity_pool_usage(IdentityPoolId=pool)
            assert usage["IdentityPoolUsage"]["IdentityPoolId"] == pool
            await client.bulk_publish(IdentityPoolId=pool)
            details = await client.get_bulk_publish_details(IdentityPoolId=pool)
            assert details["BulkPublishStatus"] == "SUCCEEDED"
