"""BulkPublish and GetBulkPublishDetails through a real boto3 client, on a
frozen fake clock: the state machine, the 24-hour rule and the stream
records a publish writes."""

from __future__ import annotations

import copy
import datetime as dt
import json
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from pytest_cognito_sync import CognitoSyncMock

START = dt.datetime(2024, 5, 1, 12, 0, tzinfo=dt.timezone.utc)
DURATION = dt.timedelta(minutes=5)
STREAM = "pool-export"
DAY = dt.timedelta(hours=24)
MS = dt.timedelta(milliseconds=1)

pytestmark = pytest.mark.cognito_sync_mock(now=START, bulk_publish_duration=DURATION)


def millis(moment: dt.datetime) -> int:
    return int(moment.timestamp() * 1000)


@pytest.fixture
def streamed_pool(cognito_sync_mock: CognitoSyncMock, pool_id: str) -> str:
    cognito_sync_mock.configure_streams(pool_id, STREAM)
    return pool_id


def details(client: Any, pool_id: str) -> dict[str, Any]:
    answer = client.get_bulk_publish_details(IdentityPoolId=pool_id)
    answer.pop("ResponseMetadata")
    return answer


def publish_and_finish(cs: CognitoSyncMock, client: Any, pool_id: str) -> None:
    client.bulk_publish(IdentityPoolId=pool_id)
    cs.advance_time(DURATION)


# -- GetBulkPublishDetails per status -------------------------------------


def test_a_pool_never_published_is_not_started_with_no_times(client, pool_id):
    assert details(client, pool_id) == {
        "IdentityPoolId": pool_id,
        "BulkPublishStatus": "NOT_STARTED",
    }


def test_bulk_publish_answers_the_pool_id(client, streamed_pool):
    answer = client.bulk_publish(IdentityPoolId=streamed_pool)
    assert answer["IdentityPoolId"] == streamed_pool
    assert answer["ResponseMetadata"]["HTTPStatusCode"] == 200


def test_a_running_publish_is_in_progress_with_only_its_start_time(
    client, streamed_pool
):
    client.bulk_publish(IdentityPoolId=streamed_pool)
    assert details(client, streamed_pool) == {
        "IdentityPoolId": streamed_pool,
        "BulkPublishStatus": "IN_PROGRESS",
        "BulkPublishStartTime": START,
    }


def test_a_publish_stays_in_progress_until_its_duration_has_passed(
    cognito_sync_mock, client, streamed_pool
):
    client.bulk_publish(IdentityPoolId=streamed_pool)
    cognito_sync_mock.advance_time(DURATION - MS)
    assert details(client, streamed_pool)["BulkPublishStatus"] == "IN_PROGRESS"
    cognito_sync_mock.advance_time(MS)
    assert details(client, streamed_pool)["BulkPublishStatus"] == "SUCCEEDED"


@pytest.mark.parametrize("looked_after", [DURATION, DURATION * 7, DAY * 3])
def test_a_succeeded_publish_completed_at_start_plus_duration_however_late_seen(
    cognito_sync_mock, client, streamed_pool, looked_after
):
    client.bulk_publish(IdentityPoolId=streamed_pool)
    cognito_sync_mock.advance_time(looked_after)
    assert details(client, streamed_pool) == {
        "IdentityPoolId": streamed_pool,
        "BulkPublishStatus": "SUCCEEDED",
        "BulkPublishStartTime": START,
        "BulkPublishCompleteTime": START + DURATION,
    }


@pytest.mark.cognito_sync_mock(bulk_publish_duration=0)
def test_with_zero_duration_a_publish_has_succeeded_when_the_call_returns(
    client, streamed_pool
):
    client.bulk_publish(IdentityPoolId=streamed_pool)
    assert details(client, streamed_pool) == {
        "IdentityPoolId": streamed_pool,
        "BulkPublishStatus": "SUCCEEDED",
        "BulkPublishStartTime": START,
        "BulkPublishCompleteTime": START,
    }


