"""DescribeIdentityUsage, DescribeIdentityPoolUsage, ListIdentityPoolUsage.

DataStorage is the UTF-8 bytes of key and value of every record holding a
value; SyncSessionsCount is how many SyncSessionTokens ListRecords issued.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .paging import bad_page, decode_page, encode_page, page_size
from .registry import Access, Context, operation
from .state import IdentityPool

#: Pools per ListIdentityPoolUsage page when MaxResults is not given.
DEFAULT_PAGE = 60


@operation("DescribeIdentityUsage", Access.DEVELOPER_OR_OWN_IDENTITY)
def describe_identity_usage(
    context: Context, params: Mapping[str, Any]
) -> dict[str, Any]:
    pool = context.pool(params["IdentityPoolId"])
    identity_id = params["IdentityId"]
    # An identity Cognito Sync has no data for yet has zero usage.
    identity = pool.identities.get(identity_id)
    usage: dict[str, Any] = {
        "IdentityId": identity_id,
        "IdentityPoolId": pool.pool_id,
        "DatasetCount": 0,
        "DataStorage": 0,
    }
    if identity is not None:
        usage["DatasetCount"] = len(identity.datasets)
        usage["DataStorage"] = identity.data_storage
        usage["LastModifiedDate"] = identity.last_modified
    return {"IdentityUsage": usage}


@operation("DescribeIdentityPoolUsage", Access.DEVELOPER)
def describe_identity_pool_usage(
    context: Context, params: Mapping[str, Any]
) -> dict[str, Any]:
    return {"IdentityPoolUsage": _usage(context.pool(params["IdentityPoolId"]))}


@operation("ListIdentityPoolUsage", Access.DEVELOPER)
def list_identity_pool_usage(
    context: Context, params: Mapping[str, Any]
) -> dict[str, Any]:
    limit = page_size(params, DEFAULT_PAGE)
    account, region = context.principal.account_id, context.region
    backend = context.backend
    token: str | None = params.get("NextToken")
    after = None
    if token is not None:
        # The pool the previous page ended with, which must still exist.
        after = decode_page(token)
        if (
            not isinstance(after, str)
            or backend.find_pool(account, region, after) is None
        ):
            raise bad_page(token)
    # One pool past the page says whether another page follows.
    found = backend.pools_in(account, region, after, limit + 1)
    page = found[:limit]
    answer: dict[str, Any] = {
        "IdentityPoolUsages": [_usage(pool) for pool in page],
        "MaxResults": limit,
        "Count": len(page),
    }
    if len(found) > limit:
        answer["NextToken"] = encode_page(page[-1].pool_id)
    return answer


def _usage(pool: IdentityPool) -> dict[str, Any]:
    return {
        "IdentityPoolId": pool.pool_id,
        "SyncSessionsCount": pool.sync_sessions,
        "DataStorage": pool.data_storage,
        "LastModifiedDate": pool.last_modified,
    }
