"""From an HTTP request to ``(operation, params, caller)``, model-driven.

Parameters are gathered from where the model's ``location`` puts them (URI
label, query string, header, JSON body), then decoded and validated by the
compiled input shape. Nothing here knows any single operation.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from itertools import accumulate
from types import MappingProxyType
from typing import Any, NamedTuple
from urllib.parse import parse_qsl, urlsplit

from .._model import operation_model, operation_names
from .._named_tuples import build
from ..errors import ServiceError, invalid_parameter
from .http import HttpRequest
from .routing import match_route, operation_path
from .shapes import Decoder, compile_decoder, compile_members_decoder, summarize


class Caller(NamedTuple):
    """Who signed the request, as far as the fake needs to know."""

    access_key: str | None
    region: str | None


class ServiceRequest(NamedTuple):
    operation: str | None
    #: read-only where it is shared (a cached request line's)
    params: Mapping[str, Any]
    caller: Caller
    #: why the request cannot run (routing or validation), if it cannot
    problem: ServiceError | None = None
    #: the request as received, for checking its signature
    http: HttpRequest | None = None


@dataclass(frozen=True, slots=True)
class _Binding:
    uri: tuple[tuple[str, str], ...]
    query: tuple[tuple[str, str], ...]
    header: tuple[tuple[str, str], ...]
    body: tuple[str, ...]
    body_names: frozenset[str]
    #: whether every URI label is named as its member (as in every
    #: cognito-sync URI): then the labels are the members' values as they are
    labels_are_members: bool
    decode: Decoder
    #: the body's and headers' members alone; None where the line's own
    #: members do not all come first in the model (merged after them, the
    #: body's would change order)
    decode_rest: Decoder | None
    #: the line's own members alone (URI labels and query string)
    decode_line: Decoder | None


@cache
def _binding(operation: str) -> _Binding:
    shape = operation_model(operation).input_shape
    uri, query, header, body = [], [], [], []
    for name, member in shape.members.items() if shape is not None else ():
        location = member.serialization.get("location")
        wire = member.serialization.get("name", name)
        if location == "uri":
            uri.append((name, wire))
        elif location == "querystring":
            query.append((name, wire))
        elif location == "header":
            header.append((name, wire.lower()))  # see HttpRequest.headers
        else:
            body.append(name)
    if shape is None:
        return _Binding((), (), (), (), frozenset(), True, _no_input, None, None)
    rest = frozenset(body) | {name for name, _ in header}
    own = frozenset(name for name, _ in uri) | {name for name, _ in query}
    # The body's members merged after the line's keep the model's order
    # only where the line's come first (as in every cognito-sync input).
    line_first = not rest & set(list(shape.members)[: len(own)])
    return _Binding(
        tuple(uri),
        tuple(query),
        tuple(header),
        tuple(body),
        frozenset(body),
        all(name == wire for name, wire in uri),
        compile_decoder(shape),
        compile_members_decoder(shape, rest) if line_first else None,
        compile_members_decoder(shape, own) if line_first else None,
    )


def _no_input(value: Any, path: str, errors: list[str]) -> Any:
    return {}


def decode_request(request: HttpRequest) -> ServiceRequest:
    method, url, headers, body = request  # one unpacking, not four lookups
    # The line unpacked once: see ``_named_tuples``.
    (
        _,
        query,
        host_region,
        operation,
        labels,
        binding,
        header_bound,
        decode_rest,
        line_params,
        own_params,
        line_problem,
    ) = _request_line(method, url)
    caller = _caller(headers.get("authorization"), query, host_region)
    if operation is None or not (body or header_bound):
        from_line = (operation, line_params, caller, line_problem, request)
        return build(ServiceRequest, from_line)
    if decode_rest is not None:  # the line's own members are valid
        assert binding is not None
        params, problem = _decode_rest(
            binding, decode_rest, own_params, header_bound, body, headers
        )
    else:
        params, problem = _decode_params(
            operation, labels, query, body, _header_values(request, header_bound)
        )
    return build(ServiceRequest, (operation, params, caller, problem, request))


def _decode_rest(
    binding: _Binding,
    decode_rest: Decoder,
    own_params: dict[str, Any],
    header_bound: tuple[tuple[str, str], ...],
    body: bytes,
    headers: Mapping[str, Any],
) -> Decoded:
    """``_decode_params`` of a request whose line's own members are valid
    (``own_params``, decoded with the line), so only the body and headers
    are decoded, by ``decode_rest``. It saves an UpdateRecords validating
    its three labels again."""
    try:
        raw = _gather_body(binding, body)
    except ServiceError as problem:
        return {}, problem
    # The header values gathered straight into ``raw`` (what
    # ``_header_values`` and ``_gather_headers`` do): two Python frames and
    # a tuple less.
    for name, wire in header_bound:
        value = headers.get(wire)
        if value is not None:
            raw[name] = _text(value)
    errors: list[str] = []
    # Merged from the dict behind the line's read-only params: a read-only
    # view is merged key by key through its methods, at three times the cost.
    params = {**own_params, **decode_rest(raw, "", errors)}
    return params, invalid_parameter(summarize(errors)) if errors else None


class _Line(NamedTuple):
    """What a request line (method and URL) says on its own."""

    #: the URL's path as the model's requestUri templates describe it
    path: str
    query: str
    #: the region the URL's host names, if it names one
    host_region: str | None
    operation: str | None
    #: the URI labels' values, decoded
    labels: dict[str, str]
    #: where the operation's members come from (None: no operation)
    binding: _Binding | None
    #: the operation's header-bound members, as (name, header)
    header_bound: tuple[tuple[str, str], ...]
    #: the operation's decoder of its body and header members alone, where
    #: the line's own members are valid (else None: all are decoded again)
    decode_rest: Decoder | None
    #: the request decoded as if it had no body and no header-bound values;
    #: read-only, as every request with this line gets this one mapping
    params: Mapping[str, Any]
    #: the dict ``params`` shows, never handed out
    own_params: dict[str, Any]
    problem: ServiceError | None


@lru_cache(maxsize=1024)
def _request_line(method: str, url: str) -> _Line:
    """Routed, and decoded as far as the line goes: once per distinct line.

    A request that is nothing but its line (the reads tests repeat, polling
    above all) is then fully decoded by a cache hit. Its params are shared
    by every request that hits the cache: downstream code never mutates
    params.
    """
    raw_path, query, (_, host_region) = _url_parts(url)
    path = operation_path(raw_path or "/")
    route = match_route(method, path)
    if route is None:
        unknown = ServiceError(
            "UnknownOperationException",
            f"No cognito-sync operation matches {method} {path}; "
            "cognito-sync operations are: " + ", ".join(operation_names()),
        )
        return build(
            _Line, (path, query, host_region, None, {}, None, (), None, {}, {}, unknown)
        )
    operation, labels = route
    binding = _binding(operation)
    # What ``_decode_params`` does for a request without body and headers,
    # without its three frames of gathering nothing from them.
    raw = _line_members(binding, labels, query)
    errors: list[str] = []
    # Read, then called: called as a method, the decoder would be looked up
    # in a way CPython 3.11 does not specialize for a slot.
    decode = binding.decode
    params = decode(raw, "", errors)
    problem = invalid_parameter(summarize(errors)) if errors else None
    # Without a body, an operation with required body members has a problem
    # (they are missing); whether its line's own members have one is asked
    # of those members alone.
    own_members_valid = problem is None or _valid(binding.decode_line, raw)
    return build(
        _Line,
        (
            path,
            query,
            host_region,
            operation,
            labels,
            binding,
            binding.header,
            binding.decode_rest if own_members_valid else None,
            MappingProxyType(params),
            params,
            problem,
        ),
    )


def _valid(decode: Decoder | None, raw: dict[str, Any]) -> bool:
    """Whether ``decode`` finds nothing wrong with its members in ``raw``."""
    if decode is None:
        return False
    errors: list[str] = []
    decode(raw, "", errors)
    return not errors


def split_url(url: str) -> tuple[str, str, str | None]:
    """``urlsplit(url)``'s path, query and hostname."""
    path, query, (hostname, _) = _url_parts(url)
    return path, query, hostname


