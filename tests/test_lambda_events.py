"""lambda_events(): what a Lambda function subscribed to the Kinesis stream
through an event source mapping would receive."""

from __future__ import annotations

import base64
import datetime as dt
import json
import re
from typing import Any

import boto3
import pytest

from devices import IDENTITY, sync_changes
from moto_pipeline import ORDERS, both, moto_pool, moto_stream, read_kinesis, stream_to
from pytest_cognito_sync import mock_cognito_sync

START = dt.datetime(2024, 5, 1, 12, 0, 0, 250000, tzinfo=dt.timezone.utc)


def consume(event: dict[str, Any], context: Any) -> list[dict[str, Any]]:
    """A handler as written for real Kinesis events: decode every record."""
    return [
        json.loads(base64.b64decode(record["kinesis"]["data"]))
        for record in event["Records"]
    ]


def records_of(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [record for event in events for record in event["Records"]]


def seed(cs: Any, pool: str, count: int) -> None:
    for n in range(count):
        cs.put_dataset(pool, f"us-east-1:{n:08x}-0000-0000-0000-000000000000", "d", {})


def test_each_record_has_the_documented_kinesis_event_shape(no_aws_config):
    with mock_cognito_sync(now=START) as cs:
        pool = cs.create_identity_pool(region="eu-west-1", account_id="210987654321")
        cs.configure_streams(pool, "exports")
        credentials = cs.account_credentials("210987654321")
        sync = boto3.client(
            "cognito-sync",
            region_name="eu-west-1",
            aws_access_key_id=credentials["AccessKeyId"],
            aws_secret_access_key=credentials["SecretAccessKey"],
        )
        sync_changes(sync, pool, {"level": "3"}, dataset="game")

        [event] = cs.lambda_events("exports")
        [record] = event["Records"]
        kinesis = record.pop("kinesis")
        assert record == {
            "eventSource": "aws:kinesis",
            "eventVersion": "1.0",
            "eventID": f"shardId-000000000000:{kinesis['sequenceNumber']}",
            "eventName": "aws:kinesis:record",
            "invokeIdentityArn": "arn:aws:iam::210987654321:role/lambda-role",
            "awsRegion": "eu-west-1",
            "eventSourceARN": "arn:aws:kinesis:eu-west-1:210987654321:stream/exports",
        }
        assert re.fullmatch(r"\d{56}", kinesis["sequenceNumber"])
        assert kinesis["kinesisSchemaVersion"] == "1.0"
        assert kinesis["partitionKey"] == IDENTITY
        assert kinesis["approximateArrivalTimestamp"] == START.timestamp()
        assert (
            json.loads(base64.b64decode(kinesis["data"]))
            == cs.stream_records("exports")[0]
        )


def test_batches_hold_at_most_batch_size_records_in_order(no_aws_config):
    with mock_cognito_sync() as cs:
        pool = cs.create_identity_pool()
        seed(cs, pool, 250)
        cs.configure_streams(pool, "exports")
        boto3.client("cognito-sync", region_name="us-east-1").bulk_publish(
            IdentityPoolId=pool
        )
        events = cs.lambda_events("exports", batch_size=100)
        assert [len(event["Records"]) for event in events] == [100, 100, 50]
        handled = [item for event in events for item in consume(event, None)]
        assert handled == cs.stream_records("exports")
        numbers = [int(r["kinesis"]["sequenceNumber"]) for r in records_of(events)]
        assert numbers == sorted(set(numbers))
        assert [len(e["Records"]) for e in cs.lambda_events("exports")] == [
            100,
            100,
            50,
        ]
        assert len(cs.lambda_events("exports", batch_size=10_000)) == 1


def test_a_stream_nothing_was_written_to_has_no_events(cognito_sync_mock):
    assert cognito_sync_mock.lambda_events("nothing-here") == []


@pytest.mark.parametrize("batch_size", [0, 10_001, 2.5, True, "100"])
def test_a_batch_size_outside_lambdas_range_is_refused(cognito_sync_mock, batch_size):
    with pytest.raises(ValueError, match=r"batch_size must be .* from 1 to 10000"):
        cognito_sync_mock.lambda_events("exports", batch_size=batch_size)


def test_a_publish_that_came_due_is_in_the_events(no_aws_config):
    with mock_cognito_sync(bulk_publish_duration=60, now=START) as cs:
        pool = cs.create_identity_pool()
        seed(cs, pool, 2)
        cs.configure_streams(pool, "exports")
        boto3.client("cognito-sync", region_name="us-east-1").bulk_publish(
            IdentityPoolId=pool
        )
        assert cs.lambda_events("exports") == []
        cs.advance_time(60)
        [event] = cs.lambda_events("exports")
        arrivals = {
            r["kinesis"]["approximateArrivalTimestamp"] for r in event["Records"]
        }
        assert arrivals == {(START + dt.timedelta(seconds=60)).timestamp()}


@ORDERS
def test_sequence_numbers_and_shards_are_moto_kinesis_own(no_aws_config, moto_outside):
    with both(moto_outside) as cs:
        pool = moto_pool()
        moto_stream("exports", shards=2)
        seed(cs, pool, 30)
        sync = boto3.client("cognito-sync", region_name="us-east-1")
        stream_to(sync, pool, "exports")
        sync.bulk_publish(IdentityPoolId=pool)
        sync_changes(sync, pool, {"after": "publish"}, dataset="game")

        in_kinesis = read_kinesis("exports")
        events = cs.lambda_events("exports", batch_size=7)
        records = records_of(events)
        assert sorted(
            (r["eventID"], r["kinesis"]["partitionKey"]) for r in records
        ) == sorted(
            (f"{k['ShardId']}:{k['SequenceNumber']}", k["PartitionKey"])
            for k in in_kinesis
        )
        arn = boto3.client("kinesis", region_name="us-east-1").describe_stream(
            StreamName="exports"
        )["StreamDescription"]["StreamARN"]
        assert {r["eventSourceARN"] for r in records} == {arn}
        for event in events:
            # Lambda reads one shard per batch, in that shard's order.
            shards = {r["eventID"].split(":")[0] for r in event["Records"]}
            assert len(shards) == 1
            assert len(event["Records"]) <= 7
            numbers = [int(r["kinesis"]["sequenceNumber"]) for r in event["Records"]]
            assert numbers == sorted(numbers)
        by_data = {k["Data"]: k for k in in_kinesis}
        for record in records:
            data = base64.b64decode(record["kinesis"]["data"])
            assert (
                by_data[data]["SequenceNumber"] == record["kinesis"]["sequenceNumber"]
            )
