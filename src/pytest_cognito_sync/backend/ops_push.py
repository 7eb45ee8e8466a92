"""RegisterDevice, SubscribeToDataset and UnsubscribeFromDataset.

All three take Cognito Identity credentials only, and need push sync
configured for the pool (else InvalidConfigurationException).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..errors import invalid_parameter, not_found
from . import push
from .registry import Access, Context, operation
from .state import Dataset


@operation("RegisterDevice", Access.OWN_IDENTITY)
def register_device(context: Context, params: Mapping[str, Any]) -> dict[str, Any]:
    pool = context.pool(params["IdentityPoolId"])
    if not params["Token"]:
        raise invalid_parameter("Token must be the device's push token, not empty")
    device_id = push.register(
        pool, params["IdentityId"], params["Platform"], params["Token"]
    )
    return {"DeviceId": device_id}


@operation("SubscribeToDataset", Access.OWN_IDENTITY)
def subscribe_to_dataset(context: Context, params: Mapping[str, Any]) -> dict[str, Any]:
    dataset, device_id = _subscription(context, params)
    dataset.subscribe(device_id)
    return {}


@operation("UnsubscribeFromDataset", Access.OWN_IDENTITY)
def unsubscribe_from_dataset(
    context: Context, params: Mapping[str, Any]
) -> dict[str, Any]:
    dataset, device_id = _subscription(context, params)
    dataset.unsubscribe(device_id)
    return {}


def _subscription(context: Context, params: Mapping[str, Any]) -> tuple[Dataset, str]:
    pool = context.pool(params["IdentityPoolId"])
    push.require_push_sync(pool)
    identity_id, name = params["IdentityId"], params["DatasetName"]
    device = push.device_of(pool, identity_id, params["DeviceId"])
    dataset = pool.dataset(identity_id, name)
    if dataset is None:
        # The push sync guide: sync each dataset once before subscribing.
        raise not_found(
            f"Dataset '{name}' of identity {identity_id} not found: synchronize "
            "it once before subscribing"
        )
    return dataset, device.device_id
