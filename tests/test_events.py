"""Cognito Events through boto3: SetCognitoEvents / GetCognitoEvents, and a
Python callable run as the pool's sync trigger during UpdateRecords."""

from __future__ import annotations

import contextlib
import time

import pytest
from botocore.config import Config

from devices import IDENTITY, ONE_ATTEMPT, sync_changes

LAMBDA = "arn:aws:lambda:us-east-1:123456789012:function:ValidateSync"


@pytest.fixture
def device(identity_client):
    """A client signed with the identity's Cognito Identity credentials."""
    return identity_client(IDENTITY, config=ONE_ATTEMPT)


def sync(client, pool_id, changes, dataset="game"):
    return sync_changes(client, pool_id, changes, dataset=dataset)["Records"]


def stored(client, pool_id, dataset="game"):
    listing = client.list_records(
        IdentityPoolId=pool_id, IdentityId=IDENTITY, DatasetName=dataset
    )
    return {r["Key"]: r.get("Value") for r in listing["Records"]}


def events(client, pool_id):
    return client.get_cognito_events(IdentityPoolId=pool_id)["Events"]


# -- SetCognitoEvents / GetCognitoEvents -------------------------------------


def test_a_new_pool_has_no_events(client, pool_id):
    assert events(client, pool_id) == {}


def test_the_sync_trigger_is_set_and_removed_with_an_empty_value(client, pool_id):
    client.set_cognito_events(IdentityPoolId=pool_id, Events={"SyncTrigger": LAMBDA})
    assert events(client, pool_id) == {"SyncTrigger": LAMBDA}
    client.set_cognito_events(IdentityPoolId=pool_id, Events={"SyncTrigger": ""})
    assert events(client, pool_id) == {}


@pytest.mark.parametrize(
    ("given", "fragment"),
    [
        ({"AfterSync": LAMBDA}, "Unknown Cognito event type 'AfterSync'"),
        ({"SyncTrigger": "arn:aws:sns:us-east-1:1:topic"}, "not a Lambda function ARN"),
        ({"SyncTrigger": LAMBDA, "Other": LAMBDA}, "length less than or equal to 1"),
    ],
    ids=["unknown-type", "not-a-lambda-arn", "two-events"],
)
def test_bad_events_are_invalid(make_client, pool_id, given, fragment):
    client = make_client(config=Config(parameter_validation=False))
    with pytest.raises(client.exceptions.InvalidParameterException) as caught:
        client.set_cognito_events(IdentityPoolId=pool_id, Events=given)
    assert fragment in caught.value.response["Error"]["Message"]
    assert events(client, pool_id) == {}


def test_set_sync_trigger_configures_the_pool_as_set_cognito_events_would(
    cognito_sync_mock, client, pool_id
):
    arn = cognito_sync_mock.set_sync_trigger(pool_id, lambda event, context: event)
    assert events(client, pool_id) == {"SyncTrigger": arn}
    assert arn.startswith("arn:aws:lambda:us-east-1:123456789012:function:")
    named = cognito_sync_mock.set_sync_trigger(
        pool_id, lambda event, context: event, lambda_arn=LAMBDA
    )
    assert named == LAMBDA
    assert events(client, pool_id) == {"SyncTrigger": LAMBDA}


def test_set_sync_trigger_keeps_an_arn_the_code_under_test_set(
    cognito_sync_mock, client, pool_id
):
    client.set_cognito_events(IdentityPoolId=pool_id, Events={"SyncTrigger": LAMBDA})
    arn = cognito_sync_mock.set_sync_trigger(pool_id, lambda event, context: event)
    assert arn == LAMBDA


# -- the trigger's event -----------------------------------------------------


class Recorder:
    """A sync trigger that records what it was given and changes nothing."""

    def __init__(self):
        self.events = []
        self.contexts = []

    def __call__(self, event, context):
        self.events.append(event)
        self.contexts.append(context)
        return event


