"""The seeding helpers follow the rules the service holds UpdateRecords to:
what it refuses, seeding refuses, naming the limit; wrong shapes are a
TypeError naming the right one; ``None`` seeds a removed record."""

from __future__ import annotations

import re

import boto3
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from devices import IDENTITY, ONE_ATTEMPT, sync_changes
from pytest_cognito_sync import mock_cognito_sync

SHAPE = (
    "records must be a mapping of key (str) to value (str, or None for a removed "
    "record), like {'name': 'Ada', 'old': None}"
)


def describe(pool_id: str, dataset: str) -> dict:
    client = boto3.client("cognito-sync", region_name="us-east-1")
    return client.describe_dataset(
        IdentityPoolId=pool_id, IdentityId=IDENTITY, DatasetName=dataset
    )["Dataset"]


# -- limits --------------------------------------------------------------------


def test_a_21st_dataset_is_refused_naming_the_limit(cognito_sync_mock, pool_id):
    for number in range(20):
        cognito_sync_mock.put_dataset(pool_id, IDENTITY, f"d{number}", {"k": "v"})
    with pytest.raises(ValueError, match="already has 20 datasets, the most"):
        cognito_sync_mock.put_dataset(pool_id, IDENTITY, "d20", {"k": "v"})
    # Reseeding one of the twenty is not a new dataset.
    cognito_sync_mock.put_dataset(pool_id, IDENTITY, "d0", {"k": "w"})
    client = boto3.client("cognito-sync", region_name="us-east-1")
    listing = client.list_datasets(IdentityPoolId=pool_id, IdentityId=IDENTITY)
    assert len(listing["Datasets"]) == 20


def test_more_than_1024_records_are_refused_naming_the_limit(
    cognito_sync_mock, pool_id
):
    records = {f"k{n}": "v" for n in range(1024)}
    cognito_sync_mock.put_dataset(pool_id, IDENTITY, "full", records)
    message = "Dataset 'full' would hold 1025 records; a dataset may hold at most 1024"
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        cognito_sync_mock.put_dataset(pool_id, IDENTITY, "full", {"one-more": "v"})
    # A tombstone holds no value and does not count; nor is state changed.
    cognito_sync_mock.put_dataset(pool_id, IDENTITY, "full", {"gone": None})
    assert describe(pool_id, "full")["NumRecords"] == 1024


def test_more_than_1_mb_is_refused_naming_the_limit(cognito_sync_mock, pool_id):
    big = "x" * (512 * 1024)
    cognito_sync_mock.put_dataset(pool_id, IDENTITY, "big", {"a": big})
    with pytest.raises(ValueError, match=r"at most 1048576 bytes \(1 MB\)$"):
        cognito_sync_mock.put_dataset(pool_id, IDENTITY, "big", {"b": big, "c": "y"})
    assert describe(pool_id, "big")["NumRecords"] == 1


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    batches=st.lists(
        st.dictionaries(
            st.sampled_from([*(f"k{n}" for n in range(5)), "ké"]),
            st.none()
            | st.sampled_from([0, 1, 300_000, 400_000]).map(lambda n: "v" * n)
            | st.sampled_from(["é", "é" * 200_000]),
            max_size=4,
        ),
        min_size=1,
        max_size=5,
    ),
    dataset_count=st.integers(0, 20),
)
def test_seeding_accepts_exactly_what_update_records_accepts(batches, dataset_count):
    """The same batches, seeded on one mock and synced through UpdateRecords
    on another: each is accepted by both or refused by both, and the dataset
    ends up with the same count and size (in UTF-8 bytes) in both."""
    results, usage = [], []
    for seeding in (True, False):
        with mock_cognito_sync() as cs:
            client = boto3.client(
                "cognito-sync", region_name="us-east-1", config=ONE_ATTEMPT
            )
            pool = cs.create_identity_pool("us-east-1:0000")
            for number in range(dataset_count):
                cs.put_dataset(pool, IDENTITY, f"other{number}", {"k": "v"})
            outcomes = []
            for batch in batches:
                try:
                    if seeding:
                        cs.put_dataset(pool, IDENTITY, "d", batch)
                    else:
                        sync_changes(client, pool, batch, dataset="d")
                    outcomes.append("accepted")
                except ValueError as error:
                    outcomes.append(str(error))
                except client.exceptions.LimitExceededException as error:
                    outcomes.append(error.response["Error"]["Message"])
            results.append(outcomes)
            try:
                found = describe(pool, "d")
                usage.append((found["NumRecords"], found["DataStorage"]))
            except client.exceptions.ResourceNotFoundException:
                usage.append(None)
    assert results[0] == results[1]
    assert usage[0] == usage[1]


