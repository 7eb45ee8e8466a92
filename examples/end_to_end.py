"""Cognito Sync end to end: a device syncs, an operator exports, a consumer
rebuilds the data from the stream.

1. A device syncs the way the AWS mobile SDKs do, signed with its user's
   Cognito Identity credentials: ListRecords for what changed since its
   last sync (and a SyncSessionToken), then UpdateRecords with its changes.
2. An operator turns Cognito Streams on and bulk publishes the pool, so the
   data written before streaming began reaches the stream too.
3. The device keeps syncing; from now on every sync is streamed as it
   happens, and so is a deleted dataset.
4. A consumer reads the stream and rebuilds every dataset.

``sync_dataset`` and ``rebuild`` work against any boto3 client and any
list of stream records; ``main`` runs it all against pytest-cognito-sync's
fake, on a machine with no AWS account:

    python examples/end_to_end.py
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

import boto3

from pytest_cognito_sync import mock_cognito_sync

STREAM = "sync-events"
ROLE = "arn:aws:iam::123456789012:role/CognitoStreams"
USER = "us-east-1:7f3c2a10-5b4e-4d6f-8a9b-0c1d2e3f4a5b"

#: {(identity id, dataset name): {key: value}}
Datasets = dict[tuple[str, str], dict[str, str]]


def sync_dataset(
    client: Any,
    pool_id: str,
    identity_id: str,
    dataset: str,
    changes: Mapping[str, str | None],
) -> dict[str, str]:
    """Send local ``changes`` (``None`` removes a key) and return the
    dataset as the service now holds it."""
    where = {
        "IdentityPoolId": pool_id,
        "IdentityId": identity_id,
        "DatasetName": dataset,
    }
    records: dict[str, dict[str, Any]] = {}
    paging: dict[str, str] = {}
    while True:
        page = client.list_records(**where, **paging)
        records.update((record["Key"], record) for record in page["Records"])
        if "NextToken" not in page:
            break
        paging = {"NextToken": page["NextToken"]}
    # A patch names the sync count it last saw for its record (0 if new):
    # if another device wrote the record since, the service refuses it.
    patches = [
        {
            "Op": "replace" if value is not None else "remove",
            "Key": key,
            "SyncCount": records.get(key, {}).get("SyncCount", 0),
        }
        | ({"Value": value} if value is not None else {})
        for key, value in changes.items()
    ]
    written = client.update_records(
        **where, SyncSessionToken=page["SyncSessionToken"], RecordPatches=patches
    )
    records.update((record["Key"], record) for record in written["Records"])
    return {key: r["Value"] for key, r in records.items() if "Value" in r}


def rebuild(
    stream_records: Iterable[Mapping[str, Any]],
    fetch_payload: Callable[[str], list[dict[str, Any]]],
) -> Datasets:
    """Every dataset as a Cognito Streams consumer sees it: ``replace``
    records (syncs and bulk publishes) update keys, ``remove`` records drop
    the dataset; records too large to inline are fetched by their URL."""
    datasets: Datasets = {}
    for record in stream_records:
        where = (record["identityId"], record["datasetName"])
        if record["operation"] == "remove":
            datasets.pop(where, None)
            continue
        sync_records = record["kinesisSyncRecords"]
        if sync_records is None:
            sync_records = fetch_payload(record["kinesisSyncRecordsURL"])
        dataset = datasets.setdefault(where, {})
        for sync_record in sync_records:
            if sync_record["op"] == "remove":
                dataset.pop(sync_record["key"], None)
            else:
                dataset[sync_record["key"]] = sync_record["value"]
    return datasets


def held_by_service(client: Any, pool_id: str, identity_ids: Iterable[str]) -> Datasets:
    """What Cognito Sync holds, read back with the operator's credentials."""
    held: Datasets = {}
    for identity_id in identity_ids:
        listing = client.list_datasets(IdentityPoolId=pool_id, IdentityId=identity_id)
        for entry in listing["Datasets"]:
            name = entry["DatasetName"]
            records = client.list_records(
                IdentityPoolId=pool_id, IdentityId=identity_id, DatasetName=name
            )["Records"]
            held[(identity_id, name)] = {
                r["Key"]: r["Value"] for r in records if "Value" in r
            }
    return held


def run(say: Callable[[str], None] = print) -> tuple[Datasets, Datasets]:
    """The whole story against the fake; returns (rebuilt, held)."""
    with mock_cognito_sync(bulk_publish_duration=120) as cs:
        pool_id = cs.create_identity_pool()
        operator = boto3.client("cognito-sync", region_name="us-east-1")
        credentials = cs.issue_identity_credentials(USER)
        device = boto3.client(
            "cognito-sync",
            region_name="us-east-1",
            aws_access_key_id=credentials["AccessKeyId"],
            aws_secret_access_key=credentials["SecretKey"],
            aws_session_token=credentials["SessionToken"],
        )

        sync_dataset(device, pool_id, USER, "profile", {"name": "Ada", "city": "Paris"})
        sync_dataset(device, pool_id, USER, "game", {"level": "3"})
        say("device synced profile and game (no stream configured yet)")

        operator.set_identity_pool_configuration(
            IdentityPoolId=pool_id,
            CognitoStreams={
                "StreamName": STREAM,
                "RoleArn": ROLE,
                "StreamingStatus": "ENABLED",
            },
        )
        operator.bulk_publish(IdentityPoolId=pool_id)
        status = "IN_PROGRESS"
        while status == "IN_PROGRESS":
            cs.advance_time(30)  # a real operator would sleep here
            details = operator.get_bulk_publish_details(IdentityPoolId=pool_id)
            status = details["BulkPublishStatus"]
        say(f"operator bulk published the pool: {status}")

        sync_dataset(device, pool_id, USER, "game", {"level": "4", "badge": "gold"})
        sync_dataset(device, pool_id, USER, "profile", {"city": None})
        sync_dataset(device, pool_id, USER, "drafts", {"note": "tmp"})
        device.delete_dataset(
            IdentityPoolId=pool_id, IdentityId=USER, DatasetName="drafts"
        )
        say("device synced game and profile, and deleted drafts (streamed live)")

        stream = cs.stream_records(STREAM)
        rebuilt = rebuild(stream, cs.stream_payload)
        held = held_by_service(operator, pool_id, [USER])
        say(f"consumer read {len(stream)} records from stream {STREAM} and rebuilt:")
        for (identity_id, name), values in sorted(rebuilt.items()):
            say(f"  {identity_id} {name}: {values}")
        say(f"rebuilt data matches what Cognito Sync holds: {rebuilt == held}")
        return rebuilt, held


def main() -> int:
    rebuilt, held = run()
    return 0 if rebuilt == held else 1


if __name__ == "__main__":
    raise SystemExit(main())