def test_the_trigger_gets_the_documented_event_with_every_record_of_the_dataset(
    cognito_sync_mock, client, device, pool_id
):
    sync(client, pool_id, {"level": "3", "coins": "10", "old": "x"})
    recorder = Recorder()
    arn = cognito_sync_mock.set_sync_trigger(pool_id, recorder)
    sync(device, pool_id, {"coins": "25", "old": None, "badge": "gold"})
    (event,) = recorder.events
    assert event == {
        "version": 2,
        "eventType": "SyncTrigger",
        "region": "us-east-1",
        "identityPoolId": pool_id,
        "identityId": IDENTITY,
        "datasetName": "game",
        "datasetRecords": {
            "level": {"oldValue": "3", "newValue": "3", "op": "replace"},
            "coins": {"oldValue": "10", "newValue": "25", "op": "replace"},
            "old": {"oldValue": "x", "newValue": None, "op": "remove"},
            "badge": {"oldValue": None, "newValue": "gold", "op": "replace"},
        },
    }
    (context,) = recorder.contexts
    assert context.invoked_function_arn == arn
    assert context.function_name == arn.rsplit(":", 1)[1]
    assert 0 < context.get_remaining_time_in_millis() <= 5000


def test_a_trigger_that_changes_nothing_lets_the_update_through_as_sent(
    cognito_sync_mock, client, device, pool_id
):
    sync(client, pool_id, {"level": "3"})
    cognito_sync_mock.set_sync_trigger(pool_id, Recorder())
    written = sync(device, pool_id, {"coins": "25"})
    assert [(r["Key"], r["SyncCount"]) for r in written] == [("coins", 2)]
    assert stored(client, pool_id) == {"level": "3", "coins": "25"}


# -- what the trigger answers is what is stored -----------------------------


def rewrite(records):
    """A trigger that applies ``records(datasetRecords)`` and answers."""

    def trigger(event, context):
        records(event["datasetRecords"])
        return event

    return trigger


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (
            lambda r: r["coins"].update(newValue="99"),
            {"level": "3", "coins": "99"},
        ),
        (lambda r: r.pop("coins"), {"level": "3"}),
        (
            lambda r: r.update(badge={"newValue": "gold", "op": "replace"}),
            {"level": "3", "coins": "25", "badge": "gold"},
        ),
        (
            lambda r: r["level"].update(op="remove"),
            {"level": None, "coins": "25"},
        ),
        (
            lambda r: r["level"].update(newValue=None),
            {"level": None, "coins": "25"},
        ),
    ],
    ids=[
        "rewrite-a-value",
        "drop-a-patch",
        "add-a-record",
        "remove-by-op",
        "remove-by-null-value",
    ],
)
def test_the_trigger_answer_is_what_gets_stored(
    cognito_sync_mock, client, device, pool_id, edit, expected
):
    sync(client, pool_id, {"level": "3"})
    cognito_sync_mock.set_sync_trigger(pool_id, rewrite(edit))
    sync(device, pool_id, {"coins": "25"})
    assert stored(client, pool_id) == expected


def test_rewritten_records_are_answered_and_streamed(
    cognito_sync_mock, device, pool_id
):
    cognito_sync_mock.configure_streams(pool_id, "sync-events")
    cognito_sync_mock.set_sync_trigger(
        pool_id, rewrite(lambda r: r["coins"].update(newValue="0"))
    )
    written = sync(device, pool_id, {"coins": "1000000"})
    assert [(r["Key"], r["Value"]) for r in written] == [("coins", "0")]
    (streamed,) = cognito_sync_mock.stream_records("sync-events")
    assert [(r["key"], r["value"]) for r in streamed["kinesisSyncRecords"]] == [
        ("coins", "0")
    ]


# -- failures ----------------------------------------------------------------


def raises(event, context):
    raise ValueError("coins may not go up by more than 100")