#: a host's name and the region it names, if it names one
_Host = tuple[str | None, str | None]


def _url_parts(url: str) -> tuple[str, str, _Host]:
    """``split_url``, with the region of the host.

    The URLs clients send (``http[s]://host[:port]/path[?query]``) are
    taken apart by string methods, with their host read once per host: a
    fifth of the cost of ``urlsplit`` (a tenth of a new request line's
    decoding). Anything that ``urlsplit`` removes, strips or reads in its
    own way (fragments, tabs and newlines, users, IPv6 hosts, other
    schemes) goes through ``urlsplit``.
    """
    # ``partition`` rather than ``startswith`` and ``find``, whose
    # arguments are parsed at each call: a third of the instructions.
    before_query, _, query = url.partition("?")
    scheme, separator, rest = before_query.partition("://")
    if (
        not separator
        or scheme not in ("https", "http")
        or "#" in url
        or "\t" in url
        or "\n" in url
        or "\r" in url
    ):
        return _url_parts_by_urlsplit(url)
    netloc, slash, path = rest.partition("/")
    host = _plain_host(netloc)
    if host is None:
        return _url_parts_by_urlsplit(url)
    return slash + path, query, host


def _url_parts_by_urlsplit(url: str) -> tuple[str, str, _Host]:
    parts = urlsplit(url)
    hostname = parts.hostname
    return parts.path, parts.query, (hostname, _region_from_host(hostname))