# -- shapes --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("records", "got"),
    [
        ([{"Key": "k", "Value": "v"}], "got a list: [{'Key': 'k', 'Value': 'v'}]"),
        ("k=v", "got a str: 'k=v'"),
        (None, "got a NoneType: None"),
        ({"k": 1}, "got 'k': 1"),
        ({"k": b"v"}, "got 'k': b'v'"),
        ({1: "v"}, "got 1: 'v'"),
        ({"k": {"Value": "v"}}, "got 'k': {'Value': 'v'}"),
    ],
)
def test_a_wrong_shape_is_a_type_error_naming_the_expected_one(
    cognito_sync_mock, pool_id, records, got
):
    with pytest.raises(TypeError, match=f"^{re.escape(SHAPE)}; {re.escape(got)}$"):
        cognito_sync_mock.put_dataset(pool_id, IDENTITY, "d", records)
    assert cognito_sync_mock.backend.pools()[0].identities == {}


@pytest.mark.parametrize(
    ("records", "says"),
    [
        ({"": "v"}, "a key is 1 to 1024"),
        ({"k" * 1025: "v"}, "a key is 1 to 1024"),
        ({"k": "v" * 1048576}, "a value at most 1048575"),
        ({"\U0001f600" * 513: "v"}, "a key is 1 to 1024"),  # 1026 UTF-16 units
        ({"k\udce9": "v"}, "must be valid Unicode text"),
    ],
)
def test_keys_and_values_are_held_to_the_models_lengths(
    cognito_sync_mock, pool_id, records, says
):
    with pytest.raises(ValueError, match=re.escape(says)):
        cognito_sync_mock.put_dataset(pool_id, IDENTITY, "d", records)


# -- tombstones ----------------------------------------------------------------


def test_none_seeds_a_removed_record_that_devices_learn_of(
    cognito_sync_mock, client, pool_id
):
    cognito_sync_mock.put_dataset(pool_id, IDENTITY, "d", {"kept": "v", "gone": "old"})
    cognito_sync_mock.put_dataset(pool_id, IDENTITY, "d", {"gone": None})
    records = client.list_records(
        IdentityPoolId=pool_id, IdentityId=IDENTITY, DatasetName="d"
    )["Records"]
    by_key = {record["Key"]: record for record in records}
    assert "Value" not in by_key["gone"]
    assert by_key["gone"]["SyncCount"] == 2
    assert by_key["kept"]["Value"] == "v"
    assert describe(pool_id, "d")["NumRecords"] == 1
    # A device that synced at count 1 is told of the removal.
    since = client.list_records(
        IdentityPoolId=pool_id, IdentityId=IDENTITY, DatasetName="d", LastSyncCount=1
    )["Records"]
    assert [(r["Key"], r.get("Value")) for r in since] == [("gone", None)]


def test_a_tombstone_is_published_as_a_remove(cognito_sync_mock, client, pool_id):
    cognito_sync_mock.configure_streams(pool_id, "s")
    cognito_sync_mock.put_dataset(pool_id, IDENTITY, "d", {"never-had-a-value": None})
    client.bulk_publish(IdentityPoolId=pool_id)
    [record] = cognito_sync_mock.stream_records("s")
    [sync] = record["kinesisSyncRecords"]
    assert (sync["key"], sync["op"]) == ("never-had-a-value", "remove")


# -- repr ----------------------------------------------------------------------


def test_repr_says_whether_active_and_the_region_account_and_pool_count():
    cs = mock_cognito_sync(region="eu-west-1", account_id="111122223333")
    assert repr(cs) == (
        "<CognitoSyncMock inactive, region='eu-west-1', account_id='111122223333'>"
    )
    with cs:
        assert repr(cs) == (
            "<CognitoSyncMock active, 0 pools, region='eu-west-1', "
            "account_id='111122223333'>"
        )
        cs.create_identity_pool()
        assert "active, 1 pool," in repr(cs)
        cs.create_identity_pool(region="us-east-1")
        assert "active, 2 pools," in repr(cs)
    assert repr(cs).startswith("<CognitoSyncMock inactive,")
