"""Errors a test asked for: the next N calls of an operation fail."""

from __future__ import annotations

import difflib
from collections import deque
from dataclasses import dataclass

from .._aws_errors import DOCUMENTED_ERRORS, SHARED_ERRORS
from .._model import error_codes, operation_model
from ..errors import ServiceError


@dataclass(slots=True)
class InjectedError:
    operation: str
    code: str
    message: str
    remaining: int


class FaultPlan:
    def __init__(self) -> None:
        #: by operation; empty while no error is injected, which every
        #: request checks before calling take()
        self.queued: dict[str, deque[InjectedError]] = {}

    def inject(
        self, operation: str, code: str, message: str | None, times: int
    ) -> None:
        operation_model(operation)  # raises, naming the valid operations
        own = error_codes(operation) + tuple(DOCUMENTED_ERRORS.get(operation, ()))
        # A code that is not text (None, a list) is as unknown as a
        # misspelt one, and gets the same list of valid codes.
        if not isinstance(code, str) or (code not in own and code not in SHARED_ERRORS):
            raise ValueError(_unknown_error(operation, code, own))
        if message is not None and not isinstance(message, str):
            raise TypeError(f"message must be text (a str) or None; got {message!r}")
        if isinstance(times, bool) or not isinstance(times, int) or times < 1:
            raise ValueError(f"times must be a whole number >= 1; got {times!r}")
        text = message if message is not None else f"Injected {code} for {operation}"
        self.queued.setdefault(operation, deque()).append(
            InjectedError(operation, code, text, times)
        )

    def take(self, operation: str | None) -> ServiceError | None:
        if not self.queued or operation is None:
            return None
        queue = self.queued.get(operation)
        if not queue:
            return None
        fault = queue[0]
        fault.remaining -= 1
        if fault.remaining == 0:
            queue.popleft()
            if not queue:
                del self.queued[operation]
        return ServiceError(fault.code, fault.message)

    def pending(self) -> list[InjectedError]:
        return [fault for queue in self.queued.values() for fault in queue]


def _unknown_error(operation: str, code: object, own: tuple[str, ...]) -> str:
    shared = sorted(SHARED_ERRORS)
    close = (
        difflib.get_close_matches(code, own + tuple(shared), n=1)
        if isinstance(code, str)
        else []
    )
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    return (
        f"{operation} has no error {code!r}{hint}. Its own errors are: "
        + ", ".join(own)
        + "; AWS's common errors are: "
        + ", ".join(shared)
    )
