"""Code that calls cognito-sync with the ``requests`` library (signed with
requests-aws4auth, or not at all) is answered by the same fake, and a
user's own ``responses`` mocks keep answering everything else."""

from __future__ import annotations

import contextlib
from typing import Any

import pytest
import requests
import responses
from requests_aws4auth import AWS4Auth

from pytest_cognito_sync import mock_cognito_sync

ENDPOINT = "https://cognito-sync.us-east-1.amazonaws.com"
OTHER_URL = "https://api.example.com/data"


def auth(
    access_key: str = "AKIAEXAMPLEKEY000000", secret: str = "secret", **kwargs: Any
) -> AWS4Auth:
    region = kwargs.pop("region", "us-east-1")
    return AWS4Auth(access_key, secret, region, "cognito-sync", **kwargs)


def details_url(pool_id: str, endpoint: str = ENDPOINT) -> str:
    return f"{endpoint}/identitypools/{pool_id}/getBulkPublishDetails"


def publish_url(pool_id: str, endpoint: str = ENDPOINT) -> str:
    return f"{endpoint}/identitypools/{pool_id}/bulkpublish"


def assert_error(response: requests.Response, code: str, status: int) -> None:
    assert response.status_code == status, response.text
    assert response.headers["x-amzn-ErrorType"].split(":")[0] == code
    assert response.headers["x-amzn-RequestId"]
    assert response.headers["Content-Type"] == "application/json"
    assert set(response.json()) == {"message"}


# -- the same answers as through boto3 --------------------------------------


@pytest.mark.cognito_sync_mock(bulk_publish_duration=60)
def test_a_signed_request_gets_the_answer_boto3_gets(
    cognito_sync_mock, client, pool_id
):
    client.bulk_publish(IdentityPoolId=pool_id)
    via_boto3 = client.get_bulk_publish_details(IdentityPoolId=pool_id)
    response = requests.post(details_url(pool_id), auth=auth())
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/json"
    assert response.headers["x-amzn-RequestId"]
    assert response.json() == {
        "IdentityPoolId": pool_id,
        "BulkPublishStatus": "IN_PROGRESS",
        # epoch seconds on the wire, as AWS sends them
        "BulkPublishStartTime": round(via_boto3["BulkPublishStartTime"].timestamp(), 3),
    }


@pytest.mark.parametrize(
    ("endpoint", "region"),
    [
        ("https://cognito-sync.us-east-1.amazonaws.com", "us-east-1"),
        ("http://cognito-sync.us-east-1.amazonaws.com", "us-east-1"),
        ("https://cognito-sync.us-east-1.amazonaws.com:443", "us-east-1"),
        ("https://cognito-sync-fips.us-east-1.amazonaws.com", "us-east-1"),
        ("https://cognito-sync.eu-west-1.amazonaws.com", "eu-west-1"),
        ("https://cognito-sync.cn-north-1.amazonaws.com.cn", "cn-north-1"),
    ],
)
def test_every_cognito_sync_endpoint_is_answered(
    cognito_sync_mock, no_network, endpoint, region
):
    pool = cognito_sync_mock.create_identity_pool(region=region)
    response = requests.post(details_url(pool, endpoint), auth=auth(region=region))
    assert response.status_code == 200, response.text
    assert response.json()["IdentityPoolId"] == pool


def test_requests_and_boto3_share_one_service(cognito_sync_mock, client, pool_id):
    cognito_sync_mock.configure_streams(pool_id, "s")
    response = requests.post(publish_url(pool_id), auth=auth())
    assert response.json() == {"IdentityPoolId": pool_id}
    details = client.get_bulk_publish_details(IdentityPoolId=pool_id)
    assert details["BulkPublishStatus"] == "SUCCEEDED"
    assert [call.operation for call in cognito_sync_mock.calls] == [
        "BulkPublish",
        "GetBulkPublishDetails",
    ]


def test_a_session_created_before_activation_is_answered(no_network):
    session = requests.Session()
    with mock_cognito_sync() as cs:
        pool = cs.create_identity_pool()
        response = session.post(details_url(pool), auth=auth())
    assert response.json()["BulkPublishStatus"] == "NOT_STARTED"


# -- errors, as AWS sends them ------------------------------------------------


def test_an_unknown_pool_is_a_404_resource_not_found(cognito_sync_mock):
    missing = "us-east-1:00000000-0000-0000-0000-000000000000"
    response = requests.post(details_url(missing), auth=auth())
    assert_error(response, "ResourceNotFoundException", 404)


def test_an_invalid_pool_id_is_a_400_invalid_parameter(cognito_sync_mock):
    response = requests.post(details_url("us-east-1:NOT-HEX"), auth=auth())
    assert_error(response, "InvalidParameterException", 400)
    assert "identityPoolId" in response.json()["message"]


