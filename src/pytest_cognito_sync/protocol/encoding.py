"""From a result or a ServiceError to the HTTP response AWS would send."""

from __future__ import annotations

import datetime as dt
import json
import json.encoder
import os
import random
from collections.abc import Callable, Iterator
from functools import cache
from typing import Any

from .._aws_errors import is_shared
from .._model import error_status, operation_model, success_status
from .._named_tuples import build
from .._time_range import EPOCH
from ..errors import ServiceError
from .http import HttpResponse

#: A value of a shape, written as its JSON text.
Writer = Callable[[Any], str]

_ERROR_NAMESPACE = "http://internal.amazon.com/coral/com.amazonaws.cognito.sync.model/"
#: where AWS's shared errors (authentication, throttling ...) come from
_FRAMEWORK_NAMESPACE = "http://internal.amazon.com/coral/com.amazon.coral.service/"

#: A JSON string literal, non-ASCII escaped: what ``json.dumps`` writes.
_string: Writer = (
    json.encoder.c_encode_basestring_ascii  # type: ignore[attr-defined]
    or json.encoder.py_encode_basestring_ascii
)


def _any(value: Any) -> str:
    """What a member the model does not describe holds, as ``json.dumps``
    writes it (no handler returns one; were one to, it is not lost)."""
    return json.dumps(value, separators=(",", ":"))


# Request ids are random UUIDs (version 4), as AWS's are. Drawn from a
# generator of our own: seeding the random module (pytest-randomly does, per
# test) must not make ids repeat, and a forked child must not repeat its
# parent's. The bits are set as uuid.UUID(version=4) sets them, without its
# object, which costs more than the rest of encoding an answer.
_ids = random.Random()
_VERSION_4_CLEAR = ~((0xC000 << 48) | (0xF000 << 64)) & ((1 << 128) - 1)
_VERSION_4_SET = (0x8000 << 48) | (4 << 76)
#: Ids are drawn this many at a time: a request then only takes the next.
#: Drawing one missed a 512 KB cache about 140 times (the generator's
#: state and four functions of C: an eighth of what a GetBulkPublishDetails
#: adds to botocore's call); taking the next misses it about 20 times.
_BATCH = 256
_drawn: Iterator[str] = iter(())


def request_id() -> str:
    # Ids are never empty, so ``None`` alone says the batch is spent.
    return next(_drawn, None) or _draw()


def _draw() -> str:
    global _drawn
    batch = [_random_uuid() for _ in range(_BATCH)]
    _drawn = iter(batch[1:])
    return batch[0]


def _random_uuid() -> str:
    bits = _ids.getrandbits(128) & _VERSION_4_CLEAR | _VERSION_4_SET
    raw = bits.to_bytes(16, "big")
    # 8-4-4-4-12 hex digits, the middle three groups by one bytes.hex split
    # every 2 bytes: a third cheaper than slicing the hex of the number.
    return f"{raw[:4].hex()}-{raw[4:10].hex('-', 2)}-{raw[10:].hex()}"


def _after_fork_in_child() -> None:
    global _drawn
    _ids.seed()
    _drawn = iter(())  # the parent's undrawn ids are the parent's


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)


def encode_result(operation: str, result: dict[str, Any]) -> HttpResponse:
    status, write = _success(operation)
    body = write(result).encode()
    headers = {
        "Content-Type": "application/json",
        # request_id()'s one expression, without its frame: every answer
        # takes this path
        "x-amzn-RequestId": next(_drawn, None) or _draw(),
        "Content-Length": str(len(body)),
    }
    return build(HttpResponse, (status, headers, body))


def encode_error(error: ServiceError) -> HttpResponse:
    status = error_status(error.code)
    body = f'{{"message":{_string(error.message)}}}'.encode()
    headers = {
        "Content-Type": "application/json",
        "x-amzn-RequestId": request_id(),
        "x-amzn-ErrorType": f"{error.code}:{_error_namespace(error.code)}",
        "Content-Length": str(len(body)),
    }
    return build(HttpResponse, (status, headers, body))


def _error_namespace(code: str) -> str:
    return _FRAMEWORK_NAMESPACE if is_shared(code) else _ERROR_NAMESPACE


_MICROSECOND = dt.timedelta(microseconds=1)


