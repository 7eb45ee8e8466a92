"""Which botocore requests the fake answers: every cognito-sync client,
however and whenever it was built, while a mock is active; nothing else,
and nothing at all while none is."""

from __future__ import annotations

import contextlib
from typing import Any

import boto3
import botocore.session
import pytest
from botocore.exceptions import ClientError
from botocore.parsers import ResponseParserError
from botocore.stub import Stubber

from pytest_cognito_sync import mock_cognito_sync

# Built at import (collection) time, before any mock exists.
MODULE_CLIENT = boto3.client("cognito-sync", region_name="us-east-1")
MODULE_CLIENT_LOCALHOST = boto3.client(
    "cognito-sync", region_name="us-east-1", endpoint_url="http://localhost:1"
)
UNKNOWN_POOL = "us-east-1:00000000-0000-0000-0000-000000000000"
MODEL = botocore.session.get_session().get_service_model("cognito-sync")


@pytest.mark.parametrize(
    "client", [MODULE_CLIENT, MODULE_CLIENT_LOCALHOST], ids=["default", "localhost"]
)
def test_module_level_clients_are_answered_inside_the_mock(
    cognito_sync_mock, no_network, client
):
    pool = cognito_sync_mock.create_identity_pool()
    assert (
        client.get_bulk_publish_details(IdentityPoolId=pool)["IdentityPoolId"] == pool
    )
    assert [call.operation for call in cognito_sync_mock.calls] == [
        "GetBulkPublishDetails"
    ]


@pytest.mark.parametrize(
    "endpoint_url",
    [
        None,
        "http://localhost:1",
        "https://cognito-sync.example.invalid",
        "http://127.0.0.1:4566",
        "https://cognito-sync-fips.us-east-1.amazonaws.com",
        "http://localhost:4566/behind/a/gateway",
    ],
)
def test_clients_with_any_endpoint_url_are_answered(
    cognito_sync_mock, make_client, no_network, endpoint_url
):
    client = make_client(endpoint_url=endpoint_url)
    pool = cognito_sync_mock.create_identity_pool()
    client.bulk_publish(IdentityPoolId=pool)
    assert client.get_bulk_publish_details(IdentityPoolId=pool)["BulkPublishStatus"]
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.get_bulk_publish_details(IdentityPoolId=UNKNOWN_POOL)


def test_every_modeled_uri_starts_where_an_endpoint_path_is_cut_off():
    from pytest_cognito_sync.protocol.routing import URI_ROOT

    for operation in MODEL.operation_names:
        assert MODEL.operation_model(operation).http["requestUri"].startswith(URI_ROOT)


def test_a_botocore_session_client_as_the_aws_cli_builds_it_is_answered(
    cognito_sync_mock, no_network
):
    client = botocore.session.get_session().create_client(
        "cognito-sync", region_name="us-east-1"
    )
    pool = cognito_sync_mock.create_identity_pool()
    assert (
        client.get_bulk_publish_details(IdentityPoolId=pool)["IdentityPoolId"] == pool
    )


def test_clients_of_sessions_built_before_activation_are_answered(no_network):
    botocore_session = botocore.session.get_session()
    boto3_session = boto3.session.Session(region_name="us-east-1")
    with mock_cognito_sync() as cs:
        pool = cs.create_identity_pool()
        for client in (
            botocore_session.create_client("cognito-sync", region_name="us-east-1"),
            boto3_session.client("cognito-sync"),
        ):
            answer = client.get_bulk_publish_details(IdentityPoolId=pool)
            assert answer["IdentityPoolId"] == pool


def example(shape: Any) -> Any:
    kind = shape.type_name
    if kind == "structure":
        return {name: example(shape.members[name]) for name in shape.required_members}
    if kind == "string":
        return shape.enum[0] if shape.enum else "us-east-1:0123abcd"
    if kind == "map":
        return {"SyncTrigger": "arn:aws:lambda:us-east-1:123456789012:function:f"}
    if kind == "list":
        return []
    return 1


@pytest.mark.parametrize("operation", MODEL.operation_names)
def test_no_operation_ever_reaches_the_network(
    cognito_sync_mock, client, no_network, operation
):
    shape = MODEL.operation_model(operation).input_shape
    method = getattr(client, botocore.xform_name(operation))
    try:
        method(**example(shape))
    except ClientError as error:
        # An answer from the fake: a coded error, never a transport failure.
        assert error.response["Error"]["Code"]
        assert error.response["ResponseMetadata"]["HTTPStatusCode"] < 500
    assert no_network == []
    assert [call.operation for call in cognito_sync_mock.calls] == [operation]


# -- inert while no mock is active -----------------------------------------


def recording_client(recorder: Any, service: str = "cognito-sync") -> Any:
    client = boto3.client(
        service,
        region_name="us-east-1",
        aws_access_key_id="AKIAUSERSOWNKEY00000",
        aws_secret_access_key="secret",
    )
    client.meta.events.register("before-send", recorder)
    return client


def test_without_a_mock_requests_take_botocores_normal_path(send_recorder):
    client = recording_client(send_recorder)
    answer = client.get_bulk_publish_details(IdentityPoolId=UNKNOWN_POOL)
    assert answer["IdentityPoolId"] == "us-east-1:canned"
    assert send_recorder.urls == [
        "https://cognito-sync.us-east-1.amazonaws.com/identitypools/"
        "us-east-1%3A00000000-0000-0000-0000-000000000000/getBulkPublishDetails"
    ]


def test_after_a_mock_stopped_requests_take_botocores_normal_path_again(
    send_recorder,
):
    client = recording_client(send_recorder)
    with mock_cognito_sync() as cs:
        pool = cs.create_identity_pool()
        answer = client.get_bulk_publish_details(IdentityPoolId=pool)
        assert answer["IdentityPoolId"] == pool
        assert len(cs.calls) == 1
    answer = client.get_bulk_publish_details(IdentityPoolId=pool)
    assert answer["IdentityPoolId"] == "us-east-1:canned"


def test_a_stubber_answers_while_no_mock_is_active():
    client = boto3.client(
        "cognito-sync",
        region_name="us-east-1",
        aws_access_key_id="AKIAUSERSOWNKEY00000",
        aws_secret_access_key="secret",
    )
    with Stubber(client) as stubber:
        stubber.add_response(
            "get_bulk_publish_details",
            {"IdentityPoolId": "us-east-1:abc", "BulkPublishStatus": "SUCCEEDED"},
            {"IdentityPoolId": "us-east-1:abc"},
        )
        answer = client.get_bulk_publish_details(IdentityPoolId="us-east-1:abc")
    assert answer["BulkPublishStatus"] == "SUCCEEDED"


# -- other services are untouched -------------------------------------------


@pytest.mark.parametrize("service", ["s3", "sts", "cognito-identity", "cognito-idp"])
def test_other_services_are_not_answered_by_the_fake(
    cognito_sync_mock, send_recorder, service
):
    client = recording_client(send_recorder, service)
    operation = {
        "s3": ("list_buckets", {}),
        "sts": ("get_caller_identity", {}),
        "cognito-identity": ("list_identity_pools", {"MaxResults": 1}),
        "cognito-idp": ("list_user_pools", {"MaxResults": 1}),
    }[service]
    # The canned answer may not parse as this service's; it was sent.
    with contextlib.suppress(ClientError, ResponseParserError):
        getattr(client, operation[0])(**operation[1])
    assert send_recorder.urls
    assert all("cognito-sync" not in url for url in send_recorder.urls)
    assert cognito_sync_mock.calls == []
