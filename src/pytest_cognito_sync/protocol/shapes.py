"""Decoding and validating request values against the model's shapes.

Each input shape is compiled once into a small function that converts a
wire value (JSON, query string or header text) to its Python value and
reports every violated constraint (required, type, length, pattern, enum,
range) in the words AWS's request validation uses::

    1 validation error detected: Value 'x' at 'identityPoolId' failed to
    satisfy constraint: Member must satisfy regular expression pattern: ...

The service runs on the JVM, so patterns are matched against the whole
string with ASCII character classes, string lengths count UTF-16 code
units, and integers must fit Java's ``int``/``long``.
"""

from __future__ import annotations

import datetime as dt
import re
import reprlib
import sys
from collections.abc import Callable
from typing import Any

#: converts ``value`` found at ``path``; appends problems to ``errors``.
Decoder = Callable[[Any, str, list[str]], Any]

_INT_BOUNDS = {"integer": (-(2**31), 2**31 - 1), "long": (-(2**63), 2**63 - 1)}
_MISSING_VALUE_DISPLAY = 200


def render(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, str):
        text = value
    else:
        try:
            text = str(value)
        except RecursionError:  # a JSON value nested deeper than str() goes
            text = reprlib.repr(value)
    if len(text) > _MISSING_VALUE_DISPLAY:
        text = text[:_MISSING_VALUE_DISPLAY] + "..."
    return f"'{text}'"


def violation(value: Any, path: str, rule: str) -> str:
    return f"Value {render(value)} at '{path}' failed to satisfy constraint: {rule}"


def summarize(errors: list[str]) -> str:
    count = len(errors)
    plural = "s" if count > 1 else ""
    message = f"{count} validation error{plural} detected: " + "; ".join(errors)
    if not message.isascii():
        # Unpaired surrogates (in values or map keys) shown as escapes: the
        # message must be text that every encoder and terminal takes.
        message = message.encode("utf-8", "backslashreplace").decode("utf-8")
    return message


def java_length(text: str) -> int:
    """UTF-16 code units; raises UnicodeEncodeError on unpaired surrogates."""
    if text.isascii():
        return len(text)
    return len(text.encode("utf-16-le")) // 2


#: What a string that is not a sequence of Unicode scalar values breaks:
#: a ``\\udXXX`` escape in JSON, percent-encoded bytes or header bytes that
#: are not UTF-8 (decoded with ``surrogateescape``, so they land here too).
UNICODE_RULE = (
    "Member must be valid Unicode text "
    "(no unpaired surrogates, no bytes that are not UTF-8)"
)


def wire_name(name: str) -> str:
    return name[:1].lower() + name[1:]


def compile_decoder(shape: Any, shortcuts: bool = True) -> Decoder:
    """``shortcuts=False``: without the structures' shortcuts (see
    ``shortcut``), which must never change what a decoder returns."""
    kind = shape.type_name
    if kind == "structure":
        return _structure(shape, shortcuts)
    if kind == "list":
        return _list(shape, shortcuts)
    if kind == "map":
        return _map(shape, shortcuts)
    if kind == "string":
        return _string(shape)
    if kind in _INT_BOUNDS:
        return _integer(shape)
    if kind == "boolean":
        return _boolean()
    if kind == "timestamp":
        return _timestamp()
    # blob, float, double: not used by cognito-sync inputs; pass through.
    return lambda value, path, errors: value


LengthCheck = Callable[[int, Any, str, list[str]], None]


def _length_rules(shape: Any) -> tuple[int, int, LengthCheck]:
    """The allowed length range, and what reports a length outside it.

    Decoders compare against the range themselves and call the reporter
    only on a violation: lengths are checked for every value of a request.
    """
    low = shape.metadata.get("min", 0)
    high = shape.metadata.get("max", sys.maxsize)

    def report(length: int, value: Any, path: str, errors: list[str]) -> None:
        if length < low:
            rule = f"Member must have length greater than or equal to {low}"
            errors.append(violation(value, path, rule))
        if length > high:
            rule = f"Member must have length less than or equal to {high}"
            errors.append(violation(value, path, rule))

    return low, high, report


