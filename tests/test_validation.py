"""Which pools a caller can see (account and region), and identity pool ids
that break the model's constraints, however a client sends them."""

from __future__ import annotations

import pytest
import requests
from botocore.config import Config
from requests_aws4auth import AWS4Auth

OTHER_ACCOUNT = "210987654321"
OPERATIONS = ["bulk_publish", "get_bulk_publish_details"]
WIRE_OPERATIONS = {
    "bulk_publish": "bulkpublish",
    "get_bulk_publish_details": "getBulkPublishDetails",
}
VALIDATION_OFF = Config(parameter_validation=False)


def call(client, operation, pool_id):
    return getattr(client, operation)(IdentityPoolId=pool_id)


def error_of(client, operation, pool_id):
    with pytest.raises(client.exceptions.ClientError) as caught:
        call(client, operation, pool_id)
    return caught.value.response


# -- account and region ----------------------------------------------------


@pytest.mark.parametrize("operation", OPERATIONS)
def test_a_pool_of_another_region_is_not_found(make_client, pool_id, operation):
    west = make_client(region_name="us-west-2")
    with pytest.raises(west.exceptions.ResourceNotFoundException) as caught:
        call(west, operation, pool_id)
    response = caught.value.response
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 404
    assert pool_id in response["Error"]["Message"]


@pytest.mark.parametrize("operation", OPERATIONS)
def test_a_pool_of_another_account_is_not_found(
    cognito_sync_mock, make_client, pool_id, operation
):
    keys = cognito_sync_mock.account_credentials(OTHER_ACCOUNT)
    other = make_client(
        aws_access_key_id=keys["AccessKeyId"],
        aws_secret_access_key=keys["SecretAccessKey"],
    )
    with pytest.raises(other.exceptions.ResourceNotFoundException) as caught:
        call(other, operation, pool_id)
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404


def test_a_pool_created_in_another_account_is_seen_with_that_accounts_keys_only(
    cognito_sync_mock, make_client, client
):
    pool = cognito_sync_mock.create_identity_pool(account_id=OTHER_ACCOUNT)
    keys = cognito_sync_mock.account_credentials(OTHER_ACCOUNT)
    other = make_client(
        aws_access_key_id=keys["AccessKeyId"],
        aws_secret_access_key=keys["SecretAccessKey"],
    )
    assert other.get_bulk_publish_details(IdentityPoolId=pool)["IdentityPoolId"] == pool
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.get_bulk_publish_details(IdentityPoolId=pool)


def test_a_pool_created_in_a_region_is_found_by_clients_of_that_region(
    cognito_sync_mock, make_client
):
    pool = cognito_sync_mock.create_identity_pool(region="eu-west-1")
    assert pool.startswith("eu-west-1:")
    client = make_client(region_name="eu-west-1")
    assert (
        client.get_bulk_publish_details(IdentityPoolId=pool)["IdentityPoolId"] == pool
    )
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        make_client(region_name="us-east-1").get_bulk_publish_details(
            IdentityPoolId=pool
        )


def test_the_region_of_an_explicit_pool_id_is_taken_from_its_prefix(
    cognito_sync_mock, make_client
):
    pool = cognito_sync_mock.create_identity_pool("ap-southeast-2:0123abcd")
    client = make_client(region_name="ap-southeast-2")
    assert (
        client.get_bulk_publish_details(IdentityPoolId=pool)["IdentityPoolId"] == pool
    )


def test_the_same_pool_id_in_two_accounts_are_two_pools(
    cognito_sync_mock, make_client, client
):
    pool = "us-east-1:0123abcd"
    cognito_sync_mock.create_identity_pool(pool)
    cognito_sync_mock.create_identity_pool(pool, account_id=OTHER_ACCOUNT)
    keys = cognito_sync_mock.account_credentials(OTHER_ACCOUNT)
    other = make_client(
        aws_access_key_id=keys["AccessKeyId"],
        aws_secret_access_key=keys["SecretAccessKey"],
    )
    client.bulk_publish(IdentityPoolId=pool)
    assert client.get_bulk_publish_details(IdentityPoolId=pool)[
        "BulkPublishStatus"
    ] != ("NOT_STARTED")
    assert other.get_bulk_publish_details(IdentityPoolId=pool)["BulkPublishStatus"] == (
        "NOT_STARTED"
    )


def test_creating_a_pool_twice_in_one_account_and_region_is_refused(cognito_sync_mock):
    cognito_sync_mock.create_identity_pool("us-east-1:0123abcd")
    with pytest.raises(ValueError, match="already exists"):
        cognito_sync_mock.create_identity_pool("us-east-1:0123abcd")


@pytest.mark.parametrize(
    "bad",
    ["us-east-1:ABCD", "no-colon", "x" * 56, "us-east-1:abc\n", ""],
)
def test_create_identity_pool_refuses_ids_the_service_would_reject(
    cognito_sync_mock, bad
):
    with pytest.raises(ValueError, match=r"\[\\w-\]\+:\[0-9a-f-\]\+"):
        cognito_sync_mock.create_identity_pool(bad)


# -- ids that break the model's constraints --------------------------------

