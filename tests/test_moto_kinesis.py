"""While moto is active, every Cognito Streams record is also put into
moto's Kinesis stream of that name in the pool's account and region."""

from __future__ import annotations

import json

import boto3
from moto import mock_aws

from devices import IDENTITY, OTHER_IDENTITY, sync_changes
from moto_pipeline import (
    ORDERS,
    both,
    decoded,
    moto_pool,
    moto_stream,
    read_kinesis,
    stream_to,
)
from pytest_cognito_sync import mock_cognito_sync


@ORDERS
def test_updates_deletes_and_bulk_publish_reach_moto_kinesis_in_order(
    no_aws_config, no_network, moto_outside
):
    with both(moto_outside) as fake:
        pool = moto_pool()
        moto_stream("exports")
        fake.put_dataset(pool, OTHER_IDENTITY, "seeded", {"old": "yes"})
        sync = boto3.client("cognito-sync", region_name="us-east-1")
        stream_to(sync, pool, "exports")
        sync_changes(sync, pool, {"level": "3", "coins": "10"}, dataset="game")
        sync_changes(sync, pool, {"level": None}, dataset="game")
        sync.delete_dataset(
            IdentityPoolId=pool, IdentityId=IDENTITY, DatasetName="game"
        )
        sync.bulk_publish(IdentityPoolId=pool)

        in_kinesis = read_kinesis("exports")
        ours = fake.stream_records("exports")
        assert decoded(in_kinesis) == ours
        assert [r["operation"] for r in ours] == [
            "replace",
            "replace",
            "remove",
            "replace",
        ]
        assert [r["PartitionKey"] for r in in_kinesis] == [
            IDENTITY,
            IDENTITY,
            IDENTITY,
            OTHER_IDENTITY,
        ]
        numbers = [int(r["SequenceNumber"]) for r in in_kinesis]
        assert numbers == sorted(numbers)


@ORDERS
def test_the_kinesis_data_is_the_records_compact_json(no_aws_config, moto_outside):
    with both(moto_outside) as fake:
        pool = moto_pool()
        moto_stream("exports")
        sync = boto3.client("cognito-sync", region_name="us-east-1")
        stream_to(sync, pool, "exports")
        sync_changes(sync, pool, {"name": 'Zoë "the" dev'}, dataset="profile")
        [record] = read_kinesis("exports")
        [ours] = fake.stream_records("exports")
        assert record["Data"] == json.dumps(ours, separators=(",", ":")).encode()


@ORDERS
def test_without_a_moto_stream_records_stay_in_the_fake(no_aws_config, moto_outside):
    with both(moto_outside) as fake:
        pool = moto_pool()
        other = moto_stream("another-stream")
        sync = boto3.client("cognito-sync", region_name="us-east-1")
        stream_to(sync, pool, "exports")
        sync_changes(sync, pool, {"level": "3"}, dataset="game")
        assert len(fake.stream_records("exports")) == 1
        assert list(other.list_streams()["StreamNames"]) == ["another-stream"]
        assert read_kinesis("another-stream") == []


@ORDERS
def test_a_stream_of_that_name_in_another_region_gets_nothing(
    no_aws_config, moto_outside
):
    with both(moto_outside) as fake:
        pool = moto_pool()
        moto_stream("exports", region="eu-west-1")
        sync = boto3.client("cognito-sync", region_name="us-east-1")
        stream_to(sync, pool, "exports")
        sync_changes(sync, pool, {"level": "3"}, dataset="game")
        assert len(fake.stream_records("exports")) == 1
        assert read_kinesis("exports", region="eu-west-1") == []


@ORDERS
def test_pools_the_fake_created_stream_into_moto_too(no_aws_config, moto_outside):
    with both(moto_outside) as fake:
        pool = fake.create_identity_pool()
        moto_stream("exports")
        fake.configure_streams(pool, "exports")
        sync = boto3.client("cognito-sync", region_name="us-east-1")
        sync_changes(sync, pool, {"level": "3"}, dataset="game")
        assert decoded(read_kinesis("exports")) == fake.stream_records("exports")


@ORDERS
def test_a_bulk_publish_of_many_datasets_lands_in_every_shard(
    no_aws_config, moto_outside
):
    with both(moto_outside) as fake:
        pool = moto_pool()
        moto_stream("exports", shards=3)
        identities = [
            f"us-east-1:{n:08x}-0000-0000-0000-000000000000" for n in range(60)
        ]
        for identity in identities:
            fake.put_dataset(pool, identity, "game", {"id": identity})
        fake.configure_streams(pool, "exports")
        boto3.client("cognito-sync", region_name="us-east-1").bulk_publish(
            IdentityPoolId=pool
        )
        in_kinesis = read_kinesis("exports")
        assert len({record["ShardId"] for record in in_kinesis}) == 3
        assert sorted(decoded(in_kinesis), key=lambda r: r["identityId"]) == sorted(
            fake.stream_records("exports"), key=lambda r: r["identityId"]
        )
        for record in in_kinesis:
            assert json.loads(record["Data"])["identityId"] == record["PartitionKey"]


def test_without_moto_records_stay_in_the_fake(no_aws_config):
    with mock_cognito_sync() as fake:
        pool = fake.create_identity_pool()
        fake.configure_streams(pool, "exports")
        sync = boto3.client("cognito-sync", region_name="us-east-1")
        sync_changes(sync, pool, {"level": "3"}, dataset="game")
        assert len(fake.stream_records("exports")) == 1


def test_only_records_written_while_moto_is_active_reach_it(no_aws_config):
    with mock_cognito_sync() as fake:
        pool = fake.create_identity_pool()
        fake.configure_streams(pool, "exports")
        sync = boto3.client("cognito-sync", region_name="us-east-1")
        sync_changes(sync, pool, {"before": "moto"}, dataset="game")
        with mock_aws():
            moto_stream("exports")
            sync_changes(sync, pool, {"during": "moto"}, dataset="game")
            in_kinesis = decoded(read_kinesis("exports"))
        sync_changes(sync, pool, {"after": "moto"}, dataset="game")
        ours = fake.stream_records("exports")
        assert len(ours) == 3
        assert in_kinesis == [ours[1]]
        # A Lambda's batches never mix moto's numbering with the fake's.
        events = fake.lambda_events("exports")
        assert [len(event["Records"]) for event in events] == [2, 1]
        for event in events:
            numbers = [int(r["kinesis"]["sequenceNumber"]) for r in event["Records"]]
            assert numbers == sorted(numbers)
