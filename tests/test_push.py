"""Push sync through boto3: RegisterDevice, SubscribeToDataset,
UnsubscribeFromDataset, and the devices an update would have notified."""

from __future__ import annotations

import uuid

import pytest
from botocore.config import Config
from hypothesis import given, settings
from hypothesis import strategies as st

from devices import IDENTITY, ONE_ATTEMPT, OTHER_IDENTITY, sync_changes
from pytest_cognito_sync.backend import push
from pytest_cognito_sync.backend.state import IdentityPool, PushSync

GCM_APP = "arn:aws:sns:us-east-1:123456789012:app/GCM/MyGame"
APNS_APP = "arn:aws:sns:us-east-1:123456789012:app/APNS/MyGame"


@pytest.fixture
def device(identity_client):
    """A client signed with the identity's Cognito Identity credentials."""
    return identity_client(IDENTITY, config=ONE_ATTEMPT)


@pytest.fixture
def push_pool(client, pool_id):
    client.set_identity_pool_configuration(
        IdentityPoolId=pool_id, PushSync={"ApplicationArns": [GCM_APP, APNS_APP]}
    )
    return pool_id


def register(device, pool_id, token, platform="GCM"):
    return device.register_device(
        IdentityPoolId=pool_id, IdentityId=IDENTITY, Platform=platform, Token=token
    )["DeviceId"]


def subscription(pool_id, device_id, dataset="game"):
    return {
        "IdentityPoolId": pool_id,
        "IdentityId": IDENTITY,
        "DatasetName": dataset,
        "DeviceId": device_id,
    }


def sync(client, pool_id, changes, dataset="game", **extra):
    sync_changes(client, pool_id, changes, dataset=dataset, **extra)


# -- RegisterDevice ----------------------------------------------------------


def test_register_device_answers_a_uuid_device_id(device, push_pool):
    device_id = register(device, push_pool, "gcm-token-1")
    assert str(uuid.UUID(device_id)) == device_id


def test_the_same_device_registering_again_keeps_its_id(device, push_pool):
    first = register(device, push_pool, "gcm-token-1")
    assert register(device, push_pool, "gcm-token-1") == first
    assert register(device, push_pool, "gcm-token-2") != first
    assert register(device, push_pool, "gcm-token-1", platform="APNS") != first


def test_registering_without_push_sync_is_an_invalid_configuration(device, pool_id):
    with pytest.raises(device.exceptions.InvalidConfigurationException) as caught:
        register(device, pool_id, "gcm-token-1")
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert "Push sync is not configured" in caught.value.response["Error"]["Message"]


def test_registering_for_a_platform_the_pool_has_no_application_for_is_invalid(
    device, push_pool
):
    with pytest.raises(device.exceptions.InvalidConfigurationException) as caught:
        register(device, push_pool, "adm-token", platform="ADM")
    assert "no ADM platform application" in caught.value.response["Error"]["Message"]


@pytest.mark.parametrize(
    ("platform", "token", "fragment"),
    [
        ("WINDOWS", "t", "enum value set: [APNS, APNS_SANDBOX, GCM, ADM]"),
        ("GCM", "", "Token must be the device's push token"),
    ],
    ids=["unknown-platform", "empty-token"],
)
def test_bad_registrations_are_invalid(
    cognito_sync_mock, make_client, push_pool, platform, token, fragment
):
    credentials = cognito_sync_mock.issue_identity_credentials(IDENTITY)
    device = make_client(
        aws_access_key_id=credentials["AccessKeyId"],
        aws_secret_access_key=credentials["SecretKey"],
        aws_session_token=credentials["SessionToken"],
        config=Config(parameter_validation=False),
    )
    with pytest.raises(device.exceptions.InvalidParameterException) as caught:
        register(device, push_pool, token, platform=platform)
    assert fragment in caught.value.response["Error"]["Message"]


# -- subscriptions -----------------------------------------------------------


def test_subscribing_without_push_sync_is_an_invalid_configuration(device, pool_id):
    sync(device, pool_id, {"level": "1"})
    with pytest.raises(device.exceptions.InvalidConfigurationException):
        device.subscribe_to_dataset(**subscription(pool_id, str(uuid.uuid4())))


@pytest.mark.parametrize("call", ["subscribe_to_dataset", "unsubscribe_from_dataset"])
def test_an_unregistered_device_is_not_found(device, push_pool, call):
    sync(device, push_pool, {"level": "1"})
    with pytest.raises(device.exceptions.ResourceNotFoundException) as caught:
        getattr(device, call)(**subscription(push_pool, "no-such-device"))
    assert "no-such-device" in caught.value.response["Error"]["Message"]


