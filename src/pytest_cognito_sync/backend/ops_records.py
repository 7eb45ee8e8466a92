"""ListRecords and UpdateRecords: a device's sync of one dataset.

Each successful UpdateRecords is one sync: the dataset's sync count goes
up by one, every record written takes the new count, and (with streaming
ENABLED) one ``replace`` record goes to the pool's Cognito stream.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..errors import invalid_parameter
from ..protocol.shapes import summarize, violation
from . import limits, patches, push, sync_trigger
from .events import SYNC_TRIGGER
from .merges import merged_into
from .paging import bad_page, decode_page, encode_page, page_size
from .registry import Access, Context, operation
from .state import Position, Record
from .tokens import issue_session, require_session, spend_session

#: Records per ListRecords page when MaxResults is not given.
DEFAULT_PAGE = 100


@operation("ListRecords", Access.DEVELOPER_OR_OWN_IDENTITY, reads_clock=True)
def list_records(context: Context, params: Mapping[str, Any]) -> dict[str, Any]:
    now = context.now
    assert now is not None  # registered with reads_clock=True
    pool = context.pool(params["IdentityPoolId"])
    identity_id, name = params["IdentityId"], params["DatasetName"]
    last = params.get("LastSyncCount", 0)
    if last < 0:
        rule = "Member must have value greater than or equal to 0"
        raise invalid_parameter(summarize([violation(last, "lastSyncCount", rule)]))
    limit = page_size(params, DEFAULT_PAGE)
    start = _position(params.get("NextToken"))
    token = params.get("SyncSessionToken")
    if token is not None:
        require_session(pool, identity_id, name, token, now)
    identity = pool.identities.get(identity_id)
    current = identity.sync_count_of(name) if identity is not None else 0
    if last > current:
        raise invalid_parameter(f"No such SyncCount: {last} exists for this Dataset")
    dataset = identity.datasets.get(name) if identity is not None else None
    records: list[Record] = []
    following = None
    if dataset is not None:
        records, following = dataset.changes(last, start, limit)
    deleted_at = identity.deleted_datasets.get(name) if identity is not None else None
    answer: dict[str, Any] = {
        # Records are tuples in the model's member order: written as they are.
        "Records": records,
        "Count": len(records),
        "DatasetSyncCount": current,
        "DatasetExists": dataset is not None,
        # Whether the device's copy predates a deletion of the dataset.
        "DatasetDeletedAfterRequestedSyncCount": (
            deleted_at is not None and 0 < last <= deleted_at
        ),
        "SyncSessionToken": token or issue_session(pool, identity_id, name, now),
    }
    if dataset is not None:
        answer["LastModifiedBy"] = dataset.last_modified_by
    merged = merged_into(identity, name)
    if merged:
        answer["MergedDatasetNames"] = merged
    if following is not None:
        answer["NextToken"] = encode_page(list(following))
    return answer


@operation("UpdateRecords", Access.DEVELOPER_OR_OWN_IDENTITY, reads_clock=True)
def update_records(context: Context, params: Mapping[str, Any]) -> dict[str, Any]:
    now = context.now
    assert now is not None  # registered with reads_clock=True
    pool = context.pool(params["IdentityPoolId"])
    identity_id, name = params["IdentityId"], params["DatasetName"]
    token = params["SyncSessionToken"]
    session = require_session(pool, identity_id, name, token, now)
    existing = pool.identities.get(identity_id)
    dataset = existing.datasets.get(name) if existing is not None else None
    changes = patches.plan(dataset, params.get("RecordPatches", ()))
    if dataset is None:
        limits.check_new_dataset(existing, name)
    trigger_arn = pool.events.get(SYNC_TRIGGER)
    # Cognito Events run only for Cognito Identity credentials.
    if (
        trigger_arn
        and pool.sync_trigger is not None
        and context.principal.identity_id is not None
    ):
        changes = sync_trigger.run(
            pool,
            trigger_arn,
            context.region,
            identity_id,
            name,
            dataset,
            changes,
            context.backend.clock.now,
            context.backend.lock,
        )
        # Other requests ran while the trigger did: a push that landed
        # meanwhile spent this token or moved the sync counts, and this one
        # then fails as it would have, had it come second.
        session = require_session(pool, identity_id, name, token, now)
        existing = pool.identities.get(identity_id)
        dataset = existing.datasets.get(name) if existing is not None else None
        patches.plan(dataset, params.get("RecordPatches", ()))
        if dataset is None:
            limits.check_new_dataset(existing, name)
    limits.check_dataset(dataset, name, changes)

    by = context.modified_by()
    if dataset is None:
        dataset = pool.identity(identity_id).open_dataset(name, now, by)
    count = dataset.sync_count + 1
    # A loop, not a comprehension: a comprehension is a function made at
    # each call (with cells for count, now and by), cold memory for a sync
    # of a patch or two; a generator would cost a frame switch per patch.
    stored = []
    for key, value, device_last_modified in changes:
        stored.append((key, value, count, now, by, device_last_modified))
    written = tuple(stored)
    dataset.commit(written, now, by)
    # A token serves one push: the device lists again before its next one.
    spend_session(pool, session)
    if pool.streaming():
        context.backend.stream(pool, identity_id, name, "replace", written, count, now)
    if dataset.subscribers:  # most have none: no call for them
        push.notify(pool, dataset, params.get("DeviceId"), now)
    return {"Records": written}


def _position(token: str | None) -> Position | None:
    if token is None:
        return None
    position = decode_page(token)
    if (
        not isinstance(position, list)
        or len(position) != 2
        or not isinstance(position[0], int)
        or not isinstance(position[1], str)
    ):
        raise bad_page(token)
    return position[0], position[1]
