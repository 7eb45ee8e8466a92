"""DescribeIdentityUsage, DescribeIdentityPoolUsage and ListIdentityPoolUsage
through boto3: counts and data storage in UTF-8 bytes of live records."""

from __future__ import annotations

import base64
import datetime as dt

import pytest
import time_machine

from devices import IDENTITY, OTHER_IDENTITY, sync_changes
from pytest_cognito_sync import mock_cognito_sync

ANN = IDENTITY
BOB = OTHER_IDENTITY
START = dt.datetime(2024, 5, 1, 12, 0, tzinfo=dt.timezone.utc)


def sync(client, pool_id, identity, dataset, changes):
    sync_changes(client, pool_id, changes, dataset=dataset, identity=identity)


def identity_usage(client, pool_id, identity):
    answer = client.describe_identity_usage(IdentityPoolId=pool_id, IdentityId=identity)
    return answer["IdentityUsage"]


@pytest.mark.cognito_sync_mock(now=START)
def test_identity_usage_counts_datasets_and_utf8_bytes_of_live_records(
    cognito_sync_mock, client, pool_id
):
    sync(client, pool_id, ANN, "profile", {"name": "Zoë", "gone": "x"})
    cognito_sync_mock.advance_time(30)
    sync(client, pool_id, ANN, "profile", {"gone": None})
    sync(client, pool_id, ANN, "scores", {"best": "42"})
    assert identity_usage(client, pool_id, ANN) == {
        "IdentityId": ANN,
        "IdentityPoolId": pool_id,
        "DatasetCount": 2,
        # "name" + "Zoë" (4 + 4 bytes) + "best" + "42" (6); "gone" removed
        "DataStorage": 14,
        "LastModifiedDate": START + dt.timedelta(seconds=30),
    }


def test_an_identity_without_data_has_zero_usage(client, pool_id):
    usage = identity_usage(client, pool_id, BOB)
    assert (usage["DatasetCount"], usage["DataStorage"]) == (0, 0)
    assert "LastModifiedDate" not in usage


def test_deleted_datasets_no_longer_count(client, pool_id):
    sync(client, pool_id, ANN, "profile", {"name": "ann"})
    sync(client, pool_id, ANN, "scores", {"best": "42"})
    client.delete_dataset(IdentityPoolId=pool_id, IdentityId=ANN, DatasetName="scores")
    usage = identity_usage(client, pool_id, ANN)
    assert (usage["DatasetCount"], usage["DataStorage"]) == (1, len("nameann"))


@pytest.mark.cognito_sync_mock(now=START)
def test_pool_usage_sums_every_identity_and_counts_sync_sessions(
    cognito_sync_mock, client, pool_id
):
    sync(client, pool_id, ANN, "profile", {"name": "ann"})
    cognito_sync_mock.advance_time(5)
    sync(client, pool_id, BOB, "profile", {"name": "bob", "age": "7"})
    usage = client.describe_identity_pool_usage(IdentityPoolId=pool_id)
    assert usage["IdentityPoolUsage"] == {
        "IdentityPoolId": pool_id,
        # each sync above began with one ListRecords
        "SyncSessionsCount": 2,
        "DataStorage": len("nameann") + len("namebob") + len("age7"),
        "LastModifiedDate": START + dt.timedelta(seconds=5),
    }


def test_a_pool_without_data_has_zero_usage(client, pool_id):
    usage = client.describe_identity_pool_usage(IdentityPoolId=pool_id)
    assert usage["IdentityPoolUsage"]["DataStorage"] == 0
    assert usage["IdentityPoolUsage"]["SyncSessionsCount"] == 0


@pytest.mark.cognito_sync_mock(now=START)
def test_a_pool_without_data_was_last_modified_when_it_was_created(
    cognito_sync_mock, client
):
    # AWS's samples show LastModifiedDate for pools with no data yet; code
    # that reads it must not meet a KeyError only in tests.
    pool_id = cognito_sync_mock.create_identity_pool()
    cognito_sync_mock.advance_time(60)
    usage = client.describe_identity_pool_usage(IdentityPoolId=pool_id)
    assert usage["IdentityPoolUsage"]["LastModifiedDate"] == START
    [listed] = client.list_identity_pool_usage()["IdentityPoolUsages"]
    assert listed["LastModifiedDate"] == START


@pytest.mark.cognito_sync_mock(now=START)
def test_a_pool_whose_data_was_all_deleted_shows_the_deletion(
    cognito_sync_mock, client, pool_id
):
    sync(client, pool_id, ANN, "profile", {"name": "ann"})
    cognito_sync_mock.advance_time(60)
    client.delete_dataset(IdentityPoolId=pool_id, IdentityId=ANN, DatasetName="profile")
    usage = client.describe_identity_pool_usage(IdentityPoolId=pool_id)
    assert usage["IdentityPoolUsage"]["LastModifiedDate"] == START + dt.timedelta(
        seconds=60
    )


