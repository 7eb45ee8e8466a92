"""Credentials: Cognito Identity credentials refused by developer-only
operations, a machine with no AWS setup, and the environment put back."""

from __future__ import annotations

import datetime as dt
import os
import textwrap

import boto3
import botocore.session
import pytest
from botocore.exceptions import NoCredentialsError

from pytest_cognito_sync import mock_cognito_sync

OPERATIONS = ["bulk_publish", "get_bulk_publish_details"]
CREDENTIAL_VARIABLES = (
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_DEFAULT_REGION",
)


def environment() -> dict[str, str | None]:
    return {name: os.environ.get(name) for name in CREDENTIAL_VARIABLES}


# -- Cognito Identity credentials ------------------------------------------


def test_identity_credentials_look_like_get_credentials_for_identity(
    cognito_sync_mock,
):
    identity = "us-east-1:0123abcd"
    credentials = cognito_sync_mock.issue_identity_credentials(identity)
    assert {"AccessKeyId", "SecretKey", "SessionToken"} <= credentials.keys()
    assert credentials["IdentityId"] == identity
    assert credentials["Expiration"] > cognito_sync_mock.now()
    assert (
        credentials["AccessKeyId"]
        != cognito_sync_mock.issue_identity_credentials(identity)["AccessKeyId"]
    )


def test_identity_credentials_without_an_identity_get_a_fresh_one(cognito_sync_mock):
    first = cognito_sync_mock.issue_identity_credentials()["IdentityId"]
    second = cognito_sync_mock.issue_identity_credentials()["IdentityId"]
    assert first != second
    assert first.startswith("us-east-1:")


def test_identity_credentials_refuse_an_invalid_identity_id(cognito_sync_mock):
    with pytest.raises(ValueError, match="identity_id"):
        cognito_sync_mock.issue_identity_credentials("not an id")


@pytest.mark.parametrize("operation", OPERATIONS)
def test_identity_credentials_are_not_authorized_for_developer_only_operations(
    cognito_sync_mock, identity_client, pool_id, operation
):
    client = identity_client(None)
    with pytest.raises(client.exceptions.NotAuthorizedException) as caught:
        getattr(client, operation)(IdentityPoolId=pool_id)
    response = caught.value.response
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 403
    assert "developer credentials" in response["Error"]["Message"]
    assert cognito_sync_mock.calls[-1].error_code == "NotAuthorizedException"


def test_a_refused_bulk_publish_changes_nothing(identity_client, client, pool_id):
    device = identity_client(None)
    with pytest.raises(device.exceptions.NotAuthorizedException):
        device.bulk_publish(IdentityPoolId=pool_id)
    details = client.get_bulk_publish_details(IdentityPoolId=pool_id)
    assert details["BulkPublishStatus"] == "NOT_STARTED"


def test_any_other_keys_are_developer_keys_of_the_default_account(make_client, pool_id):
    client = make_client(
        aws_access_key_id="AKIAANYTHINGATALL000", aws_secret_access_key="whatever"
    )
    assert client.get_bulk_publish_details(IdentityPoolId=pool_id)["IdentityPoolId"]


# -- a machine with no AWS configuration ------------------------------------


def test_a_client_built_before_activation_without_any_credentials_works_inside(
    no_aws_config,
):
    client = boto3.client("cognito-sync", region_name="us-east-1")
    with mock_cognito_sync() as cs:
        pool = cs.create_identity_pool()
        assert client.get_bulk_publish_details(IdentityPoolId=pool)["IdentityPoolId"]
        client.bulk_publish(IdentityPoolId=pool)
    with pytest.raises(NoCredentialsError):
        client.get_bulk_publish_details(IdentityPoolId=pool)


def test_a_botocore_session_client_without_credentials_works_inside(no_aws_config):
    client = botocore.session.get_session().create_client(
        "cognito-sync", region_name="us-east-1"
    )
    with mock_cognito_sync() as cs:
        pool = cs.create_identity_pool()
        assert client.get_bulk_publish_details(IdentityPoolId=pool)["IdentityPoolId"]


def test_a_client_without_region_or_credentials_built_inside_uses_the_mocks_region(
    no_aws_config,
):
    with mock_cognito_sync(region="eu-central-1") as cs:
        client = boto3.client("cognito-sync")
        assert client.meta.region_name == "eu-central-1"
        pool = cs.create_identity_pool()
        assert client.get_bulk_publish_details(IdentityPoolId=pool)["IdentityPoolId"]


def test_a_module_level_client_on_a_machine_without_aws_configuration(
    pytester, no_aws_config
):
    pytester.makepyfile(
        test_ci=textwrap.dedent(
            """
            import boto3

            # Built at collection time, before any mock: no credentials exist.
            CLIENT = boto3.client("cognito-sync", region_name="us-east-1")

            def test_it(cognito_sync_mock):
                pool = cognito_sync_mock.create_identity_pool()
                CLIENT.bulk_publish(IdentityPoolId=pool)
                details = CLIENT.get_bulk_publish_details(IdentityPoolId=pool)
                assert details["BulkPublishStatus"] == "FAILED"  # no stream
            """
        )
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)