@pytest.mark.cognito_sync_mock(bulk_publish_duration=60)
def test_a_second_publish_while_one_runs_is_a_duplicate_request(
    cognito_sync_mock, pool_id
):
    cognito_sync_mock.configure_streams(pool_id, "s")
    assert requests.post(publish_url(pool_id), auth=auth()).status_code == 200
    response = requests.post(publish_url(pool_id), auth=auth())
    assert_error(response, "DuplicateRequestException", 400)


@pytest.mark.parametrize("url", [details_url, publish_url], ids=["details", "publish"])
def test_an_unsigned_request_is_not_authorized(cognito_sync_mock, client, pool_id, url):
    response = requests.post(url(pool_id))
    assert_error(response, "NotAuthorizedException", 403)
    assert client.get_bulk_publish_details(IdentityPoolId=pool_id)[
        "BulkPublishStatus"
    ] == ("NOT_STARTED")


@pytest.mark.parametrize("pool", ["us-east-1:NOT-HEX", "x" * 60, ""])
def test_an_unsigned_request_is_refused_before_it_is_validated(cognito_sync_mock, pool):
    response = requests.post(details_url(pool))
    assert_error(response, "NotAuthorizedException", 403)
    assert response.json() == {"message": "Missing Authentication Token"}


@pytest.mark.parametrize("url", [details_url, publish_url], ids=["details", "publish"])
def test_identity_credentials_are_not_authorized(cognito_sync_mock, pool_id, url):
    credentials = cognito_sync_mock.issue_identity_credentials()
    signed = auth(
        credentials["AccessKeyId"],
        credentials["SecretKey"],
        session_token=credentials["SessionToken"],
    )
    assert_error(
        requests.post(url(pool_id), auth=signed), "NotAuthorizedException", 403
    )


def test_another_accounts_keys_do_not_see_the_pool(cognito_sync_mock, pool_id):
    keys = cognito_sync_mock.account_credentials("210987654321")
    signed = auth(keys["AccessKeyId"], keys["SecretAccessKey"])
    response = requests.post(details_url(pool_id), auth=signed)
    assert_error(response, "ResourceNotFoundException", 404)


def test_an_unknown_path_names_the_operations(cognito_sync_mock):
    response = requests.get(f"{ENDPOINT}/no/such/thing", auth=auth())
    assert response.status_code == 404
    assert response.headers["x-amzn-ErrorType"].startswith("UnknownOperationException")
    assert "GetBulkPublishDetails" in response.json()["message"]


def test_injected_errors_answer_requests_too(cognito_sync_mock, pool_id):
    cognito_sync_mock.inject_error(
        "GetBulkPublishDetails", "InternalErrorException", message="down"
    )
    response = requests.post(details_url(pool_id), auth=auth())
    assert_error(response, "InternalErrorException", 500)
    assert response.json() == {"message": "down"}
    assert cognito_sync_mock.calls[-1].error_code == "InternalErrorException"


# -- a user's own responses mocks ---------------------------------------------


def users_mock() -> responses.RequestsMock:
    mock = responses.RequestsMock(assert_all_requests_are_fired=True)
    mock.add(responses.GET, OTHER_URL, json={"from": "users mock"})
    return mock


@pytest.mark.parametrize(
    "users_first", [True, False], ids=["users-outer", "users-inner"]
)
def test_a_users_responses_mock_keeps_answering_other_urls(no_network, users_first):
    fake = mock_cognito_sync()
    mine = users_mock()
    order = [mine, fake] if users_first else [fake, mine]
    with contextlib.ExitStack() as stack:
        for context in order:
            stack.enter_context(context)
        pool = fake.create_identity_pool()
        assert requests.get(OTHER_URL).json() == {"from": "users mock"}
        response = requests.post(details_url(pool), auth=auth())
        assert response.json()["IdentityPoolId"] == pool
        assert len(fake.calls) == 1


def test_a_users_mock_answers_cognito_sync_urls_again_after_the_fake_stopped(
    no_network,
):
    url = details_url("us-east-1:abc")
    with responses.RequestsMock() as mine:
        mine.add(responses.POST, url, status=418)
        with mock_cognito_sync():
            inside = requests.post(url, auth=auth())
        after = requests.post(url, auth=auth())
        assert len(mine.calls) == 1
    assert inside.headers["x-amzn-ErrorType"].startswith("ResourceNotFoundException")
    assert after.status_code == 418


def test_the_responses_default_mock_keeps_working(no_network):
    with mock_cognito_sync() as cs:
        pool = cs.create_identity_pool()
        responses.start()
        try:
            responses.add(responses.GET, OTHER_URL, body="default mock")
            assert requests.get(OTHER_URL).text == "default mock"
            assert requests.post(details_url(pool), auth=auth()).status_code == 200
        finally:
            responses.stop()
            responses.reset()


def test_without_a_mock_cognito_sync_urls_reach_the_network(no_network):
    with mock_cognito_sync():
        pass
    with pytest.raises(AssertionError, match="connection .* was attempted"):
        requests.post(details_url("us-east-1:abc"), auth=auth())
    assert no_network == [("cognito-sync.us-east-1.amazonaws.com", 443)]
