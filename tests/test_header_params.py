"""Parameters the model binds to HTTP headers (UpdateRecords' ClientContext,
header ``x-amz-Client-Context``) reach the fake as text, whatever the
header's case and whether the client sent it as bytes (botocore does)."""

from __future__ import annotations

import json

import pytest
import requests
from requests_aws4auth import AWS4Auth

IDENTITY = "us-east-1:6a1f0c2e-3b4d-4e5f-8a9b-0c1d2e3f4a5b"
DATASET = "settings"


def update_url(pool_id: str) -> str:
    return (
        "https://cognito-sync.us-east-1.amazonaws.com/identitypools/"
        f"{pool_id}/identities/{IDENTITY}/datasets/{DATASET}"
    )


def session_token(client, pool_id: str) -> str:
    return client.list_records(
        IdentityPoolId=pool_id, IdentityId=IDENTITY, DatasetName=DATASET
    )["SyncSessionToken"]


PATCH = {"Op": "replace", "Key": "color", "Value": "blue", "SyncCount": 0}


def test_a_client_context_sent_by_boto3_is_accepted_and_journaled(
    cognito_sync_mock, client, pool_id
):
    response = client.update_records(
        IdentityPoolId=pool_id,
        IdentityId=IDENTITY,
        DatasetName=DATASET,
        SyncSessionToken=session_token(client, pool_id),
        ClientContext="eyJjbGllbnQiOnt9fQ==",
        RecordPatches=[PATCH],
    )
    assert response["Records"][0]["Value"] == "blue"
    assert cognito_sync_mock.calls[-1].params["ClientContext"] == (
        "eyJjbGllbnQiOnt9fQ=="
    )


@pytest.mark.parametrize(
    "header", ["x-amz-Client-Context", "X-AMZ-CLIENT-CONTEXT", "x-amz-client-context"]
)
def test_a_client_context_header_is_found_in_any_case(
    cognito_sync_mock, client, pool_id, header
):
    body = {
        "SyncSessionToken": session_token(client, pool_id),
        "RecordPatches": [PATCH],
    }
    response = requests.post(
        update_url(pool_id),
        data=json.dumps(body),
        headers={header: "context"},
        auth=AWS4Auth("AKIAEXAMPLEKEY000000", "secret", "us-east-1", "cognito-sync"),
    )
    assert response.status_code == 200, response.text
    assert cognito_sync_mock.calls[-1].params["ClientContext"] == "context"
