"""SetIdentityPoolConfiguration and GetIdentityPoolConfiguration."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .configuration import configure, describe
from .registry import Access, Context, operation


@operation("SetIdentityPoolConfiguration", Access.DEVELOPER)
def set_identity_pool_configuration(
    context: Context, params: Mapping[str, Any]
) -> dict[str, Any]:
    pool = context.pool(params["IdentityPoolId"])
    return configure(pool, params.get("CognitoStreams"), params.get("PushSync"))


@operation("GetIdentityPoolConfiguration", Access.DEVELOPER)
def get_identity_pool_configuration(
    context: Context, params: Mapping[str, Any]
) -> dict[str, Any]:
    return describe(context.pool(params["IdentityPoolId"]))