# -- fake credentials in the environment, and putting it back ----------------


def test_fake_credentials_are_in_the_environment_only_while_active(no_aws_config):
    assert environment() == dict.fromkeys(CREDENTIAL_VARIABLES)
    with mock_cognito_sync(region="eu-west-1"):
        inside = environment()
    assert inside["AWS_ACCESS_KEY_ID"] and inside["AWS_SECRET_ACCESS_KEY"]
    assert inside["AWS_DEFAULT_REGION"] == "eu-west-1"
    assert environment() == dict.fromkeys(CREDENTIAL_VARIABLES)


def test_the_environment_is_put_back_when_the_body_raises(no_aws_config):
    with pytest.raises(KeyError), mock_cognito_sync():
        raise KeyError("boom")
    assert environment() == dict.fromkeys(CREDENTIAL_VARIABLES)


def test_nested_mocks_put_the_environment_back_when_the_last_one_stops(
    no_aws_config,
):
    outer = mock_cognito_sync().start()
    inside = environment()
    with mock_cognito_sync():
        assert environment() == inside
    assert environment() == inside
    outer.stop()
    assert environment() == dict.fromkeys(CREDENTIAL_VARIABLES)


@pytest.mark.parametrize(
    ("before", "faked"),
    [
        # empty values count as unset: replaced, and put back empty
        (
            {"AWS_ACCESS_KEY_ID": "", "AWS_DEFAULT_REGION": ""},
            {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_DEFAULT_REGION"},
        ),
        # a secret without a key is no credentials: both replaced, both put back
        (
            {"AWS_SECRET_ACCESS_KEY": "orphan-secret"},
            {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_DEFAULT_REGION"},
        ),
        # a profile stands for credentials, AWS_REGION for the region
        ({"AWS_PROFILE": "dev", "AWS_REGION": "eu-north-1"}, set()),
        ({"AWS_ACCESS_KEY_ID": "AKIAUSER"}, {"AWS_DEFAULT_REGION"}),
    ],
    ids=["empty", "secret-only", "profile-and-region", "key-only"],
)
def test_fake_variables_replace_only_what_is_missing_and_are_put_back(
    no_aws_config, monkeypatch, before, faked
):
    for name, value in before.items():
        monkeypatch.setenv(name, value)
    names = (*CREDENTIAL_VARIABLES, "AWS_PROFILE", "AWS_REGION")
    was = {name: os.environ.get(name) for name in names}
    with mock_cognito_sync(region="ca-central-1"):
        inside = {name: os.environ.get(name) for name in names}
    assert {name for name in names if inside[name] != was[name]} == faked
    if "AWS_DEFAULT_REGION" in faked:
        assert inside["AWS_DEFAULT_REGION"] == "ca-central-1"
    assert {name: os.environ.get(name) for name in names} == was


def test_a_users_own_environment_credentials_are_kept(no_aws_config, monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAUSERSOWNKEY00000")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "users-own-secret")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "ap-northeast-1")
    mine = environment()
    with mock_cognito_sync() as cs:
        assert environment() == mine
        client = boto3.client("cognito-sync")
        assert client._request_signer._credentials.access_key == "AKIAUSERSOWNKEY00000"
        pool = cs.create_identity_pool(region="ap-northeast-1")
        assert client.get_bulk_publish_details(IdentityPoolId=pool)["IdentityPoolId"]
    assert environment() == mine


def test_a_users_profile_is_kept_and_used(no_aws_config, monkeypatch, tmp_path):
    config = tmp_path / "credentials"
    config.write_text(
        "[tester]\naws_access_key_id = AKIAPROFILEKEY000000\n"
        "aws_secret_access_key = profile-secret\n"
    )
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(config))
    monkeypatch.setenv("AWS_PROFILE", "tester")
    with mock_cognito_sync() as cs:
        assert os.environ.get("AWS_ACCESS_KEY_ID") is None
        client = boto3.client("cognito-sync", region_name="us-east-1")
        assert client._request_signer._credentials.access_key == "AKIAPROFILEKEY000000"
        pool = cs.create_identity_pool()
        assert client.get_bulk_publish_details(IdentityPoolId=pool)["IdentityPoolId"]


def test_a_users_explicit_client_credentials_are_what_the_fake_sees(
    cognito_sync_mock, make_client
):
    keys = cognito_sync_mock.account_credentials("210987654321")
    pool = cognito_sync_mock.create_identity_pool(account_id="210987654321")
    client = make_client(
        aws_access_key_id=keys["AccessKeyId"],
        aws_secret_access_key=keys["SecretAccessKey"],
    )
    # Only those keys reach the other account's pool.
    assert client.get_bulk_publish_details(IdentityPoolId=pool)["IdentityPoolId"]


def test_identity_credential_expiry_follows_the_fake_clock():
    start = dt.datetime(2030, 1, 1, tzinfo=dt.timezone.utc)
    with mock_cognito_sync(now=start) as cs:
        credentials = cs.issue_identity_credentials()
    assert credentials["Expiration"] == start + dt.timedelta(hours=1)
