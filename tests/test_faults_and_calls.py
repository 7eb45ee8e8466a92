"""Fault injection for every operation and every error the model lists for
it, botocore's retries of a forced 500, and the journal of calls."""

from __future__ import annotations

import time
from typing import Any

import botocore.session
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

MODEL = botocore.session.get_session().get_service_model("cognito-sync")
NO_RETRIES = Config(retries={"total_max_attempts": 1})


def snake_case(name: str) -> str:
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in name).lstrip("_")


def example(shape: Any) -> Any:
    """A value botocore's own validation accepts; faults answer before the
    service looks at it."""
    kind = shape.type_name
    if kind == "structure":
        return {name: example(shape.members[name]) for name in shape.required_members}
    if kind == "string":
        return (
            shape.enum[0] if shape.enum else "x" * max(shape.metadata.get("min", 1), 1)
        )
    if kind == "map":
        return {"SyncTrigger": "x"}
    if kind == "list":
        return []
    if kind in ("integer", "long"):
        return max(shape.metadata.get("min", 1), 1)
    if kind == "boolean":
        return True
    raise AssertionError(f"no example for {kind}")


def modeled_errors() -> list[Any]:
    cases = []
    for operation in MODEL.operation_names:
        for error in MODEL.operation_model(operation).error_shapes:
            status = error.metadata["error"]["httpStatusCode"]
            cases.append(
                pytest.param(
                    operation, error.name, status, id=f"{operation}-{error.name}"
                )
            )
    return cases


def call(client: Any, operation: str) -> dict[str, Any]:
    shape = MODEL.operation_model(operation).input_shape
    kwargs = example(shape) if shape is not None else {}
    return getattr(client, snake_case(operation))(**kwargs)


@pytest.mark.parametrize(("operation", "code", "status"), modeled_errors())
def test_every_modeled_error_of_every_operation_can_be_injected(
    cognito_sync_mock, make_client, operation, code, status
):
    client = make_client(config=NO_RETRIES)
    cognito_sync_mock.inject_error(operation, code, message=f"forced {code}")
    with pytest.raises(getattr(client.exceptions, code)) as caught:
        call(client, operation)
    response = caught.value.response
    assert response["Error"] == {"Code": code, "Message": f"forced {code}"}
    assert response["ResponseMetadata"]["HTTPStatusCode"] == status
    (recorded,) = cognito_sync_mock.calls
    assert (recorded.operation, recorded.error_code) == (operation, code)


def test_the_model_gives_every_error_a_status():
    # The parametrization above relies on it; a botocore upgrade could break it.
    assert len(modeled_errors()) > 17


def test_an_injected_error_without_a_message_says_it_was_injected(
    cognito_sync_mock, client, pool_id
):
    cognito_sync_mock.inject_error("BulkPublish", "DuplicateRequestException")
    with pytest.raises(client.exceptions.DuplicateRequestException) as caught:
        client.bulk_publish(IdentityPoolId=pool_id)
    message = caught.value.response["Error"]["Message"]
    assert "DuplicateRequestException" in message
    assert "BulkPublish" in message


def test_an_injected_error_answers_the_next_times_calls_then_stops(
    cognito_sync_mock, client, pool_id
):
    cognito_sync_mock.inject_error(
        "GetBulkPublishDetails", "ResourceNotFoundException", times=3
    )
    for _ in range(3):
        with pytest.raises(client.exceptions.ResourceNotFoundException):
            client.get_bulk_publish_details(IdentityPoolId=pool_id)
    assert client.get_bulk_publish_details(IdentityPoolId=pool_id)["IdentityPoolId"]


def test_injected_errors_are_answered_in_the_order_they_were_injected(
    cognito_sync_mock, client, pool_id
):
    cognito_sync_mock.inject_error("BulkPublish", "AlreadyStreamedException")
    cognito_sync_mock.inject_error("BulkPublish", "DuplicateRequestException")
    codes = []
    for _ in range(2):
        with pytest.raises(ClientError) as caught:
            client.bulk_publish(IdentityPoolId=pool_id)
        codes.append(caught.value.response["Error"]["Code"])
    assert codes == ["AlreadyStreamedException", "DuplicateRequestException"]


