"""moto's mock_aws and this fake active together, in either nesting order:
cognito-sync is answered by the fake, every other service by moto."""

from __future__ import annotations

import os
import subprocess
import sys

import boto3
import pytest
import requests
from moto import mock_aws
from requests_aws4auth import AWS4Auth

from moto_pipeline import ORDERS, both
from pytest_cognito_sync import mock_cognito_sync


@ORDERS
def test_cognito_sync_is_answered_by_the_fake_and_s3_and_sts_by_moto(
    no_aws_config, no_network, moto_outside
):
    with both(moto_outside) as fake:
        pool = fake.create_identity_pool()
        sync = boto3.client("cognito-sync", region_name="us-east-1")
        sync.bulk_publish(IdentityPoolId=pool)
        details = sync.get_bulk_publish_details(IdentityPoolId=pool)
        assert details["BulkPublishStatus"] == "FAILED"  # no stream: the fake's rule

        s3 = boto3.client("s3", region_name="us-east-1")
        s3.create_bucket(Bucket="exports")
        assert [b["Name"] for b in s3.list_buckets()["Buckets"]] == ["exports"]
        identity = boto3.client("sts", region_name="us-east-1").get_caller_identity()
        assert identity["Account"] == "123456789012"

        assert [call.operation for call in fake.calls] == [
            "BulkPublish",
            "GetBulkPublishDetails",
        ]


@ORDERS
def test_requests_reach_the_fake_for_cognito_sync_and_moto_for_s3(
    no_aws_config, no_network, moto_outside
):
    with both(moto_outside) as fake:
        pool = fake.create_identity_pool()
        boto3.client("s3", region_name="us-east-1").create_bucket(Bucket="exports")

        sync = requests.post(
            f"https://cognito-sync.us-east-1.amazonaws.com/identitypools/{pool}/"
            "getBulkPublishDetails",
            auth=AWS4Auth("AKIAEXAMPLEKEY000000", "s", "us-east-1", "cognito-sync"),
        )
        assert sync.json() == {
            "IdentityPoolId": pool,
            "BulkPublishStatus": "NOT_STARTED",
        }

        s3 = requests.get(
            "https://exports.s3.amazonaws.com/",
            auth=AWS4Auth("AKIAEXAMPLEKEY000000", "s", "us-east-1", "s3"),
        )
        assert s3.status_code == 200
        assert "ListBucketResult" in s3.text


@ORDERS
def test_the_environment_is_back_as_it_was_after_both_stop(no_aws_config, moto_outside):
    before = {
        name: value for name, value in os.environ.items() if name.startswith("AWS_")
    }
    with both(moto_outside):
        assert os.environ.get("AWS_ACCESS_KEY_ID")
    after = {
        name: value for name, value in os.environ.items() if name.startswith("AWS_")
    }
    assert after == before


def test_after_the_fake_stops_inside_moto_moto_answers_cognito_sync(no_aws_config):
    with mock_aws():
        with mock_cognito_sync() as fake:
            pool = fake.create_identity_pool()
        client = boto3.client("cognito-sync", region_name="us-east-1")
        # moto implements no cognito-sync: its answer, not the fake's.
        with pytest.raises(client.exceptions.ClientError) as caught:
            client.get_bulk_publish_details(IdentityPoolId=pool)
        assert "not yet implemented" in str(caught.value).lower()


def test_after_moto_stops_inside_the_fake_the_fake_still_answers(no_aws_config):
    with mock_cognito_sync() as fake:
        pool = fake.create_identity_pool()
        with mock_aws():
            pass
        client = boto3.client("cognito-sync", region_name="us-east-1")
        assert client.get_bulk_publish_details(IdentityPoolId=pool)["IdentityPoolId"]


@mock_aws
def test_the_fixture_inside_a_moto_decorated_test(cognito_sync_mock, client, pool_id):
    assert client.get_bulk_publish_details(IdentityPoolId=pool_id)["IdentityPoolId"]
    boto3.client("s3", region_name="us-east-1").create_bucket(Bucket="exports")


def test_importing_the_plugin_does_not_import_moto():
    code = (
        "import sys, pytest_cognito_sync.plugin; "
        "sys.exit('moto' in sys.modules or 'responses' in sys.modules)"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0