def test_the_duration_option_accepts_seconds_as_well_as_a_timedelta():
    # The module marker gives a timedelta; a nearer marker may give seconds.
    seconds = DURATION.total_seconds()
    with CognitoSyncMock(now=START, bulk_publish_duration=seconds) as cs:
        pool = cs.create_identity_pool()
        cs.configure_streams(pool, STREAM)
        client = boto3.client("cognito-sync", region_name="us-east-1")
        publish_and_finish(cs, client, pool)
        assert details(client, pool)["BulkPublishCompleteTime"] == START + DURATION


# -- steering a publish from the test ------------------------------------


def test_complete_bulk_publish_ends_a_running_publish_now(
    cognito_sync_mock, client, streamed_pool
):
    client.bulk_publish(IdentityPoolId=streamed_pool)
    cognito_sync_mock.advance_time(60)
    cognito_sync_mock.complete_bulk_publish(streamed_pool)
    assert details(client, streamed_pool) == {
        "IdentityPoolId": streamed_pool,
        "BulkPublishStatus": "SUCCEEDED",
        "BulkPublishStartTime": START,
        "BulkPublishCompleteTime": START + dt.timedelta(seconds=60),
    }
    assert len(cognito_sync_mock.stream_records(STREAM)) == 0  # pool has no data


def test_complete_bulk_publish_gives_the_outcome_the_publish_would_have_had(
    cognito_sync_mock, client, pool_id
):
    # No stream configured: at its scheduled end it would have failed.
    client.bulk_publish(IdentityPoolId=pool_id)
    cognito_sync_mock.complete_bulk_publish(pool_id)
    answer = details(client, pool_id)
    assert answer["BulkPublishStatus"] == "FAILED"
    assert "BulkPublishCompleteTime" not in answer


@pytest.mark.parametrize("publish_first", [False, True], ids=["never", "finished"])
def test_complete_bulk_publish_refuses_when_nothing_is_in_progress(
    cognito_sync_mock, client, streamed_pool, publish_first
):
    if publish_first:
        publish_and_finish(cognito_sync_mock, client, streamed_pool)
    expected = "SUCCEEDED" if publish_first else "NOT_STARTED"
    with pytest.raises(
        RuntimeError, match=f"no bulk publish is IN_PROGRESS.*{expected}"
    ):
        cognito_sync_mock.complete_bulk_publish(streamed_pool)


def test_fail_bulk_publish_ends_a_running_publish_failed_now(
    cognito_sync_mock, client, streamed_pool
):
    cognito_sync_mock.put_dataset(streamed_pool, "us-east-1:1", "settings", {"a": "1"})
    client.bulk_publish(IdentityPoolId=streamed_pool)
    cognito_sync_mock.advance_time(30)
    cognito_sync_mock.fail_bulk_publish(streamed_pool, "Kinesis throttled the stream")
    assert details(client, streamed_pool) == {
        "IdentityPoolId": streamed_pool,
        "BulkPublishStatus": "FAILED",
        "BulkPublishStartTime": START,
        "FailureMessage": "Kinesis throttled the stream",
    }
    # Failing is final: reaching the scheduled end changes nothing.
    cognito_sync_mock.advance_time(DURATION)
    assert details(client, streamed_pool)["BulkPublishStatus"] == "FAILED"
    assert cognito_sync_mock.stream_records(STREAM) == []


