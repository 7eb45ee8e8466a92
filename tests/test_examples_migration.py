"""examples/migration.py: the whole migration under moto and the fake."""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys

import boto3
from moto import mock_aws

from example_scripts import FOLDER, load_example

SCRIPT = FOLDER / "migration.py"

migration = load_example("migration")
ADA, GRACE = migration.USERS


def test_the_table_holds_exactly_what_cognito_sync_holds(no_network):
    said = []
    migrated, held = migration.run(say=said.append)
    assert (
        migrated
        == held
        == {
            (ADA, "profile"): {"name": "Ada", "city": "Paris"},
            (ADA, "game"): {"level": "12", "badge": "gold"},
            # changed after the export: only the live stream carried it
            (GRACE, "profile"): {"name": "Grace", "city": "Arlington"},
        }
    )
    assert "operator bulk published the pool: SUCCEEDED" in said
    assert any(
        line.startswith("moto's Kinesis stream holds 6 records in 2 shards")
        and line.endswith(": True")
        for line in said
    )


def test_the_handler_ignores_a_record_older_than_the_item(no_network):
    with mock_aws():
        table = boto3.resource("dynamodb", region_name="us-east-1").create_table(
            TableName="t",
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

        def event(sync_count, value):
            change = {
                "identityId": ADA,
                "datasetName": "game",
                "operation": "replace",
                "syncCount": sync_count,
                "kinesisSyncRecords": [
                    {"key": "level", "value": value, "op": "replace"}
                ],
            }
            data = base64.b64encode(json.dumps(change).encode()).decode()
            return {"Records": [{"kinesis": {"data": data}}]}

        migration.handler(event(3, "new"), None, table=table)
        migration.handler(event(2, "old"), None, table=table)
        assert migration.table_contents(table) == {(ADA, "game"): {"level": "new"}}


def test_the_script_runs_and_prints_a_summary(tmp_path):
    environment = {
        name: value for name, value in os.environ.items() if not name.startswith("AWS_")
    }
    environment["AWS_CONFIG_FILE"] = environment["AWS_SHARED_CREDENTIALS_FILE"] = str(
        tmp_path / "none"
    )
    finished = subprocess.run(
        [sys.executable, str(SCRIPT)],
        capture_output=True,
        text=True,
        env=environment,
        timeout=120,
        check=False,
    )
    assert finished.returncode == 0, finished.stderr
    assert "the table matches what Cognito Sync holds: True" in finished.stdout
