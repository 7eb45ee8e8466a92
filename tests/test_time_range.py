"""Moments and durations the fake cannot represent are refused where they
are given, naming the option or argument and the range, and leave the
mock as it was: it keeps answering afterwards."""

from __future__ import annotations

import datetime as dt
import re

import boto3
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pytest_cognito_sync import mock_cognito_sync

UTC = dt.timezone.utc
EARLIEST = dt.datetime(1970, 1, 1, tzinfo=UTC)
LATEST = dt.datetime(9800, 1, 1, tzinfo=UTC)
MAX_DURATION = dt.timedelta(days=36_525)
RANGE = "from 1970-01-01T00:00:00Z to 9800-01-01T00:00:00Z"
PROPERTIES = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


def publish_and_read(cs) -> dict:
    """A bulk publish, read back: every computation a moment feeds."""
    pool = cs.create_identity_pool()
    cs.put_dataset(pool, "us-east-1:abc", "d", {"k": "v"})
    cs.configure_streams(pool, "s")
    client = boto3.client("cognito-sync", region_name="us-east-1")
    client.bulk_publish(IdentityPoolId=pool)
    cs.stream_records("s")
    client.list_records(
        IdentityPoolId=pool, IdentityId="us-east-1:abc", DatasetName="d"
    )
    cs.issue_identity_credentials()
    return client.get_bulk_publish_details(IdentityPoolId=pool)


@pytest.mark.parametrize(
    "delta", [dt.timedelta.max, 1e300, 10**15, dt.timedelta(days=3_000_000)]
)
def test_advance_time_past_the_range_is_refused_and_changes_nothing(delta):
    start = dt.datetime(2024, 1, 1, tzinfo=UTC)
    with mock_cognito_sync(now=start) as cs:
        message = (
            f"advance_time() must keep the clock {RANGE}: it is "
            "2024-01-01T00:00:00Z, so delta may be at most "
        )
        with pytest.raises(ValueError, match=f"^{re.escape(message)}"):
            cs.advance_time(delta)
        assert cs.now() == start
        assert publish_and_read(cs)["BulkPublishStatus"] == "SUCCEEDED"


@pytest.mark.parametrize(
    ("delta", "shown"),
    [
        (1e300, "1e+300 seconds"),
        (10**15, "1000000000000000 seconds"),
        (dt.timedelta(days=3_000_000), "3000000 days, 0:00:00"),
    ],
)
def test_a_refused_advance_shows_the_delta_as_given(delta, shown):
    with (
        mock_cognito_sync() as cs,
        pytest.raises(ValueError, match=f"; got {re.escape(shown)}$"),
    ):
        cs.advance_time(delta)


def test_advance_time_to_the_end_of_the_range_is_allowed():
    with mock_cognito_sync(now=LATEST - dt.timedelta(days=1)) as cs:
        cs.advance_time(dt.timedelta(days=1))
        assert cs.now() == LATEST
        assert publish_and_read(cs)["BulkPublishStatus"] == "SUCCEEDED"
        with pytest.raises(ValueError, match="delta may be at most 0:00:00"):
            cs.advance_time(dt.timedelta(microseconds=1))


def test_a_clock_following_real_time_is_bounded_too():
    with mock_cognito_sync() as cs:
        with pytest.raises(ValueError, match="advance_time"):
            cs.advance_time(LATEST - EARLIEST)
        assert abs(cs.now() - dt.datetime.now(UTC)) < dt.timedelta(minutes=5)


@PROPERTIES
@given(
    start=st.datetimes(
        min_value=dt.datetime(1970, 1, 1),
        max_value=dt.datetime(9800, 1, 1),
        timezones=st.just(UTC),
    ),
    deltas=st.lists(st.timedeltas(min_value=dt.timedelta(0)), max_size=3),
)
def test_any_advance_either_works_or_leaves_the_clock_as_it_was(start, deltas):
    with mock_cognito_sync(now=start) as cs:
        for delta in deltas:
            before = cs.now()
            try:
                cs.advance_time(delta)
            except ValueError as error:
                assert "advance_time()" in str(error)
                assert delta > LATEST - before
                assert cs.now() == before
            else:
                assert cs.now() == before + delta <= LATEST
        publish_and_read(cs)


@PROPERTIES
@given(
    now=st.datetimes(timezones=st.none() | st.timezones()),
    duration=st.timedeltas(min_value=dt.timedelta(0)),
)
def test_any_start_and_duration_either_work_or_are_refused_naming_them(now, duration):
    try:
        cs = mock_cognito_sync(now=now, bulk_publish_duration=duration)
    except ValueError as error:
        message = str(error)
        if message.startswith("now"):
            assert f"now must be {RANGE}" in message
        else:
            assert message.startswith("bulk_publish_duration must be at most")
            assert duration > MAX_DURATION
        return
    assert duration <= MAX_DURATION
    with cs:
        details = publish_and_read(cs)
        expected = "SUCCEEDED" if duration == dt.timedelta(0) else "IN_PROGRESS"
        assert details["BulkPublishStatus"] == expected


def test_the_longest_publish_at_the_latest_moment_is_due_and_completes():
    with mock_cognito_sync(now=LATEST, bulk_publish_duration=MAX_DURATION) as cs:
        details = publish_and_read(cs)
        assert details["BulkPublishStatus"] == "IN_PROGRESS"
        pool = details["IdentityPoolId"]
        cs.complete_bulk_publish(pool)
        client = boto3.client("cognito-sync", region_name="us-east-1")
        done = client.get_bulk_publish_details(IdentityPoolId=pool)
        assert done["BulkPublishStatus"] == "SUCCEEDED"
        with pytest.raises(client.exceptions.AlreadyStreamedException):
            client.bulk_publish(IdentityPoolId=pool)


def test_the_ini_refuses_a_moment_out_of_range_at_startup(pytester):
    pytester.makeini("[pytest]\ncognito_sync_now = 0001-01-01T00:00:00Z\n")
    pytester.makepyfile("def test_nothing(): pass\n")
    result = pytester.runpytest_subprocess()
    assert result.ret != 0
    result.stderr.fnmatch_lines([f"*cognito_sync_now: now must be {RANGE}*"])