def test_an_injected_error_only_affects_its_own_operation(
    cognito_sync_mock, client, pool_id
):
    cognito_sync_mock.inject_error("BulkPublish", "DuplicateRequestException")
    assert client.get_bulk_publish_details(IdentityPoolId=pool_id)["BulkPublishStatus"]
    with pytest.raises(client.exceptions.DuplicateRequestException):
        client.bulk_publish(IdentityPoolId=pool_id)


def test_an_injected_error_does_not_change_the_service_state(
    cognito_sync_mock, client, pool_id
):
    cognito_sync_mock.inject_error("BulkPublish", "InvalidParameterException")
    with pytest.raises(client.exceptions.InvalidParameterException):
        client.bulk_publish(IdentityPoolId=pool_id)
    details = client.get_bulk_publish_details(IdentityPoolId=pool_id)
    assert details["BulkPublishStatus"] == "NOT_STARTED"


# -- misuse fails at once, naming the valid choices -------------------------


def test_injecting_for_an_unknown_operation_names_the_operations(cognito_sync_mock):
    with pytest.raises(ValueError) as caught:
        cognito_sync_mock.inject_error("BulkPublsh", "InternalErrorException")
    message = str(caught.value)
    assert "'BulkPublsh'" in message
    for operation in MODEL.operation_names:
        assert operation in message


def test_injecting_an_error_the_operation_does_not_have_names_its_errors(
    cognito_sync_mock,
):
    with pytest.raises(ValueError) as caught:
        cognito_sync_mock.inject_error("BulkPublish", "ResourceConflictException")
    message = str(caught.value)
    assert "'ResourceConflictException'" in message
    for error in MODEL.operation_model("BulkPublish").error_shapes:
        assert error.name in message


@pytest.mark.parametrize("code", [None, 404, ["ThrottlingException"]])
def test_an_error_code_that_is_not_text_names_the_valid_codes(cognito_sync_mock, code):
    with pytest.raises(ValueError) as caught:
        cognito_sync_mock.inject_error("BulkPublish", code)
    message = str(caught.value)
    assert repr(code) in message
    for error in MODEL.operation_model("BulkPublish").error_shapes:
        assert error.name in message
    assert "ThrottlingException" in message


@pytest.mark.parametrize("message", [5, b"denied", ["denied"]])
def test_a_message_that_is_not_text_is_refused(cognito_sync_mock, message):
    with pytest.raises(TypeError, match="message must be text"):
        cognito_sync_mock.inject_error(
            "BulkPublish", "AccessDeniedException", message=message
        )
    assert cognito_sync_mock.backend.faults.pending() == []


@pytest.mark.parametrize("times", [0, -1, 1.5, True, "2", None])
def test_injecting_with_a_bad_times_is_refused(cognito_sync_mock, times):
    with pytest.raises(ValueError, match="times must be a whole number >= 1"):
        cognito_sync_mock.inject_error(
            "BulkPublish", "InternalErrorException", times=times
        )


def test_a_refused_injection_leaves_nothing_behind(cognito_sync_mock, client, pool_id):
    with pytest.raises(ValueError):
        cognito_sync_mock.inject_error("BulkPublish", "InternalErrorException", times=0)
    assert client.get_bulk_publish_details(IdentityPoolId=pool_id)["BulkPublishStatus"]


# -- botocore retries a forced 500 as it would a real one ------------------


@pytest.fixture
def sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """botocore's back-off between attempts, recorded instead of slept."""
    slept: list[float] = []
    monkeypatch.setattr(time, "sleep", slept.append)
    return slept


