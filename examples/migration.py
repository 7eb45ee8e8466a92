"""Moving users' data off Cognito Sync, tested as one pipeline under moto.

1. moto's Cognito Identity holds the identity pool and moto's Kinesis the
   stream the pool exports to: the fake serves cognito-sync for that pool
   without being told about it.
2. Devices sync their datasets through cognito-sync, signed with their
   users' Cognito Identity credentials; one user deletes a dataset.
3. An operator turns Cognito Streams on and bulk publishes the pool, so
   data written before streaming began is exported too.
4. A Lambda-style handler consumes the stream's events and writes every
   dataset into a DynamoDB table (moto's), one item per identity and
   dataset, skipping records older than what the table already has.
5. The script checks the table against what ListRecords answers, and
   reads moto's Kinesis stream directly to show it holds the same records.

Nothing leaves the process, and no AWS account is needed:

    python examples/migration.py
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import boto3
from moto import mock_aws

from pytest_cognito_sync import mock_cognito_sync

REGION = "us-east-1"
STREAM = "cognito-sync-export"
TABLE = "user-data"
ROLE = "arn:aws:iam::123456789012:role/CognitoStreams"
USERS = {
    "us-east-1:7f3c2a10-5b4e-4d6f-8a9b-0c1d2e3f4a5b": {
        "profile": {"name": "Ada", "city": "Paris"},
        "game": {"level": "12", "badge": "gold"},
    },
    "us-east-1:2b9d1e44-0c3a-4f5e-9d8c-7a6b5c4d3e2f": {
        "profile": {"name": "Grace"},
        "drafts": {"note": "to be deleted"},
    },
}

#: {(identity id, dataset name): {key: value}}
Datasets = dict[tuple[str, str], dict[str, str]]


def sync(
    client: Any,
    pool_id: str,
    identity_id: str,
    dataset: str,
    changes: Mapping[str, str | None],
) -> None:
    """One device sync: ListRecords for the token and counts, then UpdateRecords."""
    where = {
        "IdentityPoolId": pool_id,
        "IdentityId": identity_id,
        "DatasetName": dataset,
    }
    listing = client.list_records(**where)
    counts = {record["Key"]: record["SyncCount"] for record in listing["Records"]}
    patches = [
        {
            "Op": "replace" if value is not None else "remove",
            "Key": key,
            "SyncCount": counts.get(key, 0),
        }
        | ({"Value": value} if value is not None else {})
        for key, value in changes.items()
    ]
    client.update_records(
        **where, SyncSessionToken=listing["SyncSessionToken"], RecordPatches=patches
    )


def handler(event: dict[str, Any], context: Any, *, table: Any) -> dict[str, int]:
    """The migration Lambda: each Kinesis record is one Cognito Streams
    record; "replace" applies its sync records to the dataset's item,
    "remove" deletes the item. An item remembers the sync count it holds,
    so a replayed or older record changes nothing."""
    written = removed = 0
    for record in event["Records"]:
        change = json.loads(base64.b64decode(record["kinesis"]["data"]))
        key = {"identityId": change["identityId"], "datasetName": change["datasetName"]}
        current = table.get_item(Key=key).get("Item")
        if current is not None and int(current["syncCount"]) > change["syncCount"]:
            continue
        if change["operation"] == "remove":
            table.delete_item(Key=key)
            removed += 1
            continue
        values = dict(current["records"]) if current is not None else {}
        for sync_record in change["kinesisSyncRecords"] or ():
            if sync_record["op"] == "remove":
                values.pop(sync_record["key"], None)
            else:
                values[sync_record["key"]] = sync_record["value"]
        table.put_item(
            Item={**key, "records": values, "syncCount": change["syncCount"]}
        )
        written += 1
    return {"written": written, "removed": removed}


def table_contents(table: Any) -> Datasets:
    items = table.scan()["Items"]
    return {
        (item["identityId"], item["datasetName"]): dict(item["records"])
        for item in items
    }


def held_by_service(client: Any, pool_id: str, identity_ids: Iterable[str]) -> Datasets:
    """What Cognito Sync holds, read back with developer credentials."""
    held: Datasets = {}
    for identity_id in identity_ids:
        listing = client.list_datasets(IdentityPoolId=pool_id, IdentityId=identity_id)
        for entry in listing["Datasets"]:
            name = entry["DatasetName"]
            records = client.list_records(
                IdentityPoolId=pool_id, IdentityId=identity_id, DatasetName=name
            )
            held[(identity_id, name)] = {
                r["Key"]: r["Value"] for r in records["Records"] if "Value" in r
            }
    return held


def run(say: Callable[[str], None] = print) -> tuple[Datasets, Datasets]:
    """The whole migration; returns (migrated table, what Cognito Sync holds)."""
    with mock_aws(), mock_cognito_sync() as cs:
        pool_id = boto3.client(
            "cognito-identity", region_name=REGION
        ).create_identity_pool(
            IdentityPoolName="app", AllowUnauthenticatedIdentities=True
        )["IdentityPoolId"]
        kinesis = boto3.client("kinesis", region_name=REGION)
        kinesis.create_stream(StreamName=STREAM, ShardCount=2)
        dynamodb = boto3.resource("dynamodb", region_name=REGION)
        table = dynamodb.create_table(
            TableName=TABLE,
            KeySchema=[
                {"AttributeName": "identityId", "KeyType": "HASH"},
                {"AttributeName": "datasetName", "KeyType": "RANGE"},
            ],
            AttributeDefinitions=[
                {"AttributeName": "identityId", "AttributeType": "S"},
                {"AttributeName": "datasetName", "AttributeType": "S"},
            ],
            BillingMode="PAY_PER_REQUEST",
        )
        say(f"moto created identity pool {pool_id}, stream {STREAM} and table {TABLE}")

        for identity_id, datasets in USERS.items():
            credentials = cs.issue_identity_credentials(identity_id)
            device = boto3.client(
                "cognito-sync",
                region_name=REGION,
                aws_access_key_id=credentials["AccessKeyId"],
                aws_secret_access_key=credentials["SecretKey"],
                aws_session_token=credentials["SessionToken"],
            )
            for dataset, values in datasets.items():
                sync(device, pool_id, identity_id, dataset, values)
        say(f"{len(USERS)} devices synced their datasets")

        operator = boto3.client("cognito-sync", region_name=REGION)
        operator.set_identity_pool_configuration(
            IdentityPoolId=pool_id,
            CognitoStreams={
                "StreamName": STREAM,
                "RoleArn": ROLE,
                "StreamingStatus": "ENABLED",
            },
        )
        operator.bulk_publish(IdentityPoolId=pool_id)
        status = operator.get_bulk_publish_details(IdentityPoolId=pool_id)[
            "BulkPublishStatus"
        ]
        say(f"operator bulk published the pool: {status}")

        # Streamed live from now on: an update and a deletion after the export.
        grace = "us-east-1:2b9d1e44-0c3a-4f5e-9d8c-7a6b5c4d3e2f"
        sync(operator, pool_id, grace, "profile", {"city": "Arlington"})
        operator.delete_dataset(
            IdentityPoolId=pool_id, IdentityId=grace, DatasetName="drafts"
        )
        say("Grace's profile changed and her drafts were deleted after the export")

        totals = {"written": 0, "removed": 0}
        events = cs.lambda_events(STREAM, batch_size=2)
        for event in events:
            for name, count in handler(event, None, table=table).items():
                totals[name] += count
        say(
            f"the handler ran {len(events)} times: {totals['written']} datasets "
            f"written, {totals['removed']} removed"
        )

        # A consumer reading the stream with the Kinesis API sees the same.
        shards = kinesis.list_shards(StreamName=STREAM)["Shards"]
        in_kinesis = []
        for shard in shards:
            iterator = kinesis.get_shard_iterator(
                StreamName=STREAM,
                ShardId=shard["ShardId"],
                ShardIteratorType="TRIM_HORIZON",
            )["ShardIterator"]
            page = kinesis.get_records(ShardIterator=iterator)
            in_kinesis += [json.loads(record["Data"]) for record in page["Records"]]
        same = sorted(map(json.dumps, in_kinesis)) == sorted(
            map(json.dumps, cs.stream_records(STREAM))
        )
        say(
            f"moto's Kinesis stream holds {len(in_kinesis)} records in "
            f"{len(shards)} shards, the stream's records: {same}"
        )

        migrated = table_contents(table)
        held = held_by_service(operator, pool_id, USERS)
        say(f"migrated into {TABLE}:")
        for (identity_id, name), values in sorted(migrated.items()):
            say(f"  {identity_id} {name}: {values}")
        say(f"the table matches what Cognito Sync holds: {migrated == held}")
        return migrated, held


def main() -> int:
    migrated, held = run()
    return 0 if migrated == held else 1


if __name__ == "__main__":
    raise SystemExit(main())
