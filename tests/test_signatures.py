"""Credentials the fake issued are authenticated as AWS authenticates them:
their SigV4 signature is recomputed (InvalidSignatureException, 403, with
AWS's message), their session token checked (UnrecognizedClientException)
and their Expiration kept on the fake's clock (ExpiredTokenException).
Keys the fake did not issue are taken on trust."""

from __future__ import annotations

import datetime as dt
import json
import os
from typing import Any

import pytest
import requests
from botocore.exceptions import ClientError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from requests_aws4auth import AWS4Auth

from devices import IDENTITY, ONE_ATTEMPT, sync_changes
from pytest_cognito_sync import mock_cognito_sync

START = dt.datetime(2024, 6, 1, 8, 0, tzinfo=dt.timezone.utc)
ENDPOINT = "https://cognito-sync.us-east-1.amazonaws.com"
MISMATCH = (
    "The request signature we calculated does not match the signature you "
    "provided. Check your AWS Secret Access Key and signing method. Consult "
    "the service documentation for details."
)
FRAMEWORK = "http://internal.amazon.com/coral/com.amazon.coral.service/"


def error_of(caught: pytest.ExceptionInfo[ClientError]) -> tuple[str, int, str]:
    response = caught.value.response
    return (
        response["Error"]["Code"],
        response["ResponseMetadata"]["HTTPStatusCode"],
        response["Error"]["Message"],
    )


def identity_client_with(make_client, credentials, **changes):
    values = {
        "aws_access_key_id": credentials["AccessKeyId"],
        "aws_secret_access_key": credentials["SecretKey"],
        "aws_session_token": credentials["SessionToken"],
        **changes,
    }
    return make_client(config=ONE_ATTEMPT, **values)


def list_datasets(client, pool_id, identity=IDENTITY):
    return client.list_datasets(IdentityPoolId=pool_id, IdentityId=identity)


# -- signatures ----------------------------------------------------------------


def test_a_wrong_secret_is_an_invalid_signature_as_aws_answers_it(
    cognito_sync_mock, make_client, pool_id
):
    credentials = cognito_sync_mock.issue_identity_credentials(IDENTITY)
    device = identity_client_with(
        make_client, credentials, aws_secret_access_key="not-the-secret"
    )
    with pytest.raises(ClientError) as caught:
        list_datasets(device, pool_id)
    code, status, message = error_of(caught)
    assert (code, status) == ("InvalidSignatureException", 403)
    assert message.startswith(MISMATCH)
    # As AWS does, it says what it expected to have been signed.
    assert "The Canonical String for this request should have been\n'GET\n" in message
    assert f"/identitypools/{pool_id.replace(':', '%253A')}/" in message
    assert "\nhost:cognito-sync.us-east-1.amazonaws.com\n" in message
    assert "The String-to-Sign should have been\n'AWS4-HMAC-SHA256\n" in message
    headers = caught.value.response["ResponseMetadata"]["HTTPHeaders"]
    assert headers["x-amzn-errortype"] == f"InvalidSignatureException:{FRAMEWORK}"
    [call] = cognito_sync_mock.calls
    assert (call.error_code, call.status) == ("InvalidSignatureException", 403)


def test_developer_keys_the_fake_issued_are_verified_too(
    cognito_sync_mock, make_client, pool_id
):
    keys = cognito_sync_mock.account_credentials(cognito_sync_mock.options.account_id)
    right = make_client(
        aws_access_key_id=keys["AccessKeyId"],
        aws_secret_access_key=keys["SecretAccessKey"],
    )
    assert right.describe_identity_pool_usage(IdentityPoolId=pool_id)
    wrong = make_client(
        config=ONE_ATTEMPT,
        aws_access_key_id=keys["AccessKeyId"],
        aws_secret_access_key=keys["SecretAccessKey"] + "0",
    )
    with pytest.raises(ClientError, match="InvalidSignatureException"):
        wrong.describe_identity_pool_usage(IdentityPoolId=pool_id)


def test_keys_the_fake_did_not_issue_are_taken_on_trust(make_client, pool_id):
    for secret in ("one", "another"):
        client = make_client(
            aws_access_key_id="AKIAIOSFODNN7EXAMPLE", aws_secret_access_key=secret
        )
        assert client.describe_identity_pool_usage(IdentityPoolId=pool_id)


