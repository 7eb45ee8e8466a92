"""The keyword options of mock_cognito_sync (the marker and the ini defaults
share them): what each one changes for boto3, and how bad values are refused."""

from __future__ import annotations

import datetime as dt
import re

import boto3
import pytest

from pytest_cognito_sync import mock_cognito_sync

UTC = dt.timezone.utc
START = dt.datetime(2024, 3, 1, 12, 0, tzinfo=UTC)


def publish_and_finish(cs, pool_id: str | None = None) -> dict:
    """Bulk publish a pool, let a day pass, and return its details."""
    pool_id = pool_id or cs.create_identity_pool()
    cs.configure_streams(pool_id, "stream")
    client = boto3.client("cognito-sync", region_name=pool_id.split(":")[0])
    client.bulk_publish(IdentityPoolId=pool_id)
    cs.advance_time(dt.timedelta(days=1))
    return client.get_bulk_publish_details(IdentityPoolId=pool_id)


@pytest.mark.parametrize(
    ("options", "error", "message"),
    [
        (
            {"region": "moon"},
            ValueError,
            "region must look like 'us-east-1'; got 'moon'",
        ),
        ({"region": None}, ValueError, "region must look like 'us-east-1'; got None"),
        (
            {"account_id": 123456789012},
            ValueError,
            "account_id must be 12 digits as a string; got 123456789012",
        ),
        (
            {"account_id": "12345"},
            ValueError,
            "account_id must be 12 digits as a string; got '12345'",
        ),
        (
            {"bulk_publish_duration": -1},
            ValueError,
            "bulk_publish_duration must not be negative; got -1",
        ),
        (
            {"bulk_publish_duration": dt.timedelta(seconds=-1)},
            ValueError,
            "bulk_publish_duration must not be negative; "
            "got datetime.timedelta(days=-1, seconds=86399)",
        ),
        (
            {"bulk_publish_duration": float("nan")},
            ValueError,
            "bulk_publish_duration must be a finite number of seconds; got nan",
        ),
        (
            {"bulk_publish_duration": float("inf")},
            ValueError,
            "bulk_publish_duration must be a finite number of seconds; got inf",
        ),
        (
            {"bulk_publish_duration": 1e20},
            ValueError,
            "bulk_publish_duration must be at most 3155760000 seconds "
            "(36525 days, 0:00:00); got 1e+20",
        ),
        (
            {"bulk_publish_duration": dt.timedelta.max},
            ValueError,
            "bulk_publish_duration must be at most 3155760000 seconds "
            "(36525 days, 0:00:00); got datetime.timedelta(days=999999999, "
            "seconds=86399, microseconds=999999)",
        ),
        (
            {"bulk_publish_duration": "60"},
            TypeError,
            "bulk_publish_duration must be seconds or a timedelta; got '60'",
        ),
        (
            {"bulk_publish_duration": True},
            TypeError,
            "bulk_publish_duration must be seconds or a timedelta; got True",
        ),
        (
            {"now": "yesterday"},
            ValueError,
            "now must be an ISO 8601 datetime such as 2024-01-01T00:00:00Z; "
            "got 'yesterday'",
        ),
        (
            {"now": dt.date(2024, 1, 1)},
            TypeError,
            "now must be a datetime, ISO 8601 text or None; "
            "got datetime.date(2024, 1, 1)",
        ),
        (
            {"now": dt.datetime.max},
            ValueError,
            "now must be from 1970-01-01T00:00:00Z to 9800-01-01T00:00:00Z; "
            "got 9999-12-31T23:59:59.999999",
        ),
        (
            {"now": dt.datetime.min},
            ValueError,
            "now must be from 1970-01-01T00:00:00Z to 9800-01-01T00:00:00Z; "
            "got 0001-01-01T00:00:00",
        ),
        (
            # UTC of this is past datetime.max
            {
                "now": dt.datetime.max.replace(
                    tzinfo=dt.timezone(-dt.timedelta(hours=5))
                )
            },
            ValueError,
            "now must be from 1970-01-01T00:00:00Z to 9800-01-01T00:00:00Z; "
            "got 9999-12-31T23:59:59.999999-05:00",
        ),
    ],
)
def test_a_bad_option_is_refused_when_the_mock_is_built_naming_it(
    options, error, message
):
    # At construction, not at start(): a decorated test fails at import.
    with pytest.raises(error, match=f"^{re.escape(message)}$"):
        mock_cognito_sync(**options)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (
            {"colour": "blue"},
            "mock_cognito_sync got an unexpected keyword argument 'colour'; its "
            "options are: region, account_id, bulk_publish_duration, now",
        ),
        (
            {"bulk_publish_duraton": 60},
            "mock_cognito_sync got an unexpected keyword argument "
            "'bulk_publish_duraton'; did you mean 'bulk_publish_duration'?",
        ),
    ],
)
def test_an_unknown_option_names_the_valid_ones(options, message):
    with pytest.raises(TypeError, match=f"^{re.escape(message)}$"):
        mock_cognito_sync(**options)


def test_defaults_are_us_east_1_default_account_and_instant_publish():
    with mock_cognito_sync() as cs:
        pool_id = cs.create_identity_pool()
        assert pool_id.startswith("us-east-1:")
        elsewhere = cs.create_identity_pool(account_id="210987654321")
        details = publish_and_finish(cs, pool_id)
        assert details["BulkPublishCompleteTime"] == details["BulkPublishStartTime"]
        client = boto3.client("cognito-sync", region_name="us-east-1")
        # Default credentials speak for 123456789012, not for other accounts.
        with pytest.raises(client.exceptions.ResourceNotFoundException):
            client.get_bulk_publish_details(IdentityPoolId=elsewhere)


