"""Each shortcut of the per-request path against the long way it replaces:
they must agree on every input, not only on the ones a benchmark sends."""

from __future__ import annotations

import calendar
import datetime as dt
import json
import sys
from fractions import Fraction
from typing import Any
from unittest import mock
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit

import boto3
from botocore.awsrequest import AWSResponse, HeadersDict
from hypothesis import example, given, settings
from hypothesis import strategies as st

from pytest_cognito_sync._model import service_model
from pytest_cognito_sync.backend import authentication, limits, patches, state, tokens
from pytest_cognito_sync.errors import ServiceError
from pytest_cognito_sync.interception import botocore_hook, botocore_response
from pytest_cognito_sync.protocol import (
    HttpRequest,
    HttpResponse,
    decoding,
    encoding,
    routing,
)
from pytest_cognito_sync.protocol.shapes import compile_decoder
from pytest_cognito_sync.protocol.signatures import Signed, quick_signature, recompute

FAST_PATHS = settings(max_examples=200, deadline=None)

JSON_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.text(alphabet='[]{}"\\ab', max_size=8),
)
JSON_VALUES = st.recursive(
    JSON_SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.text(alphabet="[]{}ab", max_size=3), inner, max_size=4)
    ),
    max_leaves=30,
)


def refusal(check: Any, *args: Any) -> str | None:
    try:
        check(*args)
    except ServiceError as error:
        return error.message
    return None


@FAST_PATHS
@given(
    value=JSON_VALUES,
    depth=st.integers(0, 1100),
    opening=st.sampled_from(["[", '{"a":']),
    padding=st.sampled_from([0, 600, 1200]),
)
def test_the_depth_of_a_parsed_body_is_the_depth_of_its_text(
    value, depth, opening, padding
):
    # Brackets in strings (padding) count toward the quick count, not the depth.
    inner = json.dumps({"pad": "[{" * padding, "v": value})
    closing = "]" if opening == "[" else "}"
    body = (opening * depth + inner + closing * depth).encode()
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 5000))  # for json.loads, not the checks
    try:
        parsed = json.loads(body)
    finally:
        sys.setrecursionlimit(limit)
    assert refusal(decoding._check_depth, parsed, body) == refusal(
        decoding._check_nesting, body
    )


# -- decoding: the structures' shortcuts ----------------------------------------

MODEL = service_model()
INPUT_SHAPES = [
    MODEL.operation_model(name).input_shape for name in MODEL.operation_names
]
ANY_SCALAR = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**64), 2**64),
    st.floats(allow_nan=False),
    st.text(max_size=12),
    # lone surrogates, as a JSON \\udXXX escape gives them
    st.text(st.characters(categories=["Cs", "Ll"]), max_size=4),
)


def wild(shape: Any, depth: int = 0) -> st.SearchStrategy[Any]:
    """Values of the shape's kind, near and past its constraints, and others."""
    kind = shape.type_name
    meta = shape.metadata
    if kind == "structure" and depth < 4:
        members = {
            name: wild(member, depth + 1) for name, member in shape.members.items()
        }
        return (
            st.fixed_dictionaries({}, optional={**members, "Unmodeled": ANY_SCALAR})
            | ANY_SCALAR
        )
    if kind == "list" and depth < 4:
        return st.lists(wild(shape.member, depth + 1), max_size=4) | ANY_SCALAR
    if kind == "map" and depth < 4:
        return (
            st.dictionaries(
                wild(shape.key, depth + 1), wild(shape.value, depth + 1), max_size=3
            )
            | ANY_SCALAR
        )
    if kind == "string":
        low, high = meta.get("min", 0), meta.get("max", 60)
        lengths = sorted({0, low, max(low - 1, 0), min(high, 60), min(high + 1, 61)})
        samples = [*shape.enum, "us-east-1:0f6e-a3", "a:b", "x.y_z-0", "é", "\ud800"]
        return st.one_of(
            st.sampled_from(samples),
            st.sampled_from(lengths).map(lambda n: "a" * n),
            st.sampled_from(lengths).map(lambda n: "é" * n),
            ANY_SCALAR,
        )
    if kind in ("integer", "long"):
        edges = [meta.get("min", 0), meta.get("max", 0), 2**31, -(2**31) - 1, 2**63]
        return st.one_of(
            st.sampled_from(edges).flatmap(lambda n: st.integers(n - 1, n + 1)),
            st.integers(-5, 5).map(str),
            ANY_SCALAR,
        )
    return ANY_SCALAR


