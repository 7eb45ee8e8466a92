"""ListRecords and UpdateRecords through boto3: sync counts, conflicts,
session tokens, paging, removals, limits and the stream records they write."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from botocore.config import Config

from devices import IDENTITY, ONE_ATTEMPT

OTHER_IDENTITY = "us-east-1:99999999-8d5c-4c7b-9b3c-2a1e7f0e5b6d"


def replace(key, value, sync_count=0):
    return {"Op": "replace", "Key": key, "Value": value, "SyncCount": sync_count}


def remove(key, sync_count):
    return {"Op": "remove", "Key": key, "SyncCount": sync_count}


def token_for(client, pool_id, dataset="settings", identity=IDENTITY):
    answer = client.list_records(
        IdentityPoolId=pool_id, IdentityId=identity, DatasetName=dataset
    )
    return answer["SyncSessionToken"]


def sync(client, pool_id, patches, dataset="settings", identity=IDENTITY, **extra):
    return client.update_records(
        IdentityPoolId=pool_id,
        IdentityId=identity,
        DatasetName=dataset,
        SyncSessionToken=token_for(client, pool_id, dataset, identity),
        RecordPatches=patches,
        **extra,
    )


def listed(client, pool_id, dataset="settings", **extra):
    return client.list_records(
        IdentityPoolId=pool_id, IdentityId=IDENTITY, DatasetName=dataset, **extra
    )


def values(records):
    return {record["Key"]: record.get("Value") for record in records}


def counts(records):
    return {record["Key"]: record["SyncCount"] for record in records}


@pytest.fixture
def one_attempt_client(make_client):
    return make_client(config=ONE_ATTEMPT)


# -- ListRecords on a dataset that does not exist ---------------------------


def test_listing_a_dataset_that_does_not_exist_is_empty_and_issues_a_token(
    client, pool_id
):
    answer = listed(client, pool_id)
    assert answer["Records"] == []
    assert answer["Count"] == 0
    assert answer["DatasetSyncCount"] == 0
    assert answer["DatasetExists"] is False
    assert answer["DatasetDeletedAfterRequestedSyncCount"] is False
    assert answer["SyncSessionToken"]
    assert "LastModifiedBy" not in answer
    assert "NextToken" not in answer


# -- sync counts -------------------------------------------------------------


def test_the_first_update_creates_the_dataset_at_sync_count_one(client, pool_id):
    written = sync(client, pool_id, [replace("color", "blue")])["Records"]
    assert [(r["Key"], r["Value"], r["SyncCount"]) for r in written] == [
        ("color", "blue", 1)
    ]
    answer = listed(client, pool_id)
    assert answer["DatasetExists"] is True
    assert answer["DatasetSyncCount"] == 1
    assert values(answer["Records"]) == {"color": "blue"}


def test_each_update_counts_one_sync_and_stamps_only_the_records_it_writes(
    client, pool_id
):
    sync(client, pool_id, [replace("a", "1"), replace("b", "1")])
    sync(client, pool_id, [replace("b", "2", sync_count=1)])
    sync(client, pool_id, [replace("c", "3")])
    answer = listed(client, pool_id)
    assert answer["DatasetSyncCount"] == 3
    assert counts(answer["Records"]) == {"a": 1, "b": 2, "c": 3}
    assert values(answer["Records"]) == {"a": "1", "b": "2", "c": "3"}


def test_an_update_with_no_patches_is_still_one_sync(client, pool_id):
    assert sync(client, pool_id, [])["Records"] == []
    answer = listed(client, pool_id)
    assert answer["DatasetExists"] is True
    assert answer["DatasetSyncCount"] == 1


# -- conflicts ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("patch", "message"),
    [
        (
            replace("score", "9", sync_count=0),
            "Current SyncCount for: score is: 1 not: 0",
        ),
        (
            replace("score", "9", sync_count=5),
            "Current SyncCount for: score is: 1 not: 5",
        ),
        (remove("score", 0), "Current SyncCount for: score is: 1 not: 0"),
        (
            replace("fresh", "x", sync_count=3),
            "Current SyncCount for: fresh is: 0 not: 3",
        ),
    ],
    ids=["stale", "ahead", "stale-remove", "new-record-not-zero"],
)
def test_a_patch_whose_sync_count_is_not_the_records_is_a_conflict(
    client, pool_id, patch, message
):
    sync(client, pool_id, [replace("score", "1")])
    with pytest.raises(client.exceptions.ResourceConflictException) as caught:
        sync(client, pool_id, [patch])
    assert caught.value.response["Error"]["Message"] == message
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 409


def test_a_conflict_rejects_the_whole_update(cognito_sync_mock, client, pool_id):
    cognito_sync_mock.configure_streams(pool_id, "events")
    sync(client, pool_id, [replace("score", "1")])
    with pytest.raises(client.exceptions.ResourceConflictException):
        sync(client, pool_id, [replace("name", "ann"), replace("score", "2")])
    answer = listed(client, pool_id)
    assert values(answer["Records"]) == {"score": "1"}
    assert answer["DatasetSyncCount"] == 1
    assert len(cognito_sync_mock.stream_records("events")) == 1


# -- SyncSessionToken --------------------------------------------------------


@pytest.fixture
def tokens(cognito_sync_mock, client, pool_id):
    """Tokens ListRecords issued for other inputs than the update's."""
    other_pool = cognito_sync_mock.create_identity_pool()
    return {
        "other-dataset": token_for(client, pool_id, dataset="elsewhere"),
        "other-identity": token_for(client, pool_id, identity=OTHER_IDENTITY),
        "other-pool": token_for(client, other_pool),
        "made-up": "not-a-token",
        "empty": "",
    }


