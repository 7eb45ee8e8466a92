"""The fake service's clock: frozen at ``now=``, or following real time so
that time-machine (and freezegun) move it; advanced by ``advance_time``."""

from __future__ import annotations

import datetime as dt

import boto3
import pytest
import requests
import time_machine
from requests_aws4auth import AWS4Auth

from pytest_cognito_sync import mock_cognito_sync

UTC = dt.timezone.utc
START = dt.datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


def start_time_of_a_publish(cs) -> dt.datetime:
    pool = cs.create_identity_pool()
    client = boto3.client("cognito-sync", region_name="us-east-1")
    client.bulk_publish(IdentityPoolId=pool)
    return client.get_bulk_publish_details(IdentityPoolId=pool)["BulkPublishStartTime"]


# -- frozen -------------------------------------------------------------------------


def test_a_frozen_clock_reads_the_same_until_advanced():
    with mock_cognito_sync(now=START) as cs:
        assert cs.now() == START
        start_time_of_a_publish(cs)
        assert cs.now() == START
        assert start_time_of_a_publish(cs) == START


@pytest.mark.parametrize(
    "given",
    [
        dt.datetime(2024, 5, 1, 12, 0),
        dt.datetime(2024, 5, 1, 14, 0, tzinfo=dt.timezone(dt.timedelta(hours=2))),
        dt.datetime(2024, 5, 1, 7, 0, tzinfo=dt.timezone(dt.timedelta(hours=-5))),
    ],
    ids=["naive-taken-as-utc", "utc-plus-2", "utc-minus-5"],
)
def test_now_is_timezone_aware_utc_whatever_zone_it_was_given_in(given):
    with mock_cognito_sync(now=given) as cs:
        assert cs.now() == START
        assert cs.now().tzinfo == UTC


@pytest.mark.parametrize(
    "delta",
    [90, 90.0, dt.timedelta(seconds=90), dt.timedelta(minutes=1, seconds=30)],
    ids=["int", "float", "timedelta", "minutes"],
)
def test_advance_time_takes_seconds_or_a_timedelta(delta):
    with mock_cognito_sync(now=START) as cs:
        cs.advance_time(delta)
        assert cs.now() == START + dt.timedelta(seconds=90)


def test_advances_add_up():
    with mock_cognito_sync(now=START) as cs:
        cs.advance_time(0.5)
        cs.advance_time(dt.timedelta(days=2))
        assert cs.now() == START + dt.timedelta(days=2, seconds=0.5)


@pytest.mark.parametrize(
    ("delta", "error"),
    [
        (-1, ValueError),
        (dt.timedelta(seconds=-1), ValueError),
        ("60", TypeError),
        (True, TypeError),
    ],
)
def test_advance_time_refuses_going_back_or_other_types(delta, error):
    with mock_cognito_sync(now=START) as cs:
        with pytest.raises(error):
            cs.advance_time(delta)
        assert cs.now() == START


def test_times_on_the_wire_are_epoch_seconds_to_the_millisecond():
    moment = START.replace(microsecond=123_456)
    with mock_cognito_sync(now=moment) as cs:
        pool = cs.create_identity_pool()
        auth = AWS4Auth("AKIAEXAMPLEKEY000000", "s", "us-east-1", "cognito-sync")
        url = f"https://cognito-sync.us-east-1.amazonaws.com/identitypools/{pool}"
        requests.post(f"{url}/bulkpublish", auth=auth)
        raw = requests.post(f"{url}/getBulkPublishDetails", auth=auth).json()
        seen_by_boto3 = start_time_of_a_publish(cs)
    assert raw["BulkPublishStartTime"] == 1714564800.123
    assert seen_by_boto3 == START.replace(microsecond=123_000)


def test_reset_puts_the_clock_back_to_the_option():
    with mock_cognito_sync(now=START) as cs:
        cs.advance_time(3600)
        cs.reset()
        assert cs.now() == START


# -- following real time --------------------------------------------------------


def test_without_now_the_clock_follows_real_time():
    with mock_cognito_sync() as cs:
        before = dt.datetime.now(UTC)
        reading = cs.now()
        after = dt.datetime.now(UTC)
    assert before <= reading <= after
    assert reading.tzinfo == UTC


def test_advance_time_moves_a_real_time_clock_ahead_of_real_time():
    with mock_cognito_sync() as cs:
        cs.advance_time(dt.timedelta(days=1))
        assert cs.now() >= dt.datetime.now(UTC) + dt.timedelta(hours=23, minutes=59)


def test_time_machine_moves_a_clock_that_follows_real_time():
    destination = dt.datetime(2031, 3, 4, 5, 6, 7, tzinfo=UTC)
    with (
        mock_cognito_sync(bulk_publish_duration=60) as cs,
        time_machine.travel(destination, tick=False) as traveller,
    ):
        assert cs.now() == destination
        assert start_time_of_a_publish(cs) == destination
        traveller.shift(dt.timedelta(seconds=60))
        pool = cs.create_identity_pool()
        cs.configure_streams(pool, "s")
        client = boto3.client("cognito-sync", region_name="us-east-1")
        client.bulk_publish(IdentityPoolId=pool)
        traveller.shift(dt.timedelta(seconds=60))
        details = client.get_bulk_publish_details(IdentityPoolId=pool)
    assert details["BulkPublishStatus"] == "SUCCEEDED"
    assert details["BulkPublishCompleteTime"] == destination + dt.timedelta(seconds=120)


def test_time_machine_and_advance_time_add_up():
    destination = dt.datetime(2031, 3, 4, tzinfo=UTC)
    with mock_cognito_sync() as cs, time_machine.travel(destination, tick=False):
        cs.advance_time(30)
        assert cs.now() == destination + dt.timedelta(seconds=30)


def test_a_frozen_clock_ignores_time_machine():
    with (
        mock_cognito_sync(now=START) as cs,
        time_machine.travel(dt.datetime(2031, 1, 1, tzinfo=UTC), tick=False),
    ):
        assert cs.now() == START


# -- who reads it -------------------------------------------------------------------


def test_a_request_reads_the_clock_only_when_its_operation_or_a_publish_needs_it(
    monkeypatch,
):
    with mock_cognito_sync(now=START, bulk_publish_duration=60) as cs:
        pool = cs.create_identity_pool()
        cs.configure_streams(pool, "exports")
        cs.put_dataset(pool, "us-east-1:0000aaaa-0000-4000-8000-000000000000", "d", {})
        client = boto3.client("cognito-sync", region_name="us-east-1")
        clock = cs.backend.clock
        reads: list[dt.datetime] = []
        real_now = clock.now

        def counted_now() -> dt.datetime:
            reads.append(real_now())
            return reads[-1]

        monkeypatch.setattr(clock, "now", counted_now)
        client.get_bulk_publish_details(IdentityPoolId=pool)
        client.describe_identity_pool_usage(IdentityPoolId=pool)
        assert reads == []
        client.bulk_publish(IdentityPoolId=pool)  # writes its start time
        assert len(reads) == 1
        # In progress: every request settles what came due, so it reads.
        details = client.get_bulk_publish_details(IdentityPoolId=pool)
        assert details["BulkPublishStatus"] == "IN_PROGRESS"
        assert len(reads) == 2
        cs.advance_time(60)  # settles the publish, reading the clock
        reads.clear()
        details = client.get_bulk_publish_details(IdentityPoolId=pool)
        assert details["BulkPublishStatus"] == "SUCCEEDED"
        assert reads == []