@settings(max_examples=1000, deadline=None)
@given(
    data=st.data(), shape=st.sampled_from([s for s in INPUT_SHAPES if s is not None])
)
def test_decoding_with_shortcuts_is_decoding_without(data, shape):
    value = data.draw(wild(shape))
    with_errors: list[str] = []
    without_errors: list[str] = []
    decoded = compile_decoder(shape)(value, "", with_errors)
    expected = compile_decoder(shape, shortcuts=False)(value, "", without_errors)
    assert repr(decoded) == repr(expected)
    assert with_errors == without_errors


def test_an_invalid_item_of_a_list_is_named_by_its_position():
    shape = MODEL.operation_model("UpdateRecords").input_shape
    patch = {"Op": "replace", "Key": "k", "SyncCount": 0}
    request = {
        "IdentityPoolId": "us-east-1:0f6e",
        "IdentityId": "us-east-1:0f6e",
        "DatasetName": "d",
        "SyncSessionToken": "t",
        "RecordPatches": [patch, {**patch, "Key": ""}, patch, {**patch, "Op": "x"}],
    }
    errors: list[str] = []
    decoded = compile_decoder(shape)(request, "", errors)
    assert errors == [
        "Value '' at 'recordPatches.2.member.key' failed to satisfy constraint: "
        "Member must have length greater than or equal to 1",
        "Value 'x' at 'recordPatches.4.member.op' failed to satisfy constraint: "
        "Member must satisfy enum value set: [replace, remove]",
    ]
    assert decoded["RecordPatches"] == request["RecordPatches"]


# -- signatures: the quick check of an issued key's signature --------------------

HEADER_NAMES = st.sampled_from(
    ["host", "x-amz-date", "content-type", "Host", "X-Amz-Date", " host", "", "a"]
)
HEADER_VALUES = st.one_of(
    st.sampled_from(["20240101T000000Z", "application/json", " a  b\t", "é"]),
    st.text(max_size=8),
    st.binary(max_size=6),
)
PATHS = st.one_of(
    st.sampled_from(
        [
            "/identitypools/us-east-1%3Aabc/identities/us-east-1%3Adef/datasets/d",
            "/identitypools/p:q/",
            "/",
            "",
            "/a//b",
            "/a/./b",
            "/a/../b",
            "/.a",
            "/a~b_c-d.e",
        ]
    ),
    st.text(alphabet="/a%:.~-_ é?#\t", max_size=12).map(lambda p: "/" + p),
)


@settings(max_examples=1000, deadline=None)
@given(
    method=st.sampled_from(["GET", "post", "DELETE"]),
    origin=st.sampled_from(
        [
            "https://cognito-sync.us-east-1.amazonaws.com",
            "https://Cognito-Sync.example:8443",
            "http://localhost:80",
            "http://[::1]:4566",
            "https://user@127.0.0.1:443",
        ]
    ),
    path=PATHS,
    query=st.lists(st.tuples(st.text(max_size=4), st.text(max_size=4)), max_size=3),
    signed_names=st.lists(HEADER_NAMES, max_size=4),
    values=st.lists(HEADER_VALUES, min_size=4, max_size=4),
    unsent=st.sets(HEADER_NAMES, max_size=2),
    body=st.binary(max_size=8),
    region=st.sampled_from(["us-east-1", "eu-west-1", "é"]),
    timestamp=st.sampled_from(["20240101T000000Z", "20240102T235959Z"]),
    secret=st.text(max_size=12),
)
def test_the_quick_signature_is_botocores_or_none(
    method,
    origin,
    path,
    query,
    signed_names,
    values,
    unsent,
    body,
    region,
    timestamp,
    secret,
):
    url = origin + quote(path, safe="/%:~é\t")
    if query:
        url += "?" + urlencode(query)
    # Mostly the headers it signed, and then some headers not sent.
    headers = HeadersDict(zip(signed_names, values, strict=False))
    for name in unsent:
        headers.pop(name, None)
    request = HttpRequest(method, url, headers, body)
    signed = Signed(
        "ASIAEXAMPLE",
        (timestamp[:8], region, "cognito-sync"),
        tuple(signed_names),
        "0" * 64,
        timestamp,
        None,
        tuple(parse_qsl(urlsplit(url).query, keep_blank_values=True)),
    )
    quick = quick_signature(request, signed, secret)
    if quick is not None:
        assert quick == recompute(request, signed, secret).signature


