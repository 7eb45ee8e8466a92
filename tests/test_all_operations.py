"""Every operation in botocore's cognito-sync model is answered by the fake.

The operation list comes from botocore's model itself, so a botocore
release that adds an operation fails these tests until the fake answers it.
"""

from __future__ import annotations

from dataclasses import dataclass

import botocore.session
import pytest
from botocore import xform_name

MODEL = botocore.session.get_session().get_service_model("cognito-sync")
IDENTITY = "us-east-1:0d3a1d12-8d5c-4c7b-9b3c-2a1e7f0e5b6d"
GCM_APP = "arn:aws:sns:us-east-1:123456789012:app/GCM/MyGame"
LAMBDA = "arn:aws:lambda:us-east-1:123456789012:function:ValidateSync"

#: Who may call what, as each operation's API reference states.
DEVELOPER_ONLY = {
    "BulkPublish",
    "GetBulkPublishDetails",
    "SetIdentityPoolConfiguration",
    "GetIdentityPoolConfiguration",
    "DescribeIdentityPoolUsage",
    "ListIdentityPoolUsage",
    "SetCognitoEvents",
    "GetCognitoEvents",
}
DEVELOPER_OR_OWN_IDENTITY = {
    "ListRecords",
    "UpdateRecords",
    "DescribeDataset",
    "ListDatasets",
    "DeleteDataset",
    "DescribeIdentityUsage",
}
OWN_IDENTITY_ONLY = {"RegisterDevice", "SubscribeToDataset", "UnsubscribeFromDataset"}


@dataclass(frozen=True)
class World:
    """A pool where every operation has what it needs to succeed."""

    pool_id: str
    device_id: str
    session_token: str

    def arguments(self, operation: str) -> dict[str, object]:
        """The operation's required parameters, named by the model."""
        values = {
            "IdentityPoolId": self.pool_id,
            "IdentityId": IDENTITY,
            "DatasetName": "game",
            "DeviceId": self.device_id,
            "SyncSessionToken": self.session_token,
            "Events": {"SyncTrigger": LAMBDA},
            "Platform": "GCM",
            "Token": "gcm-token",
        }
        shape = MODEL.operation_model(operation).input_shape
        required = shape.required_members if shape is not None else []
        return {name: values[name] for name in required}


def call(client, operation, arguments):
    return getattr(client, xform_name(operation))(**arguments)


@pytest.fixture
def world(cognito_sync_mock, client, identity_client):
    pool_id = cognito_sync_mock.create_identity_pool()
    client.set_identity_pool_configuration(
        IdentityPoolId=pool_id,
        CognitoStreams={"StreamName": "sync-events"},
        PushSync={"ApplicationArns": [GCM_APP]},
    )
    cognito_sync_mock.put_dataset(pool_id, IDENTITY, "game", {"level": "1"})
    device_id = identity_client().register_device(
        IdentityPoolId=pool_id, IdentityId=IDENTITY, Platform="GCM", Token="t"
    )["DeviceId"]
    listing = client.list_records(
        IdentityPoolId=pool_id, IdentityId=IDENTITY, DatasetName="game"
    )
    return World(pool_id, device_id, listing["SyncSessionToken"])


def test_the_fake_implements_exactly_the_models_operations():
    from pytest_cognito_sync.backend.registry import OPERATIONS

    assert set(OPERATIONS) == set(MODEL.operation_names)


def test_the_access_rules_cover_every_operation_once():
    classes = [DEVELOPER_ONLY, DEVELOPER_OR_OWN_IDENTITY, OWN_IDENTITY_ONLY]
    assert set().union(*classes) == set(MODEL.operation_names)
    assert sum(len(access) for access in classes) == len(MODEL.operation_names)


@pytest.mark.parametrize("operation", sorted(MODEL.operation_names))
def test_every_operation_answers_through_boto3(
    client, identity_client, world, operation
):
    caller = identity_client() if operation in OWN_IDENTITY_ONLY else client
    answer = call(caller, operation, world.arguments(operation))
    assert answer["ResponseMetadata"]["HTTPStatusCode"] == 200
