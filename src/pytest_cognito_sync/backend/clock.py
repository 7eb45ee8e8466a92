"""The fake service's clock: real time (so freezegun and time-machine apply)
or frozen at a chosen moment, plus whatever the test has advanced."""

from __future__ import annotations

import datetime as dt

from .._time_range import LATEST, RANGE_TEXT, as_utc, in_range

__all__ = ["Clock", "as_utc"]

#: read once: CPython 3.11 looks up a class's attribute through the type at
#: every read (``datetime`` itself is, for the patches' sake)
_UTC = dt.timezone.utc


class Clock:
    def __init__(self, frozen_at: dt.datetime | None = None) -> None:
        self._frozen_at = in_range(frozen_at, "now") if frozen_at is not None else None
        self._offset = dt.timedelta()

    def now(self) -> dt.datetime:
        if self._frozen_at is not None:
            return self._frozen_at + self._offset
        # Looked up through the module on every call so that freezegun's and
        # time-machine's patches are seen.
        now = dt.datetime.now(_UTC)
        return now + self._offset if self._offset else now

    def advance(self, delta: dt.timedelta, *, given: object = None) -> None:
        """Move forward; refused, with nothing changed, past ``LATEST``.
        ``given``, if not None, is what the caller typed, shown in the refusal
        (a number of seconds too large for a timedelta arrives clamped)."""
        if delta < dt.timedelta():
            raise ValueError(f"advance_time() moves forward only; got {delta}")
        now = self.now()
        room = LATEST - now
        if delta > room:
            raise ValueError(
                f"advance_time() must keep the clock from {RANGE_TEXT}: it is "
                f"{now:%Y-%m-%dT%H:%M:%SZ}, so delta may be at most {room}; "
                f"got {delta if given is None else given}"
            )
        self._offset += delta