_PLAIN_NETLOC = re.compile(r"([A-Za-z0-9.-]*)(?::[0-9]*)?", re.ASCII)


@lru_cache(maxsize=256)
def _plain_host(netloc: str) -> _Host | None:
    """The host of a URL's ``netloc`` that ``urlsplit`` reads as this
    does (no user, no IPv6 address, nothing but a name and a port); else
    ``None``."""
    plain = _PLAIN_NETLOC.fullmatch(netloc)
    if plain is None:
        return None
    hostname = plain.group(1).lower() or None
    return hostname, _region_from_host(hostname)


def _header_values(
    request: HttpRequest, header_bound: tuple[tuple[str, str], ...]
) -> tuple[str | None, ...]:
    """The values of the header-bound members, in model order."""
    return tuple(
        _text(value) if (value := request.headers.get(wire)) is not None else None
        for _, wire in header_bound
    )


Decoded = tuple[dict[str, Any], ServiceError | None]


def _decode_params(
    operation: str,
    labels: dict[str, str],
    query: str,
    body: bytes,
    header_values: tuple[str | None, ...],
) -> Decoded:
    """The params of a routed request, and what is wrong with them if anything."""
    binding = _binding(operation)
    try:
        raw = _gather(binding, labels, query, body, header_values)
    except ServiceError as problem:
        return {}, problem
    errors: list[str] = []
    params = binding.decode(raw, "", errors)
    return params, invalid_parameter(summarize(errors)) if errors else None


def _gather(
    binding: _Binding,
    labels: dict[str, str],
    query: str,
    body: bytes,
    header_values: tuple[str | None, ...],
) -> dict[str, Any]:
    raw = _gather_body(binding, body)
    raw.update(_line_members(binding, labels, query))
    _gather_headers(binding, header_values, raw)
    return raw


def _line_members(
    binding: _Binding, labels: dict[str, str], query: str
) -> dict[str, Any]:
    """The values of the members the request line carries, by member name;
    not to be changed (they may be ``labels`` itself)."""
    if not (binding.query and query):
        # The labels as they are, named as their members: a dict and a
        # loop less for a new request line (every new pool's first).
        if binding.labels_are_members:
            return labels
        return {name: labels[wire] for name, wire in binding.uri}
    raw = {name: labels[wire] for name, wire in binding.uri}
    # Bytes that are not UTF-8 kept as surrogates: validation refuses them.
    values = dict(parse_qsl(query, keep_blank_values=True, errors="surrogateescape"))
    for name, wire in binding.query:
        if wire in values:
            raw[name] = values[wire]
    return raw


def _gather_body(binding: _Binding, body: bytes) -> dict[str, Any]:
    """The body's members by name, in a dict of the caller's own."""
    if not (binding.body and body):
        return {}
    try:
        document = _parse_json(body.decode())  # AWS takes UTF-8 only
    except (ValueError, UnicodeDecodeError) as error:
        _check_nesting(body)  # the depth is named first, as before parsing
        raise invalid_parameter(f"Request body is not valid JSON: {error}") from None
    except RecursionError:
        _check_nesting(body)
        raise invalid_parameter(
            "Request body is not valid JSON: nested deeper than the parser allows"
        ) from None
    if len(body) > MAX_NESTING:  # shorter, it cannot nest deeper: a frame less
        _check_depth(document, body)
    if not isinstance(document, dict):
        raise invalid_parameter("Request body must be a JSON object")
    if document.keys() <= binding.body_names:
        # Nothing in it is left out, and it was parsed for this request
        # alone: the document itself, without its members copied one by one
        # into a new dict (an UpdateRecords runs 67 bytecodes here, now 38).
        return document
    # Keys of no body member are not read: those the model binds to the
    # URI or a header come from there alone.
    return {name: document[name] for name in binding.body if name in document}


