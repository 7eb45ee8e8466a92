"""The pytest plugin as users meet it: fixture, marker, ini defaults,
isolation and teardown, checked on real pytest runs (pytester)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.usefixtures("fresh_machine")

#: Inner-test helpers: what the fixture's mock does, seen through boto3.
OBSERVE = """
import datetime as dt

import boto3


def observe(cs):
    '''(region, bulk publish seconds, start time) as boto3 sees them.'''
    pool_id = cs.create_identity_pool()
    region = pool_id.split(":")[0]
    cs.configure_streams(pool_id, "stream")
    client = boto3.client("cognito-sync", region_name=region)
    client.bulk_publish(IdentityPoolId=pool_id)
    cs.advance_time(dt.timedelta(days=1))
    details = client.get_bulk_publish_details(IdentityPoolId=pool_id)
    started = details["BulkPublishStartTime"]
    seconds = (details["BulkPublishCompleteTime"] - started).total_seconds()
    return region, seconds, started
"""


@pytest.fixture
def fresh_machine(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    """Inner runs start on a machine with no AWS configuration, without the
    plugins of test dependencies (pytest-asyncio would warn about its unset
    options; hypothesis's is re-imported by every in-process run)."""
    # After pytester's own setup, which clears PYTEST_ADDOPTS.
    # Inner runs keep file order (-p no:randomly): their later tests check
    # what earlier ones left behind.
    monkeypatch.setenv(
        "PYTEST_ADDOPTS", "-p no:asyncio -p no:hypothesispytest -p no:randomly"
    )
    for name in (
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
        "AWS_PROFILE",
        "AWS_DEFAULT_REGION",
        "AWS_REGION",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", "/nonexistent/aws/config")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/aws/credentials")
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")


@pytest.fixture
def observe(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(observe_helpers=OBSERVE)


def test_fixture_gives_a_started_mock_that_boto3_reaches(pytester):
    pytester.makepyfile(
        """
        import boto3

        def test_it(cognito_sync_mock):
            assert cognito_sync_mock.active
            pool_id = cognito_sync_mock.create_identity_pool()
            client = boto3.client("cognito-sync", region_name="us-east-1")
            details = client.get_bulk_publish_details(IdentityPoolId=pool_id)
            assert details["BulkPublishStatus"] == "NOT_STARTED"
        """
    )
    pytester.runpytest().assert_outcomes(passed=1)


def test_fixture_without_marker_uses_the_documented_defaults(pytester, observe):
    pytester.makepyfile(
        """
        from observe_helpers import observe

        def test_it(cognito_sync_mock):
            region, seconds, _ = observe(cognito_sync_mock)
            assert (region, seconds) == ("us-east-1", 0)
        """
    )
    pytester.runpytest().assert_outcomes(passed=1)


def test_nearest_marker_wins_option_by_option(pytester, observe):
    pytester.makepyfile(
        """
        import pytest
        from observe_helpers import observe

        pytestmark = pytest.mark.cognito_sync_mock(
            region="eu-west-1", bulk_publish_duration=10
        )

        def test_module_marker(cognito_sync_mock):
            assert observe(cognito_sync_mock)[:2] == ("eu-west-1", 10)

        @pytest.mark.cognito_sync_mock(bulk_publish_duration=30)
        def test_test_marker_over_module(cognito_sync_mock):
            assert observe(cognito_sync_mock)[:2] == ("eu-west-1", 30)

        @pytest.mark.cognito_sync_mock(bulk_publish_duration=20)
        class TestClass:
            def test_class_over_module(self, cognito_sync_mock):
                assert observe(cognito_sync_mock)[:2] == ("eu-west-1", 20)

            @pytest.mark.cognito_sync_mock(region="ap-south-1")
            def test_test_over_class_over_module(self, cognito_sync_mock):
                assert observe(cognito_sync_mock)[:2] == ("ap-south-1", 20)
        """
    )
    pytester.runpytest().assert_outcomes(passed=4)


def test_marker_takes_timedelta_and_datetime_options(pytester, observe):
    pytester.makepyfile(
        """
        import datetime as dt
        import pytest
        from observe_helpers import observe

        START = dt.datetime(2024, 5, 1, 12, 0, tzinfo=dt.timezone.utc)

        @pytest.mark.cognito_sync_mock(
            bulk_publish_duration=dt.timedelta(minutes=5), now=START
        )
        def test_it(cognito_sync_mock):
            assert observe(cognito_sync_mock)[1:] == (300, START)
        """
    )
    pytester.runpytest().assert_outcomes(passed=1)


def test_marker_now_takes_the_iso_8601_text_the_ini_takes(pytester, observe):
    pytester.makepyfile(
        """
        import datetime as dt
        import pytest
        from observe_helpers import observe

        @pytest.mark.cognito_sync_mock(now="2024-05-01T12:00:00Z")
        def test_text(cognito_sync_mock):
            start = dt.datetime(2024, 5, 1, 12, tzinfo=dt.timezone.utc)
            assert observe(cognito_sync_mock)[2] == start

        @pytest.mark.cognito_sync_mock(now="2024-05-01T14:00:00+02:00")
        def test_text_with_an_offset(cognito_sync_mock):
            start = dt.datetime(2024, 5, 1, 12, tzinfo=dt.timezone.utc)
            assert cognito_sync_mock.now() == start

        @pytest.mark.cognito_sync_mock(now="yesterday")
        def test_bad_text(cognito_sync_mock):
            pass
        """
    )
    result = pytester.runpytest()
    result.assert_outcomes(passed=2, errors=1)
    result.stdout.fnmatch_lines(
        [
            "*now must be an ISO 8601 datetime such as 2024-01-01T00:00:00Z; "
            "got 'yesterday'"
        ]
    )


def test_ini_options_are_suite_wide_defaults_that_markers_override(pytester, observe):
    pytester.makeini(
        """
        [pytest]
        cognito_sync_region = eu-central-1
        cognito_sync_bulk_publish_duration = 45
        cognito_sync_now = 2024-01-02T03:04:05Z
        """
    )
    pytester.makepyfile(
        """
        import datetime as dt
        import pytest
        from observe_helpers import observe

        INI_NOW = dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=dt.timezone.utc)

        def test_ini_defaults(cognito_sync_mock):
            assert observe(cognito_sync_mock) == ("eu-central-1", 45, INI_NOW)

        @pytest.mark.cognito_sync_mock(bulk_publish_duration=0, now=None)
        def test_marker_overrides_ini(cognito_sync_mock):
            region, seconds, started = observe(cognito_sync_mock)
            assert (region, seconds) == ("eu-central-1", 0)
            assert started.year >= 2025  # real time again
        """
    )
    pytester.runpytest().assert_outcomes(passed=2)


def test_ini_account_id_is_the_account_default_credentials_map_to(pytester):
    pytester.makeini(
        """
        [pytest]
        cognito_sync_account_id = 111122223333
        """
    )
    pytester.makepyfile(
        """
        import boto3
        import pytest

        def test_it(cognito_sync_mock):
            here = cognito_sync_mock.create_identity_pool(account_id="111122223333")
            elsewhere = cognito_sync_mock.create_identity_pool(
                account_id="123456789012"
            )
            client = boto3.client("cognito-sync", region_name="us-east-1")
            client.get_bulk_publish_details(IdentityPoolId=here)
            with pytest.raises(client.exceptions.ResourceNotFoundException):
                client.get_bulk_publish_details(IdentityPoolId=elsewhere)
        """
    )
    pytester.runpytest().assert_outcomes(passed=1)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (
            "cognito_sync_bulk_publish_duration = soon",
            "ERROR: ini option cognito_sync_bulk_publish_duration: "
            "bulk_publish_duration must be a number of seconds; got 'soon'",
        ),
        (
            "cognito_sync_bulk_publish_duration = -1",
            "ERROR: ini option cognito_sync_bulk_publish_duration: "
            "bulk_publish_duration must not be negative; got -1.0",
        ),
        (
            "cognito_sync_now = yesterday",
            "ERROR: ini option cognito_sync_now: now must be an ISO 8601 "
            "datetime such as 2024-01-01T00:00:00Z; got 'yesterday'",
        ),
        (
            "cognito_sync_region = moon",
            "ERROR: ini option cognito_sync_region: "
            "region must look like 'us-east-1'; got 'moon'",
        ),
        (
            "cognito_sync_account_id = 42",
            "ERROR: ini option cognito_sync_account_id: "
            "account_id must be 12 digits as a string; got '42'",
        ),
    ],
)
def test_a_bad_ini_value_stops_the_run_at_startup_naming_the_key(
    pytester, line, message
):
    pytester.makeini(f"[pytest]\n{line}\n")
    pytester.makepyfile("def test_it(): pass")
    result = pytester.runpytest()
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines([message])


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (
            "bulk_publish_duraton=60",
            "TypeError: @pytest.mark.cognito_sync_mock got an unexpected keyword "
            "argument 'bulk_publish_duraton'; did you mean 'bulk_publish_duration'?",
        ),
        (
            "color='blue'",
            "TypeError: @pytest.mark.cognito_sync_mock got an unexpected keyword "
            "argument 'color'; its options are: region, account_id, "
            "bulk_publish_duration, now",
        ),
        (
            "60",
            "TypeError: @pytest.mark.cognito_sync_mock takes keyword options only "
            "(region, account_id, bulk_publish_duration, now); got positional (60,)",
        ),
        (
            "region='moon'",
            "ValueError: region must look like 'us-east-1'; got 'moon'",
        ),
        (
            "bulk_publish_duration='1 minute'",
            "TypeError: bulk_publish_duration must be seconds or a timedelta; "
            "got '1 minute'",
        ),
    ],
)
def test_a_wrong_marker_argument_is_a_setup_error_showing_just_the_problem(
    pytester, kwargs, message
):
    pytester.makepyfile(
        f"""
        import pytest

        @pytest.mark.cognito_sync_mock({kwargs})
        def test_it(cognito_sync_mock):
            pass
        """
    )
    result = pytester.runpytest()
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*ERROR at setup of test_it*", message, "*summary*"])


