"""From UpdateRecords' RecordPatches to the changes the sync will make.

Every patch is checked before anything is written, so an UpdateRecords
either writes all of its changes or none of them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, NamedTuple

from .._named_tuples import build
from ..errors import ServiceError, invalid_parameter
from .state import SYNC_COUNT, Dataset


class Change(NamedTuple):
    """One record one sync writes: a value, or ``None`` to remove it.

    A named tuple: an UpdateRecords builds one per patch, and a tuple is
    built several times faster than a frozen dataclass sets its fields.
    """

    key: str
    value: str | None
    device_last_modified: dt.datetime | None = None


def plan(dataset: Dataset | None, patches: Sequence[dict[str, Any]]) -> list[Change]:
    records = dataset.records if dataset is not None else {}
    seen: set[str] = set()
    changes = []
    for number, patch in enumerate(patches, start=1):
        key = patch["Key"]
        if key in seen:
            raise invalid_parameter(
                f"RecordPatches has more than one patch for key '{key}'; "
                "send one patch per key"
            )
        seen.add(key)
        record = records.get(key)
        current = record[SYNC_COUNT] if record is not None else 0
        if patch["SyncCount"] != current:
            raise ServiceError(
                "ResourceConflictException",
                f"Current SyncCount for: {key} is: {current} not: {patch['SyncCount']}",
            )
        if patch["Op"] == "remove":
            value = None
        elif "Value" in patch:
            value = patch["Value"]
        else:
            raise invalid_parameter(
                f"RecordPatches.{number}.member.value is required when op is "
                f"replace (key '{key}'); to delete the record, use op remove"
            )
        changes.append(build(Change, (key, value, patch.get("DeviceLastModifiedDate"))))
    return changes
