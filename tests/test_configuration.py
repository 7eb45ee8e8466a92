"""SetIdentityPoolConfiguration and GetIdentityPoolConfiguration through
boto3, and configure_streams() as the same mechanism."""

from __future__ import annotations

import pytest
from botocore.config import Config

ROLE = "arn:aws:iam::123456789012:role/CognitoStreams"
PUSH_ROLE = "arn:aws:iam::123456789012:role/CognitoPush"
APNS_APP = "arn:aws:sns:us-east-1:123456789012:app/APNS/MyGame"
GCM_APP = "arn:aws:sns:us-east-1:123456789012:app/GCM/MyGame"
VALIDATION_OFF = Config(parameter_validation=False)


def configuration(client, pool_id):
    answer = client.get_identity_pool_configuration(IdentityPoolId=pool_id)
    answer.pop("ResponseMetadata")
    return answer


def test_a_new_pool_has_no_streams_and_no_push_sync(client, pool_id):
    assert configuration(client, pool_id) == {"IdentityPoolId": pool_id}


def test_set_answers_and_get_reads_back_the_whole_configuration(client, pool_id):
    streams = {"StreamName": "events", "RoleArn": ROLE, "StreamingStatus": "ENABLED"}
    push = {"ApplicationArns": [APNS_APP, GCM_APP], "RoleArn": PUSH_ROLE}
    answer = client.set_identity_pool_configuration(
        IdentityPoolId=pool_id, CognitoStreams=streams, PushSync=push
    )
    answer.pop("ResponseMetadata")
    expected = {"IdentityPoolId": pool_id, "CognitoStreams": streams, "PushSync": push}
    assert answer == expected
    assert configuration(client, pool_id) == expected


def test_a_part_left_out_is_kept_and_members_left_out_keep_their_value(client, pool_id):
    client.set_identity_pool_configuration(
        IdentityPoolId=pool_id,
        CognitoStreams={"StreamName": "events", "RoleArn": ROLE},
        PushSync={"ApplicationArns": [GCM_APP], "RoleArn": PUSH_ROLE},
    )
    client.set_identity_pool_configuration(
        IdentityPoolId=pool_id, CognitoStreams={"StreamingStatus": "DISABLED"}
    )
    answer = configuration(client, pool_id)
    assert answer["CognitoStreams"] == {
        "StreamName": "events",
        "RoleArn": ROLE,
        "StreamingStatus": "DISABLED",
    }
    assert answer["PushSync"] == {"ApplicationArns": [GCM_APP], "RoleArn": PUSH_ROLE}


def test_streaming_is_enabled_unless_said_otherwise(client, pool_id):
    client.set_identity_pool_configuration(
        IdentityPoolId=pool_id, CognitoStreams={"StreamName": "events"}
    )
    streams = configuration(client, pool_id)["CognitoStreams"]
    assert streams == {"StreamName": "events", "StreamingStatus": "ENABLED"}


@pytest.mark.parametrize(
    ("configuration_args", "fragment"),
    [
        (
            {"CognitoStreams": {"StreamName": "events", "RoleArn": "not-a-role-arn!!"}},
            "at 'cognitoStreams.roleArn' failed to satisfy constraint: Member must "
            "satisfy regular expression pattern: arn:aws:iam::\\d+:role/.*",
        ),
        (
            {"CognitoStreams": {"StreamName": "x" * 129}},
            "at 'cognitoStreams.streamName' failed to satisfy constraint: Member "
            "must have length less than or equal to 128",
        ),
        (
            {"CognitoStreams": {"StreamingStatus": "PAUSED"}},
            "Member must satisfy enum value set: [ENABLED, DISABLED]",
        ),
        (
            {"PushSync": {"ApplicationArns": ["arn:aws:sns:us-east-1:1:topic"]}},
            "at 'pushSync.applicationArns.1.member' failed to satisfy constraint",
        ),
    ],
    ids=["role-arn", "stream-name-length", "streaming-status", "application-arn"],
)
def test_the_configuration_is_validated_against_the_model(
    make_client, pool_id, configuration_args, fragment
):
    client = make_client(config=VALIDATION_OFF)
    with pytest.raises(client.exceptions.InvalidParameterException) as caught:
        client.set_identity_pool_configuration(
            IdentityPoolId=pool_id, **configuration_args
        )
    assert fragment in caught.value.response["Error"]["Message"]
    assert configuration(client, pool_id) == {"IdentityPoolId": pool_id}


def test_configuring_a_pool_that_does_not_exist_is_not_found(client):
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.set_identity_pool_configuration(
            IdentityPoolId="us-east-1:00000000-0000-0000-0000-000000000000",
            CognitoStreams={"StreamName": "events"},
        )


# -- configure_streams() is the same mechanism -------------------------------


@pytest.mark.parametrize(
    ("helper_args", "expected"),
    [
        ({}, {"StreamName": "events", "StreamingStatus": "ENABLED"}),
        (
            {"role_arn": ROLE, "enabled": False},
            {"StreamName": "events", "RoleArn": ROLE, "StreamingStatus": "DISABLED"},
        ),
    ],
    ids=["defaults", "role-and-disabled"],
)
def test_configure_streams_shows_through_the_api(
    cognito_sync_mock, client, pool_id, helper_args, expected
):
    cognito_sync_mock.configure_streams(pool_id, "events", **helper_args)
    assert configuration(client, pool_id)["CognitoStreams"] == expected


def test_configure_streams_merges_like_the_api(cognito_sync_mock, client, pool_id):
    client.set_identity_pool_configuration(
        IdentityPoolId=pool_id,
        CognitoStreams={"StreamName": "old", "RoleArn": ROLE},
        PushSync={"ApplicationArns": [GCM_APP]},
    )
    cognito_sync_mock.configure_streams(pool_id, "new")
    answer = configuration(client, pool_id)
    assert answer["CognitoStreams"] == {
        "StreamName": "new",
        "RoleArn": ROLE,
        "StreamingStatus": "ENABLED",
    }
    assert answer["PushSync"] == {"ApplicationArns": [GCM_APP]}


@pytest.mark.parametrize(
    ("helper_args", "fragment"),
    [
        ({"stream_name": ""}, "Member must have length greater than or equal to 1"),
        (
            {"stream_name": "events", "role_arn": "arn:aws:iam::1:user/x"},
            "regular expression pattern: arn:aws:iam::\\d+:role/.*",
        ),
    ],
    ids=["empty-stream-name", "role-arn"],
)
def test_configure_streams_refuses_what_the_api_refuses(
    cognito_sync_mock, pool_id, helper_args, fragment
):
    with pytest.raises(ValueError, match="1 validation error detected") as caught:
        cognito_sync_mock.configure_streams(pool_id, **helper_args)
    assert fragment in str(caught.value)
