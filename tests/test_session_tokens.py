"""SyncSessionTokens as the live service treats them: spent by the
UpdateRecords that succeeds with them (the AWS SDK for iOS's integration
test against the service), and expired an hour after ListRecords issued
them, on the fake's clock."""

from __future__ import annotations

import datetime as dt

import pytest
from botocore.config import Config

from devices import IDENTITY, ONE_ATTEMPT, sync_changes
from pytest_cognito_sync.backend.tokens import SESSION_LIFETIME

START = dt.datetime(2024, 3, 1, 9, 0, tzinfo=dt.timezone.utc)
WHERE = {"IdentityId": IDENTITY, "DatasetName": "tokentest"}


def patch(key, value, sync_count=0):
    return {"Op": "replace", "Key": key, "Value": value, "SyncCount": sync_count}


def list_records(client, pool_id, **extra):
    return client.list_records(IdentityPoolId=pool_id, **WHERE, **extra)


def update_records(client, pool_id, token, patches):
    return client.update_records(
        IdentityPoolId=pool_id, **WHERE, SyncSessionToken=token, RecordPatches=patches
    )


@pytest.fixture
def device(identity_client):
    return identity_client(config=ONE_ATTEMPT)


def test_the_ios_sdk_integration_flow_against_the_live_service(device, pool_id):
    # testSyncSessionToken: list for a token, list again with it, push with
    # it; listing with it after the push must fail.
    token = list_records(device, pool_id, LastSyncCount=0)["SyncSessionToken"]
    assert list_records(device, pool_id, SyncSessionToken=token)["Count"] == 0
    update_records(device, pool_id, token, [patch("tokenkey", "forced")])
    with pytest.raises(device.exceptions.InvalidParameterException) as caught:
        list_records(device, pool_id, LastSyncCount=0, SyncSessionToken=token)
    message = caught.value.response["Error"]["Message"]
    assert message.startswith("SyncSessionToken not valid for these inputs")
    assert "already used" in message
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400


def test_a_spent_token_cannot_push_again_and_nothing_is_written(
    cognito_sync_mock, device, pool_id
):
    token = list_records(device, pool_id)["SyncSessionToken"]
    update_records(device, pool_id, token, [patch("a", "1")])
    with pytest.raises(device.exceptions.InvalidParameterException, match="used"):
        update_records(device, pool_id, token, [patch("b", "1")])
    listing = list_records(device, pool_id)
    assert [record["Key"] for record in listing["Records"]] == ["a"]
    assert listing["DatasetSyncCount"] == 1


def test_a_fresh_listing_gives_a_token_that_works(device, pool_id):
    for value in ["1", "2", "3"]:
        sync_changes(device, pool_id, {"a": value}, dataset="tokentest")
    [record] = list_records(device, pool_id)["Records"]
    assert (record["Value"], record["SyncCount"]) == ("3", 3)


@pytest.mark.parametrize(
    "failure", ["conflict", "limit", "injected"], ids=lambda failure: failure
)
def test_a_failed_push_does_not_spend_its_token(
    cognito_sync_mock, device, pool_id, failure
):
    token = list_records(device, pool_id)["SyncSessionToken"]
    if failure == "conflict":
        bad = [patch("a", "1", sync_count=7)]
        expected = device.exceptions.ResourceConflictException
    elif failure == "limit":
        bad = [patch("ab", "x" * (1024 * 1024 - 1))]
        expected = device.exceptions.LimitExceededException
    else:
        bad = [patch("a", "1")]
        expected = device.exceptions.InternalErrorException
        cognito_sync_mock.inject_error("UpdateRecords", "InternalErrorException")
    with pytest.raises(expected):
        update_records(device, pool_id, token, bad)
    update_records(device, pool_id, token, [patch("a", "2")])


