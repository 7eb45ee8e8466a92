"""lambda_events() and merge_identities() over the server's control API."""

from __future__ import annotations

import base64
import json

import pytest

from pytest_cognito_sync import CognitoSyncServer
from server_clients import control, sync_client

GUEST = "us-east-1:11111111-0000-4000-8000-000000000001"
ACCOUNT = "us-east-1:22222222-0000-4000-8000-000000000002"


@pytest.fixture(scope="module")
def server():
    with CognitoSyncServer() as running:
        yield running


def test_lambda_events_and_merge_identities_over_http(server):
    pool_id = control(server, "create_identity_pool")
    for identity in (GUEST, ACCOUNT):
        control(
            server,
            "put_dataset",
            identity_pool_id=pool_id,
            identity_id=identity,
            dataset_name="game",
            records={"who": identity},
        )
    control(server, "configure_streams", identity_pool_id=pool_id, stream_name="s")
    client = sync_client(server)
    client.bulk_publish(IdentityPoolId=pool_id)

    events = control(server, "lambda_events", stream_name="s", batch_size=1)
    assert len(events) == 2
    first = events[0]["Records"][0]
    assert first["eventSource"] == "aws:kinesis"
    data = json.loads(base64.b64decode(first["kinesis"]["data"]))
    assert data["identityId"] == first["kinesis"]["partitionKey"]

    merged = control(
        server,
        "merge_identities",
        identity_pool_id=pool_id,
        source_identity_id=GUEST,
        target_identity_id=ACCOUNT,
    )
    assert merged == [f"game.{GUEST}"]
    listing = client.list_records(
        IdentityPoolId=pool_id, IdentityId=ACCOUNT, DatasetName="game"
    )
    assert listing["MergedDatasetNames"] == [f"game.{GUEST}"]
