"""Replaying a pool's Cognito stream rebuilds every dataset's current state,
whatever mix of updates, deletions, bulk publishes and clock moves made it.

A hypothesis state machine drives the service through boto3, keeps its own
model of what the datasets hold, and after every step checks that the
model, the service (ListDatasets / ListRecords) and a consumer's replay of
the stream all agree.
"""

from __future__ import annotations

import contextlib
import datetime as dt

import boto3
from botocore.config import Config
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from example_scripts import load_example
from pytest_cognito_sync import mock_cognito_sync

IDENTITIES = (
    "us-east-1:0d3a1d12-8d5c-4c7b-9b3c-2a1e7f0e5b6d",
    "us-east-1:99999999-8d5c-4c7b-9b3c-2a1e7f0e5b6d",
)
DATASETS = ("game", "settings")
STREAM = "sync-events"

identities = st.sampled_from(IDENTITIES)
datasets = st.sampled_from(DATASETS)
changes = st.dictionaries(
    st.sampled_from(["a", "b", "c"]),
    st.none() | st.text(alphabet='xyé"', max_size=3),
    max_size=3,
)


# The consumer the end-to-end example documents: checked here against
# what the service answers through boto3.
replay = load_example("end_to_end").rebuild


class StreamRebuild(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        self.mock = mock_cognito_sync(
            bulk_publish_duration=60,
            now=dt.datetime(2024, 5, 1, tzinfo=dt.timezone.utc),
        )
        self.mock.start()
        self.pool_id = self.mock.create_identity_pool()
        self.mock.configure_streams(self.pool_id, STREAM)
        self.client = boto3.client(
            "cognito-sync",
            region_name="us-east-1",
            config=Config(retries={"total_max_attempts": 1}),
        )
        #: what every dataset should hold, kept by this test
        self.model = {}

    def teardown(self):
        self.mock.stop()

    def where(self, identity, dataset):
        return {
            "IdentityPoolId": self.pool_id,
            "IdentityId": identity,
            "DatasetName": dataset,
        }

    @rule(identity=identities, dataset=datasets, changes=changes)
    def update_records(self, identity, dataset, changes):
        listing = self.client.list_records(**self.where(identity, dataset))
        counts = {r["Key"]: r["SyncCount"] for r in listing["Records"]}
        patches = [
            {"Op": "remove", "Key": key, "SyncCount": counts.get(key, 0)}
            if value is None
            else {
                "Op": "replace",
                "Key": key,
                "Value": value,
                "SyncCount": counts.get(key, 0),
            }
            for key, value in changes.items()
        ]
        self.client.update_records(
            **self.where(identity, dataset),
            SyncSessionToken=listing["SyncSessionToken"],
            RecordPatches=patches,
        )
        held = self.model.setdefault((identity, dataset), {})
        for key, value in changes.items():
            if value is None:
                held.pop(key, None)
            else:
                held[key] = value

    @rule(identity=identities, dataset=datasets)
    def delete_dataset(self, identity, dataset):
        try:
            self.client.delete_dataset(**self.where(identity, dataset))
        except self.client.exceptions.ResourceNotFoundException:
            assert (identity, dataset) not in self.model
        else:
            del self.model[(identity, dataset)]

    @rule()
    def bulk_publish(self):
        errors = self.client.exceptions
        # One publish at a time, one successful one per 24 hours.
        with contextlib.suppress(
            errors.DuplicateRequestException, errors.AlreadyStreamedException
        ):
            self.client.bulk_publish(IdentityPoolId=self.pool_id)

    @rule(seconds=st.sampled_from([1, 60, 3600, 86400]))
    def advance_time(self, seconds):
        self.mock.advance_time(seconds)

    @invariant()
    def the_stream_rebuilds_what_the_service_holds(self):
        served = {}
        for identity in IDENTITIES:
            names = self.client.list_datasets(
                IdentityPoolId=self.pool_id, IdentityId=identity
            )
            for entry in names["Datasets"]:
                dataset = entry["DatasetName"]
                records = self.client.list_records(**self.where(identity, dataset))
                served[(identity, dataset)] = {
                    r["Key"]: r["Value"] for r in records["Records"] if "Value" in r
                }
        assert served == self.model
        rebuilt = replay(self.mock.stream_records(STREAM), self.mock.stream_payload)
        assert rebuilt == self.model


StreamRebuild.TestCase.settings = settings(
    max_examples=25,
    stateful_step_count=8,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
test_the_stream_rebuilds_every_dataset = StreamRebuild.TestCase
