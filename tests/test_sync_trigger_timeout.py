"""The sync trigger's time limit: Cognito waits 5 seconds for the Lambda
function (the Cognito Events guide); an overrun fails the UpdateRecords
with LambdaSocketTimeoutException (400, the API Reference) and writes
nothing."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from botocore.exceptions import ClientError

from devices import IDENTITY, ONE_ATTEMPT, sync_changes


@pytest.fixture
def device(identity_client):
    return identity_client(IDENTITY, config=ONE_ATTEMPT)


def stored(client, pool_id):
    listing = client.list_records(
        IdentityPoolId=pool_id, IdentityId=IDENTITY, DatasetName="game"
    )
    return {r["Key"]: r.get("Value") for r in listing["Records"]}


def sync(client, pool_id, changes):
    return sync_changes(client, pool_id, changes, dataset="game")


def taking(cognito_sync_mock, seconds):
    """A trigger that takes ``seconds`` of the fake clock's time, as a slow
    Lambda function would, without the test waiting for it."""

    def trigger(event, context):
        cognito_sync_mock.advance_time(seconds)
        for record in event["datasetRecords"].values():
            record["newValue"] = "rewritten"
        return event

    return trigger


def test_a_trigger_slower_than_five_seconds_fails_the_sync_and_writes_nothing(
    cognito_sync_mock, client, device, pool_id
):
    cognito_sync_mock.configure_streams(pool_id, "events")
    sync(client, pool_id, {"coins": "10"})
    cognito_sync_mock.set_sync_trigger(pool_id, taking(cognito_sync_mock, 5.001))
    with pytest.raises(ClientError) as caught:
        sync(device, pool_id, {"coins": "25"})
    error = caught.value.response
    assert error["Error"]["Code"] == "LambdaSocketTimeoutException"
    assert error["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert "did not respond within 5 seconds" in error["Error"]["Message"]
    assert stored(client, pool_id) == {"coins": "10"}
    assert len(cognito_sync_mock.stream_records("events")) == 1  # the first sync


def test_a_trigger_that_answers_within_the_limit_is_applied(
    cognito_sync_mock, device, client, pool_id
):
    cognito_sync_mock.set_sync_trigger(pool_id, taking(cognito_sync_mock, 4.9))
    sync(device, pool_id, {"coins": "25"})
    assert stored(client, pool_id) == {"coins": "rewritten"}


def test_a_timed_out_sync_keeps_its_token_and_can_be_retried(
    cognito_sync_mock, device, client, pool_id
):
    slow = taking(cognito_sync_mock, 6)
    cognito_sync_mock.set_sync_trigger(pool_id, slow)
    listing = device.list_records(
        IdentityPoolId=pool_id, IdentityId=IDENTITY, DatasetName="game"
    )
    update = {
        "IdentityPoolId": pool_id,
        "IdentityId": IDENTITY,
        "DatasetName": "game",
        "SyncSessionToken": listing["SyncSessionToken"],
        "RecordPatches": [{"Op": "replace", "Key": "a", "Value": "1", "SyncCount": 0}],
    }
    with pytest.raises(ClientError, match="LambdaSocketTimeoutException"):
        device.update_records(**update)
    cognito_sync_mock.set_sync_trigger(pool_id, taking(cognito_sync_mock, 1))
    device.update_records(**update)
    assert stored(client, pool_id) == {"a": "rewritten"}


def test_real_time_counts_too(cognito_sync_mock, device, client, pool_id):
    def sleeper(event, context):
        time.sleep(0.05)
        return event

    cognito_sync_mock.set_sync_trigger(pool_id, sleeper, timeout=0.01)
    with pytest.raises(ClientError, match="within 0.01 seconds"):
        sync(device, pool_id, {"coins": "25"})
    assert stored(client, pool_id) == {}


def test_an_overrun_is_reported_even_if_the_function_then_raises(
    cognito_sync_mock, device, pool_id
):
    def slow_and_broken(event, context):
        cognito_sync_mock.advance_time(dt.timedelta(seconds=10))
        raise RuntimeError("too late anyway")

    cognito_sync_mock.set_sync_trigger(pool_id, slow_and_broken)
    with pytest.raises(ClientError) as caught:
        sync(device, pool_id, {"coins": "25"})
    assert caught.value.response["Error"]["Code"] == "LambdaSocketTimeoutException"


def test_the_context_counts_down_from_the_timeout(cognito_sync_mock, device, pool_id):
    seen = []

    def trigger(event, context):
        seen.append(context.get_remaining_time_in_millis())
        return event

    cognito_sync_mock.set_sync_trigger(pool_id, trigger, timeout=2)
    sync(device, pool_id, {"coins": "25"})
    assert 0 < seen[0] <= 2000


@pytest.mark.parametrize(
    ("timeout", "error", "fragment"),
    [
        (5.5, ValueError, "cannot be raised"),
        (dt.timedelta(seconds=6), ValueError, "at most 5 seconds"),
        (0, ValueError, "more than 0"),
        (-1, ValueError, "negative"),
        ("5", TypeError, "seconds or a timedelta"),
        (True, TypeError, "seconds or a timedelta"),
    ],
)
def test_a_timeout_aws_could_not_have_is_refused(
    cognito_sync_mock, pool_id, timeout, error, fragment
):
    with pytest.raises(error, match=fragment):
        cognito_sync_mock.set_sync_trigger(pool_id, lambda e, c: e, timeout=timeout)
    assert cognito_sync_mock.backend.pools_named(pool_id)[0].sync_trigger is None
