"""Which credentials each operation accepts, as its API reference states:
developer-only, developer or the identity's own, or the identity's own only.
Every refusal is NotAuthorizedException (403) and changes nothing."""

from __future__ import annotations

import pytest

import test_all_operations as everything
from test_all_operations import (
    DEVELOPER_ONLY,
    DEVELOPER_OR_OWN_IDENTITY,
    IDENTITY,
    OWN_IDENTITY_ONLY,
    call,
)

# The fixture test_all_operations calls every operation with.
world = everything.world

SOMEONE_ELSE = "us-east-1:99999999-8d5c-4c7b-9b3c-2a1e7f0e5b6d"


def refused(client, operation, arguments):
    with pytest.raises(client.exceptions.NotAuthorizedException) as caught:
        call(client, operation, arguments)
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403
    return caught.value.response["Error"]["Message"]


@pytest.mark.parametrize("operation", sorted(DEVELOPER_ONLY))
def test_developer_only_operations_refuse_cognito_identity_credentials(
    identity_client, world, operation
):
    message = refused(identity_client(), operation, world.arguments(operation))
    assert "developer credentials" in message


@pytest.mark.parametrize("operation", sorted(DEVELOPER_OR_OWN_IDENTITY))
@pytest.mark.parametrize("credentials", ["developer", "own-identity"])
def test_identity_scoped_operations_take_developer_or_the_identitys_credentials(
    client, identity_client, world, operation, credentials
):
    caller = client if credentials == "developer" else identity_client()
    answer = call(caller, operation, world.arguments(operation))
    assert answer["ResponseMetadata"]["HTTPStatusCode"] == 200


@pytest.mark.parametrize(
    "operation", sorted(DEVELOPER_OR_OWN_IDENTITY | OWN_IDENTITY_ONLY)
)
def test_identity_credentials_are_refused_for_another_identitys_data(
    identity_client, world, operation
):
    message = refused(
        identity_client(SOMEONE_ELSE), operation, world.arguments(operation)
    )
    assert message == "These credentials are not valid for accessing this resource"


@pytest.mark.parametrize("operation", sorted(OWN_IDENTITY_ONLY))
def test_identity_only_operations_refuse_developer_credentials(
    client, world, operation
):
    message = refused(client, operation, world.arguments(operation))
    assert "Cognito Identity credentials" in message


def test_a_refused_call_changes_nothing(client, identity_client, world):
    stranger = identity_client(SOMEONE_ELSE)
    arguments = world.arguments("DeleteDataset")
    refused(stranger, "DeleteDataset", arguments)
    patches = [{"Op": "replace", "Key": "level", "Value": "99", "SyncCount": 1}]
    refused(
        stranger,
        "UpdateRecords",
        world.arguments("UpdateRecords") | {"RecordPatches": patches},
    )
    listing = client.list_records(
        IdentityPoolId=world.pool_id, IdentityId=IDENTITY, DatasetName="game"
    )
    assert [(r["Key"], r["Value"]) for r in listing["Records"]] == [("level", "1")]
