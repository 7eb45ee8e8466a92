"""Each shortcut of request decoding against the long way it replaces: URLs
taken apart, new request lines decoded, labels unescaped, signers read and
required members checked must agree on every input, not only on the ones a
benchmark sends."""

from __future__ import annotations

import dataclasses
import json
import sys
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

import requests
from hypothesis import example, given, settings
from hypothesis import strategies as st
from requests_aws4auth import AWS4Auth

from pytest_cognito_sync._model import service_model
from pytest_cognito_sync.errors import ServiceError
from pytest_cognito_sync.protocol import HttpRequest, decoding, routing
from pytest_cognito_sync.protocol.shapes import compile_decoder

FAST_PATHS = settings(max_examples=300, deadline=None)

# -- URLs ----------------------------------------------------------------------

HOSTS = st.sampled_from(
    [
        "cognito-sync.us-east-1.amazonaws.com",
        "Cognito-Sync.EU-West-1.AmazonAWS.com",
        "cognito-sync-fips.us-gov-west-1.api.aws",
        "cognito-sync.x.y",
        "localhost",
        "LOCALHOST",
        "127.0.0.1",
        "",
        "[::1]",
        "u@h",
        "u:p@cognito-sync.us-east-1.amazonaws.com",
        "h\u00e9",
        "h_1",
        "a.b?c",
    ]
)
PORTS = st.sampled_from(["", ":", ":4566", ":80x", "::1", ":-1"])
URL_PIECES = st.sampled_from(
    ["/", "?", "#", "&", "=", ":", "@", "%3A", "a", "A", ".", " ", "\t", "\n", "\r"]
    + ["é", "X-Amz-Credential", "identitypools", "[", "]"]
)


@FAST_PATHS
@example(url="https://cognito-sync.us-east-1.amazonaws.com/identitypools?a=1")
@example(url="http://h:80?q/x")
@example(url="https://h/p#f?x")
@example(url="https:///identitypools")
@example(url="https?x=1")
@example(url="http:/h/p")
@given(
    url=st.builds(
        lambda scheme, host, port, rest: scheme + host + port + rest,
        # the URLs clients send, then anything else
        st.sampled_from(["https://", "http://"])
        | st.sampled_from(["HTTPS://", " http://", "ftp://", "https:/", ""]),
        st.sampled_from(["cognito-sync.us-east-1.amazonaws.com", "localhost"]) | HOSTS,
        st.sampled_from(["", ":4566"]) | PORTS,
        st.lists(URL_PIECES, max_size=12).map("".join),
    )
)
def test_a_url_is_taken_apart_as_urlsplit_takes_it(url):
    _is_taken_apart_as_urlsplit_takes_it(url)


@FAST_PATHS
@example(scheme="https://", rest="/a\tb?c\rd\ne")
@given(
    scheme=st.sampled_from(["https://", "http://"]),
    rest=st.lists(URL_PIECES, max_size=12).map("".join),
)
def test_a_client_url_with_any_path_and_query_is_taken_apart_as_urlsplit_takes_it(
    scheme, rest
):
    _is_taken_apart_as_urlsplit_takes_it(
        f"{scheme}cognito-sync.us-east-1.amazonaws.com{rest}"
    )


def _is_taken_apart_as_urlsplit_takes_it(url: str) -> None:
    try:
        parts = urlsplit(url)
        hostname = parts.hostname
    except ValueError:  # a host urlsplit refuses to read
        return
    path, query, (host, region) = decoding._url_parts(url)
    assert (path, query, host) == (parts.path, parts.query, hostname)
    assert region == decoding._region_from_host(hostname)
    assert decoding.split_url(url) == (parts.path, parts.query, hostname)


# -- request lines met for the first time ----------------------------------------

POOL = "us-east-1%3A0f6ef0a3-0b3e-4c4e-8a55-2bd0c5b5ad6e"
LABELS = st.sampled_from([POOL, "us-east-1%3Aabc", "d", "", "bad%20x", "%FF", "a:b"])
TEMPLATES = sorted(
    {
        service_model().operation_model(name).http["requestUri"].split("?")[0]
        for name in service_model().operation_names
    }
)
QUERIES = st.lists(
    st.tuples(
        st.sampled_from(
            ["maxResults", "nextToken", "lastSyncCount", "syncSessionToken", "x"]
        ),
        st.sampled_from(["", "5", "-1", "abc", "%FF", "99999999999", "a+b"]),
    ),
    max_size=3,
).map(lambda pairs: "&".join(f"{name}={value}" for name, value in pairs))


def _filled_in(template: str, labels: list[str]) -> str:
    pieces = template.split("{")
    filled = pieces[0]
    for number, piece in enumerate(pieces[1:]):
        filled += labels[number % len(labels)] + piece.split("}", 1)[1]
    return filled