def test_a_device_syncs_with_its_issued_credentials(
    cognito_sync_mock, make_client, pool_id
):
    # Body, query string (lastSyncCount, maxResults, nextToken) and a
    # header-bound member (x-amz-Client-Context) all signed and verified.
    credentials = cognito_sync_mock.issue_identity_credentials(IDENTITY)
    device = identity_client_with(make_client, credentials)
    sync_changes(
        device,
        pool_id,
        {f"key {i}": f"välue/{i}?&=" for i in range(3)},
        dataset="game.v2:x",
        ClientContext="eyJjbGllbnQiOnt9fQ==",
    )
    first = device.list_records(
        IdentityPoolId=pool_id,
        IdentityId=IDENTITY,
        DatasetName="game.v2:x",
        LastSyncCount=0,
        MaxResults=2,
    )
    rest = device.list_records(
        IdentityPoolId=pool_id,
        IdentityId=IDENTITY,
        DatasetName="game.v2:x",
        MaxResults=2,
        NextToken=first["NextToken"],
    )
    assert first["Count"] + rest["Count"] == 3


def test_a_client_with_an_endpoint_url_and_port_is_verified_with_that_host(
    cognito_sync_mock, make_client, pool_id
):
    credentials = cognito_sync_mock.issue_identity_credentials(IDENTITY)
    device = identity_client_with(
        make_client, credentials, endpoint_url="http://localhost:4566"
    )
    assert list_datasets(device, pool_id)["Count"] == 0


def test_requests_signed_with_requests_aws4auth_are_verified(
    cognito_sync_mock, pool_id
):
    credentials = cognito_sync_mock.issue_identity_credentials(IDENTITY)

    def signer(secret: str) -> AWS4Auth:
        return AWS4Auth(
            credentials["AccessKeyId"],
            secret,
            "us-east-1",
            "cognito-sync",
            session_token=credentials["SessionToken"],
        )

    url = f"{ENDPOINT}/identitypools/{pool_id}/identities/{IDENTITY}/datasets"
    good = requests.get(url, params={"maxResults": "5"}, auth=signer("x"), timeout=5)
    assert good.status_code == 403
    assert good.headers["x-amzn-ErrorType"].startswith("InvalidSignatureException")
    assert good.json()["message"].startswith(MISMATCH)
    right = signer(credentials["SecretKey"])
    answer = requests.get(url, params={"maxResults": "5"}, auth=right, timeout=5)
    assert answer.status_code == 200, answer.text
    assert answer.json()["Count"] == 0


def test_a_body_changed_after_signing_is_refused(cognito_sync_mock, pool_id):
    keys = cognito_sync_mock.account_credentials(cognito_sync_mock.options.account_id)
    auth = AWS4Auth(
        keys["AccessKeyId"], keys["SecretAccessKey"], "us-east-1", "cognito-sync"
    )
    url = f"{ENDPOINT}/identitypools/{pool_id}/events"
    events = {"Events": {"SyncTrigger": ""}}
    prepared = requests.Request("POST", url, json=events, auth=auth).prepare()
    prepared.body = json.dumps({"Events": {}}).encode()
    prepared.headers["Content-Length"] = str(len(prepared.body))
    with requests.Session() as session:
        response = session.send(prepared, timeout=5)
    assert response.status_code == 403
    assert response.json()["message"].startswith(MISMATCH)
    signed_again = requests.post(url, json=events, auth=auth, timeout=5)
    assert signed_again.status_code == 200, signed_again.text


def test_a_presigned_url_is_verified(cognito_sync_mock, make_client, pool_id):
    credentials = cognito_sync_mock.issue_identity_credentials(IDENTITY)
    device = identity_client_with(make_client, credentials)
    url = device.generate_presigned_url(
        "list_datasets", Params={"IdentityPoolId": pool_id, "IdentityId": IDENTITY}
    )
    assert requests.get(url, timeout=5).status_code == 200
    tampered = url.replace("X-Amz-Signature=", "X-Amz-Signature=0")
    response = requests.get(tampered, timeout=5)
    assert response.status_code == 403
    assert response.json()["message"].startswith(MISMATCH)


def test_a_signature_without_its_parts_says_what_lacks(cognito_sync_mock, pool_id):
    credentials = cognito_sync_mock.issue_identity_credentials(IDENTITY)
    response = requests.get(
        f"{ENDPOINT}/identitypools/{pool_id}/identities/{IDENTITY}/datasets",
        headers={
            "Authorization": "AWS4-HMAC-SHA256 Credential="
            f"{credentials['AccessKeyId']}/20240601/us-east-1/cognito-sync/aws4_request",
            "X-Amz-Security-Token": credentials["SessionToken"],
        },
        timeout=5,
    )
    assert response.status_code == 403
    message = response.json()["message"]
    assert "requires 'Signature' parameter" in message
    assert "requires 'SignedHeaders' parameter" in message
    assert "'X-Amz-Date'" in message


