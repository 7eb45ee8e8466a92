"""While moto's mock_aws is active, moto's Cognito Identity pools are pools
of the fake, in the caller's account and region, for as long as moto holds
them."""

from __future__ import annotations

import subprocess
import sys

import boto3
import pytest
from moto import mock_aws

from devices import IDENTITY, sync_changes
from moto_pipeline import ORDERS, both, moto_pool, stream_to
from pytest_cognito_sync import mock_cognito_sync


@ORDERS
def test_every_operation_works_on_a_pool_moto_created(
    no_aws_config, no_network, moto_outside
):
    with both(moto_outside):
        pool = moto_pool()
        sync = boto3.client("cognito-sync", region_name="us-east-1")
        written = sync_changes(sync, pool, {"level": "3"}, dataset="game")
        assert written["Records"][0]["Value"] == "3"
        listing = sync.list_records(
            IdentityPoolId=pool, IdentityId=IDENTITY, DatasetName="game"
        )
        assert [(r["Key"], r["Value"]) for r in listing["Records"]] == [("level", "3")]
        stream_to(sync, pool, "exports")
        sync.bulk_publish(IdentityPoolId=pool)
        details = sync.get_bulk_publish_details(IdentityPoolId=pool)
        assert details["BulkPublishStatus"] == "SUCCEEDED"
        usage = sync.describe_identity_pool_usage(IdentityPoolId=pool)
        assert usage["IdentityPoolUsage"]["DataStorage"] == len("level3")
        listed = sync.list_identity_pool_usage()["IdentityPoolUsages"]
        assert [entry["IdentityPoolId"] for entry in listed] == [pool]


@ORDERS
def test_a_pool_moto_deleted_is_not_found(no_aws_config, moto_outside):
    with both(moto_outside):
        pool = moto_pool()
        sync = boto3.client("cognito-sync", region_name="us-east-1")
        sync_changes(sync, pool, {"level": "3"}, dataset="game")
        boto3.client("cognito-identity", region_name="us-east-1").delete_identity_pool(
            IdentityPoolId=pool
        )
        with pytest.raises(sync.exceptions.ResourceNotFoundException) as caught:
            sync.list_records(
                IdentityPoolId=pool, IdentityId=IDENTITY, DatasetName="game"
            )
        assert caught.value.response["Error"]["Message"] == (
            f"IdentityPool '{pool}' not found"
        )
        assert sync.list_identity_pool_usage()["IdentityPoolUsages"] == []


@pytest.mark.parametrize("gone", ["deleted", "moto stopped"])
def test_a_publish_of_a_pool_gone_from_moto_streams_nothing(no_aws_config, gone):
    with mock_cognito_sync(bulk_publish_duration=60) as fake:
        sync = boto3.client("cognito-sync", region_name="us-east-1")
        with mock_aws():
            pool = moto_pool()
            fake.put_dataset(pool, IDENTITY, "game", {"level": "3"})
            stream_to(sync, pool, "exports")
            sync.bulk_publish(IdentityPoolId=pool)
            if gone == "deleted":
                boto3.client(
                    "cognito-identity", region_name="us-east-1"
                ).delete_identity_pool(IdentityPoolId=pool)
                fake.advance_time(60)
        if gone == "moto stopped":
            fake.advance_time(60)
        assert fake.stream_records("exports") == []
        with pytest.raises(sync.exceptions.ResourceNotFoundException):
            sync.get_bulk_publish_details(IdentityPoolId=pool)


@pytest.mark.parametrize("gone", ["deleted", "moto stopped"])
def test_the_other_publishes_end_when_due_beside_one_whose_pool_went(
    no_aws_config, gone
):
    with mock_cognito_sync(bulk_publish_duration=60) as fake:
        sync = boto3.client("cognito-sync", region_name="us-east-1")
        own = fake.create_identity_pool()
        fake.put_dataset(own, IDENTITY, "game", {"level": "1"})
        stream_to(sync, own, "exports")
        with mock_aws():
            pool = moto_pool()
            fake.put_dataset(pool, IDENTITY, "game", {"level": "3"})
            stream_to(sync, pool, "exports")
            sync.bulk_publish(IdentityPoolId=pool)
            fake.advance_time(30)
            sync.bulk_publish(IdentityPoolId=own)
            if gone == "deleted":
                boto3.client(
                    "cognito-identity", region_name="us-east-1"
                ).delete_identity_pool(IdentityPoolId=pool)
        # Asked for before its publish came due, while the other's runs.
        with pytest.raises(sync.exceptions.ResourceNotFoundException):
            sync.get_bulk_publish_details(IdentityPoolId=pool)
        fake.advance_time(60)
        details = sync.get_bulk_publish_details(IdentityPoolId=own)
        assert details["BulkPublishStatus"] == "SUCCEEDED"
        assert [r["identityPoolId"] for r in fake.stream_records("exports")] == [own]


def test_a_page_token_ending_with_a_pool_moto_deleted_is_invalid(no_aws_config):
    with mock_cognito_sync():
        sync = boto3.client("cognito-sync", region_name="us-east-1")
        with mock_aws():
            first = moto_pool()
            moto_pool()
            page = sync.list_identity_pool_usage(MaxResults=1)
            listed = [usage["IdentityPoolId"] for usage in page["IdentityPoolUsages"]]
            assert listed == [first]
            boto3.client(
                "cognito-identity", region_name="us-east-1"
            ).delete_identity_pool(IdentityPoolId=first)
            with pytest.raises(sync.exceptions.InvalidParameterException):
                sync.list_identity_pool_usage(MaxResults=1, NextToken=page["NextToken"])


