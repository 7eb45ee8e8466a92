"""For any sequence of updates and deletes, a consumer replaying moto's
Kinesis stream rebuilds exactly what ListRecords answers."""

from __future__ import annotations

import base64
import contextlib

import boto3
from botocore.config import Config
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from moto import mock_aws

from example_scripts import load_example
from moto_pipeline import decoded, moto_pool, moto_stream, read_kinesis, stream_to
from pytest_cognito_sync import mock_cognito_sync

IDENTITIES = (
    "us-east-1:0d3a1d12-8d5c-4c7b-9b3c-2a1e7f0e5b6d",
    "us-east-1:99999999-8d5c-4c7b-9b3c-2a1e7f0e5b6d",
)
DATASETS = ("game", "settings")

updates = st.tuples(
    st.just("update"),
    st.sampled_from(IDENTITIES),
    st.sampled_from(DATASETS),
    st.dictionaries(
        st.sampled_from(["a", "b", "c"]),
        st.none() | st.text(alphabet='xyé"\\', max_size=3),
        max_size=3,
    ),
)
deletes = st.tuples(
    st.just("delete"),
    st.sampled_from(IDENTITIES),
    st.sampled_from(DATASETS),
    st.none(),
)

rebuild = load_example("end_to_end").rebuild
sync_dataset = load_example("end_to_end").sync_dataset
held_by_service = load_example("end_to_end").held_by_service


@settings(
    max_examples=20,
    deadline=None,
    # no_aws_config only sets the environment up; every example shares it.
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(steps=st.lists(updates | deletes, max_size=12), shards=st.integers(1, 3))
def test_replaying_moto_kinesis_rebuilds_list_records(no_aws_config, steps, shards):
    with mock_aws(), mock_cognito_sync() as fake:
        pool = moto_pool()
        moto_stream("exports", shards=shards)
        client = boto3.client(
            "cognito-sync",
            region_name="us-east-1",
            config=Config(retries={"total_max_attempts": 1}),
        )
        stream_to(client, pool, "exports")
        for action, identity, dataset, changes in steps:
            if action == "update":
                sync_dataset(client, pool, identity, dataset, changes)
            else:
                with contextlib.suppress(client.exceptions.ResourceNotFoundException):
                    client.delete_dataset(
                        IdentityPoolId=pool, IdentityId=identity, DatasetName=dataset
                    )
        # Kinesis orders records within a shard; one identity's records all
        # go to one shard (the partition key), which is all a replay needs.
        in_kinesis = read_kinesis("exports")
        replayed = rebuild(decoded(in_kinesis), fake.stream_payload)
        assert replayed == held_by_service(client, pool, IDENTITIES)
        # A Lambda subscribed to the stream sees the same records, numbered
        # as Kinesis numbered them.
        events = fake.lambda_events("exports", batch_size=5)
        records = [record for event in events for record in event["Records"]]
        assert sorted(
            (r["eventID"], base64.b64decode(r["kinesis"]["data"])) for r in records
        ) == sorted(
            (f"{k['ShardId']}:{k['SequenceNumber']}", k["Data"]) for k in in_kinesis
        )