def test_subscribing_to_a_dataset_never_synced_is_not_found(device, push_pool):
    device_id = register(device, push_pool, "gcm-token-1")
    with pytest.raises(device.exceptions.ResourceNotFoundException) as caught:
        device.subscribe_to_dataset(**subscription(push_pool, device_id))
    assert "synchronize it once" in caught.value.response["Error"]["Message"]


# -- notifications -----------------------------------------------------------


def test_an_update_notifies_every_subscribed_device_but_the_one_that_made_it(
    cognito_sync_mock, device, push_pool
):
    sync(device, push_pool, {"level": "1"})
    phone = register(device, push_pool, "gcm-phone")
    tablet = register(device, push_pool, "apns-tablet", platform="APNS")
    watch = register(device, push_pool, "gcm-watch")
    for device_id in (phone, tablet):
        device.subscribe_to_dataset(**subscription(push_pool, device_id))
    sync(device, push_pool, {"level": "2"}, DeviceId=phone)
    (sent,) = cognito_sync_mock.push_notifications(push_pool)
    assert sent["deviceId"] == tablet
    assert sent["deviceId"] != watch
    assert (sent["platform"], sent["token"]) == ("APNS", "apns-tablet")
    assert sent["applicationArn"] == APNS_APP
    assert sent["payload"] == {
        "source": "cognito-sync",
        "identityPoolId": push_pool,
        "identityId": IDENTITY,
        "datasetName": "game",
        "syncCount": 2,
    }


def test_only_the_changed_datasets_subscribers_are_notified(
    cognito_sync_mock, device, push_pool
):
    sync(device, push_pool, {"level": "1"}, dataset="game")
    sync(device, push_pool, {"theme": "dark"}, dataset="settings")
    phone = register(device, push_pool, "gcm-phone")
    device.subscribe_to_dataset(**subscription(push_pool, phone, dataset="settings"))
    sync(device, push_pool, {"level": "2"}, dataset="game")
    assert cognito_sync_mock.push_notifications(push_pool) == []
    sync(device, push_pool, {"theme": "light"}, dataset="settings")
    sent = cognito_sync_mock.push_notifications(push_pool)
    assert [(n["deviceId"], n["payload"]["datasetName"]) for n in sent] == [
        (phone, "settings")
    ]


def test_an_unsubscribed_device_is_no_longer_notified_and_unsubscribing_again_is_fine(
    cognito_sync_mock, device, push_pool
):
    sync(device, push_pool, {"level": "1"})
    phone = register(device, push_pool, "gcm-phone")
    device.subscribe_to_dataset(**subscription(push_pool, phone))
    sync(device, push_pool, {"level": "2"})
    device.unsubscribe_from_dataset(**subscription(push_pool, phone))
    device.unsubscribe_from_dataset(**subscription(push_pool, phone))
    sync(device, push_pool, {"level": "3"})
    sent = cognito_sync_mock.push_notifications(push_pool)
    assert [n["payload"]["syncCount"] for n in sent] == [2]


def test_a_deleted_dataset_takes_its_subscriptions_with_it(
    cognito_sync_mock, device, push_pool
):
    sync(device, push_pool, {"level": "1"})
    phone = register(device, push_pool, "gcm-phone")
    device.subscribe_to_dataset(**subscription(push_pool, phone))
    device.delete_dataset(
        IdentityPoolId=push_pool, IdentityId=IDENTITY, DatasetName="game"
    )
    with pytest.raises(device.exceptions.ResourceNotFoundException):
        device.unsubscribe_from_dataset(**subscription(push_pool, phone))
    sync(device, push_pool, {"level": "1"})
    assert cognito_sync_mock.push_notifications(push_pool) == []


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from([IDENTITY, OTHER_IDENTITY]),
            st.sampled_from(["GCM", "APNS"]),
            st.sampled_from(["token-1", "token-2", "token-3"]),
        ),
        max_size=30,
    )
)
def test_a_device_is_one_id_per_identity_platform_and_token(registrations):
    """Found again by what it registered with, among any number of others."""
    pool = IdentityPool(
        "us-east-1:0000",
        "123456789012",
        "us-east-1",
        push_sync=PushSync((GCM_APP, APNS_APP)),
    )
    ids: dict[tuple[str, str, str], str] = {}
    for identity, platform, token in registrations:
        device_id = push.register(pool, identity, platform, token)
        registered = (identity, platform, token)
        if registered in ids:
            assert device_id == ids[registered]
        else:
            assert device_id not in ids.values()
            ids[registered] = device_id
        device = pool.devices[device_id]
        assert (device.identity_id, device.platform, device.token) == registered
        assert device.application_arn == (GCM_APP if platform == "GCM" else APNS_APP)
    assert len(pool.devices) == len(ids)