@FAST_PATHS
@given(
    method=st.sampled_from(["GET", "POST", "DELETE", "get"]),
    template=st.sampled_from(TEMPLATES),
    labels=st.lists(LABELS, min_size=1, max_size=4),
    query=QUERIES,
)
def test_a_new_request_line_is_decoded_as_a_request_without_body_or_headers(
    method, template, labels, query
):
    path = _filled_in(template, labels)
    url = f"https://cognito-sync.us-east-1.amazonaws.com{path}?{query}"
    decoding._request_line.cache_clear()
    line = decoding._request_line(method, url)
    if line.operation is None:
        assert routing.match_route(method, path) is None
        return
    binding = decoding._binding(line.operation)
    no_headers = (None,) * len(binding.header)
    params, problem = decoding._decode_params(
        line.operation, line.labels, query, b"", no_headers
    )
    assert list(line.params.items()) == list(params.items())
    assert getattr(line.problem, "message", None) == getattr(problem, "message", None)
    # The body and headers alone are decoded later only where the line's
    # own members are valid.
    own = {name: line.labels[wire] for name, wire in binding.uri}
    values = dict(parse_qsl(query, keep_blank_values=True, errors="surrogateescape"))
    own.update({n: values[w] for n, w in binding.query if w in values})
    if binding.decode_line is None:
        assert line.decode_rest is None
    else:
        own_valid = decoding._valid(binding.decode_line, own)
        assert (line.decode_rest is not None) == own_valid
        assert own_valid or problem is not None


def test_labels_are_taken_as_they_are_only_where_named_as_their_members():
    for name in service_model().operation_names:
        binding = decoding._binding(name)
        assert binding.labels_are_members == all(n == w for n, w in binding.uri)
    binding = decoding._binding("BulkPublish")
    labels = {"IdentityPoolId": "p"}
    assert decoding._line_members(binding, labels, "") is labels
    renamed = dataclasses.replace(
        binding, uri=(("IdentityPoolId", "Pool"),), labels_are_members=False
    )
    assert decoding._line_members(renamed, {"Pool": "p"}, "") == {"IdentityPoolId": "p"}


# -- labels -------------------------------------------------------------------------


@FAST_PATHS
@example(raw="%3%3AA")
@example(raw="%3a%3A")
@example(raw="%253A")
@given(
    raw=st.lists(
        st.sampled_from(["%", "3", "A", "a", "%3A", "%3a", "%E9", "%FF", ":", "x"]),
        max_size=8,
    ).map("".join)
)
def test_a_label_is_unescaped_as_unquote_unescapes_it(raw):
    assert routing._decoded_label(raw) == unquote(raw, errors="surrogateescape")


# -- who signed -----------------------------------------------------------------------


def _caller_the_long_way(request: HttpRequest, host_region: str | None) -> Any:
    """The signer named by the Authorization header, else by a presigned
    URL's X-Amz-Credential, its region else the host's."""
    scope = None
    authorization = request.headers.get("authorization")
    if authorization:
        text = decoding._text(authorization).split(",", 1)[0]
        start = text.find("Credential=")
        if start >= 0:
            scope = text[start + 11 :].strip()
    if scope is None:
        query = urlsplit(request.url).query
        if "X-Amz-Credential" in query:
            scope = dict(parse_qsl(query)).get("X-Amz-Credential")
    if scope is None:
        return decoding.Caller(None, host_region)
    parts = scope.split("/")
    region = (parts[2] if len(parts) >= 5 else None) or host_region
    return decoding.Caller(parts[0] or None, region)


SCOPES = st.sampled_from(
    [
        "AKID/20240101/eu-west-1/cognito-sync/aws4_request",
        "AKID/20240101//cognito-sync/aws4_request",
        "/20240101/eu-west-1/cognito-sync/aws4_request",
        "AKID/20240101",
        "",
    ]
)


@FAST_PATHS
@given(
    authorization=st.none()
    | st.builds(
        lambda prefix, scope, rest: f"{prefix}{scope}{rest}",
        st.sampled_from(
            ["AWS4-HMAC-SHA256 Credential=", "Credential= ", "Bearer ", ""]
        ),
        SCOPES,
        st.sampled_from(["", ", SignedHeaders=host, Signature=ab", ",", " ,x"]),
    ),
    as_bytes=st.booleans(),
    presigned=st.none() | SCOPES,
    host=st.sampled_from(["cognito-sync.us-west-2.amazonaws.com", "localhost:1"]),
)
def test_the_caller_is_read_as_the_long_way_reads_it(
    authorization, as_bytes, presigned, host
):
    headers: dict[str, Any] = {}
    if authorization is not None:
        headers["authorization"] = authorization.encode() if as_bytes else authorization
    query = "" if presigned is None else f"?X-Amz-Credential={presigned}&a=b"
    url = f"https://{host}/identitypools{query}"
    request = HttpRequest("GET", url, headers, b"")
    host_region = decoding._url_parts(url)[2][1]
    decoded = decoding.decode_request(request)
    assert decoded.caller == _caller_the_long_way(request, host_region)