# -- session tokens ---------------------------------------------------------


@pytest.mark.parametrize("token", [None, "not-the-token"], ids=["missing", "wrong"])
def test_temporary_keys_need_the_session_token_they_were_issued_with(
    cognito_sync_mock, make_client, pool_id, token
):
    credentials = cognito_sync_mock.issue_identity_credentials(IDENTITY)
    device = identity_client_with(make_client, credentials, aws_session_token=token)
    with pytest.raises(ClientError) as caught:
        list_datasets(device, pool_id)
    assert error_of(caught) == (
        "UnrecognizedClientException",
        403,
        "The security token included in the request is invalid.",
    )


def test_developer_keys_take_no_session_token(cognito_sync_mock, make_client, pool_id):
    keys = cognito_sync_mock.account_credentials(cognito_sync_mock.options.account_id)
    client = make_client(
        config=ONE_ATTEMPT,
        aws_access_key_id=keys["AccessKeyId"],
        aws_secret_access_key=keys["SecretAccessKey"],
        aws_session_token="made-up",
    )
    with pytest.raises(ClientError, match="UnrecognizedClientException"):
        client.describe_identity_pool_usage(IdentityPoolId=pool_id)


# -- expiration on the fake's clock ------------------------------------------


@pytest.mark.cognito_sync_mock(now=START)
def test_identity_credentials_expire_at_their_expiration(
    cognito_sync_mock, make_client, pool_id
):
    credentials = cognito_sync_mock.issue_identity_credentials(IDENTITY)
    assert credentials["Expiration"] == START + dt.timedelta(hours=1)
    device = identity_client_with(make_client, credentials)
    cognito_sync_mock.advance_time(dt.timedelta(hours=1, milliseconds=-1))
    assert list_datasets(device, pool_id)["Count"] == 0
    cognito_sync_mock.advance_time(dt.timedelta(milliseconds=1))
    with pytest.raises(ClientError) as caught:
        list_datasets(device, pool_id)
    assert error_of(caught) == (
        "ExpiredTokenException",
        403,
        "The security token included in the request is expired",
    )


@pytest.mark.cognito_sync_mock(now=START)
def test_an_app_that_refreshes_expired_credentials_keeps_syncing(
    cognito_sync_mock, make_client, pool_id
):
    """What advance_time() is for: the refresh path of the code under test."""

    class App:
        def __init__(self) -> None:
            self.refreshes = 0
            self._client = self._new_client()

        def _new_client(self) -> Any:
            credentials = cognito_sync_mock.issue_identity_credentials(IDENTITY)
            return identity_client_with(make_client, credentials)

        def datasets(self) -> int:
            try:
                return int(list_datasets(self._client, pool_id)["Count"])
            except ClientError as error:
                if error.response["Error"]["Code"] != "ExpiredTokenException":
                    raise
                self.refreshes += 1
                self._client = self._new_client()
                return int(list_datasets(self._client, pool_id)["Count"])

    app = App()
    assert app.datasets() == 0
    cognito_sync_mock.advance_time(dt.timedelta(hours=2))
    assert app.datasets() == 0
    assert app.refreshes == 1


def test_developer_keys_do_not_expire(cognito_sync_mock, make_client, pool_id):
    keys = cognito_sync_mock.account_credentials(cognito_sync_mock.options.account_id)
    client = make_client(
        aws_access_key_id=keys["AccessKeyId"],
        aws_secret_access_key=keys["SecretAccessKey"],
    )
    cognito_sync_mock.advance_time(dt.timedelta(days=400))
    assert client.describe_identity_pool_usage(IdentityPoolId=pool_id)


def test_the_aws_cli_with_issued_credentials_is_verified(
    cognito_sync_mock, pool_id, capsys, monkeypatch
):
    clidriver = pytest.importorskip("awscli.clidriver")
    keys = cognito_sync_mock.account_credentials(cognito_sync_mock.options.account_id)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", keys["AccessKeyId"])
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", keys["SecretAccessKey"])
    arguments = ["cognito-sync", "describe-identity-pool-usage"]
    arguments += ["--identity-pool-id", pool_id, "--region", "us-east-1"]
    assert clidriver.create_clidriver().main(arguments) == 0
    capsys.readouterr()
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "wrong")
    assert clidriver.create_clidriver().main(arguments) != 0
    assert "(InvalidSignatureException)" in capsys.readouterr().err
    assert os.environ["AWS_SECRET_ACCESS_KEY"] == "wrong"


# -- any input a client signs verifies ----------------------------------------