def test_the_quick_signature_covers_what_botocore_sends(cognito_sync_mock):
    # Else the test above passes by never taking the quick way.
    seen: list[str | None] = []
    checked = authentication.quick_signature

    def spy(*args: Any) -> str | None:
        seen.append(checked(*args))
        return seen[-1]

    pool_id = cognito_sync_mock.create_identity_pool()
    identity = "us-east-1:0f6ef0a3-0b3e-4c4e-8a55-2bd0c5b5ad6e"
    credentials = cognito_sync_mock.issue_identity_credentials(identity)
    client = boto3.client(
        "cognito-sync",
        region_name="us-east-1",
        aws_access_key_id=credentials["AccessKeyId"],
        aws_secret_access_key=credentials["SecretKey"],
        aws_session_token=credentials["SessionToken"],
    )
    with mock.patch.object(authentication, "quick_signature", spy):
        client.list_records(
            IdentityPoolId=pool_id, IdentityId=identity, DatasetName="d", MaxResults=5
        )
    assert seen and seen[0] is not None


# -- routing: request lines met for the first time ----------------------------

URL_PIECES = st.sampled_from(
    ["/", "?", "#", ":", "@", "[", "]", "%3A", "a", "A", ".", "-", " ", "\t", "\n", "é"]
)


@FAST_PATHS
@given(
    scheme=st.sampled_from(
        ["https://", "http://", "HTTPS://", " https://", "ftp://", ""]
    ),
    host=st.sampled_from(
        [
            "cognito-sync.us-east-1.amazonaws.com",
            "LOCALHOST:4566",
            "",
            "[::1]:80",
            "u@h",
        ]
    ),
    rest=st.lists(URL_PIECES, max_size=12).map("".join),
)
def test_splitting_a_url_is_urlsplit(scheme, host, rest):
    url = scheme + host + rest
    try:
        parts = urlsplit(url)
        expected = (parts.path, parts.query, parts.hostname)
    except ValueError:  # a host urlsplit refuses to read
        return
    assert decoding.split_url(url) == expected


ROUTE_PATHS = st.lists(
    st.sampled_from(
        [
            "identitypools",
            "us-east-1%3Aabc",
            "identities",
            "identity",
            "datasets",
            "settings",
            "subscriptions",
            "device",
            "bulkpublish",
            "getBulkPublishDetails",
            "configuration",
            "events",
            "",
            "%E9",
            "%FF",
            "us-east-1%3aabc",
            "%253A",
            "%3%3AA",
            "%",
        ]
    ),
    max_size=8,
).map(lambda segments: "/" + "/".join(segments))


@FAST_PATHS
@given(
    method=st.sampled_from(["GET", "POST", "DELETE", "put", "PATCH"]), path=ROUTE_PATHS
)
def test_routing_is_routing_route_by_route(method, path):
    # By segments, or (a trailing slash) by one pattern match.
    assert routing.match_route(method, path) == _match_route_in_turn(method, path)


def test_templates_that_segments_cannot_tell_apart_are_left_to_the_pattern():
    route = routing._routes_by_method()["GET"][0]
    greedy = ["", "identitypools", "{Path+}"]
    mixed = ["", "identitypools", "pool-{Id}"]
    assert routing._segments_of([(route, greedy)]) is None
    assert routing._segments_of([(route, mixed)]) is None
    literals_differ = [
        (route, ["", "identitypools", "{Id}", "records"]),
        (route, ["", "identitypools", "events", "{Id}"]),
    ]
    assert routing._segments_of(literals_differ) is None
    one_label = next(
        r for r in routing._routes_by_method()["GET"] if len(r.labels) == 1
    )
    fits = [(one_label, ["", "identitypools", "{Id}"])]
    assert routing._segments_of(fits) is not None


def _match_route_in_turn(method, path):
    """Routing the long way: each of the method's routes tried in turn,
    every label decoded by ``unquote``."""
    for route in routing._routes_by_method().get(method.upper(), ()):
        found = route.pattern.fullmatch(path)
        if found is not None:
            values = {
                label: unquote(raw, errors="surrogateescape")
                for label, raw in zip(route.labels, found.groups(), strict=True)
            }
            return route.operation, values
    return None


