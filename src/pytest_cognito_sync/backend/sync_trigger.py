"""Cognito Events' sync trigger: a test's Python callable run where AWS
would invoke the pool's SyncTrigger Lambda function during UpdateRecords.

The function is called like a Lambda handler, ``function(event, context)``,
with the event the Cognito Events guide documents, and answers an event of
the same form. Following the guide: every record of the dataset is passed
(the ones this sync changes with op ``replace`` or ``remove``); only
``datasetRecords`` may change; a record left out of the answer is not
written; ``op: remove`` or a ``null`` value removes a record.
"""

from __future__ import annotations

import datetime as dt
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..errors import ServiceError
from .limits import key_fits, value_fits
from .patches import Change
from .state import Dataset, IdentityPool

_OUTPUT_ERROR = "InvalidLambdaFunctionOutputException"
_TIMEOUT_ERROR = "LambdaSocketTimeoutException"
#: Every field but datasetRecords: "changing these fields will result in a
#: failure to update the records".
_READ_ONLY = (
    "version",
    "eventType",
    "region",
    "identityPoolId",
    "identityId",
    "datasetName",
)


@dataclass(frozen=True, slots=True)
class LambdaContext:
    """The parts of AWS Lambda's context object a sync trigger may read."""

    function_name: str
    invoked_function_arn: str
    #: ``time.monotonic()`` when Cognito stops waiting for the answer
    deadline: float
    aws_request_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    function_version: str = "$LATEST"
    memory_limit_in_mb: int = 128

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self.deadline - time.monotonic()) * 1000))


def run(
    pool: IdentityPool,
    arn: str,
    region: str,
    identity_id: str,
    dataset_name: str,
    dataset: Dataset | None,
    changes: Sequence[Change],
    clock: Callable[[], dt.datetime],
    service_lock: Any,
) -> list[Change]:
    """The changes to write once the trigger has seen (and maybe rewritten)
    ``changes``; raises the error AWS answers when the function fails or
    takes longer than the pool's sync trigger timeout. ``service_lock``, held
    by the caller, is released while the function runs."""
    function = pool.sync_trigger
    assert function is not None
    if pool.trigger_throttles > 0:
        pool.trigger_throttles -= 1
        raise ServiceError(
            "LambdaThrottledException",
            f"AWS Lambda throttled the sync trigger {arn}; retry UpdateRecords",
        )
    current = _current_values(dataset)
    event = {
        "version": 2,
        "eventType": "SyncTrigger",
        "region": region,
        "identityPoolId": pool.pool_id,
        "identityId": identity_id,
        "datasetName": dataset_name,
        "datasetRecords": _records_in(current, changes),
    }
    expected = {name: event[name] for name in _READ_ONLY}
    timeout = pool.sync_trigger_timeout
    started, started_on_clock = time.monotonic(), clock()
    context = LambdaContext(arn.split(":")[6], arn, started + timeout.total_seconds())
    failure: Exception | None = None
    # The function runs apart from the service, as a Lambda function does:
    # without the service's lock, so that requests it makes, from any thread,
    # are answered instead of waiting for this one forever. The caller checks
    # again what other requests may have changed meanwhile.
    service_lock.release()
    try:
        answer = function(event, context)
    except Exception as error:
        failure = error
    finally:
        service_lock.acquire()
    # The function runs to its end (a Python thread cannot be stopped), and
    # what it took is measured both ways: real time, and the fake clock's
    # time, so that a test can stand for a slow function by advancing it.
    took = max(
        dt.timedelta(seconds=time.monotonic() - started), clock() - started_on_clock
    )
    if took > timeout:
        raise ServiceError(
            _TIMEOUT_ERROR,
            f"The sync trigger {arn} did not respond within "
            f"{timeout.total_seconds():g} seconds (it took "
            f"{took.total_seconds():.3f} s); nothing was written",
        )
    if failure is not None:
        raise ServiceError(
            _OUTPUT_ERROR, f"The sync trigger {arn} raised an exception: {failure!r}"
        )
    return _changes_out(arn, answer, expected, current, changes)


def _current_values(dataset: Dataset | None) -> dict[str, str]:
    if dataset is None:
        return {}
    return {
        key: value for key, value, *_ in dataset.records.values() if value is not None
    }


def _records_in(
    current: dict[str, str], changes: Sequence[Change]
) -> dict[str, dict[str, Any]]:
    records: dict[str, dict[str, Any]] = {
        key: {"oldValue": value, "newValue": value, "op": "replace"}
        for key, value in current.items()
    }
    for change in changes:
        records[change.key] = {
            "oldValue": current.get(change.key),
            "newValue": change.value,
            "op": "replace" if change.value is not None else "remove",
        }
    return records


def _changes_out(
    arn: str,
    answer: Any,
    expected: dict[str, Any],
    current: dict[str, str],
    changes: Sequence[Change],
) -> list[Change]:
    def invalid(reason: str) -> ServiceError:
        return ServiceError(
            _OUTPUT_ERROR, f"The sync trigger {arn} returned invalid output: {reason}"
        )

    if not isinstance(answer, dict):
        raise invalid(f"expected the event (a dict), got {answer!r}")
    for name, value in expected.items():
        if answer.get(name) != value:
            raise invalid(
                f"'{name}' is read-only: it was {value!r}, the answer has "
                f"{answer.get(name)!r}"
            )
    records = answer.get("datasetRecords")
    if not isinstance(records, dict):
        raise invalid(f"'datasetRecords' must be a dict; got {records!r}")
    patched = {change.key: change for change in changes}
    out: list[Change] = []
    for key, entry in records.items():
        value = _value_of(key, entry, invalid)
        change = patched.get(key)
        if change is not None:
            out.append(Change(key, value, change.device_last_modified))
        elif value != current.get(key):
            out.append(Change(key, value))
    return out


def _value_of(
    key: Any, entry: Any, invalid: Callable[[str], ServiceError]
) -> str | None:
    if not isinstance(key, str) or not key_fits(key):
        raise invalid(f"record key {key!r} is empty or longer than the model allows")
    if not isinstance(entry, dict):
        raise invalid(f"record {key!r} must be a dict; got {entry!r}")
    op = entry.get("op", "replace")
    if op not in ("replace", "remove"):
        raise invalid(f"record {key!r} has op {op!r}; ops are replace and remove")
    value = entry.get("newValue")
    if op == "remove" or value is None:
        return None
    if not isinstance(value, str) or not value_fits(value):
        raise invalid(
            f"record {key!r} newValue must be null or a string no longer than "
            "the model allows"
        )
    return value
