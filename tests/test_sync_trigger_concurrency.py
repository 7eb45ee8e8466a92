"""A sync trigger runs apart from the service, as a Lambda function does:
while it runs, other requests are answered (a function that calls Cognito
Sync from a worker thread does not hang the test), and what they changed
meanwhile is checked again before the trigger's output is written."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from botocore.exceptions import ClientError

from devices import IDENTITY, ONE_ATTEMPT, sync_changes


@pytest.fixture
def device(identity_client):
    return identity_client(IDENTITY, config=ONE_ATTEMPT)


def values(client, pool_id):
    listing = client.list_records(
        IdentityPoolId=pool_id, IdentityId=IDENTITY, DatasetName="game"
    )
    return {r["Key"]: r.get("Value") for r in listing["Records"]}


def test_a_trigger_may_call_the_service_from_another_thread(
    cognito_sync_mock, client, device, pool_id
):
    seen = []

    def trigger(event, context):
        with ThreadPoolExecutor(1) as worker:
            listing = worker.submit(
                client.list_datasets, IdentityPoolId=pool_id, IdentityId=IDENTITY
            ).result(timeout=30)
        seen.append([d["DatasetName"] for d in listing["Datasets"]])
        return event

    cognito_sync_mock.set_sync_trigger(pool_id, trigger)
    sync_changes(device, pool_id, {"coins": "10"}, dataset="game")
    assert seen == [[]]
    assert values(client, pool_id) == {"coins": "10"}


def test_a_push_that_lands_while_the_trigger_runs_makes_the_triggered_one_conflict(
    cognito_sync_mock, client, device, pool_id
):
    sync_changes(client, pool_id, {"coins": "10"}, dataset="game")

    def trigger(event, context):
        with ThreadPoolExecutor(1) as worker:
            worker.submit(
                sync_changes, client, pool_id, {"coins": "99"}, dataset="game"
            ).result(timeout=30)
        return event

    cognito_sync_mock.set_sync_trigger(pool_id, trigger)
    with pytest.raises(ClientError) as caught:
        sync_changes(device, pool_id, {"coins": "25"}, dataset="game")
    assert caught.value.response["Error"]["Code"] == "ResourceConflictException"
    assert values(client, pool_id) == {"coins": "99"}