HEADER_NAMES = st.sampled_from(
    ["Content-Type", "content-type", "x-amzn-RequestId", "Content-Length", "X-A"]
)


@FAST_PATHS
@given(
    status=st.integers(100, 599),
    headers=st.dictionaries(HEADER_NAMES, st.text(max_size=5), max_size=4),
    body=st.binary(max_size=20),
)
def test_a_response_filled_in_is_the_one_botocore_constructs(status, headers, body):
    url = "https://cognito-sync.us-east-1.amazonaws.com/identitypools"
    answer = HttpResponse(status, headers, body)
    built = botocore_response.filled_in(url, answer)
    expected = botocore_response.by_constructor(url, answer)
    assert vars(built).keys() == vars(expected).keys()
    assert (built.url, built.status_code) == (expected.url, expected.status_code)
    assert list(built.headers.items()) == list(expected.headers.items())
    for name in ("content-type", "CONTENT-LENGTH", "x-amzn-requestid", "x-b"):
        assert built.headers.get(name) == expected.headers.get(name)
        assert (name in built.headers) == (name in expected.headers)
    assert list(built.headers) == list(expected.headers)
    assert dict(built.headers.copy()) == dict(expected.headers.copy())
    assert repr(built.headers) == repr(expected.headers)
    assert {hash(k) for k in vars(built.headers)["_dict"]} == {
        hash(k) for k in vars(expected.headers)["_dict"]
    }
    assert built.content == expected.content == body
    # botocore has read the body: the raw stream is spent, as urllib3's is
    assert built.raw.read() == b"" and list(built.raw.stream()) == []


def test_responses_are_filled_in_on_this_botocore():
    assert botocore_response.choose() is botocore_response.filled_in


def test_responses_are_constructed_where_filling_in_differs(monkeypatch):
    constructor = AWSResponse.__init__

    def with_more(self, *args):
        constructor(self, *args)
        self.elapsed = 0  # a field a later botocore might add

    monkeypatch.setattr(AWSResponse, "__init__", with_more)
    assert botocore_response.choose() is botocore_response.by_constructor


def test_botocores_headers_are_copied_by_lower_case_name():
    # Were botocore's mapping to change, the copy would quietly give way to
    # the mapping itself: correct, but slower. This says when that happens.
    headers = HeadersDict({"Authorization": b"AWS4", "X-Amz-Date": "20240101T000000Z"})
    copied = botocore_hook._by_lower_name(headers)
    assert type(copied) is dict
    assert copied == {"authorization": b"AWS4", "x-amz-date": "20240101T000000Z"}


def outcome(parse: Any, text: str) -> tuple[str, str]:
    try:
        return "parsed", repr(parse(text))
    except (ValueError, RecursionError) as error:
        return type(error).__name__, str(error)


@FAST_PATHS
@given(
    text=st.one_of(
        JSON_VALUES.map(json.dumps),
        st.tuples(
            st.sampled_from(["", " ", "\ufeff", "\n"]), JSON_VALUES.map(json.dumps)
        )
        .map("".join)
        .map(lambda t: t + " "),
        st.text(alphabet='{}[]":,0123456789.eE-+ truefalsn\\', max_size=20),
    )
)
def test_parsing_json_straight_from_the_scanner_is_json_loads(text):
    assert outcome(decoding._parse_json, text) == outcome(json.loads, text)


# -- session tokens and encoding ------------------------------------------------


#: identity ids and dataset names (lone surrogates included: hash takes them)
ANY_NAME = st.text(max_size=8)
NOW = dt.datetime(2024, 5, 1, tzinfo=dt.timezone.utc)


@FAST_PATHS
@given(
    identities=st.lists(ANY_NAME, min_size=2, max_size=2, unique=True),
    datasets=st.lists(ANY_NAME, min_size=2, max_size=2, unique=True),
    position=st.integers(min_value=0),
    replacement=st.characters(),
)
def test_session_tokens_verify_for_their_own_inputs_only(
    identities, datasets, position, replacement
):
    # The MAC is Python's keyed hash, not a cryptographic MAC: what it must
    # still do is refuse every token it did not issue for these inputs.
    pool = state.IdentityPool("us-east-1:p", "123456789012", "us-east-1")
    other = state.IdentityPool("us-east-1:p", "123456789012", "us-east-1")
    identity, dataset = identities[0], datasets[0]
    token = tokens.issue_session(pool, identity, dataset, NOW)
    assert tokens.require_session(pool, identity, dataset, token, NOW) == 1
    refused = [
        (other, identity, dataset, token),
        (pool, identities[1], dataset, token),
        (pool, identity, datasets[1], token),
    ]
    index = position % len(token)
    if token[index] != replacement:
        changed = token[:index] + replacement + token[index + 1 :]
        refused.append((pool, identity, dataset, changed))
    refused.append((pool, identity, dataset, token + "0"))
    refused.append((pool, identity, dataset, token[:-1]))
    for owner, identity_id, name, text in refused:
        try:
            tokens.require_session(owner, identity_id, name, text, NOW)
        except ServiceError as error:
            assert error.message == "SyncSessionToken not valid for these inputs"
        else:
            raise AssertionError(f"{text!r} verified for {identity_id!r}, {name!r}")