def epoch_seconds_text(moment: dt.datetime) -> str:
    """What AWS sends for a timestamp: epoch seconds to the millisecond, as
    ``repr`` writes that float (``1714564800.123``, ``1714564800.0``).

    Written from the moment's whole seconds and exact microseconds, rounded
    half to even, with no float in between: half the cost of rounding the
    float timestamp and writing it, and exact in any year. A float holding
    a whole number of milliseconds under 2**53 has at most 15 significant
    digits, so ``repr`` writes exactly those digits, trailing zeros dropped.
    """
    try:
        delta = moment - EPOCH
    except TypeError:  # naive: local time, as ``timestamp()`` takes it
        delta = moment.astimezone(dt.timezone.utc) - EPOCH
    # Divisions in C: reading the difference's days, seconds and
    # microseconds would look each up through its type (CPython 3.11 does
    # not specialize those reads), a few cold cache lines each.
    seconds, micros = divmod(delta // _MICROSECOND, 1_000_000)
    millis, micros = divmod(micros, 1000)
    if micros > 500 or (micros == 500 and millis & 1):
        millis += 1
        if millis == 1000:
            seconds, millis = seconds + 1, 0
    if seconds < 0 < millis:  # -2 s + 0.5 s is written -1.5
        return f"-{-seconds - 1}{_FRACTIONS[1000 - millis]}"
    return f"{seconds}{_FRACTIONS[millis]}"


#: ".0", ".001" ... ".999" as ``repr`` ends a float of whole milliseconds
_FRACTIONS = [".0"] + [f".{n:03d}".rstrip("0") for n in range(1, 1000)]


def epoch_seconds(moment: dt.datetime) -> float:
    return float(epoch_seconds_text(moment))


#: how many moments ``_RecentEpochSeconds`` keeps before it starts again
_RECENT_MOMENTS = 4096


class _RecentEpochSeconds(dict[dt.datetime, str]):
    """``epoch_seconds_text`` of the moments met lately, each written once:
    a dataset's records share their timestamps. A lookup that hits runs no
    Python code at all."""

    def __missing__(self, moment: dt.datetime) -> str:
        if len(self) >= _RECENT_MOMENTS:
            self.clear()
        text = self[moment] = epoch_seconds_text(moment)
        return text


_epoch_seconds_text: Writer = _RecentEpochSeconds().__getitem__


@cache
def _success(operation: str) -> tuple[int, Writer]:
    """The operation's success status, and the writer of its output shape."""
    shape = operation_model(operation).output_shape
    if shape is None:
        return success_status(operation), lambda value: "{}"
    return success_status(operation), _writer(shape)


def _writer(shape: Any) -> Writer:
    """The JSON text of a value of ``shape``, as ``json.dumps`` (compact)
    would write it once timestamps are epoch seconds and members holding
    ``None`` are left out.

    Written here rather than by converting the value for the json module:
    that took a copy of every structure, and the json module's encoder
    writes each float again and each member name again, on every call.
    """
    kind = shape.type_name
    if kind == "string":
        return _string
    if kind in ("integer", "long"):
        return _integer
    if kind == "boolean":
        return _boolean
    if kind == "timestamp":
        return _epoch_seconds_text
    if kind == "list":
        return _list_writer(_writer(shape.member))
    if kind == "map":
        return _map_writer(_writer(shape.value))
    if kind == "structure":
        generic = _structure_writer(
            {name: _writer(member) for name, member in shape.members.items()}
        )
        if shape.name == "Record" and tuple(shape.members) == _RECORD_MEMBERS:
            return _record_writer(generic)
        return generic
    return _any


#: A Record's members in the model's order, which is also the order of the
#: tuple the backend stores a record as.
_RECORD_MEMBERS = (
    "Key",
    "Value",
    "SyncCount",
    "LastModifiedDate",
    "LastModifiedBy",
    "DeviceLastModifiedDate",
)
_VALUE = ',"Value":'
_DEVICE_LAST_MODIFIED = ',"DeviceLastModifiedDate":'


def _record_writer(generic: Writer) -> Writer:
    """A stored record written in one expression.

    Records are most of what ListRecords and UpdateRecords answer, and
    this costs half of writing one member by member. Only Value and
    DeviceLastModifiedDate may be missing from a stored record; anything
    else goes to the structure's own writer.
    """

    def write(record: Any) -> str:
        if type(record) is not tuple:
            return generic(record)
        key, value, count, modified, by, device_modified = record
        if key is None or count is None or modified is None or by is None:
            return generic(record)
        return (
            f'{{"Key":{_string(key)}'
            f"{'' if value is None else _VALUE + _string(value)}"
            f',"SyncCount":{_integer(count)}'
            f',"LastModifiedDate":{_epoch_seconds_text(modified)}'
            f',"LastModifiedBy":{_string(by)}'
            f"{'' if device_modified is None else _DEVICE_LAST_MODIFIED}"
            f"{'' if device_modified is None else _epoch_seconds_text(device_modified)}"
            "}"
        )

    return write


#: An integer as JSON writes it, read off ``int`` once: CPython 3.11 looks
#: up a class's attribute through the type at every read.
_integer: Writer = int.__repr__


def _boolean(value: Any) -> str:
    return "true" if value else "false"


def _list_writer(member: Writer) -> Writer:
    def write(items: Any) -> str:
        return "[" + ",".join(map(member, items)) + "]"

    return write


def _map_writer(value: Writer) -> Writer:
    def write(items: Any) -> str:
        parts = [_string(key) + ":" + value(item) for key, item in items.items()]
        return "{" + ",".join(parts) + "}"

    return write


class _Members(dict[str, tuple[str, Writer]]):
    """A structure's members by name: each one's label (``"Name":``) and
    writer. A name the model does not have gets ``_any``."""

    def __missing__(self, name: str) -> tuple[str, Writer]:
        return _string(name) + ":", _any


def _structure_writer(writers: dict[str, Writer]) -> Writer:
    members = _Members({name: (_string(name) + ":", w) for name, w in writers.items()})
    in_order = tuple(members.values())

    def write(value: Any) -> str:
        if type(value) is tuple:
            # The members in model order, as the backend stores a record:
            # no dict is built for it.
            parts = [
                label + w(item)
                for (label, w), item in zip(in_order, value, strict=True)
                if item is not None
            ]
        else:
            # A loop rather than a comprehension: no frame of its own, and no
            # one-tuple to unpack each member from (an eighth of the cost).
            parts = []
            for name, item in value.items():
                if item is not None:
                    label, w = members[name]
                    parts.append(label + w(item))
        return "{" + ",".join(parts) + "}"

    return write