def _string(shape: Any) -> Decoder:
    low, high, bad_length = _length_rules(shape)
    pattern_text = shape.metadata.get("pattern")
    pattern = re.compile(pattern_text, re.ASCII) if pattern_text else None
    enum = shape.enum or None
    enum_rule = "Member must satisfy enum value set: [" + ", ".join(enum or ()) + "]"

    def decode(value: Any, path: str, errors: list[str]) -> Any:
        if not isinstance(value, str):
            errors.append(violation(value, path, "Member must be a string"))
            return value
        if value.isascii():
            length = len(value)
        else:
            try:
                length = java_length(value)
            except UnicodeEncodeError:
                errors.append(violation(value, path, UNICODE_RULE))
                return value
        if not low <= length <= high:
            bad_length(length, value, path, errors)
        if pattern is not None and pattern.fullmatch(value) is None:
            rule = f"Member must satisfy regular expression pattern: {pattern_text}"
            errors.append(violation(value, path, rule))
        if enum is not None and value not in enum:
            errors.append(violation(value, path, enum_rule))
        return value

    return decode


def _integer(shape: Any) -> Decoder:
    low, high = _INT_BOUNDS[shape.type_name]
    floor = shape.metadata.get("min")
    ceiling = shape.metadata.get("max")
    type_rule = f"Member must be a number that fits a Java {shape.type_name}"

    def decode(value: Any, path: str, errors: list[str]) -> Any:
        if isinstance(value, str):
            # Query strings and headers carry numbers as text.
            try:
                value = int(value.strip(), 10)
            except ValueError:
                errors.append(violation(value, path, type_rule))
                return value
        if isinstance(value, bool) or not isinstance(value, int):
            errors.append(violation(value, path, type_rule))
            return value
        if not low <= value <= high:
            errors.append(violation(value, path, type_rule))
        if floor is not None and value < floor:
            rule = f"Member must have value greater than or equal to {floor}"
            errors.append(violation(value, path, rule))
        if ceiling is not None and value > ceiling:
            rule = f"Member must have value less than or equal to {ceiling}"
            errors.append(violation(value, path, rule))
        return value

    return decode


def _boolean() -> Decoder:
    def decode(value: Any, path: str, errors: list[str]) -> Any:
        if isinstance(value, str) and value.lower() in ("true", "false"):
            return value.lower() == "true"
        if not isinstance(value, bool):
            errors.append(violation(value, path, "Member must be a boolean"))
        return value

    return decode


def _timestamp() -> Decoder:
    rule = "Member must be a timestamp in epoch seconds"

    def decode(value: Any, path: str, errors: list[str]) -> Any:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            errors.append(violation(value, path, rule))
            return value
        try:
            return dt.datetime.fromtimestamp(value, dt.timezone.utc)
        except (OverflowError, OSError, ValueError):
            errors.append(violation(value, path, rule))
            return value

    return decode


def _list(shape: Any, shortcuts: bool) -> Decoder:
    low, high, bad_length = _length_rules(shape)
    member = compile_decoder(shape.member, shortcuts)

    def decode(value: Any, path: str, errors: list[str]) -> Any:
        if not isinstance(value, list):
            errors.append(violation(value, path, "Member must be a list"))
            return value
        if not low <= len(value) <= high:
            bad_length(len(value), value, path, errors)
        # Items are decoded with a path shared by all, and decoded again
        # with their own only to name it in errors: building each item's
        # path costs a list of 1,000 patches a sixth of its decoding.
        shared = f"{path}.member"
        scratch: list[str] = []
        # A loop, not a comprehension: no function built and called per
        # list (an eighth of decoding a list of one patch; a list of 1,000
        # takes a quarter of a percent longer).
        decoded = []
        for item in value:
            decoded.append(member(item, shared, scratch))
        if scratch:
            decoded = [
                member(item, f"{path}.{index}.member", errors)
                for index, item in enumerate(value, start=1)
            ]
        return decoded

    return decode


def _map(shape: Any, shortcuts: bool) -> Decoder:
    low, high, bad_length = _length_rules(shape)
    key = compile_decoder(shape.key, shortcuts)
    item = compile_decoder(shape.value, shortcuts)

    def decode(value: Any, path: str, errors: list[str]) -> Any:
        if not isinstance(value, dict):
            errors.append(violation(value, path, "Member must be a map"))
            return value
        if not low <= len(value) <= high:
            bad_length(len(value), value, path, errors)
        return {
            key(k, f"{path}.key", errors): item(v, f"{path}.{k}", errors)
            for k, v in value.items()
        }

    return decode


def compile_members_decoder(shape: Any, names: frozenset[str]) -> Decoder:
    """The decoder of structure ``shape`` restricted to the members
    ``names``: what it reports and returns for those members alone."""
    return _structure(shape, True, names)


