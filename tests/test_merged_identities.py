"""merge_identities(): Cognito Identity merged one identity into another,
and Cognito Sync reports the merged identity's datasets to the survivor."""

from __future__ import annotations

import pytest

from devices import IDENTITY, OTHER_IDENTITY, sync_changes

GUEST = "us-east-1:11111111-8d5c-4c7b-9b3c-2a1e7f0e5b6d"
ACCOUNT = IDENTITY


def names(listing):
    return listing.get("MergedDatasetNames", [])


def test_the_survivor_lists_merged_datasets_and_reads_and_deletes_them(
    cognito_sync_mock, pool_id, identity_client
):
    guest, account = identity_client(GUEST), identity_client(ACCOUNT)
    sync_changes(guest, pool_id, {"level": "9"}, dataset="game", identity=GUEST)
    sync_changes(guest, pool_id, {"theme": "dark"}, dataset="prefs", identity=GUEST)
    sync_changes(account, pool_id, {"level": "2"}, dataset="game", identity=ACCOUNT)

    merged = cognito_sync_mock.merge_identities(pool_id, GUEST, ACCOUNT)
    assert sorted(merged) == [f"game.{GUEST}", f"prefs.{GUEST}"]

    where = {"IdentityPoolId": pool_id, "IdentityId": ACCOUNT}
    game = account.list_records(**where, DatasetName="game")
    assert names(game) == [f"game.{GUEST}"]
    assert [(r["Key"], r["Value"]) for r in game["Records"]] == [("level", "2")]
    # A dataset the survivor never had reports the merge too: the device
    # that kept it locally learns of it on its first sync.
    assert names(account.list_records(**where, DatasetName="prefs")) == [
        f"prefs.{GUEST}"
    ]
    assert names(account.list_records(**where, DatasetName="other")) == []

    copy = account.list_records(**where, DatasetName=f"game.{GUEST}")
    assert [(r["Key"], r["Value"], r["SyncCount"]) for r in copy["Records"]] == [
        ("level", "9", 1)
    ]
    account.delete_dataset(**where, DatasetName=f"game.{GUEST}")
    assert names(account.list_records(**where, DatasetName="game")) == []
    assert names(account.list_records(**where, DatasetName="prefs")) == [
        f"prefs.{GUEST}"
    ]


def test_the_merged_identitys_credentials_no_longer_reach_its_datasets(
    cognito_sync_mock, pool_id, identity_client
):
    guest = identity_client(GUEST)
    sync_changes(guest, pool_id, {"level": "9"}, dataset="game", identity=GUEST)
    cognito_sync_mock.merge_identities(pool_id, GUEST, ACCOUNT)

    own = guest.list_records(
        IdentityPoolId=pool_id, IdentityId=GUEST, DatasetName="game"
    )
    assert (own["DatasetExists"], own["Records"]) == (False, [])
    assert (
        guest.list_datasets(IdentityPoolId=pool_id, IdentityId=GUEST)["Datasets"] == []
    )
    with pytest.raises(guest.exceptions.NotAuthorizedException):
        guest.list_records(
            IdentityPoolId=pool_id, IdentityId=ACCOUNT, DatasetName=f"game.{GUEST}"
        )


def test_developer_credentials_see_the_merged_datasets_under_the_survivor(
    cognito_sync_mock, pool_id, client
):
    cognito_sync_mock.put_dataset(pool_id, GUEST, "game", {"level": "9"})
    cognito_sync_mock.merge_identities(pool_id, GUEST, ACCOUNT)
    listed = client.list_datasets(IdentityPoolId=pool_id, IdentityId=ACCOUNT)
    assert [d["DatasetName"] for d in listed["Datasets"]] == [f"game.{GUEST}"]
    described = client.describe_dataset(
        IdentityPoolId=pool_id, IdentityId=ACCOUNT, DatasetName=f"game.{GUEST}"
    )["Dataset"]
    assert (described["IdentityId"], described["NumRecords"]) == (ACCOUNT, 1)


def test_merges_chain_and_each_source_is_reported(cognito_sync_mock, pool_id, client):
    cognito_sync_mock.put_dataset(pool_id, GUEST, "game", {"from": "guest"})
    cognito_sync_mock.put_dataset(pool_id, OTHER_IDENTITY, "game", {"from": "other"})
    cognito_sync_mock.merge_identities(pool_id, GUEST, OTHER_IDENTITY)
    cognito_sync_mock.merge_identities(pool_id, OTHER_IDENTITY, ACCOUNT)
    listing = client.list_records(
        IdentityPoolId=pool_id, IdentityId=ACCOUNT, DatasetName="game"
    )
    twice_merged = f"game.{GUEST}.{OTHER_IDENTITY}"
    assert names(listing) == [f"game.{OTHER_IDENTITY}", twice_merged]
    records = client.list_records(
        IdentityPoolId=pool_id, IdentityId=ACCOUNT, DatasetName=twice_merged
    )["Records"]
    assert [(r["Key"], r["Value"]) for r in records] == [("from", "guest")]