BAD_IDS = {
    "trailing-newline": "us-east-1:abc\n",
    "leading-space": " us-east-1:abc",
    "too-long": "x" * 56,
    "too-long-but-patterned": "us-east-1:" + "a" * 46,
    "upper-case-hex": "us-east-1:ABC",
    "no-colon": "us-east-1",
    "nothing-after-colon": "us-east-1:",
    "nothing-before-colon": ":abc",
    "two-colons": "us-east-1:abc:def",
    "slash": "us-east-1:abc/def",
    "dot-dot": "..",
    "non-ascii-word-character": "üs-east-1:abc",
    "non-ascii-digit": "us-east-1:١٢",
    "percent-encoded-colon": "us-east-1%3Aabc",
    "query-characters": "us-east-1:abc?x=1",
}


@pytest.mark.parametrize("bad", BAD_IDS.values(), ids=BAD_IDS.keys())
@pytest.mark.parametrize(
    "config", [None, VALIDATION_OFF], ids=["default", "validation-off"]
)
@pytest.mark.parametrize("operation", OPERATIONS)
def test_an_id_breaking_length_or_pattern_is_an_invalid_parameter(
    cognito_sync_mock, make_client, operation, config, bad
):
    client = make_client(config=config)
    response = error_of(client, operation, bad)
    assert response["Error"]["Code"] == "InvalidParameterException"
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 400
    message = response["Error"]["Message"]
    assert message.startswith("1 validation error detected: ") or message.startswith(
        "2 validation errors detected: "
    )
    assert "at 'identityPoolId' failed to satisfy constraint" in message
    assert cognito_sync_mock.calls[-1].error_code == "InvalidParameterException"


@pytest.mark.parametrize(
    ("bad", "rule"),
    [
        (
            "us-east-1:ABC",
            "Member must satisfy regular expression pattern: [\\w-]+:[0-9a-f-]+",
        ),
        ("us-east-1:" + "a" * 46, "Member must have length less than or equal to 55"),
    ],
)
def test_the_invalid_parameter_message_names_the_value_and_the_rule(client, bad, rule):
    message = error_of(client, "bulk_publish", bad)["Error"]["Message"]
    assert message == (
        f"1 validation error detected: Value '{bad}' at 'identityPoolId' "
        f"failed to satisfy constraint: {rule}"
    )


@pytest.mark.parametrize("operation", OPERATIONS)
def test_an_empty_id_sent_without_client_validation_is_an_invalid_parameter(
    make_client, operation
):
    response = error_of(make_client(config=VALIDATION_OFF), operation, "")
    assert response["Error"]["Code"] == "InvalidParameterException"
    assert "length greater than or equal to 1" in response["Error"]["Message"]


def test_botocore_itself_refuses_an_empty_id_when_validating(client):
    from botocore.exceptions import ParamValidationError

    with pytest.raises(ParamValidationError):
        client.bulk_publish(IdentityPoolId="")


@pytest.mark.parametrize(
    "valid",
    ["us-east-1:" + "a" * 45, "a:0", "my_pool-1:0123-abcd", "_:-"],
    ids=["55-characters", "shortest", "underscore-and-dash", "only-punctuation"],
)
def test_ids_within_the_constraints_are_looked_up(make_client, valid):
    # Valid but never created: the lookup, not validation, answers.
    client = make_client(config=VALIDATION_OFF)
    response = error_of(client, "get_bulk_publish_details", valid)
    assert response["Error"]["Code"] == "ResourceNotFoundException"


def test_an_invalid_id_is_refused_before_the_pool_is_looked_up(
    cognito_sync_mock, client
):
    # Whole-string match: a valid id with a suffix is not that pool.
    pool = cognito_sync_mock.create_identity_pool("us-east-1:0123abcd")
    response = error_of(client, "bulk_publish", pool + "\n")
    assert response["Error"]["Code"] == "InvalidParameterException"
    assert client.get_bulk_publish_details(IdentityPoolId=pool)[
        "BulkPublishStatus"
    ] == ("NOT_STARTED")


# -- percent-encoding on the wire ------------------------------------------


@pytest.fixture
def signed():
    return AWS4Auth("AKIAEXAMPLEKEY000000", "secret", "us-east-1", "cognito-sync")


@pytest.mark.parametrize("operation", OPERATIONS)
def test_a_percent_encoded_id_in_the_path_is_decoded_once(pool_id, signed, operation):
    encoded = pool_id.replace(":", "%3A").replace("-", "%2D")
    response = requests.post(
        f"https://cognito-sync.us-east-1.amazonaws.com/identitypools/{encoded}/"
        f"{WIRE_OPERATIONS[operation]}",
        auth=signed,
    )
    assert response.status_code == 200, response.text
    assert response.json()["IdentityPoolId"] == pool_id


def test_a_doubly_encoded_id_is_not_decoded_twice(pool_id, signed):
    encoded = pool_id.replace(":", "%253A")
    response = requests.post(
        f"https://cognito-sync.us-east-1.amazonaws.com/identitypools/{encoded}/"
        "getBulkPublishDetails",
        auth=signed,
    )
    assert response.status_code == 400
    assert response.headers["x-amzn-ErrorType"].startswith("InvalidParameterException")
    assert pool_id.replace(":", "%3A") in response.json()["message"]


def test_an_encoded_slash_stays_inside_the_id(cognito_sync_mock, signed):
    response = requests.post(
        "https://cognito-sync.us-east-1.amazonaws.com/identitypools/"
        "us-east-1%3Aab%2Fcd/getBulkPublishDetails",
        auth=signed,
    )
    assert response.status_code == 400
    assert "Value 'us-east-1:ab/cd' at 'identityPoolId'" in response.json()["message"]