def _structure(
    shape: Any, shortcuts: bool, names: frozenset[str] | None = None
) -> Decoder:
    """The structure's decoder, written out member by member as Python
    source and compiled (as ``dataclasses`` writes ``__init__``).

    A loop over the members unpacked a tuple of seven per member and ran
    checks that do not apply to its kind; written out, each member costs
    only its own checks, its constants in the code. That saved an
    UpdateRecords of 1 patch 180 of its 2,030 bytecodes (6,500 of the
    134,000 instructions the fake added to it), and one of 1,000 patches 5
    of 43 million. Each decoder is compiled with its operation's first
    request: an operation's decoders take about 2 ms.
    """
    required = tuple(
        name for name in shape.required_members if names is None or name in names
    )
    namespace: dict[str, Any] = {
        "violation": violation,
        "report_missing": _report_missing,
        "required": required,
    }
    lines = [
        "def decode(value, path, errors):",
        "    if not isinstance(value, dict):",
        "        errors.append(violation(value, path, 'Member must be a structure'))",
        "        return value",
        "    decoded = {}",
    ]
    for number, (name, member) in enumerate(shape.members.items()):
        if names is not None and name not in names:
            continue
        namespace[f"member{number}"] = compile_decoder(member, shortcuts)
        wire = wire_name(name)
        at = f"path + {'.' + wire!r} if path else {wire!r}"
        call = f"member{number}(item, {at}, errors)"
        lines += [f"    item = value.get({name!r})", "    if item is not None:"]
        test = _taken_as_is(member, number, namespace) if shortcuts else None
        if test is None:
            lines.append(f"        decoded[{name!r}] = {call}")
        else:
            lines += [
                f"        if {test}:",
                f"            decoded[{name!r}] = item",
                "        else:",
                f"            decoded[{name!r}] = {call}",
            ]
    if required:
        absent = " or ".join(f"{name!r} not in decoded" for name in required)
        lines += [
            f"    if {absent}:",
            "        report_missing(required, decoded, path, errors)",
        ]
    lines.append("    return decoded")
    source = "\n".join(lines)
    # Named for tracebacks; it holds nothing but the model's member names.
    exec(compile(source, f"<decoder of {shape.name}>", "exec"), namespace)
    decode: Decoder = namespace["decode"]
    return decode


def _taken_as_is(shape: Any, number: int, namespace: dict[str, Any]) -> str | None:
    """The test, as Python source, that a member's ``item`` is a value its
    decoder would return unchanged and without a complaint, for the plain
    text and numbers most members hold (``None`` for other kinds).

    Such a value is stored without a call of its decoder: a third of the
    cost, and an UpdateRecords of 1,000 patches decodes 4,000 members.
    """
    kind = shape.type_name
    meta = shape.metadata
    if kind in _INT_BOUNDS:
        low, high = _INT_BOUNDS[kind]
        low, high = max(low, meta.get("min", low)), min(high, meta.get("max", high))
        # ``is int``: a bool, which is also an int, goes to the decoder.
        return f"item.__class__ is int and {low} <= item <= {high}"
    if kind != "string":
        return None
    low, high = meta.get("min", 0), meta.get("max", sys.maxsize)
    enum = frozenset(shape.enum)
    if enum and all(v.isascii() and low <= len(v) <= high for v in enum):
        # A value of the enum has its length, and is ASCII.
        namespace[f"enum{number}"] = enum
        return f"item.__class__ is str and item in enum{number}"
    tests = ["item.__class__ is str"]
    if low > 0 and high < sys.maxsize:
        tests.append(f"{low} <= len(item) <= {high}")
    elif low > 0:
        tests.append(f"{low} <= len(item)")
    elif high < sys.maxsize:
        tests.append(f"len(item) <= {high}")
    tests.append("item.isascii()")  # then its length in UTF-16 units is len()
    if enum:
        namespace[f"enum{number}"] = enum
        tests.append(f"item in enum{number}")
    if meta.get("pattern"):
        namespace[f"pattern{number}"] = re.compile(meta["pattern"], re.ASCII).fullmatch
        tests.append(f"pattern{number}(item) is not None")
    return " and ".join(tests)


def _report_missing(
    required: tuple[str, ...], decoded: dict[str, Any], path: str, errors: list[str]
) -> None:
    prefix = f"{path}." if path else ""
    for name in required:
        if name not in decoded:
            rule = "Member must not be null"
            errors.append(violation(None, prefix + wire_name(name), rule))