def test_marker_is_registered_and_documented(pytester):
    pytester.makepyfile(
        """
        import pytest

        @pytest.mark.cognito_sync_mock(region="eu-west-1")
        def test_it(cognito_sync_mock):
            pass
        """
    )
    pytester.runpytest("--strict-markers").assert_outcomes(passed=1)
    pytester.runpytest("--markers").stdout.fnmatch_lines(
        [
            "@pytest.mark.cognito_sync_mock(**options): options of the "
            "cognito_sync_mock fixture (region, account_id, bulk_publish_duration, "
            "now); the nearest marker wins",
        ]
    )


def test_ini_options_are_listed_in_help(pytester):
    pytester.runpytest("--help").stdout.fnmatch_lines(
        [
            "*cognito_sync_region (string):*",
            "*default region of cognito_sync_mock pools*",
            "*cognito_sync_account_id (string):*",
            "*account that default credentials map to*",
            "*cognito_sync_bulk_publish_duration (string):*",
            "*seconds a bulk publish stays IN_PROGRESS*",
            "*cognito_sync_now (string):*",
            "*ISO 8601 datetime the fake clock starts frozen at*",
        ]
    )


def test_state_never_survives_into_the_next_test(pytester):
    pytester.makepyfile(
        """
        import boto3
        import pytest

        POOL = "us-east-1:00000000-0000-0000-0000-000000000001"

        def test_first_creates_and_publishes(cognito_sync_mock):
            cognito_sync_mock.create_identity_pool(POOL)
            cognito_sync_mock.configure_streams(POOL, "stream")
            cognito_sync_mock.put_dataset(POOL, "us-east-1:1", "prefs", {"k": "v"})
            boto3.client("cognito-sync").bulk_publish(IdentityPoolId=POOL)
            assert len(cognito_sync_mock.stream_records("stream")) == 1

        def test_second_starts_empty(cognito_sync_mock):
            client = boto3.client("cognito-sync")
            with pytest.raises(client.exceptions.ResourceNotFoundException):
                client.get_bulk_publish_details(IdentityPoolId=POOL)
            assert cognito_sync_mock.stream_records("stream") == []
            assert cognito_sync_mock.calls[0].operation == "GetBulkPublishDetails"
            assert len(cognito_sync_mock.calls) == 1
        """
    )
    pytester.runpytest().assert_outcomes(passed=2)


