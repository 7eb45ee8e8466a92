"""The AWS CLI, run in-process, is answered by the fake like any boto3 code."""

from __future__ import annotations

import json

import pytest

clidriver = pytest.importorskip("awscli.clidriver")


def aws(*arguments: str) -> int:
    driver = clidriver.create_clidriver()
    return int(driver.main(["cognito-sync", *arguments, "--region", "us-east-1"]))


def test_the_aws_cli_bulk_publishes_and_reads_the_details(
    cognito_sync_mock, pool_id, capsys
):
    cognito_sync_mock.configure_streams(pool_id, "exports")
    cognito_sync_mock.put_dataset(
        pool_id, "us-east-1:0d3a1d12-8d5c-4c7b-9b3c-2a1e7f0e5b6d", "game", {"k": "v"}
    )

    assert aws("bulk-publish", "--identity-pool-id", pool_id) == 0
    assert json.loads(capsys.readouterr().out) == {"IdentityPoolId": pool_id}
    assert aws("get-bulk-publish-details", "--identity-pool-id", pool_id) == 0
    details = json.loads(capsys.readouterr().out)

    assert details["BulkPublishStatus"] == "SUCCEEDED"
    assert len(cognito_sync_mock.stream_records("exports")) == 1


def test_the_aws_cli_reports_a_modeled_error_and_fails(
    cognito_sync_mock, pool_id, capsys
):
    cognito_sync_mock.configure_streams(pool_id, "exports")
    assert aws("bulk-publish", "--identity-pool-id", pool_id) == 0
    capsys.readouterr()

    assert aws("bulk-publish", "--identity-pool-id", pool_id) != 0
    error = capsys.readouterr().err
    assert "(AlreadyStreamedException)" in error


def test_the_aws_cli_gets_invalid_parameter_for_a_malformed_pool_id(
    cognito_sync_mock, capsys
):
    assert aws("get-bulk-publish-details", "--identity-pool-id", "us-east-1:XYZ") != 0
    assert "(InvalidParameterException)" in capsys.readouterr().err
