"""Cognito Events: which Lambda function each event type invokes.

SetCognitoEvents and ``CognitoSyncMock.set_sync_trigger()`` both come
through :func:`set_events`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from ..errors import invalid_parameter
from .state import IdentityPool

#: The one event type Cognito Events has.
SYNC_TRIGGER = "SyncTrigger"
EVENT_TYPES = (SYNC_TRIGGER,)

_LAMBDA_ARN = re.compile(
    r"arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[\w-]{1,64}(:[\w$-]{1,128})?",
    re.ASCII,
)


def set_events(pool: IdentityPool, events: Mapping[str, str]) -> None:
    """Set or (with an empty value) remove each given event's function;
    other event types are left as they are."""
    for event_type, arn in events.items():
        if event_type not in EVENT_TYPES:
            raise invalid_parameter(
                f"Unknown Cognito event type '{event_type}'; event types are: "
                + ", ".join(EVENT_TYPES)
            )
        if arn and not _LAMBDA_ARN.fullmatch(arn):
            raise invalid_parameter(
                f"'{arn}' is not a Lambda function ARN (like "
                "arn:aws:lambda:us-east-1:123456789012:function:name); pass an "
                "empty value to remove the event's function"
            )
    for event_type, arn in events.items():
        if arn:
            pool.events[event_type] = arn
        else:
            pool.events.pop(event_type, None)


def default_trigger_arn(pool: IdentityPool) -> str:
    """The function ARN a test's sync trigger gets when it names none."""
    return (
        f"arn:aws:lambda:{pool.region}:{pool.account_id}:function:"
        "pytest-cognito-sync-trigger"
    )
