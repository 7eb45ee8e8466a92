"""The fake service's clock: real time (so freezegun and time-machine apply)
or frozen at a chosen moment, plus whatever the test has advanced."""

from __future__ import annotations

import datetime as dt


def as_utc(moment: dt.datetime) -> dt.datetime:
    """Naive datetimes are taken to be UTC, as AWS timestamps are."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=dt.timezone.utc)
    return moment.astimezone(dt.timezone.utc)


class Clock:
    def __init__(self, frozen_at: dt.datetime | None = None) -> None:
        self._frozen_at = as_utc(frozen_at) if frozen_at is not None else None
        self._offset = dt.timedelta()

    def now(self) -> dt.datetime:
        if self._frozen_at is not None:
            return self._frozen_at + self._offset
        # Looked up through the module on every call so that freezegun's and
        # time-machine's patches are seen.
        now = dt.datetime.now(dt.timezone.utc)
        return now + self._offset if self._offset else now

    def advance(self, delta: dt.timedelta) -> None:
        if delta < dt.timedelta():
            raise ValueError(f"advance_time() moves forward only; got {delta}")
        self._offset += delta