def test_fail_bulk_publish_with_nothing_running_makes_the_next_publish_fail(
    cognito_sync_mock, client, streamed_pool
):
    cognito_sync_mock.put_dataset(streamed_pool, "us-east-1:1", "settings", {"a": "1"})
    cognito_sync_mock.fail_bulk_publish(streamed_pool, "stream deleted")
    assert details(client, streamed_pool)["BulkPublishStatus"] == "NOT_STARTED"

    client.bulk_publish(IdentityPoolId=streamed_pool)
    assert details(client, streamed_pool)["BulkPublishStatus"] == "IN_PROGRESS"
    cognito_sync_mock.advance_time(DURATION)
    assert details(client, streamed_pool) == {
        "IdentityPoolId": streamed_pool,
        "BulkPublishStatus": "FAILED",
        "BulkPublishStartTime": START,
        "FailureMessage": "stream deleted",
    }
    assert cognito_sync_mock.stream_records(STREAM) == []


def test_a_forced_failure_applies_to_one_publish_only(
    cognito_sync_mock, client, streamed_pool
):
    cognito_sync_mock.fail_bulk_publish(streamed_pool, "once")
    publish_and_finish(cognito_sync_mock, client, streamed_pool)
    publish_and_finish(cognito_sync_mock, client, streamed_pool)
    assert details(client, streamed_pool)["BulkPublishStatus"] == "SUCCEEDED"


def test_steering_helpers_name_an_unknown_pool(cognito_sync_mock, pool_id):
    unknown = "us-east-1:00000000-0000-0000-0000-000000000000"
    with pytest.raises(KeyError, match=f"no identity pool '{unknown}'.*{pool_id}"):
        cognito_sync_mock.fail_bulk_publish(unknown, "x")
    with pytest.raises(KeyError, match="create_identity_pool"):
        cognito_sync_mock.complete_bulk_publish(unknown)


# -- when a new publish is allowed ----------------------------------------


