"""The control API: the server's mock driven over HTTP with JSON."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
import requests
from hypothesis import given, settings
from hypothesis import strategies as st

from devices import ONE_ATTEMPT
from pytest_cognito_sync import CognitoSyncServer
from pytest_cognito_sync.server.control import METHODS, to_json
from server_clients import control, sync_client

IDENTITY = "us-east-1:1a2b3c4d-0000-4000-8000-000000000001"


@pytest.fixture(scope="module")
def server():
    with CognitoSyncServer(
        bulk_publish_duration=120, now=dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc)
    ) as running:
        yield running


@pytest.fixture(autouse=True)
def fresh(server):
    server.mock.reset()


def post(server, method, body):
    data = body if isinstance(body, (bytes, str)) else json.dumps(body)
    return requests.post(f"{server.url}/_cognito_sync/{method}", data=data, timeout=10)


def test_health_answers_once_serving(server):
    response = requests.get(f"{server.url}/_cognito_sync/health", timeout=10)
    assert response.status_code == 200
    assert response.json() == {"result": "ok"}


def test_a_whole_bulk_publish_driven_over_http(server):
    pool_id = control(server, "create_identity_pool")
    assert pool_id.startswith("us-east-1:")
    control(
        server,
        "put_dataset",
        identity_pool_id=pool_id,
        identity_id=IDENTITY,
        dataset_name="profile",
        records={"name": "Ada"},
    )
    control(server, "configure_streams", identity_pool_id=pool_id, stream_name="s")
    client = sync_client(server)
    client.bulk_publish(IdentityPoolId=pool_id)
    assert control(server, "now") == "2024-01-01T00:00:00+00:00"
    control(server, "advance_time", delta=120)
    assert control(server, "now") == "2024-01-01T00:02:00+00:00"
    details = client.get_bulk_publish_details(IdentityPoolId=pool_id)
    assert details["BulkPublishStatus"] == "SUCCEEDED"
    [record] = control(server, "stream_records", stream_name="s")
    assert record["datasetName"] == "profile"
    assert record["kinesisSyncRecords"][0]["key"] == "name"


def test_calls_travel_as_objects_keyed_by_field_name(server):
    pool_id = control(server, "create_identity_pool")
    sync_client(server).get_bulk_publish_details(IdentityPoolId=pool_id)
    assert control(server, "calls") == [
        {
            "operation": "GetBulkPublishDetails",
            "params": {"IdentityPoolId": pool_id},
            "error_code": None,
            "status": 200,
        }
    ]


def test_failures_and_injected_errors(server):
    pool_id = control(server, "create_identity_pool")
    control(server, "configure_streams", identity_pool_id=pool_id, stream_name="s")
    client = sync_client(server)
    client.bulk_publish(IdentityPoolId=pool_id)
    control(server, "fail_bulk_publish", identity_pool_id=pool_id, message="disk full")
    details = client.get_bulk_publish_details(IdentityPoolId=pool_id)
    assert details["BulkPublishStatus"] == "FAILED"
    assert details["FailureMessage"] == "disk full"
    control(
        server,
        "inject_error",
        operation="BulkPublish",
        error_code="InternalErrorException",
        message="slow down",
        times=1,
    )
    with pytest.raises(client.exceptions.InternalErrorException, match="slow down"):
        sync_client(server, config=ONE_ATTEMPT).bulk_publish(IdentityPoolId=pool_id)


def test_credentials_issued_over_http_sign_a_device(server):
    pool_id = control(server, "create_identity_pool")
    user = control(server, "issue_identity_credentials", identity_id=IDENTITY)
    assert dt.datetime.fromisoformat(user["Expiration"]) > dt.datetime(
        2024, 1, 1, tzinfo=dt.timezone.utc
    )
    device = sync_client(
        server,
        aws_access_key_id=user["AccessKeyId"],
        aws_secret_access_key=user["SecretKey"],
        aws_session_token=user["SessionToken"],
    )
    listing = device.list_records(
        IdentityPoolId=pool_id, IdentityId=IDENTITY, DatasetName="game"
    )
    assert listing["DatasetExists"] is False
    with pytest.raises(device.exceptions.NotAuthorizedException):
        device.bulk_publish(IdentityPoolId=pool_id)
    developer = control(server, "account_credentials", account_id="444455556666")
    assert set(developer) == {"AccessKeyId", "SecretAccessKey"}


def test_an_unknown_method_is_404_listing_the_valid_ones(server):
    response = post(server, "advance_tim", {})
    assert response.status_code == 404
    body = response.json()
    assert "unknown control method 'advance_tim'" in body["message"]
    assert "advance_time" in body["message"]
    assert body["methods"] == ["health", *METHODS]
    # attributes that are not offered stay out of reach
    for hidden in ("backend", "_pool", "start", "stop", "options", "__class__"):
        assert post(server, hidden, {}).status_code == 404


def test_set_sync_trigger_is_refused_saying_why(server):
    response = post(server, "set_sync_trigger", {})
    assert response.status_code == 404
    assert "Python callable" in response.json()["message"]


@pytest.mark.parametrize(
    ("method", "body", "kind", "message"),
    [
        ("advance_time", {"delta": -1}, "ValueError", "delta must not be negative"),
        ("advance_time", {}, "TypeError", "missing 1 required positional argument"),
        ("advance_time", {"delta": 1, "extra": 2}, "TypeError", "unexpected keyword"),
        (
            "create_identity_pool",
            {"identity_pool_id": "nope"},
            "ValueError",
            "identity_pool_id must match",
        ),
        (
            "complete_bulk_publish",
            {"identity_pool_id": "us-east-1:00"},
            "KeyError",
            "no identity pool 'us-east-1:00'",
        ),
        ("calls", {"x": 1}, "TypeError", "calls takes no arguments"),
        ("now", b"[1]", "TypeError", "must be a JSON object"),
        ("now", b"{bad", "ValueError", "not JSON"),
    ],
)
def test_a_bad_argument_is_400_with_the_python_message(
    server, method, body, kind, message
):
    response = post(server, method, body)
    assert response.status_code == 400
    assert response.json()["type"] == kind
    assert message in response.json()["message"]


def test_the_message_is_the_one_the_python_call_raises(server):
    with pytest.raises(ValueError) as raised:
        server.mock.advance_time(-5)
    response = post(server, "advance_time", {"delta": -5})
    assert response.json()["message"] == str(raised.value)


def test_only_post_calls_methods(server):
    response = requests.get(f"{server.url}/_cognito_sync/now", timeout=10)
    assert response.status_code == 405
    assert response.headers["Allow"] == "POST"


def test_reset_over_http_empties_the_state(server):
    pool_id = control(server, "create_identity_pool")
    control(server, "reset")
    with pytest.raises(sync_client(server).exceptions.ResourceNotFoundException):
        sync_client(server).get_bulk_publish_details(IdentityPoolId=pool_id)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda children: st.lists(children) | st.dictionaries(st.text(), children),
    max_leaves=20,
)


@settings(max_examples=50, deadline=None)
@given(
    value=json_values,
    moment=st.datetimes(timezones=st.just(dt.timezone.utc)),
    seconds=st.floats(min_value=0, max_value=1e6),
)
def test_to_json_gives_json_that_round_trips(value, moment, seconds):
    from pytest_cognito_sync import Call

    document = {
        "value": value,
        "moment": moment,
        "delta": dt.timedelta(seconds=seconds),
        "call": Call("BulkPublish", {"at": moment}, None, 200),
    }
    encoded = json.loads(json.dumps(to_json(document)))
    assert encoded["value"] == value
    assert dt.datetime.fromisoformat(encoded["moment"]) == moment
    assert encoded["delta"] == pytest.approx(
        dt.timedelta(seconds=seconds).total_seconds()
    )
    assert encoded["call"] == {
        "operation": "BulkPublish",
        "params": {"at": moment.isoformat()},
        "error_code": None,
        "status": 200,
    }


def test_lambda_events_of_the_stream_travel_as_json(server):
    pool_id = control(server, "create_identity_pool")
    control(server, "configure_streams", identity_pool_id=pool_id, stream_name="s")
    client = sync_client(server)
    where = {"IdentityPoolId": pool_id, "IdentityId": IDENTITY, "DatasetName": "d"}
    token = client.list_records(**where)["SyncSessionToken"]
    patch = {"Op": "replace", "Key": "k", "Value": "v", "SyncCount": 0}
    client.update_records(**where, SyncSessionToken=token, RecordPatches=[patch])
    events = control(server, "lambda_events", stream_name="s", batch_size=10)
    assert events == json.loads(
        json.dumps(server.mock.lambda_events("s", batch_size=10))
    )
    [event] = events
    [record] = event["Records"]
    assert record["eventSource"] == "aws:kinesis"


def test_the_readme_lists_every_control_method():
    readme = Path(__file__).resolve().parents[1] / "README.md"
    if not readme.is_file():
        pytest.skip("needs the source checkout")
    text = readme.read_text()
    section = text[text.index("### The control API") : text.index("### JavaScript")]
    methods = section[
        section.index("- The methods:") : section.index(", with the Python")
    ]
    assert re.findall(r"`(\w+)`", methods) == list(METHODS)


def test_every_control_method_is_a_mock_method_offered_once():
    from pytest_cognito_sync import CognitoSyncMock

    assert len(set(METHODS)) == len(METHODS)
    assert all(hasattr(CognitoSyncMock, name) for name in METHODS)
    assert "set_sync_trigger" not in METHODS


@pytest.mark.parametrize(
    ("method", "arguments", "message"),
    [
        # each of these was answered 200 and did nothing, or failed deep
        # inside the fake with a message that did not name the argument
        ("stream_records", {"stream_name": 5}, "stream_name must be a string; got 5"),
        (
            "lambda_events",
            {"stream_name": ["s"]},
            'stream_name must be a string; got ["s"]',
        ),
        (
            "inject_error",
            {
                "operation": "ListDatasets",
                "error_code": "InternalErrorException",
                "message": 5,
            },
            "message must be a string or null; got 5",
        ),
        (
            "inject_error",
            {"operation": "ListDatasets", "error_code": {"a": 1}},
            'error_code must be a string; got {"a": 1}',
        ),
        (
            "put_dataset",
            {
                "identity_pool_id": "us-east-1:00",
                "identity_id": IDENTITY,
                "dataset_name": 5,
                "records": {},
            },
            "dataset_name must be a string; got 5",
        ),
        (
            "put_dataset",
            {"records": [["k", "v"]]},
            'records must be an object; got [["k", "v"]]',
        ),
        ("advance_time", {"delta": "60"}, 'delta must be a number; got "60"'),
        ("advance_time", {"delta": True}, "delta must be a number; got true"),
        (
            "throttle_sync_trigger",
            {"identity_pool_id": "p", "times": 1.5},
            "times must be a whole number; got 1.5",
        ),
        (
            "configure_streams",
            {"enabled": "yes"},
            'enabled must be true or false; got "yes"',
        ),
        (
            "create_identity_pool",
            {"region": 5},
            "region must be a string or null; got 5",
        ),
    ],
)
def test_a_json_value_of_the_wrong_kind_is_400_naming_the_argument(
    server, method, arguments, message
):
    response = post(server, method, arguments)
    assert response.status_code == 400, response.text
    assert response.json() == {"message": message, "type": "TypeError"}


@settings(max_examples=40, deadline=None)
@given(
    value=st.one_of(
        st.integers(),
        st.floats(),
        st.booleans(),
        st.none(),
        st.lists(st.text(), max_size=2),
        st.dictionaries(st.text(), st.text(), max_size=2),
    )
)
def test_any_non_text_stream_name_is_refused(server, value):
    response = post(server, "stream_records", {"stream_name": value})
    assert response.status_code == 400
    assert response.json()["message"].startswith("stream_name must be a string; got ")