def test_a_moto_pool_is_gone_once_moto_stops(no_aws_config):
    with mock_cognito_sync():
        sync = boto3.client("cognito-sync", region_name="us-east-1")
        with mock_aws():
            pool = moto_pool()
            sync.describe_identity_pool_usage(IdentityPoolId=pool)
        with pytest.raises(sync.exceptions.ResourceNotFoundException):
            sync.describe_identity_pool_usage(IdentityPoolId=pool)


@ORDERS
def test_a_moto_pool_belongs_to_its_account_and_region(no_aws_config, moto_outside):
    with both(moto_outside) as fake:
        pool = moto_pool(region="eu-west-1")
        elsewhere = boto3.client("cognito-sync", region_name="us-east-1")
        with pytest.raises(elsewhere.exceptions.ResourceNotFoundException):
            elsewhere.describe_identity_pool_usage(IdentityPoolId=pool)
        other_account = fake.account_credentials("210987654321")
        stranger = boto3.client(
            "cognito-sync",
            region_name="eu-west-1",
            aws_access_key_id=other_account["AccessKeyId"],
            aws_secret_access_key=other_account["SecretAccessKey"],
        )
        with pytest.raises(stranger.exceptions.ResourceNotFoundException):
            stranger.describe_identity_pool_usage(IdentityPoolId=pool)
        home = boto3.client("cognito-sync", region_name="eu-west-1")
        usage = home.describe_identity_pool_usage(IdentityPoolId=pool)
        assert usage["IdentityPoolUsage"]["IdentityPoolId"] == pool


@ORDERS
def test_the_seeding_helpers_work_on_a_moto_pool(no_aws_config, moto_outside):
    with both(moto_outside) as fake:
        pool = moto_pool()
        fake.put_dataset(pool, IDENTITY, "game", {"level": "7"})
        fake.configure_streams(pool, "exports")
        sync = boto3.client("cognito-sync", region_name="us-east-1")
        sync.bulk_publish(IdentityPoolId=pool)
        [record] = fake.stream_records("exports")
        assert (record["identityPoolId"], record["datasetName"]) == (pool, "game")


@ORDERS
def test_pools_the_fake_created_keep_working_beside_moto(no_aws_config, moto_outside):
    with both(moto_outside) as fake:
        ours = fake.create_identity_pool()
        theirs = moto_pool()
        sync = boto3.client("cognito-sync", region_name="us-east-1")
        sync_changes(sync, ours, {"a": "1"}, dataset="d")
        listed = sync.list_identity_pool_usage()["IdentityPoolUsages"]
        assert sorted(entry["IdentityPoolId"] for entry in listed) == sorted(
            [ours, theirs]
        )


def test_without_moto_an_unknown_pool_is_still_not_found(no_aws_config):
    with mock_cognito_sync():
        sync = boto3.client("cognito-sync", region_name="us-east-1")
        with pytest.raises(sync.exceptions.ResourceNotFoundException):
            sync.describe_identity_pool_usage(
                IdentityPoolId="us-east-1:00000000-0000-0000-0000-000000000000"
            )


def test_using_the_fake_imports_neither_moto_nor_aiobotocore():
    code = (
        "import sys, boto3\n"
        "from pytest_cognito_sync import mock_cognito_sync\n"
        "with mock_cognito_sync() as cs:\n"
        "    pool = cs.create_identity_pool()\n"
        "    cs.configure_streams(pool, 's')\n"
        "    c = boto3.client('cognito-sync', region_name='us-east-1')\n"
        "    c.bulk_publish(IdentityPoolId=pool)\n"
        "    c.describe_identity_pool_usage(IdentityPoolId=pool)\n"
        "    cs.lambda_events('s')\n"
        "heavy = ('moto', 'aiobotocore', 'aioboto3')\n"
        "sys.exit(any(m.split('.')[0] in heavy for m in sys.modules))"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


@ORDERS
def test_creating_a_pool_asks_moto_as_a_request_does(no_aws_config, moto_outside):
    with both(moto_outside) as fake:
        held = moto_pool()
        # Held by moto, and never met by a request: it exists all the same.
        with pytest.raises(ValueError, match="such as moto's, holds it"):
            fake.create_identity_pool(held)
        sync = boto3.client("cognito-sync", region_name="us-east-1")
        gone = moto_pool()
        sync_changes(sync, gone, {"level": "3"}, dataset="game")
        boto3.client("cognito-identity", region_name="us-east-1").delete_identity_pool(
            IdentityPoolId=gone
        )
        # Deleted by moto, and no request since: it is gone all the same,
        # and created again it is a pool of the fake's, without moto's data.
        fake.create_identity_pool(gone)
        listing = sync.list_records(
            IdentityPoolId=gone, IdentityId=IDENTITY, DatasetName="game"
        )
        assert listing["Records"] == []
        usage = sync.describe_identity_pool_usage(IdentityPoolId=gone)
        assert usage["IdentityPoolUsage"]["DataStorage"] == 0