@pytest.mark.parametrize(
    "which", ["other-dataset", "other-identity", "other-pool", "made-up", "empty"]
)
def test_a_session_token_is_valid_only_for_the_inputs_it_was_issued_for(
    client, pool_id, tokens, which
):
    with pytest.raises(client.exceptions.InvalidParameterException) as caught:
        client.update_records(
            IdentityPoolId=pool_id,
            IdentityId=IDENTITY,
            DatasetName="settings",
            SyncSessionToken=tokens[which],
            RecordPatches=[replace("a", "1")],
        )
    error = caught.value.response["Error"]
    assert error["Message"] == "SyncSessionToken not valid for these inputs"
    assert listed(client, pool_id)["DatasetExists"] is False


def test_a_session_token_serves_several_listings(client, pool_id):
    token = token_for(client, pool_id)
    sync(client, pool_id, [replace("a", "1")])
    again = listed(client, pool_id, SyncSessionToken=token)
    assert again["SyncSessionToken"] == token
    assert values(again["Records"]) == {"a": "1"}
    assert listed(client, pool_id, SyncSessionToken=token)["SyncSessionToken"] == token


def test_listing_with_a_foreign_session_token_is_invalid(client, pool_id, tokens):
    with pytest.raises(client.exceptions.InvalidParameterException) as caught:
        listed(client, pool_id, SyncSessionToken=tokens["other-identity"])
    assert "SyncSessionToken not valid" in caught.value.response["Error"]["Message"]


# -- removals ----------------------------------------------------------------


def test_a_removed_record_stays_listed_without_a_value_at_its_new_count(
    client, pool_id
):
    sync(client, pool_id, [replace("a", "1"), replace("b", "1")])
    written = sync(client, pool_id, [remove("a", 1)])["Records"]
    assert written[0]["Key"] == "a"
    assert "Value" not in written[0]
    assert written[0]["SyncCount"] == 2
    records = listed(client, pool_id)["Records"]
    assert values(records) == {"a": None, "b": "1"}
    assert counts(records) == {"a": 2, "b": 1}


def test_a_removed_record_can_be_written_again_from_its_removal_count(client, pool_id):
    sync(client, pool_id, [replace("a", "1")])
    sync(client, pool_id, [remove("a", 1)])
    sync(client, pool_id, [replace("a", "back", sync_count=2)])
    assert values(listed(client, pool_id)["Records"]) == {"a": "back"}


