"""DescribeDataset, ListDatasets and DeleteDataset through boto3."""

from __future__ import annotations

import datetime as dt

import pytest

from devices import IDENTITY, OTHER_IDENTITY, sync_changes

NEVER_SEEN = OTHER_IDENTITY
START = dt.datetime(2024, 5, 1, 12, 0, tzinfo=dt.timezone.utc)


def sync(client, pool_id, dataset, changes):
    return sync_changes(client, pool_id, changes, dataset=dataset)


def dataset_args(pool_id, dataset="settings", identity=IDENTITY):
    return {"IdentityPoolId": pool_id, "IdentityId": identity, "DatasetName": dataset}


# -- DescribeDataset ---------------------------------------------------------


@pytest.mark.cognito_sync_mock(now=START)
def test_describe_dataset_answers_its_metadata(cognito_sync_mock, client, pool_id):
    sync(client, pool_id, "settings", {"theme": "dark", "lang": "fr"})
    cognito_sync_mock.advance_time(60)
    sync(client, pool_id, "settings", {"lang": None, "volume": "é"})
    dataset = client.describe_dataset(**dataset_args(pool_id))["Dataset"]
    assert dataset == {
        "IdentityId": IDENTITY,
        "DatasetName": "settings",
        "CreationDate": START,
        "LastModifiedDate": START + dt.timedelta(seconds=60),
        "LastModifiedBy": "123456789012",
        # theme+dark (9) + volume+é (6 + 2 UTF-8 bytes); "lang" was removed
        "DataStorage": 17,
        "NumRecords": 2,
    }


def test_describing_a_dataset_that_does_not_exist_is_not_found(client, pool_id):
    with pytest.raises(client.exceptions.ResourceNotFoundException) as caught:
        client.describe_dataset(**dataset_args(pool_id, "missing"))
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404
    assert "missing" in caught.value.response["Error"]["Message"]


# -- ListDatasets ------------------------------------------------------------


def test_list_datasets_pages_through_an_identitys_datasets_by_name(client, pool_id):
    for name in ["e", "c", "a", "d", "b"]:
        sync(client, pool_id, name, {"k": name})
    pages = [
        client.list_datasets(IdentityPoolId=pool_id, IdentityId=IDENTITY, MaxResults=2)
    ]
    while "NextToken" in pages[-1]:
        pages.append(
            client.list_datasets(
                IdentityPoolId=pool_id,
                IdentityId=IDENTITY,
                MaxResults=2,
                NextToken=pages[-1]["NextToken"],
            )
        )
    assert [page["Count"] for page in pages] == [2, 2, 1]
    names = [d["DatasetName"] for page in pages for d in page["Datasets"]]
    assert names == ["a", "b", "c", "d", "e"]
    assert {d["NumRecords"] for page in pages for d in page["Datasets"]} == {1}


def test_an_identity_without_data_has_no_datasets(client, pool_id):
    answer = client.list_datasets(IdentityPoolId=pool_id, IdentityId=NEVER_SEEN)
    assert answer["Datasets"] == []
    assert answer["Count"] == 0
    assert "NextToken" not in answer


def test_list_datasets_without_max_results_answers_all_twenty(client, pool_id):
    for n in range(20):
        sync(client, pool_id, f"set{n:02}", {})
    answer = client.list_datasets(IdentityPoolId=pool_id, IdentityId=IDENTITY)
    assert answer["Count"] == 20
    assert "NextToken" not in answer


# -- DeleteDataset -----------------------------------------------------------


def test_delete_dataset_answers_the_dataset_it_deleted(client, pool_id):
    sync(client, pool_id, "settings", {"theme": "dark"})
    deleted = client.delete_dataset(**dataset_args(pool_id))["Dataset"]
    assert deleted["DatasetName"] == "settings"
    assert deleted["NumRecords"] == 1
    assert deleted["DataStorage"] == len("themedark")


def test_a_deleted_dataset_is_gone_for_every_later_operation(client, pool_id):
    sync(client, pool_id, "settings", {"theme": "dark"})
    sync(client, pool_id, "other", {"k": "v"})
    client.delete_dataset(**dataset_args(pool_id))
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.describe_dataset(**dataset_args(pool_id))
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.delete_dataset(**dataset_args(pool_id))
    listing = client.list_datasets(IdentityPoolId=pool_id, IdentityId=IDENTITY)
    assert [d["DatasetName"] for d in listing["Datasets"]] == ["other"]
    records = client.list_records(**dataset_args(pool_id))
    assert records["DatasetExists"] is False
    assert records["Records"] == []


def test_deleting_a_dataset_that_does_not_exist_is_not_found(client, pool_id):
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.delete_dataset(**dataset_args(pool_id, "missing"))


def test_a_device_that_synced_before_a_deletion_is_told_to_drop_its_copy(
    client, pool_id
):
    sync(client, pool_id, "settings", {"a": "1"})
    sync(client, pool_id, "settings", {"b": "2"})
    client.delete_dataset(**dataset_args(pool_id))
    stale = client.list_records(**dataset_args(pool_id), LastSyncCount=2)
    assert stale["DatasetExists"] is False
    assert stale["DatasetDeletedAfterRequestedSyncCount"] is True
    assert stale["DatasetSyncCount"] == 2
    fresh = client.list_records(**dataset_args(pool_id))
    assert fresh["DatasetDeletedAfterRequestedSyncCount"] is False


def test_a_dataset_created_again_counts_on_from_its_deletion(client, pool_id):
    sync(client, pool_id, "settings", {"a": "1"})
    sync(client, pool_id, "settings", {"b": "2"})
    client.delete_dataset(**dataset_args(pool_id))
    written = sync(client, pool_id, "settings", {"c": "3"})["Records"]
    assert [(r["Key"], r["SyncCount"]) for r in written] == [("c", 3)]
    listing = client.list_records(**dataset_args(pool_id))
    assert {r["Key"]: r["Value"] for r in listing["Records"]} == {"c": "3"}
    # A device last synced before the deletion learns of it; one synced
    # since does not.
    before = client.list_records(**dataset_args(pool_id), LastSyncCount=2)
    assert before["DatasetDeletedAfterRequestedSyncCount"] is True
    after = client.list_records(**dataset_args(pool_id), LastSyncCount=3)
    assert after["DatasetDeletedAfterRequestedSyncCount"] is False


def test_deleting_streams_one_remove_record_without_records(
    cognito_sync_mock, client, pool_id
):
    cognito_sync_mock.configure_streams(pool_id, "sync-events")
    sync(client, pool_id, "settings", {"a": "1"})
    sync(client, pool_id, "settings", {"b": "2"})
    client.delete_dataset(**dataset_args(pool_id))
    removal = cognito_sync_mock.stream_records("sync-events")[-1]
    assert removal["operation"] == "remove"
    assert removal["kinesisSyncRecords"] == []
    assert removal["syncCount"] == 2
    assert (removal["identityId"], removal["datasetName"]) == (IDENTITY, "settings")


def test_deleting_streams_nothing_while_streaming_is_disabled(
    cognito_sync_mock, client, pool_id
):
    cognito_sync_mock.configure_streams(pool_id, "sync-events", enabled=False)
    sync(client, pool_id, "settings", {"a": "1"})
    client.delete_dataset(**dataset_args(pool_id))
    assert cognito_sync_mock.stream_records("sync-events") == []