def test_a_merged_name_over_128_characters_keeps_the_source_identity(
    cognito_sync_mock, pool_id, client
):
    long_name = "d" * 100
    cognito_sync_mock.put_dataset(pool_id, GUEST, long_name, {"k": "v"})
    [merged] = cognito_sync_mock.merge_identities(pool_id, GUEST, ACCOUNT)
    assert len(merged) == 128 and merged.endswith(f".{GUEST}")
    records = client.list_records(
        IdentityPoolId=pool_id, IdentityId=ACCOUNT, DatasetName=merged
    )["Records"]
    assert [r["Key"] for r in records] == ["k"]


def records_of(client, pool_id, identity, dataset):
    listing = client.list_records(
        IdentityPoolId=pool_id, IdentityId=identity, DatasetName=dataset
    )
    return {r["Key"]: r["Value"] for r in listing["Records"]}


def test_long_names_cut_to_the_same_start_both_survive(
    cognito_sync_mock, pool_id, client
):
    # A 55-character source identity leaves 72 characters of the dataset
    # name: these two differ only after that.
    source = "us-east-1:" + "a" * 45
    first, second = "d" * 100 + "1", "d" * 100 + "2"
    cognito_sync_mock.put_dataset(pool_id, source, first, {"from": "first"})
    cognito_sync_mock.put_dataset(pool_id, source, second, {"from": "second"})

    merged = cognito_sync_mock.merge_identities(pool_id, source, ACCOUNT)

    assert len(set(merged)) == 2
    assert all(len(name) <= 128 and name.endswith(f".{source}") for name in merged)
    assert [records_of(client, pool_id, ACCOUNT, name) for name in merged] == [
        {"from": "first"},
        {"from": "second"},
    ]


def test_merging_again_keeps_the_first_merge_and_reports_both(
    cognito_sync_mock, pool_id, client
):
    cognito_sync_mock.put_dataset(pool_id, GUEST, "game", {"level": "1"})
    [first] = cognito_sync_mock.merge_identities(pool_id, GUEST, ACCOUNT)
    # The source synced again before the second merge; the target has not
    # resolved the first one yet.
    cognito_sync_mock.put_dataset(pool_id, GUEST, "game", {"level": "2"})
    [second] = cognito_sync_mock.merge_identities(pool_id, GUEST, ACCOUNT)

    assert first != second and second.endswith(f".{GUEST}")
    assert records_of(client, pool_id, ACCOUNT, first) == {"level": "1"}
    assert records_of(client, pool_id, ACCOUNT, second) == {"level": "2"}
    listing = client.list_records(
        IdentityPoolId=pool_id, IdentityId=ACCOUNT, DatasetName="game"
    )
    assert names(listing) == [first, second]


def test_a_merge_does_not_overwrite_a_dataset_of_the_same_name(
    cognito_sync_mock, pool_id, client
):
    cognito_sync_mock.put_dataset(pool_id, ACCOUNT, f"game.{GUEST}", {"own": "x"})
    cognito_sync_mock.put_dataset(pool_id, GUEST, "game", {"level": "9"})
    [merged] = cognito_sync_mock.merge_identities(pool_id, GUEST, ACCOUNT)

    assert merged != f"game.{GUEST}"
    assert records_of(client, pool_id, ACCOUNT, f"game.{GUEST}") == {"own": "x"}
    assert records_of(client, pool_id, ACCOUNT, merged) == {"level": "9"}


@pytest.mark.parametrize(
    ("source", "target", "message"),
    [
        (GUEST, GUEST, "two different identities"),
        ("not-an-id", ACCOUNT, "source_identity_id must match"),
        (GUEST, "", "target_identity_id must match"),
    ],
)
def test_bad_arguments_are_refused(cognito_sync_mock, pool_id, source, target, message):
    with pytest.raises(ValueError, match=message):
        cognito_sync_mock.merge_identities(pool_id, source, target)


def test_an_unknown_pool_is_refused(cognito_sync_mock):
    with pytest.raises(KeyError, match="no identity pool"):
        cognito_sync_mock.merge_identities("us-east-1:0000", GUEST, ACCOUNT)


def test_a_source_without_data_merges_nothing(cognito_sync_mock, pool_id, client):
    assert cognito_sync_mock.merge_identities(pool_id, GUEST, ACCOUNT) == []
    listing = client.list_records(
        IdentityPoolId=pool_id, IdentityId=ACCOUNT, DatasetName="game"
    )
    assert "MergedDatasetNames" not in listing
