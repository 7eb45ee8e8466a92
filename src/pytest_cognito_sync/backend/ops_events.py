"""SetCognitoEvents and GetCognitoEvents."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .events import set_events
from .registry import Access, Context, operation


@operation("SetCognitoEvents", Access.DEVELOPER)
def set_cognito_events(context: Context, params: Mapping[str, Any]) -> dict[str, Any]:
    set_events(context.pool(params["IdentityPoolId"]), params["Events"])
    return {}


@operation("GetCognitoEvents", Access.DEVELOPER)
def get_cognito_events(context: Context, params: Mapping[str, Any]) -> dict[str, Any]:
    pool = context.pool(params["IdentityPoolId"])
    return {"Events": dict(pool.events)}
