"""examples/bulk_export.py: the export job against the fake, and the
script as a newcomer runs it."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys

import boto3
import pytest

from example_scripts import FOLDER, load_example
from pytest_cognito_sync import mock_cognito_sync

SCRIPT = FOLDER / "bulk_export.py"
STREAM = "exports"


bulk_export = load_example("bulk_export")


@pytest.fixture
def cs():
    # A frozen clock: only the job's polls move it.
    start = dt.datetime(2024, 6, 1, 9, 0, tzinfo=dt.timezone.utc)
    with mock_cognito_sync(bulk_publish_duration=100, now=start) as cs:
        yield cs


@pytest.fixture
def client(cs):
    return boto3.client("cognito-sync", region_name="us-east-1")


@pytest.fixture
def pool_id(cs):
    pool_id = bulk_export.seed(cs)
    cs.configure_streams(pool_id, STREAM)
    return pool_id


def polls(cs) -> list[str]:
    return [call.operation for call in cs.calls]


def test_export_polls_until_succeeded_moving_the_clock_between_looks(
    cs, client, pool_id
):
    seen = []
    details = bulk_export.export_pool(
        client, pool_id, poll=cs.advance_time, interval=30, progress=seen.append
    )
    assert details["BulkPublishStatus"] == "SUCCEEDED"
    # Due at 100 s: looks at 0, 30, 60 and 90 s see it running, 120 s done.
    assert [d["BulkPublishStatus"] for d in seen] == ["IN_PROGRESS"] * 4 + ["SUCCEEDED"]
    assert polls(cs) == ["BulkPublish"] + ["GetBulkPublishDetails"] * 5
    took = details["BulkPublishCompleteTime"] - details["BulkPublishStartTime"]
    assert took.total_seconds() == 100


def test_export_writes_one_stream_record_per_dataset(cs, client, pool_id):
    bulk_export.export_pool(client, pool_id, poll=cs.advance_time)
    exported = {
        (r["identityId"], r["datasetName"]): r for r in cs.stream_records(STREAM)
    }
    assert set(exported) == {
        ("us-east-1:1a2b3c", "profile"),
        ("us-east-1:1a2b3c", "settings"),
        ("us-east-1:4d5e6f", "profile"),
    }
    grace = exported["us-east-1:4d5e6f", "profile"]
    assert grace["identityPoolId"] == pool_id
    assert grace["operation"] == "replace"
    assert [(r["key"], r["value"]) for r in grace["kinesisSyncRecords"]] == [
        ("name", "Grace")
    ]


def test_export_raises_the_failure_message_when_the_publish_fails(cs, client, pool_id):
    cs.fail_bulk_publish(pool_id, "Kinesis stream exports is not ACTIVE")
    with pytest.raises(
        bulk_export.BulkPublishFailed, match="^Kinesis stream exports is not ACTIVE$"
    ):
        bulk_export.export_pool(client, pool_id, poll=cs.advance_time)


def test_export_of_a_pool_without_a_stream_fails_naming_the_cause(cs, client):
    pool_id = bulk_export.seed(cs)
    with pytest.raises(bulk_export.BulkPublishFailed, match="No Cognito stream"):
        bulk_export.export_pool(client, pool_id, poll=cs.advance_time)


def test_export_gives_up_after_the_timeout(cs, client, pool_id):
    with pytest.raises(TimeoutError, match=r"still IN_PROGRESS after 90 s$"):
        bulk_export.export_pool(
            client, pool_id, poll=cs.advance_time, interval=30, timeout=90
        )
    assert polls(cs).count("GetBulkPublishDetails") == 4


def test_export_waits_for_a_publish_someone_else_started(cs, client, pool_id):
    client.bulk_publish(IdentityPoolId=pool_id)
    cs.advance_time(50)
    details = bulk_export.export_pool(client, pool_id, poll=cs.advance_time)
    assert details["BulkPublishStatus"] == "SUCCEEDED"
    assert [c.error_code for c in cs.calls if c.operation == "BulkPublish"] == [
        None,
        "DuplicateRequestException",
    ]
    assert len(cs.stream_records(STREAM)) == 3


def test_export_within_24_hours_of_the_last_one_returns_that_one(cs, client, pool_id):
    first = bulk_export.export_pool(client, pool_id, poll=cs.advance_time)
    cs.advance_time(3600)
    again = bulk_export.export_pool(client, pool_id, poll=cs.advance_time)
    assert again == first
    assert len(cs.stream_records(STREAM)) == 3  # nothing published twice


def test_main_prints_every_exported_record(capsys):
    assert bulk_export.main() == 0
    lines = capsys.readouterr().out.splitlines()
    header = lines.index("3 records written to stream pool-export:")
    # "12:00:00 IN_PROGRESS", one line per look, two virtual minutes apart
    statuses = [line.split()[1] for line in lines[:header]]
    assert statuses == ["IN_PROGRESS"] * 5 + ["SUCCEEDED"]
    records = [json.loads(line) for line in lines[header + 1 :]]
    assert sorted((r["identityId"], r["datasetName"]) for r in records) == [
        ("us-east-1:1a2b3c", "profile"),
        ("us-east-1:1a2b3c", "settings"),
        ("us-east-1:4d5e6f", "profile"),
    ]


def test_script_runs_on_a_machine_without_any_aws_configuration(tmp_path):
    env = {name: value for name, value in os.environ.items() if "AWS" not in name}
    env.update(
        HOME=str(tmp_path),  # no ~/.aws either
        AWS_CONFIG_FILE=str(tmp_path / "missing-config"),
        AWS_SHARED_CREDENTIALS_FILE=str(tmp_path / "missing-credentials"),
        AWS_EC2_METADATA_DISABLED="true",
    )
    result = subprocess.run(
        [sys.executable, str(SCRIPT)],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "3 records written to stream pool-export:" in result.stdout
    assert result.stderr == ""