@pytest.mark.parametrize(
    ("retries", "attempts"),
    [
        ({"mode": "legacy"}, 5),
        ({"mode": "standard"}, 3),
        ({"mode": "standard", "max_attempts": 6}, 6),
    ],
    ids=["legacy", "standard", "standard-6"],
)
def test_a_forced_500_is_retried_until_it_clears(
    cognito_sync_mock, make_client, pool_id, sleeps, retries, attempts
):
    client = make_client(config=Config(retries=retries))
    failures = attempts - 1
    cognito_sync_mock.inject_error(
        "GetBulkPublishDetails", "InternalErrorException", times=failures
    )
    answer = client.get_bulk_publish_details(IdentityPoolId=pool_id)
    assert answer["ResponseMetadata"]["RetryAttempts"] == failures
    assert len(sleeps) == failures
    assert [(c.operation, c.error_code, c.status) for c in cognito_sync_mock.calls] == [
        ("GetBulkPublishDetails", "InternalErrorException", 500)
    ] * failures + [("GetBulkPublishDetails", None, 200)]


@pytest.mark.parametrize(
    ("retries", "attempts"),
    [({"mode": "legacy"}, 5), ({"mode": "standard"}, 3)],
    ids=["legacy", "standard"],
)
def test_a_500_that_never_clears_is_raised_after_the_last_attempt(
    cognito_sync_mock, make_client, pool_id, sleeps, retries, attempts
):
    client = make_client(config=Config(retries=retries))
    cognito_sync_mock.inject_error(
        "BulkPublish", "InternalErrorException", message="down", times=attempts
    )
    with pytest.raises(client.exceptions.InternalErrorException) as caught:
        client.bulk_publish(IdentityPoolId=pool_id)
    metadata = caught.value.response["ResponseMetadata"]
    assert metadata["HTTPStatusCode"] == 500
    assert metadata["RetryAttempts"] == attempts - 1
    assert metadata["MaxAttemptsReached"] is True
    assert [c.error_code for c in cognito_sync_mock.calls] == [
        "InternalErrorException"
    ] * attempts


@pytest.mark.parametrize(
    "code", ["InvalidParameterException", "NotAuthorizedException"]
)
def test_client_errors_are_not_retried(
    cognito_sync_mock, make_client, pool_id, sleeps, code
):
    client = make_client(config=Config(retries={"mode": "standard"}))
    cognito_sync_mock.inject_error("BulkPublish", code)
    with pytest.raises(getattr(client.exceptions, code)):
        client.bulk_publish(IdentityPoolId=pool_id)
    # A retry would have been answered by the service itself.
    assert [c.error_code for c in cognito_sync_mock.calls] == [code]
    assert sleeps == []


# -- the journal of calls ----------------------------------------------------


def test_calls_lists_every_request_oldest_first_with_params_and_outcome(
    cognito_sync_mock, client, pool_id
):
    missing = "us-east-1:00000000-0000-0000-0000-000000000000"
    client.get_bulk_publish_details(IdentityPoolId=pool_id)
    client.bulk_publish(IdentityPoolId=pool_id)
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.bulk_publish(IdentityPoolId=missing)
    with pytest.raises(client.exceptions.InvalidParameterException):
        client.bulk_publish(IdentityPoolId="bad")

    assert [
        (c.operation, dict(c.params), c.error_code) for c in cognito_sync_mock.calls
    ] == [
        ("GetBulkPublishDetails", {"IdentityPoolId": pool_id}, None),
        ("BulkPublish", {"IdentityPoolId": pool_id}, None),
        ("BulkPublish", {"IdentityPoolId": missing}, "ResourceNotFoundException"),
        ("BulkPublish", {"IdentityPoolId": "bad"}, "InvalidParameterException"),
    ]


def test_calls_is_a_snapshot_not_a_live_view(cognito_sync_mock, client, pool_id):
    before = cognito_sync_mock.calls
    client.get_bulk_publish_details(IdentityPoolId=pool_id)
    assert before == []
    assert len(cognito_sync_mock.calls) == 1


def test_seeding_and_steering_are_not_calls(cognito_sync_mock, pool_id):
    cognito_sync_mock.configure_streams(pool_id, "s")
    cognito_sync_mock.put_dataset(pool_id, "us-east-1:aa", "d", {"k": "v"})
    cognito_sync_mock.advance_time(10)
    assert cognito_sync_mock.calls == []