# -- required members ----------------------------------------------------------------


def _missing_the_long_way(shape: Any, value: dict[str, Any], path: str) -> list[str]:
    prefix = f"{path}." if path else ""
    return [
        f"Value null at '{prefix}{name[:1].lower() + name[1:]}' failed to satisfy "
        "constraint: Member must not be null"
        for name in shape.required_members
        if value.get(name) is None
    ]


STRUCTURES = [
    shape
    for name in service_model().operation_names
    if (shape := service_model().operation_model(name).input_shape) is not None
] + [service_model().shape_for("RecordPatch")]


@FAST_PATHS
@given(
    data=st.data(),
    shape=st.sampled_from(STRUCTURES),
    path=st.sampled_from(["", "recordPatches.1.member"]),
)
def test_every_missing_required_member_is_named_in_model_order(data, shape, path):
    names = data.draw(st.lists(st.sampled_from(sorted(shape.members)), unique=True))
    value = {name: data.draw(st.sampled_from([None, object()])) for name in names}
    errors: list[str] = []
    compile_decoder(shape)(value, path, errors)
    missing = [error for error in errors if error.startswith("Value null")]
    assert missing == _missing_the_long_way(shape, value, path)


# -- body depth -----------------------------------------------------------------------


@FAST_PATHS
@example(depth=1000, padding=0)
@example(depth=999, padding=0)
@example(depth=499, padding=0)
@given(
    depth=st.sampled_from([0, 498, 499, 500, 998, 999, 1000, 1001])
    | st.integers(0, 1100),
    padding=st.sampled_from([0, 900, 2000]) | st.integers(0, 1000),
)
def test_a_parsed_body_is_refused_by_its_depth_whatever_its_length(depth, padding):
    # Only bodies longer than the limit are walked: a shorter one cannot
    # nest past it.
    body = (
        '{"DeviceId":"'
        + "x" * padding
        + '","RecordPatches":'
        + "[" * depth
        + "0"
        + "]" * depth
        + "}"
    ).encode()
    binding = decoding._binding("UpdateRecords")
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 5000))  # for the parser, not the check
    try:
        decoding._gather_body(binding, body)
        refused = None
    except ServiceError as error:
        refused = error.message
    finally:
        sys.setrecursionlimit(limit)
    nesting = depth + 1
    if nesting > decoding.MAX_NESTING:
        assert refused is not None and f"nested {nesting} levels" in refused
    else:
        assert refused is None


# -- bodies: a document of body members alone is taken as it is ------------------

WRITE_OPERATIONS = [
    name for name in service_model().operation_names if decoding._binding(name).body
]
BODY_KEYS = st.sampled_from(
    # body members, members the model binds to the URI or a header, others
    ["DeviceId", "RecordPatches", "SyncSessionToken", "ClientContext"]
    + ["IdentityPoolId", "IdentityId", "DatasetName", "Events", "PushSync"]
    + ["CognitoStreams", "Platform", "Token", "Unmodeled", "deviceId", ""]
)


@FAST_PATHS
@given(
    operation=st.sampled_from(WRITE_OPERATIONS),
    document=st.dictionaries(BODY_KEYS, st.integers(0, 3) | st.text(max_size=3)),
)
def test_a_body_gives_its_body_members_alone(operation, document):
    binding = decoding._binding(operation)
    expected = {name: document[name] for name in binding.body if name in document}
    gathered = decoding._gather_body(binding, json.dumps(document).encode())
    assert gathered == expected


def test_a_body_key_named_as_a_header_or_uri_member_is_not_read(
    cognito_sync_mock, client, pool_id
):
    # Through the wire: the pool, identity and context come from the URL
    # and the headers, whatever the body says of them.
    identity = "us-east-1:6a1f0c2e-3b4d-4e5f-8a9b-0c1d2e3f4a5b"
    token = client.list_records(
        IdentityPoolId=pool_id, IdentityId=identity, DatasetName="settings"
    )["SyncSessionToken"]
    body = {
        "SyncSessionToken": token,
        "RecordPatches": [{"Op": "replace", "Key": "k", "Value": "v", "SyncCount": 0}],
        "ClientContext": "from the body",
        "IdentityPoolId": "us-east-1:00000000-0000-0000-0000-000000000000",
        "IdentityId": "not an id",
    }
    response = requests.post(
        "https://cognito-sync.us-east-1.amazonaws.com/identitypools/"
        f"{pool_id}/identities/{identity}/datasets/settings",
        data=json.dumps(body),
        auth=AWS4Auth("AKIAEXAMPLEKEY000000", "secret", "us-east-1", "cognito-sync"),
    )
    assert response.status_code == 200, response.text
    params = cognito_sync_mock.calls[-1].params
    assert "ClientContext" not in params
    assert (params["IdentityPoolId"], params["IdentityId"]) == (pool_id, identity)