@pytest.mark.usefixtures("no_aws_config")
def test_region_is_where_pools_and_unconfigured_clients_go():
    with mock_cognito_sync(region="eu-west-1") as cs:
        pool_id = cs.create_identity_pool()
        client = boto3.client("cognito-sync")  # no region configured anywhere
        assert client.meta.region_name == "eu-west-1"
        details = client.get_bulk_publish_details(IdentityPoolId=pool_id)
        assert details["BulkPublishStatus"] == "NOT_STARTED"


def test_account_id_is_what_default_credentials_map_to():
    with mock_cognito_sync(account_id="111122223333") as cs:
        mine = cs.create_identity_pool()
        default_account = cs.create_identity_pool(account_id="123456789012")
        client = boto3.client("cognito-sync", region_name="us-east-1")
        client.get_bulk_publish_details(IdentityPoolId=mine)
        with pytest.raises(client.exceptions.ResourceNotFoundException):
            client.get_bulk_publish_details(IdentityPoolId=default_account)


@pytest.mark.parametrize(
    "duration", [300, 300.0, dt.timedelta(minutes=5)], ids=["int", "float", "timedelta"]
)
def test_bulk_publish_duration_takes_seconds_or_a_timedelta(duration):
    # A frozen clock: real time must not move it past the edge.
    with mock_cognito_sync(bulk_publish_duration=duration, now=START) as cs:
        pool_id = cs.create_identity_pool()
        cs.configure_streams(pool_id, "stream")
        client = boto3.client("cognito-sync", region_name="us-east-1")
        client.bulk_publish(IdentityPoolId=pool_id)
        cs.advance_time(299.999)
        details = client.get_bulk_publish_details(IdentityPoolId=pool_id)
        assert details["BulkPublishStatus"] == "IN_PROGRESS"
        cs.advance_time(0.001)
        details = client.get_bulk_publish_details(IdentityPoolId=pool_id)
        assert details["BulkPublishStatus"] == "SUCCEEDED"
        took = details["BulkPublishCompleteTime"] - details["BulkPublishStartTime"]
        assert took == dt.timedelta(seconds=300)


def test_a_fractional_duration_keeps_its_milliseconds():
    with mock_cognito_sync(bulk_publish_duration=1.25) as cs:
        details = publish_and_finish(cs)
        took = details["BulkPublishCompleteTime"] - details["BulkPublishStartTime"]
        assert took == dt.timedelta(seconds=1.25)


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (
            dt.datetime(2024, 3, 1, 12, 0),
            dt.datetime(2024, 3, 1, 12, 0, tzinfo=UTC),
        ),
        (
            dt.datetime(2024, 3, 1, 12, 0, tzinfo=dt.timezone(dt.timedelta(hours=2))),
            dt.datetime(2024, 3, 1, 10, 0, tzinfo=UTC),
        ),
    ],
    ids=["naive-taken-as-utc", "aware-converted-to-utc"],
)
def test_now_freezes_the_clock_in_utc(now, expected):
    with mock_cognito_sync(now=now) as cs:
        assert cs.now() == expected
        assert cs.now().utcoffset() == dt.timedelta(0)
        details = publish_and_finish(cs)
        assert details["BulkPublishStartTime"] == expected
        assert cs.now() == expected + dt.timedelta(days=1)


def test_without_now_the_clock_follows_real_time():
    before = dt.datetime.now(UTC)
    with mock_cognito_sync() as cs:
        seen = cs.now()
    after = dt.datetime.now(UTC)
    assert before <= seen <= after
    assert seen.tzinfo is not None


def test_every_activation_of_one_mock_reuses_its_options():
    cs = mock_cognito_sync(region="ap-southeast-2", bulk_publish_duration=60)
    for _ in range(2):
        with cs:
            assert cs.create_identity_pool().startswith("ap-southeast-2:")
            details = publish_and_finish(cs)
            took = details["BulkPublishCompleteTime"] - details["BulkPublishStartTime"]
            assert took == dt.timedelta(seconds=60)


def test_mocks_without_options_share_one_frozen_default():
    import dataclasses

    from pytest_cognito_sync._options import DEFAULTS, Options

    first, second = mock_cognito_sync(), mock_cognito_sync()
    assert first.options is second.options is DEFAULTS
    assert Options() == DEFAULTS
    with pytest.raises(dataclasses.FrozenInstanceError):
        DEFAULTS.region = "eu-west-1"  # type: ignore[misc]
    assert mock_cognito_sync(region="eu-west-1").options.region == "eu-west-1"
    assert DEFAULTS.region == "us-east-1"


@pytest.mark.parametrize("duration", [0, 90, 1.5, dt.timedelta(hours=2)])
def test_the_duration_is_converted_once_and_as_before(duration):
    from pytest_cognito_sync._options import Options, to_timedelta
    from pytest_cognito_sync._time_range import MAX_DURATION

    options = Options(bulk_publish_duration=duration)
    expected = to_timedelta(duration, "bulk_publish_duration", MAX_DURATION)
    assert options.duration == expected
    assert options.duration is options.duration
