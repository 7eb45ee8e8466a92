"""The moments and durations the fake can represent.

The clock stays between ``EARLIEST`` and ``LATEST``, and a bulk publish
lasts at most ``MAX_DURATION``, so that everything computed from them (a
publish's due time, the 24-hour rule, credential expiry, epoch seconds and
milliseconds) fits in a ``datetime``. A value outside is refused where it
is given, before anything changes.
"""

from __future__ import annotations

import datetime as dt

#: The Unix epoch: AWS's epoch seconds (the API) and milliseconds (stream
#: records, session tokens) count from it.
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)
EARLIEST = EPOCH
LATEST = dt.datetime(9800, 1, 1, tzinfo=dt.timezone.utc)
#: 100 years: with the clock at ``LATEST``, a publish still ends, and the
#: next is allowed 24 hours later, long before ``datetime.max``.
MAX_DURATION = dt.timedelta(days=36_525)

_FORMAT = "%Y-%m-%dT%H:%M:%SZ"
RANGE_TEXT = f"{EARLIEST:{_FORMAT}} to {LATEST:{_FORMAT}}"


def as_utc(moment: dt.datetime) -> dt.datetime:
    """Naive datetimes are taken to be UTC, as AWS timestamps are."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=dt.timezone.utc)
    return moment.astimezone(dt.timezone.utc)


def in_range(moment: dt.datetime, name: str) -> dt.datetime:
    """``moment`` in UTC, or a ValueError naming ``name`` and the range."""
    try:
        utc = as_utc(moment)
    except OverflowError:  # an offset that takes it past datetime.min/max
        utc = None
    if utc is None or not EARLIEST <= utc <= LATEST:
        raise ValueError(f"{name} must be from {RANGE_TEXT}; got {moment.isoformat()}")
    return utc