def test_fake_credentials_exist_only_during_the_test(pytester):
    pytester.makepyfile(
        """
        import os

        def test_with_mock(cognito_sync_mock):
            assert os.environ["AWS_ACCESS_KEY_ID"]
            assert os.environ["AWS_DEFAULT_REGION"] == "us-east-1"

        def test_after_mock():
            assert "AWS_ACCESS_KEY_ID" not in os.environ
            assert "AWS_SECRET_ACCESS_KEY" not in os.environ
            assert "AWS_DEFAULT_REGION" not in os.environ
        """
    )
    pytester.runpytest().assert_outcomes(passed=2)


def test_users_own_environment_credentials_are_respected(pytester, monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAUSERSOWNKEY00000")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "users-own-secret")
    pytester.makepyfile(
        """
        import os

        def test_with_mock(cognito_sync_mock):
            assert os.environ["AWS_ACCESS_KEY_ID"] == "AKIAUSERSOWNKEY00000"

        def test_after_mock():
            assert os.environ["AWS_ACCESS_KEY_ID"] == "AKIAUSERSOWNKEY00000"
            assert os.environ["AWS_SECRET_ACCESS_KEY"] == "users-own-secret"
        """
    )
    pytester.runpytest().assert_outcomes(passed=2)


def test_teardown_stops_the_mock_when_the_test_fails(pytester):
    pytester.makepyfile(
        """
        import os

        import boto3
        import botocore.config
        import botocore.exceptions
        import pytest

        seen = []

        def test_fails(cognito_sync_mock):
            seen.append(cognito_sync_mock)
            raise AssertionError("the test failed")

        def test_then_nothing_is_intercepted():
            assert not seen[0].active
            assert "AWS_ACCESS_KEY_ID" not in os.environ
            client = boto3.client(
                "cognito-sync",
                region_name="us-east-1",
                aws_access_key_id="AKIAEXAMPLE",
                aws_secret_access_key="secret",
                # A closed local port: reaching it proves the call left.
                endpoint_url="http://127.0.0.1:9",
                config=botocore.config.Config(retries={"total_max_attempts": 1}),
            )
            with pytest.raises(botocore.exceptions.EndpointConnectionError):
                client.get_bulk_publish_details(
                    IdentityPoolId="us-east-1:00000000-0000-0000-0000-000000000001"
                )
        """
    )
    result = pytester.runpytest()
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["*AssertionError: the test failed"])


