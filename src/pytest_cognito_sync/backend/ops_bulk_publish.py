"""BulkPublish and GetBulkPublishDetails."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .registry import Access, Context, operation


@operation("BulkPublish", Access.DEVELOPER, reads_clock=True)
def bulk_publish(context: Context, params: Mapping[str, Any]) -> dict[str, Any]:
    now = context.now
    assert now is not None  # registered with reads_clock=True
    pool = context.pool(params["IdentityPoolId"])
    backend = context.backend
    duration = backend.bulk_publish_duration
    pool.bulk_publish.start(pool.pool_id, now, duration)
    if duration:
        backend.publishing(pool)
    else:
        # A zero-length publish is over as soon as it started; any other
        # that came due was settled before this request ran.
        backend.finish_publish(pool, now)
    return {"IdentityPoolId": pool.pool_id}


@operation("GetBulkPublishDetails", Access.DEVELOPER)
def get_bulk_publish_details(
    context: Context, params: Mapping[str, Any]
) -> dict[str, Any]:
    pool = context.pool(params["IdentityPoolId"])
    return pool.bulk_publish.details(pool.pool_id)