def test_a_publish_while_one_is_in_progress_is_a_duplicate_request(
    cognito_sync_mock, client, streamed_pool
):
    client.bulk_publish(IdentityPoolId=streamed_pool)
    cognito_sync_mock.advance_time(DURATION - MS)
    with pytest.raises(client.exceptions.DuplicateRequestException) as caught:
        client.bulk_publish(IdentityPoolId=streamed_pool)
    error = caught.value.response
    assert error["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert "IN_PROGRESS" in error["Error"]["Message"]
    # The running publish is untouched.
    assert details(client, streamed_pool)["BulkPublishStartTime"] == START


@pytest.mark.parametrize(
    ("after_completion", "allowed"),
    [
        (dt.timedelta(0), False),
        (DAY - dt.timedelta(seconds=1), False),
        (DAY - MS, False),
        (DAY, True),
        (DAY + dt.timedelta(hours=1), True),
    ],
    ids=["at-once", "a-second-early", "a-millisecond-early", "exactly-24h", "25h"],
)
def test_a_new_publish_is_allowed_24_hours_after_the_last_success_completed(
    cognito_sync_mock, client, streamed_pool, after_completion, allowed
):
    publish_and_finish(cognito_sync_mock, client, streamed_pool)
    completed = details(client, streamed_pool)["BulkPublishCompleteTime"]
    cognito_sync_mock.advance_time(after_completion)
    if allowed:
        client.bulk_publish(IdentityPoolId=streamed_pool)
        assert details(client, streamed_pool) == {
            "IdentityPoolId": streamed_pool,
            "BulkPublishStatus": "IN_PROGRESS",
            "BulkPublishStartTime": completed + after_completion,
        }
    else:
        with pytest.raises(client.exceptions.AlreadyStreamedException) as caught:
            client.bulk_publish(IdentityPoolId=streamed_pool)
        assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
        assert "24 hours" in caught.value.response["Error"]["Message"]
        assert details(client, streamed_pool)["BulkPublishStatus"] == "SUCCEEDED"


def test_the_24_hours_count_from_completion_not_from_start(
    cognito_sync_mock, client, streamed_pool
):
    publish_and_finish(cognito_sync_mock, client, streamed_pool)
    # 24 h after the start, but 5 minutes short of 24 h after completion.
    cognito_sync_mock.advance_time(DAY - DURATION)
    with pytest.raises(client.exceptions.AlreadyStreamedException):
        client.bulk_publish(IdentityPoolId=streamed_pool)


@pytest.mark.parametrize("cause", ["forced", "no-stream", "streaming-disabled"])
def test_a_failed_publish_can_be_retried_at_once(
    cognito_sync_mock, client, pool_id, cause
):
    if cause == "forced":
        cognito_sync_mock.configure_streams(pool_id, STREAM)
        cognito_sync_mock.fail_bulk_publish(pool_id, "boom")
    elif cause == "streaming-disabled":
        cognito_sync_mock.configure_streams(pool_id, STREAM, enabled=False)
    publish_and_finish(cognito_sync_mock, client, pool_id)
    assert details(client, pool_id)["BulkPublishStatus"] == "FAILED"

    client.bulk_publish(IdentityPoolId=pool_id)
    assert details(client, pool_id) == {
        "IdentityPoolId": pool_id,
        "BulkPublishStatus": "IN_PROGRESS",
        "BulkPublishStartTime": START + DURATION,
    }


# -- streaming not possible -------------------------------------------------


@pytest.mark.parametrize(
    ("configure", "cause"),
    [
        (None, "No Cognito stream is configured"),
        ({"enabled": False}, "streaming is DISABLED"),
    ],
    ids=["no-stream", "streaming-disabled"],
)
def test_a_publish_that_cannot_stream_ends_failed_naming_the_cause(
    cognito_sync_mock, client, pool_id, configure, cause
):
    if configure is not None:
        cognito_sync_mock.configure_streams(pool_id, STREAM, **configure)
    cognito_sync_mock.put_dataset(pool_id, "us-east-1:1", "settings", {"a": "1"})
    client.bulk_publish(IdentityPoolId=pool_id)
    assert details(client, pool_id)["BulkPublishStatus"] == "IN_PROGRESS"
    cognito_sync_mock.advance_time(DURATION)

    answer = details(client, pool_id)
    assert answer["BulkPublishStatus"] == "FAILED"
    assert answer["BulkPublishStartTime"] == START
    assert "BulkPublishCompleteTime" not in answer
    assert cause in answer["FailureMessage"]
    assert pool_id in answer["FailureMessage"]
    assert cognito_sync_mock.stream_records(STREAM) == []


def test_streaming_disabled_while_a_publish_runs_makes_it_fail_at_its_end(
    cognito_sync_mock, client, streamed_pool
):
    client.bulk_publish(IdentityPoolId=streamed_pool)
    cognito_sync_mock.configure_streams(streamed_pool, STREAM, enabled=False)
    cognito_sync_mock.advance_time(DURATION)
    assert details(client, streamed_pool)["BulkPublishStatus"] == "FAILED"


# -- what a publish writes to the stream ----------------------------------


def test_a_succeeded_publish_writes_one_stream_record_per_dataset(
    cognito_sync_mock, client, streamed_pool
):
    seeded = {
        ("us-east-1:aa", "settings"): {"theme": "dark"},
        ("us-east-1:aa", "scores"): {"level-1": "300", "level-2": "120"},
        ("us-east-1:bb", "settings"): {"theme": "light"},
    }
    for (identity, dataset), records in seeded.items():
        cognito_sync_mock.put_dataset(streamed_pool, identity, dataset, records)

    publish_and_finish(cognito_sync_mock, client, streamed_pool)

    written = cognito_sync_mock.stream_records(STREAM)
    assert len(written) == len(seeded)
    assert {
        (record["identityId"], record["datasetName"]): {
            sync["key"]: sync["value"] for sync in record["kinesisSyncRecords"]
        }
        for record in written
    } == seeded
    assert {record["identityPoolId"] for record in written} == {streamed_pool}


def test_a_stream_record_has_the_documented_format(
    cognito_sync_mock, client, streamed_pool
):
    cognito_sync_mock.put_dataset(streamed_pool, "us-east-1:aa", "settings", {"a": "1"})
    cognito_sync_mock.advance_time(90)
    cognito_sync_mock.put_dataset(streamed_pool, "us-east-1:aa", "settings", {"b": "2"})
    cognito_sync_mock.advance_time(DAY)

    publish_and_finish(cognito_sync_mock, client, streamed_pool)

    first, second = START, START + dt.timedelta(seconds=90)
    (record,) = cognito_sync_mock.stream_records(STREAM)
    assert record == {
        "identityPoolId": streamed_pool,
        "identityId": "us-east-1:aa",
        "datasetName": "settings",
        "operation": "replace",
        "kinesisSyncRecords": [
            {
                "key": "a",
                "value": "1",
                "syncCount": 1,
                "lastModifiedDate": millis(first),
                "deviceLastModifiedDate": millis(first),
                "op": "replace",
            },
            {
                "key": "b",
                "value": "2",
                "syncCount": 2,
                "lastModifiedDate": millis(second),
                "deviceLastModifiedDate": millis(second),
                "op": "replace",
            },
        ],
        "lastModifiedDate": millis(second),
        "kinesisSyncRecordsURL": None,
        "payloadType": "Inline",
        "syncCount": 2,
    }
    # The guide's spelling is not emitted: consumers read datasetName.
    assert "dataSetName" not in record


def test_stream_records_read_are_ordinary_dicts_a_test_may_change(
    cognito_sync_mock, client, streamed_pool
):
    cognito_sync_mock.put_dataset(
        streamed_pool, "us-east-1:aa", "settings", {"a": "1", "b": None}
    )
    publish_and_finish(cognito_sync_mock, client, streamed_pool)

    read = cognito_sync_mock.stream_records(STREAM)
    (record,) = read
    stamp = millis(START)
    # Key order as documented, and JSON text byte for byte.
    assert json.dumps(record) == json.dumps(
        {
            "identityPoolId": streamed_pool,
            "identityId": "us-east-1:aa",
            "datasetName": "settings",
            "operation": "replace",
            "kinesisSyncRecords": [
                {
                    "key": "a",
                    "value": "1",
                    "syncCount": 1,
                    "lastModifiedDate": stamp,
                    "deviceLastModifiedDate": stamp,
                    "op": "replace",
                },
                {
                    "key": "b",
                    "value": None,
                    "syncCount": 1,
                    "lastModifiedDate": stamp,
                    "deviceLastModifiedDate": stamp,
                    "op": "remove",
                },
            ],
            "lastModifiedDate": stamp,
            "kinesisSyncRecordsURL": None,
            "payloadType": "Inline",
            "syncCount": 1,
        }
    )
    assert type(record) is dict
    assert all(type(sync) is dict for sync in record["kinesisSyncRecords"])
    assert copy.deepcopy(read) == read == json.loads(json.dumps(read))

    unchanged = copy.deepcopy(read)
    first, second = record["kinesisSyncRecords"]
    first["value"] = "changed"
    first["extra"] = 1
    del first["op"]
    second.clear()
    record["kinesisSyncRecords"].append({"key": "c"})
    record["syncCount"] = 7
    del record["datasetName"]
    assert first == {
        "key": "a",
        "value": "changed",
        "syncCount": 1,
        "lastModifiedDate": stamp,
        "deviceLastModifiedDate": stamp,
        "extra": 1,
    }
    assert list(first) == [*list(unchanged[0]["kinesisSyncRecords"][0])[:-1], "extra"]
    # A later read is not touched by what the test did to an earlier one.
    again = cognito_sync_mock.stream_records(STREAM)
    assert again == unchanged
    assert json.dumps(again) == json.dumps(unchanged)


@pytest.mark.parametrize("tombstone", [False, True])
def test_a_dataset_beyond_the_inline_limit_is_published_as_an_s3_url(
    cognito_sync_mock, client, streamed_pool, tombstone
):
    # Quotes double in JSON: 600,000 of them are over 1 MB inline, though
    # the dataset holds 600 KB. Beside it, a small dataset stays inline.
    big = {"big": '"' * 600_000, **({"gone": None} if tombstone else {})}
    cognito_sync_mock.put_dataset(streamed_pool, "us-east-1:aa", "big", big)
    cognito_sync_mock.put_dataset(streamed_pool, "us-east-1:aa", "small", {"a": "1"})
    publish_and_finish(cognito_sync_mock, client, streamed_pool)

    records = {r["datasetName"]: r for r in cognito_sync_mock.stream_records(STREAM)}
    assert records["small"]["payloadType"] == "Inline"
    record = records["big"]
    assert (record["payloadType"], record["kinesisSyncRecords"]) == ("S3Url", None)
    payload = cognito_sync_mock.stream_payload(record["kinesisSyncRecordsURL"])
    assert {sync["key"]: sync["value"] for sync in payload} == big


def test_stream_dates_are_epoch_milliseconds_not_seconds():
    moment = START.replace(microsecond=456_000)
    with CognitoSyncMock(now=moment) as cs:
        pool = cs.create_identity_pool()
        cs.configure_streams(pool, STREAM)
        cs.put_dataset(pool, "us-east-1:aa", "settings", {"a": "1"})
        boto3.client("cognito-sync", region_name="us-east-1").bulk_publish(
            IdentityPoolId=pool
        )
        (record,) = cs.stream_records(STREAM)
    assert record["lastModifiedDate"] == 1714564800456
    assert record["kinesisSyncRecords"][0]["lastModifiedDate"] == 1714564800456


def test_seeding_datasets_writes_no_stream_record(cognito_sync_mock, streamed_pool):
    cognito_sync_mock.put_dataset(streamed_pool, "us-east-1:aa", "settings", {"a": "1"})
    cognito_sync_mock.put_dataset(streamed_pool, "us-east-1:aa", "settings", {"b": "2"})
    assert cognito_sync_mock.stream_records(STREAM) == []


def test_a_running_publish_has_written_nothing_yet(
    cognito_sync_mock, client, streamed_pool
):
    cognito_sync_mock.put_dataset(streamed_pool, "us-east-1:aa", "settings", {"a": "1"})
    client.bulk_publish(IdentityPoolId=streamed_pool)
    assert cognito_sync_mock.stream_records(STREAM) == []
    cognito_sync_mock.advance_time(DURATION)
    assert len(cognito_sync_mock.stream_records(STREAM)) == 1


def test_a_publish_of_a_pool_without_datasets_succeeds_and_writes_nothing(
    cognito_sync_mock, client, streamed_pool
):
    publish_and_finish(cognito_sync_mock, client, streamed_pool)
    assert details(client, streamed_pool)["BulkPublishStatus"] == "SUCCEEDED"
    assert cognito_sync_mock.stream_records(STREAM) == []


def test_records_go_to_the_pools_own_stream_only(cognito_sync_mock, client):
    pools = {}
    for stream in ("stream-a", "stream-b"):
        pool = cognito_sync_mock.create_identity_pool()
        cognito_sync_mock.configure_streams(pool, stream)
        cognito_sync_mock.put_dataset(pool, "us-east-1:aa", "settings", {"a": "1"})
        pools[stream] = pool
    publish_and_finish(cognito_sync_mock, client, pools["stream-a"])

    assert [
        r["identityPoolId"] for r in cognito_sync_mock.stream_records("stream-a")
    ] == [pools["stream-a"]]
    assert cognito_sync_mock.stream_records("stream-b") == []
    assert cognito_sync_mock.stream_records("never-configured") == []


def test_a_publish_a_day_later_writes_the_datasets_again(
    cognito_sync_mock, client, streamed_pool
):
    cognito_sync_mock.put_dataset(streamed_pool, "us-east-1:aa", "settings", {"a": "1"})
    publish_and_finish(cognito_sync_mock, client, streamed_pool)
    cognito_sync_mock.advance_time(DAY)
    cognito_sync_mock.put_dataset(streamed_pool, "us-east-1:aa", "settings", {"a": "2"})
    publish_and_finish(cognito_sync_mock, client, streamed_pool)

    values = [
        record["kinesisSyncRecords"][0]["value"]
        for record in cognito_sync_mock.stream_records(STREAM)
    ]
    assert values == ["1", "2"]


# -- errors arrive as modeled exceptions -----------------------------------


def _running(cs: CognitoSyncMock, client: Any, pool: str) -> None:
    cs.configure_streams(pool, STREAM)
    client.bulk_publish(IdentityPoolId=pool)


def _recently_streamed(cs: CognitoSyncMock, client: Any, pool: str) -> None:
    cs.configure_streams(pool, STREAM)
    publish_and_finish(cs, client, pool)


def _unknown_pool(cs: CognitoSyncMock, client: Any, pool: str) -> str:
    return "us-east-1:00000000-0000-0000-0000-000000000000"


@pytest.mark.parametrize(
    ("operation", "setup", "exception", "status"),
    [
        ("bulk_publish", _running, "DuplicateRequestException", 400),
        ("bulk_publish", _recently_streamed, "AlreadyStreamedException", 400),
        ("bulk_publish", _unknown_pool, "ResourceNotFoundException", 404),
        ("get_bulk_publish_details", _unknown_pool, "ResourceNotFoundException", 404),
    ],
)
def test_errors_arrive_as_the_modeled_exception_class_and_status(
    cognito_sync_mock, client, pool_id, operation, setup, exception, status
):
    target = setup(cognito_sync_mock, client, pool_id) or pool_id
    with pytest.raises(getattr(client.exceptions, exception)) as caught:
        getattr(client, operation)(IdentityPoolId=target)
    response = caught.value.response
    assert response["Error"]["Code"] == exception
    assert response["Error"]["Message"]
    assert response["ResponseMetadata"]["HTTPStatusCode"] == status
    assert response["ResponseMetadata"]["RequestId"]
    assert cognito_sync_mock.calls[-1].error_code == exception


# -- the whole state machine, explored ------------------------------------


class BulkPublishMachine(RuleBasedStateMachine):
    """Random sequences of publishes, clock moves, steering and streaming
    changes, checked after every step against a model of the documented
    rules."""

    def __init__(self) -> None:
        super().__init__()
        self.cs: CognitoSyncMock | None = None
        self.client = boto3.client("cognito-sync", region_name="us-east-1")

    @initialize(duration=st.sampled_from([0, 60, 3600]))
    def start(self, duration: int) -> None:
        self.duration = dt.timedelta(seconds=duration)
        self.cs = CognitoSyncMock(now=START, bulk_publish_duration=self.duration)
        self.cs.start()
        self.pool = self.cs.create_identity_pool()
        self.now = START
        self.status = "NOT_STARTED"
        self.started: dt.datetime | None = None
        self.due: dt.datetime | None = None
        self.completed: dt.datetime | None = None
        self.failure: str | None = None
        self.forced: str | None = None
        self.streaming: bool | None = None  # None: no stream configured
        self.datasets = 0
        self.records = 0

    def teardown(self) -> None:
        if self.cs is not None:
            self.cs.stop()

    # -- the model -------------------------------------------------------

    def finish(self, at: dt.datetime) -> None:
        if self.forced is not None:
            self.status, self.failure, self.forced = "FAILED", self.forced, None
        elif not self.streaming:
            self.status, self.failure = "FAILED", "stream"
        else:
            self.status, self.completed = "SUCCEEDED", at
            self.records += self.datasets
        self.due = None

    def settle(self) -> None:
        if (
            self.status == "IN_PROGRESS"
            and self.due is not None
            and self.now >= self.due
        ):
            self.finish(self.due)

    # -- rules -----------------------------------------------------------

    @rule()
    def publish(self) -> None:
        self.settle()
        assert self.cs is not None
        if self.status == "IN_PROGRESS":
            expected: str | None = "DuplicateRequestException"
        elif self.status == "SUCCEEDED" and self.now < self.completed + DAY:
            expected = "AlreadyStreamedException"
        else:
            expected = None
        try:
            self.client.bulk_publish(IdentityPoolId=self.pool)
            outcome = None
        except ClientError as error:
            outcome = error.response["Error"]["Code"]
        assert outcome == expected
        if expected is None:
            self.status, self.started = "IN_PROGRESS", self.now
            self.due, self.completed, self.failure = (
                self.now + self.duration,
                None,
                None,
            )
            self.settle()

    @rule(seconds=st.integers(0, 2 * 86400))
    def advance(self, seconds: int) -> None:
        assert self.cs is not None
        self.cs.advance_time(seconds)
        self.now += dt.timedelta(seconds=seconds)
        self.settle()

    @rule(early=st.sampled_from([dt.timedelta(0), MS]))
    def advance_to_the_next_boundary(self, early: dt.timedelta) -> None:
        """To just before (or exactly at) the publish's end or the 24 hours."""
        self.settle()
        if self.status == "IN_PROGRESS" and self.due is not None:
            target = self.due - early
        elif self.status == "SUCCEEDED" and self.completed is not None:
            target = self.completed + DAY - early
        else:
            return
        if target > self.now:
            self.advance_exactly(target - self.now)

    def advance_exactly(self, delta: dt.timedelta) -> None:
        assert self.cs is not None
        self.cs.advance_time(delta)
        self.now += delta
        self.settle()

    @rule()
    def complete(self) -> None:
        assert self.cs is not None
        self.settle()
        if self.status == "IN_PROGRESS":
            self.cs.complete_bulk_publish(self.pool)
            self.finish(self.now)
        else:
            with pytest.raises(RuntimeError):
                self.cs.complete_bulk_publish(self.pool)

    @rule(message=st.sampled_from(["boom", "stream deleted"]))
    def fail(self, message: str) -> None:
        assert self.cs is not None
        self.settle()
        self.cs.fail_bulk_publish(self.pool, message)
        self.forced = message
        if self.status == "IN_PROGRESS":
            self.finish(self.now)

    @rule(enabled=st.booleans())
    def configure_streams(self, enabled: bool) -> None:
        assert self.cs is not None
        self.settle()
        self.cs.configure_streams(self.pool, STREAM, enabled=enabled)
        self.streaming = enabled

    @rule()
    def seed_a_dataset(self) -> None:
        assert self.cs is not None
        self.settle()
        self.datasets += 1
        # At most 20 datasets per identity, as on the service.
        identity = f"us-east-1:{self.datasets // 20:x}a"
        self.cs.put_dataset(
            self.pool, identity, f"set{self.datasets}", {"k": str(self.datasets)}
        )

    # -- what boto3 and the stream show -----------------------------------

    @invariant()
    def details_match_the_model(self) -> None:
        if self.cs is None:
            return
        self.settle()
        answer = details(self.client, self.pool)
        assert answer["BulkPublishStatus"] == self.status
        assert answer.get("BulkPublishStartTime") == self.started
        assert answer.get("BulkPublishCompleteTime") == (
            self.completed if self.status == "SUCCEEDED" else None
        )
        if self.status == "FAILED":
            assert self.failure is not None
            assert self.failure in answer["FailureMessage"]
        else:
            assert "FailureMessage" not in answer

    @invariant()
    def the_stream_holds_what_succeeded(self) -> None:
        if self.cs is None:
            return
        assert len(self.cs.stream_records(STREAM)) == self.records


TestBulkPublishStateMachine = BulkPublishMachine.TestCase
TestBulkPublishStateMachine.settings = settings(
    max_examples=40, stateful_step_count=25, deadline=None
)