@pytest.mark.cognito_sync_mock(now=START)
def test_a_token_expires_an_hour_after_it_was_issued(
    cognito_sync_mock, client, pool_id
):
    # Developer credentials: a device's own would expire with the token.
    device = client
    token = list_records(device, pool_id)["SyncSessionToken"]
    cognito_sync_mock.advance_time(SESSION_LIFETIME - dt.timedelta(milliseconds=1))
    assert list_records(device, pool_id, SyncSessionToken=token)["SyncSessionToken"]
    cognito_sync_mock.advance_time(dt.timedelta(milliseconds=1))
    for attempt in (
        lambda: list_records(device, pool_id, SyncSessionToken=token),
        lambda: update_records(device, pool_id, token, [patch("a", "1")]),
    ):
        with pytest.raises(device.exceptions.InvalidParameterException) as caught:
            attempt()
        message = caught.value.response["Error"]["Message"]
        assert "expired at 2024-03-01T10:00:00+00:00" in message
    assert list_records(device, pool_id)["DatasetExists"] is False


@pytest.mark.cognito_sync_mock(now=START)
def test_a_token_listed_with_again_keeps_its_original_expiry(
    cognito_sync_mock, client, pool_id
):
    device = client
    token = list_records(device, pool_id)["SyncSessionToken"]
    cognito_sync_mock.advance_time(SESSION_LIFETIME / 2)
    list_records(device, pool_id, SyncSessionToken=token)
    cognito_sync_mock.advance_time(SESSION_LIFETIME / 2)
    with pytest.raises(device.exceptions.InvalidParameterException, match="expired"):
        update_records(device, pool_id, token, [patch("a", "1")])


def test_spending_one_token_leaves_the_others_working(device, pool_id):
    first = list_records(device, pool_id)["SyncSessionToken"]
    second = list_records(device, pool_id)["SyncSessionToken"]
    assert first != second
    update_records(device, pool_id, first, [patch("a", "1")])
    update_records(device, pool_id, second, [patch("b", "1")])


def test_developer_credentials_spend_tokens_too(client, pool_id):
    token = list_records(client, pool_id)["SyncSessionToken"]
    update_records(client, pool_id, token, [patch("a", "1")])
    with pytest.raises(client.exceptions.InvalidParameterException, match="used"):
        update_records(client, pool_id, token, [patch("a", "2", sync_count=1)])


NOT_VALID = "SyncSessionToken not valid for these inputs"


def tampered(token: str) -> list[str]:
    payload, _, mac = token.rpartition(".")
    session, _, issued = payload.partition(".")
    return [
        "",
        ".",
        "..",
        "1.2.3",
        token + " ",
        " " + token,
        token + "0",
        token[:-1],
        f"{int(session) + 1}.{issued}.{mac}",  # another session, same MAC
        f"{session}.{int(issued) + 3_600_000}.{mac}",  # issued later
        f"+{session}.{issued}.{mac}",  # the same numbers, other text
        f"{session}.{issued}.{int(mac) ^ 1}",
        "ä" * 40,
        "9" * 100_000,
    ]


def test_tokens_it_did_not_issue_are_refused_and_nothing_is_written(
    identity_client, device, pool_id
):
    # Tokens are text with a MAC: every change to one, and garbage, is
    # refused as AWS refuses a token not issued for these inputs. Sent
    # unvalidated, as any client might send them.
    good = list_records(device, pool_id)["SyncSessionToken"]
    unvalidated = identity_client(
        config=ONE_ATTEMPT.merge(Config(parameter_validation=False))
    )
    for token in tampered(good):
        with pytest.raises(unvalidated.exceptions.InvalidParameterException) as caught:
            update_records(unvalidated, pool_id, token, [patch("a", "1")])
        error = caught.value.response
        assert (
            error["Error"]["Message"] == "SyncSessionToken not valid for these inputs"
        )
        assert error["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert list_records(device, pool_id)["Records"] == []
    update_records(device, pool_id, good, [patch("a", "1")])  # the real one works