@pytest.mark.parametrize(
    ("trigger", "fragment"),
    [
        (raises, "coins may not go up by more than 100"),
        (lambda event, context: None, "expected the event (a dict), got None"),
        (
            lambda event, context: {**event, "datasetName": "other"},
            "'datasetName' is read-only",
        ),
        (
            lambda event, context: {**event, "datasetRecords": []},
            "'datasetRecords' must be a dict",
        ),
        (
            rewrite(lambda r: r["coins"].update(op="merge")),
            "ops are replace and remove",
        ),
        (rewrite(lambda r: r["coins"].update(newValue=25)), "newValue must be"),
    ],
    ids=[
        "exception",
        "no-answer",
        "read-only-field",
        "records-not-a-dict",
        "unknown-op",
        "value-not-a-string",
    ],
)
def test_a_failing_trigger_is_invalid_lambda_function_output_and_stores_nothing(
    cognito_sync_mock, client, device, pool_id, trigger, fragment
):
    sync(client, pool_id, {"coins": "10"})
    cognito_sync_mock.set_sync_trigger(pool_id, trigger)
    with pytest.raises(
        device.exceptions.InvalidLambdaFunctionOutputException
    ) as caught:
        sync(device, pool_id, {"coins": "25"})
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert fragment in caught.value.response["Error"]["Message"]
    assert stored(client, pool_id) == {"coins": "10"}


def test_a_throttled_trigger_is_lambda_throttled_429(
    cognito_sync_mock, client, device, pool_id
):
    recorder = Recorder()
    cognito_sync_mock.set_sync_trigger(pool_id, recorder)
    cognito_sync_mock.throttle_sync_trigger(pool_id)
    with pytest.raises(device.exceptions.LambdaThrottledException) as caught:
        sync(device, pool_id, {"coins": "25"})
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 429
    assert recorder.events == []
    assert stored(client, pool_id) == {}


@pytest.mark.parametrize(
    ("mode", "outcomes"),
    [
        ("legacy", ["LambdaThrottledException", None]),
        # Standard mode retries a 429 only when the model does not name its
        # error; the model names LambdaThrottledException (not retryable).
        ("standard", ["LambdaThrottledException"]),
    ],
)
def test_botocore_retries_a_throttled_trigger_as_it_would_in_production(
    cognito_sync_mock, make_client, pool_id, monkeypatch, mode, outcomes
):
    monkeypatch.setattr(time, "sleep", lambda seconds: None)
    credentials = cognito_sync_mock.issue_identity_credentials(IDENTITY)
    device = make_client(
        aws_access_key_id=credentials["AccessKeyId"],
        aws_secret_access_key=credentials["SecretKey"],
        aws_session_token=credentials["SessionToken"],
        config=Config(retries={"mode": mode}),
    )
    cognito_sync_mock.set_sync_trigger(pool_id, Recorder())
    cognito_sync_mock.throttle_sync_trigger(pool_id)
    with contextlib.suppress(device.exceptions.LambdaThrottledException):
        sync(device, pool_id, {"coins": "25"})
    answered = [
        call.error_code
        for call in cognito_sync_mock.calls
        if call.operation == "UpdateRecords"
    ]
    assert answered == outcomes


# -- when the trigger does not run -------------------------------------------


def test_developer_credentials_do_not_run_the_trigger(
    cognito_sync_mock, client, pool_id
):
    recorder = Recorder()
    cognito_sync_mock.set_sync_trigger(pool_id, recorder)
    sync(client, pool_id, {"coins": "25"})
    assert recorder.events == []
    assert stored(client, pool_id) == {"coins": "25"}


def test_a_trigger_arn_without_a_registered_callable_passes_updates_through(
    client, device, pool_id
):
    client.set_cognito_events(IdentityPoolId=pool_id, Events={"SyncTrigger": LAMBDA})
    sync(device, pool_id, {"coins": "25"})
    assert stored(client, pool_id) == {"coins": "25"}


def test_removing_the_sync_trigger_event_stops_the_callable(
    cognito_sync_mock, client, device, pool_id
):
    recorder = Recorder()
    cognito_sync_mock.set_sync_trigger(pool_id, recorder)
    client.set_cognito_events(IdentityPoolId=pool_id, Events={"SyncTrigger": ""})
    sync(device, pool_id, {"coins": "25"})
    assert recorder.events == []


def test_set_sync_trigger_refuses_what_is_not_callable_or_not_a_lambda_arn(
    cognito_sync_mock, pool_id
):
    with pytest.raises(TypeError, match="callable"):
        cognito_sync_mock.set_sync_trigger(pool_id, "handler.main")
    with pytest.raises(ValueError, match="not a Lambda function ARN"):
        cognito_sync_mock.set_sync_trigger(
            pool_id, Recorder(), lambda_arn="arn:aws:sns:us-east-1:1:topic"
        )