def test_list_identity_pool_usage_pages_through_the_callers_pools(
    cognito_sync_mock, client
):
    mine = [cognito_sync_mock.create_identity_pool() for _ in range(5)]
    cognito_sync_mock.create_identity_pool(region="eu-west-1")
    cognito_sync_mock.create_identity_pool(account_id="210987654321")
    sync(client, mine[3], ANN, "profile", {"k": "v"})
    pages = [client.list_identity_pool_usage(MaxResults=2)]
    while "NextToken" in pages[-1]:
        pages.append(
            client.list_identity_pool_usage(
                MaxResults=2, NextToken=pages[-1]["NextToken"]
            )
        )
    assert [(page["Count"], page["MaxResults"]) for page in pages] == [
        (2, 2),
        (2, 2),
        (1, 2),
    ]
    usages = [usage for page in pages for usage in page["IdentityPoolUsages"]]
    assert [usage["IdentityPoolId"] for usage in usages] == mine
    assert [usage["DataStorage"] for usage in usages] == [0, 0, 0, 2, 0]


def test_list_identity_pool_usage_keeps_creation_order_among_other_homes_pools(
    cognito_sync_mock, client
):
    mine = []
    for number in range(4):
        mine.append(cognito_sync_mock.create_identity_pool())
        # Created in between: other regions' and accounts' pools.
        cognito_sync_mock.create_identity_pool(region="eu-west-1")
        cognito_sync_mock.create_identity_pool(account_id=f"21098765432{number}")
    listed, token = [], {}
    while True:
        page = client.list_identity_pool_usage(MaxResults=1, **token)
        listed += [usage["IdentityPoolId"] for usage in page["IdentityPoolUsages"]]
        if "NextToken" not in page:
            break
        token = {"NextToken": page["NextToken"]}
    assert listed == mine


@pytest.mark.parametrize(
    "document",
    [
        b'"made-up"',
        b'"us-east-1:00000000-0000-4000-8000-000000000000"',
        b"[1]",
        b"{}",
        b"1",
        b"null",
        b"not json",
    ],
)
def test_list_identity_pool_usage_with_a_made_up_token_is_invalid(
    cognito_sync_mock, client, document
):
    cognito_sync_mock.create_identity_pool()
    cognito_sync_mock.create_identity_pool()
    token = base64.urlsafe_b64encode(document).decode()
    with pytest.raises(client.exceptions.InvalidParameterException) as caught:
        client.list_identity_pool_usage(MaxResults=1, NextToken=token)
    assert token in caught.value.response["Error"]["Message"]


@pytest.mark.parametrize(
    "home", [{"region": "eu-west-1"}, {"account_id": "210987654321"}]
)
def test_list_identity_pool_usage_token_of_another_homes_pool_is_invalid(
    cognito_sync_mock, client, home
):
    # A page cannot start after a pool the caller cannot list.
    cognito_sync_mock.create_identity_pool()
    cognito_sync_mock.create_identity_pool()
    elsewhere = cognito_sync_mock.create_identity_pool(**home)
    token = base64.urlsafe_b64encode(f'"{elsewhere}"'.encode()).decode()
    with pytest.raises(client.exceptions.InvalidParameterException):
        client.list_identity_pool_usage(MaxResults=1, NextToken=token)


def _pool_usage(client, pool_id):
    usage = client.describe_identity_pool_usage(IdentityPoolId=pool_id)
    return usage["IdentityPoolUsage"]


def _summed_identity_usage(client, pool_id, identities):
    """The pool's usage as its identities' usages add up."""
    usages = [identity_usage(client, pool_id, identity) for identity in identities]
    moments = [u["LastModifiedDate"] for u in usages if "LastModifiedDate" in u]
    return sum(u["DataStorage"] for u in usages), max(moments)


def test_pool_usage_follows_a_clock_moved_back(client):
    # time-machine moves the clock the fake follows, backwards too: the
    # pool's last change is then what its data says, not the latest moment
    # it ever saw.
    later = START + dt.timedelta(hours=2)
    with mock_cognito_sync() as fake, time_machine.travel(later, tick=False) as clock:
        pool_id = fake.create_identity_pool()
        sync(client, pool_id, ANN, "profile", {"name": "ann"})
        clock.move_to(START)
        sync(client, pool_id, BOB, "game", {"k": "v"})
        assert _pool_usage(client, pool_id)["LastModifiedDate"] == later
        client.delete_dataset(
            IdentityPoolId=pool_id, IdentityId=ANN, DatasetName="profile"
        )
        usage = _pool_usage(client, pool_id)
        assert (usage["DataStorage"], usage["LastModifiedDate"]) == (2, START)
        assert _summed_identity_usage(client, pool_id, [ANN, BOB]) == (2, START)


@pytest.mark.cognito_sync_mock(now=START)
def test_pool_usage_after_a_merge_is_what_the_survivor_holds(
    cognito_sync_mock, client, pool_id
):
    sync(client, pool_id, ANN, "profile", {"name": "ann"})
    cognito_sync_mock.advance_time(3600)
    sync(client, pool_id, BOB, "scratch", {"x": "y"})
    client.delete_dataset(IdentityPoolId=pool_id, IdentityId=BOB, DatasetName="scratch")
    an_hour_later = START + dt.timedelta(hours=1)
    assert _pool_usage(client, pool_id)["LastModifiedDate"] == an_hour_later
    cognito_sync_mock.merge_identities(pool_id, BOB, ANN)
    usage = _pool_usage(client, pool_id)
    kept = (usage["DataStorage"], usage["LastModifiedDate"])
    # Bob had no data left to move; his deletion left with him.
    assert kept == (len("nameann"), START)
    assert kept == _summed_identity_usage(client, pool_id, [ANN])
