"""The keyword options shared by the factory, the marker, the fixture and
the ini defaults, validated once here."""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, fields
from functools import cached_property
from typing import Any

from ._time_range import MAX_DURATION, in_range

_REGION = re.compile(r"[a-z]{2}(-[a-z]+)+-\d+", re.ASCII)
_ACCOUNT = re.compile(r"\d{12}", re.ASCII)


@dataclass(frozen=True, kw_only=True)
class Options:
    #: region for ``create_identity_pool()`` when none is given
    region: str = "us-east-1"
    #: account that default credentials map to
    account_id: str = "123456789012"
    #: virtual time a bulk publish stays IN_PROGRESS (seconds or timedelta)
    bulk_publish_duration: float | dt.timedelta = 0
    #: ``None``: real time; a datetime (or ISO 8601 text, as the ini takes):
    #: the clock starts frozen there
    now: dt.datetime | str | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.region, str) or not _REGION.fullmatch(self.region):
            raise ValueError(f"region must look like 'us-east-1'; got {self.region!r}")
        if not isinstance(self.account_id, str) or not _ACCOUNT.fullmatch(
            self.account_id
        ):
            raise ValueError(
                f"account_id must be 12 digits as a string; got {self.account_id!r}"
            )
        self.duration  # noqa: B018 (validates, naming the option)
        if isinstance(self.now, str):
            # The marker takes what the ini option takes.
            object.__setattr__(self, "now", parse_ini("now", self.now))
        if self.now is not None:
            if not isinstance(self.now, dt.datetime):
                raise TypeError(
                    f"now must be a datetime, ISO 8601 text or None; got {self.now!r}"
                )
            in_range(self.now, "now")

    @property
    def start_time(self) -> dt.datetime | None:
        """``now`` as the datetime it is once validated."""
        assert not isinstance(self.now, str)  # parsed by __post_init__
        return self.now

    @cached_property  # the options are frozen: converted once, when validated
    def duration(self) -> dt.timedelta:
        return to_timedelta(
            self.bulk_publish_duration, "bulk_publish_duration", MAX_DURATION
        )

    @classmethod
    def names(cls) -> tuple[str, ...]:
        return tuple(field.name for field in fields(cls))


def check_option_names(options: Mapping[str, Any], where: str) -> None:
    """Refuse a misspelt option at once, naming the closest valid one."""
    for name in options:
        if name not in Options.names():
            raise TypeError(_unexpected(name, where))


def _unexpected(name: str, where: str) -> str:
    import difflib  # only on this error path

    message = f"{where} got an unexpected keyword argument {name!r}"
    close = difflib.get_close_matches(name, Options.names(), n=1)
    if close:
        return f"{message}; did you mean {close[0]!r}?"
    return f"{message}; its options are: {', '.join(Options.names())}"


def to_timedelta(
    value: Any, name: str, maximum: dt.timedelta = dt.timedelta.max
) -> dt.timedelta:
    """Seconds (int or float) or a timedelta, as a timedelta from 0 to
    ``maximum``."""
    if isinstance(value, dt.timedelta):
        delta = value
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        # timedelta() itself rejects these with messages that do not say
        # which option was wrong.
        if not math.isfinite(value):
            raise ValueError(
                f"{name} must be a finite number of seconds; got {value!r}"
            )
        try:
            delta = dt.timedelta(seconds=value)
        except OverflowError:
            delta = dt.timedelta.max  # refused below, with the range
            if value < 0:
                delta = dt.timedelta.min
    else:
        raise TypeError(f"{name} must be seconds or a timedelta; got {value!r}")
    if delta < dt.timedelta():
        raise ValueError(f"{name} must not be negative; got {value!r}")
    if delta > maximum:
        raise ValueError(
            f"{name} must be at most {maximum.total_seconds():.0f} seconds "
            f"({maximum}); got {value!r}"
        )
    return delta


def parse_ini(name: str, text: str) -> Any:
    """An ini value (always text) as the option's Python value; the
    ValueError, if any, names the option but not the ini key."""
    if name == "bulk_publish_duration":
        try:
            return float(text)
        except ValueError:
            raise ValueError(
                f"bulk_publish_duration must be a number of seconds; got {text!r}"
            ) from None
    if name == "now":
        try:
            # Python 3.10's fromisoformat() does not read the "Z" suffix.
            return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            raise ValueError(
                "now must be an ISO 8601 datetime such as 2024-01-01T00:00:00Z; "
                f"got {text!r}"
            ) from None
    return text


#: What every mock built without options shares: validated once, and frozen.
DEFAULTS = Options()
