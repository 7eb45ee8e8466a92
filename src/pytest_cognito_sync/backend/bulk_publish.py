"""The bulk publish state machine of one identity pool.

NOT_STARTED -> IN_PROGRESS -> SUCCEEDED | FAILED, then IN_PROGRESS again
when allowed. A publish is due ``duration`` after it started; it is settled
lazily, the next time anyone looks, at the moment it was due.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from ..errors import ServiceError

#: AWS allows one successful bulk publish per 24 hours.
COOL_DOWN = dt.timedelta(hours=24)


@dataclass(slots=True)
class BulkPublish:
    status: str = "NOT_STARTED"
    started: dt.datetime | None = None
    due: dt.datetime | None = None
    completed: dt.datetime | None = None
    failure_message: str | None = None
    #: set by fail_bulk_publish() when nothing was in progress
    forced_failure: str | None = None

    def start(self, pool_id: str, now: dt.datetime, duration: dt.timedelta) -> None:
        if self.status == "IN_PROGRESS":
            raise ServiceError(
                "DuplicateRequestException",
                f"A bulk publish is already IN_PROGRESS for identity pool {pool_id}; "
                f"it started at {self.started:%Y-%m-%dT%H:%M:%SZ}",
            )
        if self.status == "SUCCEEDED" and self.completed is not None:
            allowed_from = self.completed + COOL_DOWN
            if now < allowed_from:
                raise ServiceError(
                    "AlreadyStreamedException",
                    f"Identity pool {pool_id} was already bulk published at "
                    f"{self.completed:%Y-%m-%dT%H:%M:%SZ}; only one successful bulk "
                    f"publish is allowed per 24 hours, the next from "
                    f"{allowed_from:%Y-%m-%dT%H:%M:%SZ}",
                )
        self.status = "IN_PROGRESS"
        self.started = now
        self.due = now + duration
        self.completed = None
        self.failure_message = None

    def succeed(self, at: dt.datetime) -> None:
        self.status = "SUCCEEDED"
        self.completed = at
        self.due = None

    def fail(self, message: str) -> None:
        self.status = "FAILED"
        self.failure_message = message
        self.completed = None
        self.due = None

    def take_forced_failure(self) -> str | None:
        message, self.forced_failure = self.forced_failure, None
        return message

    def details(self, pool_id: str) -> dict[str, Any]:
        """GetBulkPublishDetails' answer: times only where the status has them."""
        answer: dict[str, Any] = {
            "IdentityPoolId": pool_id,
            "BulkPublishStatus": self.status,
        }
        if self.status != "NOT_STARTED":
            answer["BulkPublishStartTime"] = self.started
        if self.status == "SUCCEEDED":
            answer["BulkPublishCompleteTime"] = self.completed
        if self.status == "FAILED":
            answer["FailureMessage"] = self.failure_message
        return answer
