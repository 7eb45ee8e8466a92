"""Push sync: devices, their dataset subscriptions, and the silent
notifications Amazon SNS would have delivered when a dataset changed."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from ..errors import ServiceError, not_found
from .state import Dataset, Device, IdentityPool, PushNotification


def render(pool_id: str, notification: PushNotification) -> dict[str, Any]:
    """A notification as tests read it: the device, and the payload keys the
    push sync guide lists."""
    device = notification.device
    return {
        "deviceId": device.device_id,
        "platform": device.platform,
        "token": device.token,
        "applicationArn": device.application_arn,
        "sent": notification.sent,
        "payload": {
            "source": "cognito-sync",
            "identityPoolId": pool_id,
            "identityId": device.identity_id,
            "datasetName": notification.dataset_name,
            "syncCount": notification.sync_count,
        },
    }


def require_push_sync(pool: IdentityPool) -> None:
    if pool.push_sync is None:
        raise _invalid_configuration(
            f"Push sync is not configured for identity pool {pool.pool_id}: set "
            "PushSync with SetIdentityPoolConfiguration"
        )


def application_for(pool: IdentityPool, platform: str) -> str:
    """The pool's SNS platform application for ``platform``; without one,
    Cognito cannot reach the device: InvalidConfigurationException."""
    require_push_sync(pool)
    assert pool.push_sync is not None
    for arn in pool.push_sync.application_arns:
        # arn:aws:sns:us-east-1:123456789012:app/APNS/MyApp
        if arn.split(":", 5)[-1].split("/")[1:2] == [platform]:
            return arn
    raise _invalid_configuration(
        f"Push sync of identity pool {pool.pool_id} has no {platform} platform "
        "application: add its SNS application ARN to PushSync.ApplicationArns"
    )


def register(pool: IdentityPool, identity_id: str, platform: str, token: str) -> str:
    """A device id for this identity's device; the same one again when the
    same device registers again."""
    application = application_for(pool, platform)
    registered = (identity_id, platform, token)
    device_id = pool.device_ids.get(registered)
    if device_id is not None:
        return device_id
    device_id = pool.device_ids[registered] = str(uuid.uuid4())
    pool.devices[device_id] = Device(
        device_id, identity_id, platform, token, application
    )
    return device_id


def device_of(pool: IdentityPool, identity_id: str, device_id: str) -> Device:
    device = pool.devices.get(device_id)
    if device is None or device.identity_id != identity_id:
        raise not_found(
            f"Device '{device_id}' is not registered for identity {identity_id}: "
            "call RegisterDevice first"
        )
    return device


def notify(
    pool: IdentityPool, dataset: Dataset, changed_by: str | None, now: dt.datetime
) -> None:
    """Every subscribed device but the one that made the change hears of it."""
    for device_id in dataset.subscribers or ():
        if device_id != changed_by:
            device = pool.devices[device_id]
            pool.notifications.append(
                PushNotification(device, dataset.name, dataset.sync_count, now)
            )


def _invalid_configuration(message: str) -> ServiceError:
    return ServiceError("InvalidConfigurationException", message)