def test_teardown_is_harmless_after_the_test_stopped_the_mock(pytester):
    pytester.makepyfile(
        """
        def test_it(cognito_sync_mock):
            cognito_sync_mock.inject_error("BulkPublish", "InternalErrorException")
            cognito_sync_mock.stop()
        """
    )
    pytester.runpytest("-W", "error").assert_outcomes(passed=1)


UNUSED_ERROR = """
import boto3

def test_it(cognito_sync_mock):
    pool_id = cognito_sync_mock.create_identity_pool()
    cognito_sync_mock.inject_error("BulkPublish", "InternalErrorException", times=2)
    # Consumed: botocore retries the 500 and the second attempt succeeds.
    cognito_sync_mock.inject_error("GetBulkPublishDetails", "InternalErrorException")
    boto3.client("cognito-sync").get_bulk_publish_details(IdentityPoolId=pool_id)
"""


# The inner run inherits this process's filters; "error" would hide the summary.
@pytest.mark.filterwarnings("default::pytest_cognito_sync.CognitoSyncMockWarning")
def test_an_injected_error_no_request_received_warns_at_teardown(pytester):
    pytester.makepyfile(UNUSED_ERROR)
    result = pytester.runpytest()
    result.assert_outcomes(passed=1, warnings=1)
    result.stdout.fnmatch_lines(
        [
            "*CognitoSyncMockWarning: inject_error() planned errors that no request "
            "received: BulkPublish -> InternalErrorException (2 calls left). The code "
            "under test made fewer calls than the test expected.",
        ]
    )


def test_the_unused_error_warning_is_a_teardown_error_under_W_error(pytester):
    pytester.makepyfile(UNUSED_ERROR)
    result = pytester.runpytest(
        "-W", "error::pytest_cognito_sync.CognitoSyncMockWarning"
    )
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(["*ERROR at teardown of test_it*"])


def test_the_unused_error_warning_can_be_filtered(pytester):
    pytester.makepyfile(UNUSED_ERROR)
    result = pytester.runpytest(
        "-W", "ignore::pytest_cognito_sync.CognitoSyncMockWarning"
    )
    result.assert_outcomes(passed=1)


@pytest.mark.parametrize(
    ("ending", "outcome"),
    [
        ('raise AssertionError("failed before the call")', {"failed": 1}),
        ('pytest.skip("not today")', {"skipped": 1}),
        ('pytest.xfail("known bug")', {"xfailed": 1}),
    ],
    ids=["failed", "skipped", "xfailed"],
)
def test_a_test_that_did_not_pass_gets_no_unused_error_warning(
    pytester, ending, outcome
):
    pytester.makepyfile(
        f"""
        import pytest

        def test_it(cognito_sync_mock):
            cognito_sync_mock.inject_error("BulkPublish", "InternalErrorException")
            {ending}
        """
    )
    result = pytester.runpytest("-W", "error")
    result.assert_outcomes(**outcome)


def test_fixture_and_decorator_mocks_nest_inner_answering(pytester):
    pytester.makepyfile(
        """
        import boto3
        import pytest
        from pytest_cognito_sync import mock_cognito_sync

        def test_it(cognito_sync_mock):
            outer_pool = cognito_sync_mock.create_identity_pool()
            client = boto3.client("cognito-sync")
            with mock_cognito_sync() as inner:
                with pytest.raises(client.exceptions.ResourceNotFoundException):
                    client.get_bulk_publish_details(IdentityPoolId=outer_pool)
                assert inner.calls and not cognito_sync_mock.calls
            client.get_bulk_publish_details(IdentityPoolId=outer_pool)
            assert len(cognito_sync_mock.calls) == 1
        """
    )
    pytester.runpytest().assert_outcomes(passed=1)


def test_every_option_has_an_ini_key():
    # The plugin names the options without importing them at start-up.
    from pytest_cognito_sync import plugin
    from pytest_cognito_sync._options import Options

    assert tuple(plugin._INI_HELP) == Options.names()