@pytest.mark.parametrize(
    ("patches", "fragment"),
    [
        ([{"Op": "replace", "Key": "a", "SyncCount": 0}], "value is required"),
        ([replace("a", "1"), replace("a", "2")], "more than one patch for key 'a'"),
    ],
    ids=["replace-without-value", "same-key-twice"],
)
def test_malformed_patches_are_invalid(client, pool_id, patches, fragment):
    with pytest.raises(client.exceptions.InvalidParameterException) as caught:
        sync(client, pool_id, patches)
    assert fragment in caught.value.response["Error"]["Message"]


# -- LastSyncCount -----------------------------------------------------------


def test_last_sync_count_lists_only_records_written_after_it(client, pool_id):
    sync(client, pool_id, [replace("a", "1")])
    sync(client, pool_id, [replace("b", "2")])
    sync(client, pool_id, [replace("c", "3"), remove("a", 1)])
    after_one = listed(client, pool_id, LastSyncCount=1)
    assert values(after_one["Records"]) == {"b": "2", "c": "3", "a": None}
    assert after_one["DatasetSyncCount"] == 3
    assert listed(client, pool_id, LastSyncCount=3)["Records"] == []


def test_a_last_sync_count_above_the_datasets_is_invalid(client, pool_id):
    sync(client, pool_id, [replace("a", "1")])
    with pytest.raises(client.exceptions.InvalidParameterException) as caught:
        listed(client, pool_id, LastSyncCount=5)
    assert caught.value.response["Error"]["Message"] == (
        "No such SyncCount: 5 exists for this Dataset"
    )


# -- paging ------------------------------------------------------------------


def all_pages(client, pool_id, **extra):
    pages = [listed(client, pool_id, **extra)]
    while "NextToken" in pages[-1]:
        pages.append(listed(client, pool_id, NextToken=pages[-1]["NextToken"], **extra))
    return pages


def test_pages_list_every_record_once_in_sync_count_order(client, pool_id):
    sync(client, pool_id, [replace(key, key) for key in "dcba"])
    sync(client, pool_id, [replace("e", "e"), replace("a", "A", sync_count=1)])
    sync(client, pool_id, [replace("f", "f")])
    pages = all_pages(client, pool_id, MaxResults=2)
    assert [page["Count"] for page in pages] == [2, 2, 2]
    order = [(r["SyncCount"], r["Key"]) for page in pages for r in page["Records"]]
    assert order == [(1, "b"), (1, "c"), (1, "d"), (2, "a"), (2, "e"), (3, "f")]


def test_paging_combines_with_last_sync_count(client, pool_id):
    for key in "abcde":
        sync(client, pool_id, [replace(key, key)])
    pages = all_pages(client, pool_id, LastSyncCount=2, MaxResults=2)
    assert [r["Key"] for page in pages for r in page["Records"]] == ["c", "d", "e"]


def test_a_record_rewritten_between_pages_is_listed_at_its_new_count(client, pool_id):
    sync(client, pool_id, [replace(key, "old") for key in "abcd"])
    first = listed(client, pool_id, MaxResults=2)
    assert [r["Key"] for r in first["Records"]] == ["a", "b"]
    sync(client, pool_id, [replace("a", "new", sync_count=1)])
    rest = listed(client, pool_id, MaxResults=10, NextToken=first["NextToken"])
    assert [(r["Key"], r["Value"]) for r in rest["Records"]] == [
        ("c", "old"),
        ("d", "old"),
        ("a", "new"),
    ]


@pytest.mark.parametrize(
    ("extra", "fragment"),
    [
        ({"MaxResults": 0}, "at 'maxResults' failed to satisfy constraint"),
        (
            {"NextToken": "bm90IGEgdG9rZW4="},
            "NextToken 'bm90IGEgdG9rZW4=' is not valid",
        ),
        ({"LastSyncCount": -1}, "at 'lastSyncCount' failed to satisfy constraint"),
    ],
    ids=["max-results-0", "made-up-next-token", "negative-last-sync-count"],
)
def test_bad_listing_parameters_are_invalid(client, pool_id, extra, fragment):
    with pytest.raises(client.exceptions.InvalidParameterException) as caught:
        listed(client, pool_id, **extra)
    assert fragment in caught.value.response["Error"]["Message"]


# -- who and when ------------------------------------------------------------