@FAST_PATHS
@given(moment=st.datetimes(timezones=st.just(dt.timezone.utc)))
def test_session_tokens_count_whole_milliseconds_since_the_epoch(moment):
    # Counted another way: the calendar's whole seconds, then the moment's
    # own microseconds (always from 0 to 999,999, before the epoch too).
    seconds = calendar.timegm(moment.utctimetuple())
    assert tokens._millis(moment) == seconds * 1000 + moment.microsecond // 1000


MOMENTS = st.datetimes(
    min_value=dt.datetime(1970, 1, 1),
    max_value=dt.datetime(9800, 1, 1),
    timezones=st.just(dt.timezone.utc),
)
#: any text, lone surrogates included
ANY_TEXT = st.text(st.characters(exclude_categories=()), max_size=6)


def values_of(shape: Any) -> st.SearchStrategy[Any]:
    """Values a handler may return for ``shape``: structures as dicts with
    any member missing or None, or as tuples of their members in model
    order (as records are stored)."""
    kind = shape.type_name
    if kind == "string":
        return ANY_TEXT
    if kind in ("integer", "long"):
        return st.integers(-(2**63), 2**63 - 1)
    if kind == "boolean":
        return st.booleans()
    if kind == "timestamp":
        return MOMENTS
    if kind == "list":
        return st.lists(values_of(shape.member), max_size=3)
    if kind == "map":
        return st.dictionaries(ANY_TEXT, values_of(shape.value), max_size=3)
    assert kind == "structure", kind
    members = {name: st.none() | values_of(m) for name, m in shape.members.items()}
    as_dict = st.fixed_dictionaries({}, optional=members)
    return as_dict | st.tuples(*members.values()) if members else as_dict


def exact_epoch_seconds(moment: dt.datetime) -> float:
    """Epoch seconds to the millisecond, rounded half to even, by exact
    arithmetic on the moment's microseconds."""
    micros = (moment - dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)) // (
        dt.timedelta(microseconds=1)
    )
    return round(Fraction(micros, 1000)) / 1000


ANY_MOMENTS = st.datetimes(
    # naive ones, local time, kept a year from datetime's ends in any zone
    dt.datetime(2, 1, 1),
    dt.datetime(9998, 1, 1),
    timezones=st.none() | st.just(dt.timezone.utc),
) | st.sampled_from(
    [
        dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc),
        dt.datetime(1969, 12, 31, 23, 59, 59, 999_500, tzinfo=dt.timezone.utc),
        dt.datetime(2024, 5, 1, 12, 0, 0, 1_500, tzinfo=dt.timezone.utc),
        dt.datetime(2024, 5, 1, 12, 0, 0, 2_500, tzinfo=dt.timezone.utc),
        dt.datetime(2024, 5, 1, 12, 0, 0, 999_999, tzinfo=dt.timezone.utc),
        dt.datetime.max.replace(tzinfo=dt.timezone.utc),
        dt.datetime.min.replace(tzinfo=dt.timezone.utc),
    ]
)


@FAST_PATHS
@given(moment=ANY_MOMENTS)
def test_epoch_seconds_are_exact_and_written_as_repr_writes_them(moment):
    as_utc = moment.astimezone(dt.timezone.utc) if moment.tzinfo is None else moment
    seconds = encoding.epoch_seconds(moment)
    assert seconds == exact_epoch_seconds(as_utc)
    assert encoding.epoch_seconds_text(moment) == repr(seconds)
    # The float way, where floats hold the moment to well under a
    # microsecond and it is not halfway between two milliseconds.
    if abs(seconds) < 2**31 and as_utc.microsecond % 1000 != 500:
        assert seconds == round(as_utc.timestamp(), 3)


