"""AWS's common errors through inject_error(): the statuses the API
Reference's Common Errors page gives them, the error type header AWS sends,
and botocore's retry modes treating them as they do in production."""

from __future__ import annotations

import time

import pytest
import requests
from botocore.config import Config
from botocore.exceptions import ClientError

NO_RETRIES = Config(retries={"total_max_attempts": 1})
FRAMEWORK = "http://internal.amazon.com/coral/com.amazon.coral.service/"

#: The Common Errors page, as published, and the two errors AWS's request
#: authentication answers (403 in the live service's pasted answers).
DOCUMENTED = {
    "AccessDeniedException": 403,
    "ExpiredTokenException": 403,
    "IncompleteSignature": 400,
    "InternalFailure": 500,
    "InvalidAction": 400,
    "InvalidClientTokenId": 403,
    "InvalidParameterCombination": 400,
    "InvalidParameterValue": 400,
    "InvalidQueryParameter": 400,
    "MalformedQueryString": 404,
    "MissingAction": 400,
    "MissingAuthenticationToken": 403,
    "MissingParameter": 400,
    "OptInRequired": 403,
    "RequestExpired": 400,
    "ServiceUnavailable": 503,
    "ThrottlingException": 400,
    "ValidationError": 400,
    "InvalidSignatureException": 403,
    "UnrecognizedClientException": 403,
}


@pytest.fixture
def sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """botocore's back-off between attempts, recorded instead of slept."""
    slept: list[float] = []
    monkeypatch.setattr(time, "sleep", slept.append)
    return slept


@pytest.mark.parametrize(("code", "status"), sorted(DOCUMENTED.items()))
def test_every_common_error_can_be_injected_with_its_documented_status(
    cognito_sync_mock, make_client, pool_id, code, status
):
    client = make_client(config=NO_RETRIES)
    cognito_sync_mock.inject_error("ListDatasets", code, message=f"forced {code}")
    with pytest.raises(ClientError) as caught:
        client.list_datasets(IdentityPoolId=pool_id, IdentityId="us-east-1:ab")
    response = caught.value.response
    assert response["Error"] == {"Code": code, "Message": f"forced {code}"}
    metadata = response["ResponseMetadata"]
    assert metadata["HTTPStatusCode"] == status
    assert metadata["HTTPHeaders"]["x-amzn-errortype"] == f"{code}:{FRAMEWORK}"
    [call] = cognito_sync_mock.calls
    assert (call.operation, call.error_code, call.status) == (
        "ListDatasets",
        code,
        status,
    )


def test_an_iam_denial_reaches_the_code_as_access_denied(
    cognito_sync_mock, identity_client, pool_id
):
    device = identity_client(config=NO_RETRIES)
    cognito_sync_mock.inject_error(
        "UpdateRecords",
        "AccessDeniedException",
        message="User: arn:aws:sts::123456789012:assumed-role/app/CognitoIdentity"
        "Credentials is not authorized to perform: cognito-sync:UpdateRecords",
    )
    with pytest.raises(ClientError) as caught:
        device.update_records(
            IdentityPoolId=pool_id,
            IdentityId="us-east-1:ab",
            DatasetName="game",
            SyncSessionToken="any",
        )
    assert caught.value.response["Error"]["Code"] == "AccessDeniedException"
    assert "not authorized to perform" in str(caught.value)


def test_update_records_takes_the_documented_lambda_socket_timeout(
    cognito_sync_mock, make_client, pool_id
):
    client = make_client(config=NO_RETRIES)
    cognito_sync_mock.inject_error("UpdateRecords", "LambdaSocketTimeoutException")
    with pytest.raises(ClientError) as caught:
        client.update_records(
            IdentityPoolId=pool_id,
            IdentityId="us-east-1:ab",
            DatasetName="game",
            SyncSessionToken="any",
        )
    assert caught.value.response["Error"]["Code"] == "LambdaSocketTimeoutException"
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400


def test_the_lambda_socket_timeout_is_update_records_own(cognito_sync_mock):
    with pytest.raises(ValueError, match="ListRecords has no error"):
        cognito_sync_mock.inject_error("ListRecords", "LambdaSocketTimeoutException")


def test_a_misspelt_common_error_fails_at_once_with_a_suggestion(cognito_sync_mock):
    with pytest.raises(ValueError) as caught:
        cognito_sync_mock.inject_error("BulkPublish", "ThrotlingException")
    message = str(caught.value)
    assert "'ThrotlingException'" in message
    assert "did you mean 'ThrottlingException'?" in message
    for code in [*DOCUMENTED, "DuplicateRequestException"]:
        assert code in message


def test_a_common_error_reaches_requests_too(cognito_sync_mock, pool_id):
    cognito_sync_mock.inject_error("DescribeIdentityPoolUsage", "ServiceUnavailable")
    response = requests.get(
        f"https://cognito-sync.us-east-1.amazonaws.com/identitypools/{pool_id}",
        headers={"Authorization": "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/x"},
        timeout=5,
    )
    assert response.status_code == 503
    assert response.headers["x-amzn-ErrorType"] == f"ServiceUnavailable:{FRAMEWORK}"


# -- botocore's retry modes, as in production --------------------------------

RETRY_MODES = [({"mode": "legacy"}, 5), ({"mode": "standard"}, 3)]


@pytest.mark.parametrize(
    "code", ["ThrottlingException", "ServiceUnavailable", "InternalFailure"]
)
@pytest.mark.parametrize(("retries", "attempts"), RETRY_MODES, ids=["legacy", "std"])
def test_throttling_and_outages_are_retried_until_they_clear(
    cognito_sync_mock, make_client, pool_id, sleeps, code, retries, attempts
):
    client = make_client(config=Config(retries=retries))
    failures = attempts - 1
    cognito_sync_mock.inject_error("DescribeIdentityPoolUsage", code, times=failures)
    answer = client.describe_identity_pool_usage(IdentityPoolId=pool_id)
    assert answer["ResponseMetadata"]["RetryAttempts"] == failures
    assert len(sleeps) == failures
    status = DOCUMENTED[code]
    assert [(c.error_code, c.status) for c in cognito_sync_mock.calls] == [
        (code, status)
    ] * failures + [(None, 200)]


@pytest.mark.parametrize(("retries", "attempts"), RETRY_MODES, ids=["legacy", "std"])
def test_throttling_that_never_clears_is_raised_after_the_last_attempt(
    cognito_sync_mock, make_client, pool_id, sleeps, retries, attempts
):
    client = make_client(config=Config(retries=retries))
    cognito_sync_mock.inject_error(
        "ListIdentityPoolUsage",
        "ThrottlingException",
        message="Rate exceeded",
        times=attempts,
    )
    with pytest.raises(ClientError, match="Rate exceeded") as caught:
        client.list_identity_pool_usage()
    assert caught.value.response["ResponseMetadata"]["MaxAttemptsReached"] is True
    assert len(cognito_sync_mock.calls) == attempts


@pytest.mark.parametrize(
    "code",
    ["AccessDeniedException", "ExpiredTokenException", "InvalidSignatureException"],
)
@pytest.mark.parametrize("mode", ["legacy", "standard"])
def test_denials_are_not_retried(
    cognito_sync_mock, make_client, pool_id, sleeps, code, mode
):
    client = make_client(config=Config(retries={"mode": mode}))
    cognito_sync_mock.inject_error("BulkPublish", code)
    with pytest.raises(ClientError):
        client.bulk_publish(IdentityPoolId=pool_id)
    assert [c.error_code for c in cognito_sync_mock.calls] == [code]
    assert sleeps == []