def test_last_modified_by_names_the_account_or_the_identity(
    cognito_sync_mock, client, make_client, pool_id
):
    sync(client, pool_id, [replace("by-developer", "1")])
    credentials = cognito_sync_mock.issue_identity_credentials(IDENTITY)
    device = make_client(
        aws_access_key_id=credentials["AccessKeyId"],
        aws_secret_access_key=credentials["SecretKey"],
        aws_session_token=credentials["SessionToken"],
    )
    sync(device, pool_id, [replace("by-device", "1")])
    records = {r["Key"]: r for r in listed(client, pool_id)["Records"]}
    assert records["by-developer"]["LastModifiedBy"] == "123456789012"
    assert records["by-device"]["LastModifiedBy"] == IDENTITY
    assert listed(client, pool_id)["LastModifiedBy"] == IDENTITY


@pytest.mark.cognito_sync_mock(
    now=dt.datetime(2024, 5, 1, 12, 0, tzinfo=dt.timezone.utc)
)
def test_records_carry_the_service_time_and_the_devices_own_time(client, pool_id):
    on_device = dt.datetime(2024, 4, 30, 8, 30, tzinfo=dt.timezone.utc)
    patch = replace("a", "1") | {"DeviceLastModifiedDate": on_device}
    record = sync(client, pool_id, [patch])["Records"][0]
    assert record["LastModifiedDate"] == dt.datetime(
        2024, 5, 1, 12, 0, tzinfo=dt.timezone.utc
    )
    assert record["DeviceLastModifiedDate"] == on_device


# -- limits ------------------------------------------------------------------


def limit_message(client, pool_id, patches, dataset="settings"):
    with pytest.raises(client.exceptions.LimitExceededException) as caught:
        sync(client, pool_id, patches, dataset=dataset)
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    return caught.value.response["Error"]["Message"]


def test_a_dataset_holds_at_most_1024_records(one_attempt_client, pool_id):
    client = one_attempt_client
    sync(client, pool_id, [replace(f"k{n}", "v") for n in range(1024)])
    message = limit_message(client, pool_id, [replace("one-more", "v")])
    assert "1025 records" in message
    assert "at most 1024" in message


def test_removed_records_do_not_count_toward_the_record_limit(
    one_attempt_client, pool_id
):
    client = one_attempt_client
    sync(client, pool_id, [replace(f"k{n}", "v") for n in range(1024)])
    sync(client, pool_id, [remove("k0", 1), replace("instead", "v")])
    assert listed(client, pool_id, LastSyncCount=1)["Count"] == 2


def test_a_dataset_holds_at_most_1_mb_of_utf8_keys_and_values(
    one_attempt_client, pool_id
):
    client = one_attempt_client
    # "k" + 1,048,575 one-byte characters is exactly 1 MB: allowed.
    sync(client, pool_id, [replace("k", "x" * (1024 * 1024 - 1))])
    message = limit_message(client, pool_id, [replace("é", "")])
    assert "1048578 bytes" in message
    assert "1048576 bytes (1 MB)" in message


def test_an_identity_holds_at_most_20_datasets(one_attempt_client, pool_id):
    client = one_attempt_client
    for n in range(20):
        sync(client, pool_id, [], dataset=f"set{n}")
    message = limit_message(client, pool_id, [], dataset="set20")
    assert "20 datasets" in message
    client.delete_dataset(
        IdentityPoolId=pool_id, IdentityId=IDENTITY, DatasetName="set0"
    )
    sync(client, pool_id, [], dataset="set20")


def test_a_rejected_update_writes_nothing(one_attempt_client, pool_id):
    client = one_attempt_client
    sync(client, pool_id, [replace(f"k{n}", "v") for n in range(1024)])
    limit_message(client, pool_id, [replace("k0", "changed", 1), replace("new", "v")])
    answer = listed(client, pool_id, LastSyncCount=1)
    assert answer["Records"] == []
    assert answer["DatasetSyncCount"] == 1