def _gather_headers(
    binding: _Binding, header_values: tuple[str | None, ...], raw: dict[str, Any]
) -> None:
    for (name, _), value in zip(binding.header, header_values, strict=True):
        if value is not None:
            raw[name] = value


_scan_json: Callable[[str, int], tuple[Any, int]]
_scan_json = json.JSONDecoder().scan_once  # type: ignore[attr-defined]


def _parse_json(text: str) -> Any:
    """``json.loads(text)``, straight from the json module's C scanner when
    the document fills the text: that saves ``loads`` three Python frames
    and two regular expressions. Anything else (white space around it,
    errors of any kind) goes through ``json.loads``, for its messages."""
    try:
        document, end = _scan_json(text, 0)
    except (StopIteration, ValueError, RecursionError):
        return json.loads(text)
    return document if end == len(text) else json.loads(text)


#: The JVM's JSON parser (Jackson) refuses documents nested deeper than this
#: by default; so does the fake, whatever Python's recursion limit.
MAX_NESTING = 1000
_JSON_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"')
_BRACKETS = re.compile(rb"[\[\]{}]")
_STEP = {ord("["): 1, ord("{"): 1, ord("]"): -1, ord("}"): -1}


def _check_nesting(body: bytes) -> None:
    """Refuse a body that nests past the limit, parsed or not."""
    # Fewer opening brackets than the limit cannot nest past it: one C-speed
    # count for every ordinary body; the exact walk only for the rest.
    if body.count(b"[") + body.count(b"{") <= MAX_NESTING:
        return
    brackets = _BRACKETS.findall(_JSON_STRING.sub(b"", body))
    _refuse_past_limit(max(accumulate(_STEP[b[0]] for b in brackets), default=0))


def _check_depth(document: Any, body: bytes) -> None:
    """``_check_nesting`` for a body that parsed, walking the parsed values:
    a tenth of the cost of scanning the text of a big body (an UpdateRecords
    of 1,000 patches) for its strings and brackets."""
    if body.count(b"[") + body.count(b"{") <= MAX_NESTING:
        return
    depth = 0
    level = [document] if type(document) is dict or type(document) is list else []
    while level:
        depth += 1
        level = [
            child
            for node in level
            for child in (node.values() if type(node) is dict else node)
            if type(child) is dict or type(child) is list
        ]
    _refuse_past_limit(depth)


def _refuse_past_limit(depth: int) -> None:
    if depth > MAX_NESTING:
        raise invalid_parameter(
            f"Request body is not valid JSON: nested {depth} levels deep; "
            f"at most {MAX_NESTING} are allowed"
        )


_NOBODY = Caller(None, None)


def _caller(
    authorization: str | bytes | None, query: str, host_region: str | None
) -> Caller:
    signer = None
    if authorization:
        # What precedes the first comma ("AWS4-HMAC-SHA256 Credential=AKID/...")
        # names the signer, and a client sends the same all day: parsed once.
        comma = b"," if authorization.__class__ is bytes else ","
        signer = _signer_of(authorization.partition(comma)[0])  # type: ignore[arg-type]
    if signer is None:
        signer = _query_signer(query) or _NOBODY
    access_key, region = signer
    if region is None:
        return build(Caller, (access_key, host_region))
    return signer


@lru_cache(maxsize=256)
def _signer_of(credential_part: str | bytes) -> Caller | None:
    text = _text(credential_part)
    start = text.find("Credential=")
    return _scope_signer(text[start + 11 :].strip()) if start >= 0 else None


def _query_signer(query: str) -> Caller | None:
    if "X-Amz-Credential" not in query:  # not a presigned URL
        return None
    scope = dict(parse_qsl(query)).get("X-Amz-Credential")
    return _scope_signer(scope) if scope is not None else None


def _scope_signer(scope: str) -> Caller:
    # AKID/20240101/us-east-1/cognito-sync/aws4_request
    parts = scope.split("/")
    region = parts[2] if len(parts) >= 5 else None
    return Caller(parts[0] or None, region or None)


def _text(value: str | bytes) -> str:
    # botocore sends its header values as UTF-8 bytes. Bytes that are not
    # UTF-8 are kept as surrogates, for validation to refuse them by name.
    if isinstance(value, bytes):
        return value.decode("utf-8", "surrogateescape")
    return value


def _region_from_host(host: str | None) -> str | None:
    # cognito-sync.us-east-1.amazonaws.com, cognito-sync-fips.us-east-1.api.aws
    labels = (host or "").split(".")
    if len(labels) >= 4 and labels[0] in ("cognito-sync", "cognito-sync-fips"):
        return labels[1]
    return None