class _NoOffset(dt.tzinfo):
    """A zone that knows no offset: its moments are naive in all but name."""

    def utcoffset(self, moment: dt.datetime | None) -> None:
        return None

    def dst(self, moment: dt.datetime | None) -> None:
        return None


@FAST_PATHS
@given(moment=st.datetimes(dt.datetime(2, 1, 1), dt.datetime(9998, 1, 1)))
def test_a_moment_whose_zone_has_no_offset_is_written_as_local_time(moment):
    # Subtracting an aware moment from it fails, as from a naive one; it is
    # taken as local time, as ``astimezone`` takes a naive one.
    nameless = moment.replace(tzinfo=_NoOffset())
    local = moment.astimezone(dt.timezone.utc)
    assert encoding.epoch_seconds_text(nameless) == repr(exact_epoch_seconds(local))


def written_the_long_way(shape: Any, value: Any) -> Any:
    """``value`` as the json module takes it: epoch seconds for timestamps,
    no member holding None, structures as dicts."""
    kind = shape.type_name
    if kind == "timestamp":
        return exact_epoch_seconds(value)
    if kind == "list":
        return [written_the_long_way(shape.member, item) for item in value]
    if kind == "map":
        return {k: written_the_long_way(shape.value, v) for k, v in value.items()}
    if kind == "structure":
        if isinstance(value, tuple):
            value = dict(zip(shape.members, value, strict=True))
        return {
            name: written_the_long_way(shape.members[name], item)
            for name, item in value.items()
            if item is not None
        }
    return value


OUTPUTS = [
    (name, shape)
    for name in service_model().operation_names
    if (shape := service_model().operation_model(name).output_shape) is not None
]


@FAST_PATHS
@given(data=st.data(), output=st.sampled_from(OUTPUTS))
def test_answers_are_written_as_json_dumps_writes_them(data, output):
    name, shape = output
    value = data.draw(values_of(shape).filter(lambda v: isinstance(v, dict)))
    _, write = encoding._success(name)
    expected = written_the_long_way(shape, value)
    assert write(value) == json.dumps(expected, separators=(",", ":"))


@FAST_PATHS
@given(message=ANY_TEXT, code=st.sampled_from(["ResourceNotFoundException", "X"]))
def test_error_bodies_are_written_as_json_dumps_writes_them(message, code):
    body = encoding.encode_error(ServiceError(code, message)).body
    assert body == json.dumps({"message": message}, separators=(",", ":")).encode()


def test_a_member_the_model_lacks_is_still_written():
    _, write = encoding._success("BulkPublish")
    value = {"IdentityPoolId": "p", "Extra": {"a": [1, None]}}
    assert write(value) == json.dumps(value, separators=(",", ":"))


def test_records_are_stored_in_the_models_member_order():
    # Answers write a stored record tuple member by member in this order.
    position = {
        "Key": state.KEY,
        "Value": state.VALUE,
        "SyncCount": state.SYNC_COUNT,
        "LastModifiedDate": state.LAST_MODIFIED,
        "LastModifiedBy": state.LAST_MODIFIED_BY,
        "DeviceLastModifiedDate": state.DEVICE_LAST_MODIFIED,
    }
    members = service_model().shape_for("Record").members
    assert [position[name] for name in members] == list(range(len(position)))


SOME_TEXT = st.text(max_size=3)
BODY_MEMBERS = st.fixed_dictionaries(
    {},
    optional={
        "SyncSessionToken": SOME_TEXT | st.integers(),
        "DeviceId": SOME_TEXT,
        "RecordPatches": st.lists(
            st.fixed_dictionaries(
                {},
                optional={
                    "Op": st.sampled_from(["replace", "remove", "x"]),
                    "Key": SOME_TEXT,
                    "Value": SOME_TEXT,
                    "SyncCount": st.integers(-2, 3),
                },
            ),
            max_size=3,
        )
        | JSON_VALUES,
        "Platform": st.sampled_from(["GCM", "APNS", "X"]),
        "Token": SOME_TEXT,
        "Events": st.dictionaries(SOME_TEXT, SOME_TEXT, max_size=2),
        "CognitoStreams": st.fixed_dictionaries({"StreamName": SOME_TEXT}),
    },
)
POOL_PATH = "/identitypools/us-east-1%3A0f6ef0a3-0b3e-4c4e-8a55-2bd0c5b5ad6e"
BODY_REQUESTS = [
    ("POST", f"{POOL_PATH}/identities/us-east-1%3Aabc/datasets/settings"),
    ("POST", f"{POOL_PATH}/identity/us-east-1%3Aabc/device"),
    ("POST", f"{POOL_PATH}/events"),
    ("POST", f"{POOL_PATH}/configuration"),
    ("POST", "/identitypools/bad%20pool/identities/x/datasets/d%20d"),
]