def test_standard_retry_mode_retries_limit_exceeded_as_in_production(
    cognito_sync_mock, make_client, pool_id, monkeypatch
):
    monkeypatch.setattr(time, "sleep", lambda seconds: None)
    retries = {"mode": "standard", "total_max_attempts": 3}
    client = make_client(config=Config(retries=retries))
    for n in range(20):
        sync(client, pool_id, [], dataset=f"set{n}")
    with pytest.raises(client.exceptions.LimitExceededException) as caught:
        sync(client, pool_id, [], dataset="set20")
    assert caught.value.response["ResponseMetadata"]["RetryAttempts"] == 2
    refused = [
        call.error_code
        for call in cognito_sync_mock.calls
        if call.operation == "UpdateRecords" and call.error_code
    ]
    assert refused == ["LimitExceededException"] * 3


# -- Cognito Streams ---------------------------------------------------------


@pytest.fixture
def streaming(cognito_sync_mock, pool_id):
    cognito_sync_mock.configure_streams(pool_id, "sync-events")
    return "sync-events"


def test_each_update_streams_one_replace_record_with_the_records_it_wrote(
    cognito_sync_mock, client, pool_id, streaming
):
    sync(client, pool_id, [replace("a", "1"), replace("b", "1")])
    sync(client, pool_id, [remove("a", 1), replace("c", "3")])
    first, second = cognito_sync_mock.stream_records(streaming)
    assert (first["operation"], first["syncCount"]) == ("replace", 1)
    assert (second["operation"], second["syncCount"]) == ("replace", 2)
    assert second["identityPoolId"] == pool_id
    assert second["identityId"] == IDENTITY
    assert second["datasetName"] == "settings"
    assert second["payloadType"] == "Inline"
    assert [
        (r["key"], r["value"], r["op"], r["syncCount"])
        for r in second["kinesisSyncRecords"]
    ] == [("a", None, "remove", 2), ("c", "3", "replace", 2)]


@pytest.mark.parametrize("enabled", [False, None], ids=["disabled", "unconfigured"])
def test_updates_stream_nothing_unless_streaming_is_enabled(
    cognito_sync_mock, client, pool_id, enabled
):
    if enabled is not None:
        cognito_sync_mock.configure_streams(pool_id, "sync-events", enabled=enabled)
    sync(client, pool_id, [replace("a", "1")])
    assert cognito_sync_mock.stream_records("sync-events") == []


def test_records_beyond_the_inline_limit_are_streamed_as_an_s3_url(
    cognito_sync_mock, one_attempt_client, pool_id, streaming
):
    # Quotes double in JSON: 600,000 of them are over 1 MB inline.
    big = '"' * 600_000
    sync(one_attempt_client, pool_id, [replace("big", big)])
    (record,) = cognito_sync_mock.stream_records(streaming)
    assert record["payloadType"] == "S3Url"
    assert record["kinesisSyncRecords"] is None
    url = record["kinesisSyncRecordsURL"]
    assert url.startswith("https://")
    (payload,) = cognito_sync_mock.stream_payload(url)
    assert (payload["key"], payload["value"], payload["syncCount"]) == ("big", big, 1)


# -- the model's constraints -------------------------------------------------


@pytest.mark.parametrize(
    ("dataset", "patch", "fragment"),
    [
        (
            "bad name!",
            replace("a", "1"),
            "regular expression pattern: [a-zA-Z0-9_.:-]+",
        ),
        ("d" * 129, replace("a", "1"), "length less than or equal to 128"),
        ("settings", replace("k" * 1025, "1"), "length less than or equal to 1024"),
        (
            "settings",
            replace("a", "v" * 1048576),
            "length less than or equal to 1048575",
        ),
        ("settings", {**replace("a", "1"), "Op": "merge"}, "[replace, remove]"),
    ],
    ids=["dataset-pattern", "dataset-length", "key-length", "value-length", "op"],
)
def test_names_keys_values_and_ops_are_held_to_the_model(
    make_client, pool_id, dataset, patch, fragment
):
    client = make_client(
        config=Config(parameter_validation=False, retries={"total_max_attempts": 1})
    )
    with pytest.raises(client.exceptions.InvalidParameterException) as caught:
        client.update_records(
            IdentityPoolId=pool_id,
            IdentityId=IDENTITY,
            DatasetName=dataset,
            SyncSessionToken=token_for(client, pool_id),
            RecordPatches=[patch],
        )
    assert fragment in caught.value.response["Error"]["Message"]
