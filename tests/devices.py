"""What a syncing device does, shared by the record-level tests."""

from __future__ import annotations

from typing import Any

from botocore.config import Config

IDENTITY = "us-east-1:0d3a1d12-8d5c-4c7b-9b3c-2a1e7f0e5b6d"
OTHER_IDENTITY = "us-east-1:99999999-8d5c-4c7b-9b3c-2a1e7f0e5b6d"

#: One attempt per call: errors botocore would retry surface at once.
ONE_ATTEMPT = Config(retries={"total_max_attempts": 1})


def patches_for(
    changes: dict[str, str | None], sync_counts: dict[str, int]
) -> list[dict[str, Any]]:
    """Record patches for ``changes`` ({key: value, or None to remove})."""
    patches: list[dict[str, Any]] = []
    for key, value in changes.items():
        patch: dict[str, Any] = {"Key": key, "SyncCount": sync_counts.get(key, 0)}
        if value is None:
            patch["Op"] = "remove"
        else:
            patch.update(Op="replace", Value=value)
        patches.append(patch)
    return patches


def sync_changes(
    client: Any,
    pool_id: str,
    changes: dict[str, str | None],
    *,
    dataset: str,
    identity: str = IDENTITY,
    **extra: Any,
) -> dict[str, Any]:
    """ListRecords for the token and current counts, then UpdateRecords."""
    listing = client.list_records(
        IdentityPoolId=pool_id, IdentityId=identity, DatasetName=dataset
    )
    current = {record["Key"]: record["SyncCount"] for record in listing["Records"]}
    answer: dict[str, Any] = client.update_records(
        IdentityPoolId=pool_id,
        IdentityId=identity,
        DatasetName=dataset,
        SyncSessionToken=listing["SyncSessionToken"],
        RecordPatches=patches_for(changes, current),
        **extra,
    )
    return answer
