"""From a result or a ServiceError to the HTTP response AWS would send."""

from __future__ import annotations

import datetime as dt
import json
import json.encoder
import os
import random
from collections.abc import Callable
from functools import cache
from typing import Any

from .._aws_errors import is_shared
from .._model import error_status, operation_model, success_status
from ..errors import ServiceError
from .http import HttpResponse

Encoder = Callable[[Any], Any]

_ERROR_NAMESPACE = "http://internal.amazon.com/coral/com.amazonaws.cognito.sync.model/"
#: where AWS's shared errors (authentication, throttling ...) come from
_FRAMEWORK_NAMESPACE = "http://internal.amazon.com/coral/com.amazon.coral.service/"


def _compact_json() -> Callable[[Any], str]:
    """``json.dumps(value, separators=(",", ":"))`` without its per-call setup.

    ``json.dumps`` and ``JSONEncoder.encode`` build a new C encoder on every
    call, which costs more than encoding a typical response does. Build it
    once, where this Python has one (``c_make_encoder`` is an internal of the
    json module), and trust it only if it agrees with the public API.
    """
    public = json.JSONEncoder(separators=(",", ":")).encode
    try:
        make = getattr(json.encoder, "c_make_encoder", None)
        encoder = make(  # type: ignore[misc]
            markers=None,  # results are trees built by handlers, never cyclic
            default=None,
            encoder=json.encoder.encode_basestring_ascii,
            indent=None,
            key_separator=":",
            item_separator=",",
            sort_keys=False,
            skipkeys=False,
            allow_nan=True,
        )

        def built_once(value: Any) -> str:
            return "".join(encoder(value, 0))

        sample = {"a": [1, 2.5, "\u00e9\n", None, True], "b": {}}
        if built_once(sample) == public(sample):
            return built_once
    except Exception:  # no C accelerator, or an internal that changed
        pass
    return public


_to_json = _compact_json()

# Request ids are random UUIDs (version 4), as AWS's are. Drawn from a
# generator of our own: seeding the random module (pytest-randomly does, per
# test) must not make ids repeat, and a forked child must not repeat its
# parent's. The bits are set as uuid.UUID(version=4) sets them, without its
# object, which costs more than the rest of encoding an answer.
_ids = random.Random()
if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_ids.seed)
_VERSION_4_CLEAR = ~((0xC000 << 48) | (0xF000 << 64)) & ((1 << 128) - 1)
_VERSION_4_SET = (0x8000 << 48) | (4 << 76)


def request_id() -> str:
    bits = f"{_ids.getrandbits(128) & _VERSION_4_CLEAR | _VERSION_4_SET:032x}"
    return f"{bits[:8]}-{bits[8:12]}-{bits[12:16]}-{bits[16:20]}-{bits[20:]}"


def encode_result(operation: str, result: dict[str, Any]) -> HttpResponse:
    status, encode = _success(operation)
    body = _to_json(encode(result)).encode()
    headers = {
        "Content-Type": "application/json",
        "x-amzn-RequestId": request_id(),
        "Content-Length": str(len(body)),
    }
    return HttpResponse(status, headers, body)


def encode_error(error: ServiceError) -> HttpResponse:
    status = error_status(error.code)
    body = _to_json({"message": error.message}).encode()
    headers = {
        "Content-Type": "application/json",
        "x-amzn-RequestId": request_id(),
        "x-amzn-ErrorType": f"{error.code}:{_error_namespace(error.code)}",
        "Content-Length": str(len(body)),
    }
    return HttpResponse(status, headers, body)


def _error_namespace(code: str) -> str:
    return _FRAMEWORK_NAMESPACE if is_shared(code) else _ERROR_NAMESPACE


def epoch_seconds(moment: dt.datetime) -> float:
    return round(moment.timestamp(), 3)


class _RecentEpochSeconds(dict[dt.datetime, float]):
    """``epoch_seconds`` of the moments met lately, each computed once: a
    dataset's records share their timestamps, and a ListRecords page would
    otherwise convert the same moment dozens of times. A lookup that hits
    runs no Python code at all."""

    LIMIT = 4096

    def __missing__(self, moment: dt.datetime) -> float:
        if len(self) >= self.LIMIT:
            self.clear()
        seconds = self[moment] = epoch_seconds(moment)
        return seconds


_to_epoch_seconds = _RecentEpochSeconds().__getitem__


@cache
def _success(operation: str) -> tuple[int, Encoder]:
    """The operation's success status, and the encoder of its output shape."""
    shape = operation_model(operation).output_shape
    if shape is None:
        return success_status(operation), lambda value: {}
    return success_status(operation), _compile(shape) or _drop_none


def _drop_none(value: dict[str, Any]) -> dict[str, Any]:
    return {key: item for key, item in value.items() if item is not None}


def _compile(shape: Any) -> Encoder | None:
    """An encoder for ``shape``, or ``None`` when its values are already JSON."""
    kind = shape.type_name
    if kind == "timestamp":
        return _to_epoch_seconds
    if kind == "list":
        member = _compile(shape.member)
        if member is None:
            return None
        return lambda items: [member(item) for item in items]
    if kind == "map":
        value = _compile(shape.value)
        if value is None:
            return None
        return lambda items: {key: value(item) for key, item in items.items()}
    if kind == "structure":
        members = {name: _compile(member) for name, member in shape.members.items()}
        if all(encoder is None for encoder in members.values()):
            return _drop_none
        converters = [(name, enc) for name, enc in members.items() if enc is not None]

        def structure(value: dict[str, Any]) -> dict[str, Any]:
            # Copy what is present, then convert only the members that need
            # it (a Record has 6 members, 2 of them timestamps). Most values
            # have no member left out: then a C-level copy does.
            encoded = (
                {key: item for key, item in value.items() if item is not None}
                if None in value.values()
                else value.copy()
            )
            for name, convert in converters:
                item = encoded.get(name)
                if item is not None:
                    encoded[name] = convert(item)
            return encoded

        return structure
    return None