@FAST_PATHS
@given(
    line=st.sampled_from(BODY_REQUESTS),
    body=BODY_MEMBERS.map(lambda d: json.dumps(d).encode()) | st.binary(max_size=12),
    client_context=st.none() | st.binary(max_size=6),
)
def test_decoding_after_the_line_is_decoding_it_all(line, body, client_context):
    method, path = line
    headers = {} if client_context is None else {"x-amz-client-context": client_context}
    request = HttpRequest(
        method, f"https://cognito-sync.us-east-1.amazonaws.com{path}", headers, body
    )
    decoded = decoding.decode_request(request)
    request_line = decoding._request_line(request.method, request.url)
    params, problem = decoding._decode_params(
        request_line.operation,
        request_line.labels,
        request_line.query,
        body,
        decoding._header_values(request, request_line.header_bound),
    )
    assert list(decoded.params.items()) == list(params.items())
    assert getattr(decoded.problem, "message", None) == getattr(
        problem, "message", None
    )


def test_body_requests_decode_only_their_body_and_headers_after_the_line():
    for operation in ("UpdateRecords", "RegisterDevice", "SetCognitoEvents"):
        assert decoding._binding(operation).decode_rest is not None


BIG_TEXT = st.builds(
    lambda character, count: character * count,
    st.sampled_from(["a", "\u00e9", "\U0001f600"]),
    st.sampled_from([0, 1, 250_000, 262_144, 349_525, 524_288]) | st.integers(0, 10**6),
)
QUOTA_KEYS = st.sampled_from(["k1", "k2", "k3", "\U0001f600" * 1024])


@settings(max_examples=200, deadline=None)
@example(existing={}, fillers=1021, changes=[("k1", ""), ("k2", ""), ("k3", "")])
@example(existing={}, fillers=1022, changes=[("k1", ""), ("k2", ""), ("k3", "")])
@example(existing={}, fillers=0, changes=[("k1", "\U0001f600" * 349_525)])
@example(existing={}, fillers=0, changes=[("k1", "\U0001f600" * 262_143)])
@given(
    existing=st.dictionaries(QUOTA_KEYS, st.none() | BIG_TEXT, max_size=4),
    fillers=st.sampled_from([0, 1019, 1020, 1021, 1022, 1023, 1024])
    | st.integers(0, 1024),
    changes=st.lists(
        st.tuples(QUOTA_KEYS, st.none() | BIG_TEXT),
        max_size=4,
        unique_by=lambda c: c[0],
    ),
)
def test_the_quota_check_refuses_what_sizing_every_record_refuses(
    existing, fillers, changes
):
    now = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
    dataset = state.Dataset("i", "d", now, now, "by")
    dataset.seed({**existing, **{f"f{n}": "" for n in range(fillers)}}, now, "by")
    planned = [patches.Change(key, value) for key, value in changes]
    records, size = dataset.num_records, dataset.data_storage
    for key, value in changes:
        old = dataset.records.get(key)
        old_value = None if old is None else old[state.VALUE]
        records += (value is not None) - (old_value is not None)
        size += state.value_bytes(key, value) - state.value_bytes(key, old_value)
    refused = records > limits.MAX_RECORDS_PER_DATASET or (
        size > limits.MAX_DATASET_BYTES
    )
    message = refusal(limits.check_dataset, dataset, "d", planned)
    assert (message is not None) == refused, (records, size, message)


def test_an_empty_value_still_counts_its_key_against_the_quota():
    now = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
    dataset = state.Dataset("i", "d", now, now, "by")
    dataset.seed({"v": "a" * (limits.MAX_DATASET_BYTES - 10)}, now, "by")
    key = "\U0001f600" * 1024  # 4,096 bytes of UTF-8
    message = refusal(limits.check_dataset, dataset, "d", [patches.Change(key, "")])
    assert message is not None and "bytes" in message
