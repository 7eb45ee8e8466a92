"""The ``cognito_sync_server`` fixture, on real pytest runs (pytester)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.usefixtures("fresh_machine")

CLIENT = """
import boto3


def client(server, region="us-east-1"):
    return boto3.client(
        "cognito-sync",
        endpoint_url=server.url,
        region_name=region,
        aws_access_key_id="AKIAX",
        aws_secret_access_key="x",
    )
"""


@pytest.fixture
def fresh_machine(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    # Inner runs keep file order (-p no:randomly): their later tests check
    # what earlier ones left behind.
    monkeypatch.setenv(
        "PYTEST_ADDOPTS", "-p no:asyncio -p no:hypothesispytest -p no:randomly"
    )
    pytester.makepyfile(server_client=CLIENT)


def test_each_test_gets_a_running_server_with_fresh_state(pytester):
    pytester.makepyfile(
        """
        import pytest
        from server_client import client

        seen = []

        @pytest.mark.parametrize("round", [1, 2, 3])
        def test_it(cognito_sync_server, round):
            assert cognito_sync_server.running
            assert cognito_sync_server.mock.calls == []
            pool_id = cognito_sync_server.mock.create_identity_pool()
            details = client(cognito_sync_server).get_bulk_publish_details(
                IdentityPoolId=pool_id
            )
            assert details["BulkPublishStatus"] == "NOT_STARTED"
            seen.append(cognito_sync_server)

        def test_every_one_was_stopped_after_its_test():
            assert len(seen) == 3
            assert not any(server.running for server in seen)
        """
    )
    pytester.runpytest("-p", "no:randomly").assert_outcomes(passed=4)


def test_the_marker_and_ini_options_configure_it(pytester):
    pytester.makeini(
        """
        [pytest]
        cognito_sync_region = eu-west-1
        cognito_sync_now = 2024-01-01T00:00:00Z
        """
    )
    pytester.makepyfile(
        """
        import pytest
        from server_client import client

        @pytest.mark.cognito_sync_mock(bulk_publish_duration=90)
        def test_it(cognito_sync_server):
            mock = cognito_sync_server.mock
            pool_id = mock.create_identity_pool()
            assert pool_id.startswith("eu-west-1:")
            assert mock.now().isoformat() == "2024-01-01T00:00:00+00:00"
            mock.configure_streams(pool_id, "s")
            c = client(cognito_sync_server, "eu-west-1")
            c.bulk_publish(IdentityPoolId=pool_id)
            mock.advance_time(89)
            assert c.get_bulk_publish_details(IdentityPoolId=pool_id)[
                "BulkPublishStatus"] == "IN_PROGRESS"
            mock.advance_time(1)
            assert c.get_bulk_publish_details(IdentityPoolId=pool_id)[
                "BulkPublishStatus"] == "SUCCEEDED"
        """
    )
    pytester.runpytest().assert_outcomes(passed=1)


def test_a_misspelt_marker_option_is_a_setup_error(pytester):
    pytester.makepyfile(
        """
        import pytest

        @pytest.mark.cognito_sync_mock(bulk_publish_duraton=1)
        def test_it(cognito_sync_server):
            pass
        """
    )
    result = pytester.runpytest()
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*did you mean 'bulk_publish_duration'?*"])


# The inner run inherits this process's filters; "error" would hide the summary.
@pytest.mark.filterwarnings("default::pytest_cognito_sync.CognitoSyncMockWarning")
def test_an_injected_error_no_request_received_warns_at_teardown(pytester):
    pytester.makepyfile(
        """
        def test_it(cognito_sync_server):
            cognito_sync_server.mock.inject_error(
                "BulkPublish", "InternalErrorException"
            )
        """
    )
    result = pytester.runpytest()
    result.assert_outcomes(passed=1, warnings=1)
    result.stdout.fnmatch_lines(["*inject_error() planned errors*BulkPublish*"])


def test_it_works_beside_the_in_process_mock(pytester):
    pytester.makepyfile(
        """
        import boto3
        import requests

        def test_it(cognito_sync_mock, cognito_sync_server):
            served = cognito_sync_server.mock.create_identity_pool()
            local = cognito_sync_mock.create_identity_pool()
            # boto3 in this process is answered by the in-process mock ...
            c = boto3.client("cognito-sync", region_name="us-east-1")
            assert c.get_bulk_publish_details(IdentityPoolId=local)
            # ... other processes reach the server, which has its own state
            url = cognito_sync_server.url + "/_cognito_sync/calls"
            assert requests.post(url).json() == {"result": []}
            assert cognito_sync_server.mock.calls == []
            assert served != local
        """
    )
    pytester.runpytest().assert_outcomes(passed=1)