names = st.from_regex(r"[a-zA-Z0-9_.:-]{1,20}", fullmatch=True)
texts = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=30)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(dataset=names, key=texts.filter(bool), value=texts, token=texts.filter(bool))
def test_whatever_a_client_signs_verifies_and_a_wrong_secret_never_does(
    make_client, dataset, key, value, token
):
    with mock_cognito_sync() as mock:
        pool_id = mock.create_identity_pool()
        credentials = mock.issue_identity_credentials(IDENTITY)
        device = identity_client_with(make_client, credentials)
        wrong = identity_client_with(
            make_client, credentials, aws_secret_access_key="wrong"
        )
        listing = device.list_records(
            IdentityPoolId=pool_id, IdentityId=IDENTITY, DatasetName=dataset
        )
        patch = {"Op": "replace", "Key": key, "Value": value, "SyncCount": 0}
        update = {
            "IdentityPoolId": pool_id,
            "IdentityId": IDENTITY,
            "DatasetName": dataset,
            "SyncSessionToken": listing["SyncSessionToken"],
            "RecordPatches": [patch],
        }
        with pytest.raises(ClientError, match="InvalidSignatureException"):
            wrong.update_records(**update)
        device.update_records(**update)
        # An arbitrary query value is signed too; the service refuses the
        # made-up page token only after authenticating the request.
        with pytest.raises(ClientError) as caught:
            device.list_records(
                IdentityPoolId=pool_id,
                IdentityId=IDENTITY,
                DatasetName=dataset,
                NextToken=token,
            )
        assert caught.value.response["Error"]["Code"] == "InvalidParameterException"


# -- over HTTP, through the server ---------------------------------------------


def test_the_server_verifies_issued_credentials_as_the_in_process_fake_does():
    import boto3

    from pytest_cognito_sync import CognitoSyncServer

    with CognitoSyncServer() as server:
        pool_id = server.mock.create_identity_pool()
        credentials = server.mock.issue_identity_credentials(IDENTITY)

        def device(secret: str) -> Any:
            return boto3.client(
                "cognito-sync",
                endpoint_url=server.url,
                region_name="us-east-1",
                aws_access_key_id=credentials["AccessKeyId"],
                aws_secret_access_key=secret,
                aws_session_token=credentials["SessionToken"],
                config=ONE_ATTEMPT,
            )

        assert list_datasets(device(credentials["SecretKey"]), pool_id)["Count"] == 0
        with pytest.raises(ClientError) as caught:
            list_datasets(device("wrong"), pool_id)
        code, status, message = error_of(caught)
        assert (code, status) == ("InvalidSignatureException", 403)
        # botocore signed the server's host and port, and so does the check.
        assert f"\nhost:{server.url.split('//')[1]}\n" in message


# -- async clients --------------------------------------------------------------


@pytest.mark.asyncio
async def test_aiobotocore_clients_are_verified_and_expire_too(cognito_sync_mock):
    from aiobotocore.session import get_session

    pool_id = cognito_sync_mock.create_identity_pool()
    credentials = cognito_sync_mock.issue_identity_credentials(IDENTITY)

    def device(secret: str) -> Any:
        return get_session().create_client(
            "cognito-sync",
            region_name="us-east-1",
            aws_access_key_id=credentials["AccessKeyId"],
            aws_secret_access_key=secret,
            aws_session_token=credentials["SessionToken"],
            config=ONE_ATTEMPT,
        )

    where = {"IdentityPoolId": pool_id, "IdentityId": IDENTITY}
    async with device("wrong") as wrong:
        with pytest.raises(ClientError, match="InvalidSignatureException"):
            await wrong.list_datasets(**where)
    async with device(credentials["SecretKey"]) as right:
        assert (await right.list_datasets(**where))["Count"] == 0
        cognito_sync_mock.advance_time(dt.timedelta(hours=1))
        with pytest.raises(ClientError, match="ExpiredTokenException"):
            await right.list_datasets(**where)


def test_a_signature_for_another_service_does_not_pass(cognito_sync_mock, pool_id):
    credentials = cognito_sync_mock.issue_identity_credentials(IDENTITY)
    other = AWS4Auth(
        credentials["AccessKeyId"],
        credentials["SecretKey"],
        "us-east-1",
        "execute-api",
        session_token=credentials["SessionToken"],
    )
    url = f"{ENDPOINT}/identitypools/{pool_id}/identities/{IDENTITY}/datasets"
    response = requests.get(url, auth=other, timeout=5)
    assert response.status_code == 403
    assert response.json()["message"] == (
        "Credential should be scoped to correct service: 'cognito-sync'."
    )
