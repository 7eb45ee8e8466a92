"""The control API: the server's mock driven over HTTP, by any process.

``POST /_cognito_sync/{method}`` with a JSON object of keyword arguments
calls that method of the served mock. Values cross as JSON: datetimes as
ISO 8601 text, durations as seconds, records such as a ``Call`` as objects
keyed by their field names. Methods are offered by name from a fixed list,
so the mock's other attributes stay out of reach.
"""

from __future__ import annotations

import datetime as dt
import functools
import inspect
import json
import types
import typing
from collections.abc import Mapping
from typing import Any, NamedTuple

from ..mock import CognitoSyncMock

#: Where the control API lives; no cognito-sync operation path starts so.
PREFIX = "/_cognito_sync/"
HEALTH = "health"

#: The mock methods offered over HTTP. ``set_sync_trigger`` is not among
#: them: it takes a Python callable.
METHODS: tuple[str, ...] = (
    "create_identity_pool",
    "put_dataset",
    "configure_streams",
    "now",
    "advance_time",
    "complete_bulk_publish",
    "fail_bulk_publish",
    "inject_error",
    "stream_records",
    "stream_payload",
    "issue_identity_credentials",
    "account_credentials",
    "throttle_sync_trigger",
    "push_notifications",
    "lambda_events",
    "merge_identities",
    "calls",
    "reset",
)

#: What a user of the mock may get wrong; anything else is the fake's bug.
_MISUSE = (TypeError, ValueError, KeyError, RuntimeError)


class Reply(NamedTuple):
    status: int
    body: dict[str, Any]


def call(mock: CognitoSyncMock, method: str, body: bytes) -> Reply:
    """Run ``mock.<method>(**arguments)`` for a POST to the control API."""
    if method not in METHODS:
        return _unknown(method)
    try:
        arguments = _arguments(body)
        attribute = inspect.getattr_static(type(mock), method)
        if isinstance(attribute, property):  # ``calls``
            if arguments:
                raise TypeError(f"{method} takes no arguments; got {sorted(arguments)}")
            result = getattr(mock, method)
        else:
            bound = getattr(mock, method)
            result = bound(**_typed(bound, arguments))
    except _MISUSE as error:
        return Reply(400, {"message": _message(error), "type": type(error).__name__})
    return Reply(200, {"result": to_json(result)})


def methods_message() -> str:
    return "control methods are: " + ", ".join((HEALTH, *METHODS))


def _unknown(method: str) -> Reply:
    message = f"unknown control method {method!r}; {methods_message()}"
    if method == "set_sync_trigger":
        message = (
            "set_sync_trigger takes a Python callable, which cannot cross HTTP; "
            "call it on the server's mock in Python. " + methods_message()
        )
    return Reply(404, {"message": message, "methods": [HEALTH, *METHODS]})


def _arguments(body: bytes) -> dict[str, Any]:
    if not body.strip():
        return {}
    try:
        document = json.loads(body)
    except (ValueError, UnicodeDecodeError) as error:
        raise ValueError(f"the request body is not JSON: {error}") from None
    if not isinstance(document, dict):
        raise TypeError(
            "the request body must be a JSON object of keyword arguments; "
            f"got {type(document).__name__}"
        )
    return document


def _typed(method: Any, arguments: dict[str, Any]) -> dict[str, Any]:
    """The arguments checked against the method's annotations, and ISO 8601
    text for the parameters annotated as datetimes, as datetimes.

    JSON carries no Python types, so a value of the wrong kind would reach
    code that trusts its annotations: refused here, naming the parameter.
    Durations need no conversion: the mock takes seconds wherever it takes
    a timedelta.
    """
    accepted = _accepted_json(method.__func__)
    typed = dict(arguments)
    for name, value in arguments.items():
        kinds = accepted.get(name)
        if kinds is None:  # unknown names are the call's own TypeError
            continue
        if not _is_one_of(value, kinds):
            raise TypeError(
                f"{name} must be {_describe(kinds)}; got {json.dumps(value)}"
            )
        if isinstance(value, str) and name in _datetime_parameters(method.__func__):
            typed[name] = parse_datetime(value, name)
    return typed


#: The JSON value kinds a parameter of each annotated Python type takes.
_JSON_KINDS: dict[Any, tuple[type, ...]] = {
    str: (str,),
    int: (int,),
    float: (int, float),
    bool: (bool,),
    type(None): (type(None),),
    dt.timedelta: (int, float),  # seconds
    dt.datetime: (str,),  # ISO 8601 text
}
_JSON_NAMES = {
    str: "a string",
    int: "a whole number",
    float: "a number",
    bool: "true or false",
    type(None): "null",
    dict: "an object",
    list: "an array",
}


def _describe(kinds: tuple[type, ...]) -> str:
    # "a number" already takes in "a whole number".
    shown = [kind for kind in kinds if not (kind is int and float in kinds)]
    return " or ".join(_JSON_NAMES[kind] for kind in shown)


@functools.cache
def _accepted_json(function: Any) -> dict[str, tuple[type, ...]]:
    """For each parameter whose annotation is understood, the JSON kinds
    (Python types of ``json.loads`` values) it accepts."""
    accepted: dict[str, tuple[type, ...]] = {}
    for name, hint in typing.get_type_hints(function).items():
        kinds: list[type] = []
        for python_type in _union_members(hint):
            origin = typing.get_origin(python_type) or python_type
            if origin in _JSON_KINDS:
                kinds.extend(_JSON_KINDS[origin])
            elif isinstance(origin, type) and issubclass(origin, Mapping):
                kinds.append(dict)
            elif origin in (list, tuple) or origin is typing.Sequence:
                kinds.append(list)
            else:  # Any, or a type JSON cannot name: not checked
                break
        else:
            if name != "return":
                accepted[name] = tuple(dict.fromkeys(kinds))
    return accepted


def _union_members(hint: Any) -> tuple[Any, ...]:
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        return typing.get_args(hint)
    return (hint,)


@functools.cache
def _datetime_parameters(function: Any) -> frozenset[str]:
    return frozenset(
        name
        for name, hint in typing.get_type_hints(function).items()
        if dt.datetime in _union_members(hint) and name != "return"
    )


def _is_one_of(value: Any, kinds: tuple[type, ...]) -> bool:
    # JSON true and false are bools, which Python also counts as ints.
    if isinstance(value, bool):
        return bool in kinds
    return isinstance(value, kinds)


def parse_datetime(text: str, name: str) -> dt.datetime:
    try:
        # Python 3.10's fromisoformat() does not read the "Z" suffix.
        moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(
            f"{name} must be an ISO 8601 datetime such as 2024-01-01T00:00:00Z; "
            f"got {text!r}"
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.timezone.utc)


def to_json(value: Any) -> Any:
    """``value`` as plain JSON values."""
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return value.total_seconds()
    if isinstance(value, tuple) and hasattr(value, "_asdict"):  # a NamedTuple
        return {name: to_json(item) for name, item in value._asdict().items()}
    if isinstance(value, Mapping):
        return {str(key): to_json(item) for key, item in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [to_json(item) for item in value]
    if isinstance(value, (bytes, bytearray)):
        return value.decode("utf-8", "replace")
    return str(value)


def _message(error: BaseException) -> str:
    # str(KeyError("x")) is "'x'": show the message itself.
    if isinstance(error, KeyError) and len(error.args) == 1:
        return str(error.args[0])
    return str(error)
