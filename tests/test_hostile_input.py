"""Text that is not Unicode, and JSON nested beyond reason, in any member of
any operation: a modeled 400 that names the parameter, never an exception
out of the fake."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote, urlencode

import botocore.session
import pytest
import requests
from botocore.exceptions import ClientError
from botocore.serialize import create_serializer
from botocore.utils import ArgumentGenerator
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from requests_aws4auth import AWS4Auth

MODEL = botocore.session.get_session().get_service_model("cognito-sync")
SIGNER = AWS4Auth("AKIAEXAMPLEKEY000000", "s", "us-east-1", "cognito-sync")
ENDPOINT = "https://cognito-sync.us-east-1.amazonaws.com"
POOL = "us-east-1:0123abcd"
#: what os.fsdecode makes of the non-UTF-8 file name b"r\xe9sum\xe9"
LONE_SURROGATES = "r\udce9sum\udce9"
PLACEHOLDER = "PLACEHOLDERXYZ"


def string_members(shape: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple]:
    """Every place a string can sit in ``shape``: a tuple of member names,
    ``0`` for a list's first item and ``"<key>"``/``"<value>"`` in maps."""
    kind = shape.type_name
    if kind == "string":
        yield path
    elif kind == "structure":
        for name, member in shape.members.items():
            yield from string_members(member, (*path, name))
    elif kind == "list":
        yield from string_members(shape.member, (*path, 0))
    elif kind == "map":
        yield from string_members(shape.key, (*path, "<key>"))
        yield from string_members(shape.value, (*path, "<value>"))


def wire_path(path: tuple[Any, ...]) -> str:
    """The parameter as the error message names it."""
    parts: list[str] = []
    for step in path:
        if step == 0:
            parts.append("1.member")
        elif step == "<key>":
            parts.append("key")
        elif step == "<value>":
            parts.append(PLACEHOLDER)
        else:
            parts.append(step[:1].lower() + step[1:])
    return ".".join(parts)


def params_with(operation: str, path: tuple[Any, ...], text: str) -> dict[str, Any]:
    """Every member filled (botocore's own skeleton), ``text`` at ``path``,
    all of a length botocore's own validation lets through."""
    shape = MODEL.operation_model(operation).input_shape
    params = ArgumentGenerator(use_member_names=True).generate_skeleton(shape)
    params = _lengthen(params, shape)
    if "IdentityPoolId" in params:
        params["IdentityPoolId"] = POOL
    return _put(params, shape, path, text)


def _lengthen(value: Any, shape: Any) -> Any:
    kind = shape.type_name
    if kind == "string":
        return value.ljust(shape.metadata.get("min", 0), "x")
    if kind == "structure":
        return {k: _lengthen(v, shape.members[k]) for k, v in value.items()}
    if kind == "list":
        return [_lengthen(item, shape.member) for item in value]
    if kind == "map":
        return {k: _lengthen(v, shape.value) for k, v in value.items()}
    return value


def _put(value: Any, shape: Any, path: tuple[Any, ...], text: str) -> Any:
    if not path:
        return text.ljust(shape.metadata.get("min", 0), "x")
    step, rest = path[0], path[1:]
    if step == 0:
        return [_put(value[0], shape.member, rest, text)]
    if step == "<key>":
        return {text: next(iter(value.values()))}
    if step == "<value>":
        return {PLACEHOLDER: _put(next(iter(value.values())), shape.value, rest, text)}
    return {**value, step: _put(value[step], shape.members[step], rest, text)}


def location(operation: str, path: tuple[Any, ...]) -> str | None:
    member = MODEL.operation_model(operation).input_shape.members[path[0]]
    return member.serialization.get("location")


CASES = [
    pytest.param(name, path, id=f"{name}.{wire_path(path)}")
    for name in MODEL.operation_names
    if MODEL.operation_model(name).input_shape is not None
    for path in string_members(MODEL.operation_model(name).input_shape)
]


@pytest.fixture
def known_pool(cognito_sync_mock: Any) -> str:
    return cognito_sync_mock.create_identity_pool(POOL)


def assert_refused_by_name(status: int, code: str, message: str, path: tuple) -> None:
    assert (status, code) == (400, "InvalidParameterException"), message
    named = wire_path(path)
    assert f"at '{named}' failed to satisfy constraint: Member must be valid " in (
        message
    ), message
    assert message.isascii()  # the surrogates are shown escaped


@pytest.mark.parametrize(("operation", "path"), CASES)
def test_lone_surrogates_in_any_string_member_are_an_invalid_parameter(
    known_pool, make_client, operation, path
):
    params = params_with(operation, path, LONE_SURROGATES)
    if location(operation, path) is None:
        # A body member: JSON carries it as a \udce9 escape, and a plain
        # boto3 call sends it.
        with pytest.raises(ClientError) as caught:
            getattr(make_client(), botocore.xform_name(operation))(**params)
        response = caught.value.response
        assert_refused_by_name(
            response["ResponseMetadata"]["HTTPStatusCode"],
            response["Error"]["Code"],
            response["Error"]["Message"],
            path,
        )
        return
    # Path, query string and headers: botocore refuses to encode lone
    # surrogates before sending, so send what other clients would, the
    # bytes that are not UTF-8 (percent-encoded in the URL).
    request = serialize(operation, params_with(operation, path, PLACEHOLDER))
    raw = LONE_SURROGATES.encode("utf-8", "surrogateescape")
    url = ENDPOINT + request["url_path"]
    if request["query_string"]:
        url += "?" + urlencode(request["query_string"])
    url = url.replace(PLACEHOLDER, quote(raw, safe=""))
    prepared = requests.Request(
        request["method"],
        url,
        headers=request["headers"],
        data=request["body"],
        auth=SIGNER,
    ).prepare()
    # Header bytes go in after signing (the signers take text only).
    for name, value in prepared.headers.items():
        if PLACEHOLDER in value:
            prepared.headers[name] = value.encode().replace(PLACEHOLDER.encode(), raw)
    response = requests.Session().send(prepared, timeout=5)
    assert_refused_by_name(
        response.status_code,
        response.headers["x-amzn-ErrorType"].split(":")[0],
        response.json()["message"],
        path,
    )


def serialize(operation: str, params: dict[str, Any]) -> dict[str, Any]:
    serializer = create_serializer("rest-json", include_validation=False)
    return serializer.serialize_to_request(params, MODEL.operation_model(operation))


def test_the_cases_cover_every_location():
    where = {location(operation, path) for operation, path in (c.values for c in CASES)}
    assert where == {None, "uri", "querystring", "header"}


# -- nesting -------------------------------------------------------------------

DEPTHS = st.integers(min_value=1, max_value=200_000)
BODY_MEMBERS = st.sampled_from(
    ["Events", "CognitoStreams", "PushSync", "RecordPatches", "Platform", "Token"]
)
HOSTILE = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


def nested(depth: int, opening: str) -> str:
    closing = "]" if opening == "[" else "}"
    inner = '{"a":' if opening == "{" else "["
    return inner * depth + "1" + closing * depth


@HOSTILE
@given(
    depth=DEPTHS,
    opening=st.sampled_from("[{"),
    member=st.none() | BODY_MEMBERS,
    operation_path=st.sampled_from(
        [
            ("POST", f"/identitypools/{POOL}/events"),
            ("POST", f"/identitypools/{POOL}/configuration"),
            (
                "POST",
                f"/identitypools/{POOL}/identities/us-east-1:abc/datasets/d",
            ),
            (
                "POST",
                f"/identitypools/{POOL}/identity/us-east-1:abc/device",
            ),
        ]
    ),
)
def test_json_nested_to_any_depth_is_a_modeled_client_error(
    known_pool, depth, opening, member, operation_path
):
    method, path = operation_path
    value = nested(depth, opening)
    body = value if member is None else f'{{"{member}":{value}}}'
    response = requests.request(
        method, ENDPOINT + path, data=body, auth=SIGNER, timeout=5
    )
    assert response.status_code < 500, response.text
    if response.status_code >= 400 or depth > 1000:
        # Nesting no member of the model has is never accepted.
        assert response.status_code == 400, response.text
        code = response.headers["x-amzn-ErrorType"].split(":")[0]
        assert code == "InvalidParameterException", response.text


@pytest.mark.parametrize("depth", [1000, 500_000])
def test_json_nested_past_the_limit_names_the_depth(known_pool, depth):
    # The brackets inside strings do not count.
    strings = json.dumps({"Events": {"SyncTrigger": "[{" * 2000}})[:-1]
    body = strings + ',"x":' + nested(depth, "[") + "}"
    response = requests.post(
        f"{ENDPOINT}/identitypools/{POOL}/events", data=body, auth=SIGNER
    )
    assert response.status_code == 400
    assert response.json()["message"] == (
        f"Request body is not valid JSON: nested {depth + 1} levels deep; "
        "at most 1000 are allowed"
    )


def test_brackets_inside_strings_do_not_count_as_nesting(known_pool):
    value = '\\"[' * 1500  # escaped quotes and backslashes inside
    body = json.dumps({"Events": {"SyncTrigger": value}})
    response = requests.post(
        f"{ENDPOINT}/identitypools/{POOL}/events", data=body, auth=SIGNER
    )
    # Parsed, and refused for the value, not for the nesting.
    assert response.status_code == 400
    assert "not valid JSON" not in response.json()["message"]
    assert "function ARN" in response.json()["message"]


def test_a_deeply_nested_value_where_a_string_belongs_is_named(known_pool):
    # Parsed, but deeper than str() could show: the message still renders.
    value = json.loads(nested(900, "["))
    body = json.dumps({"Events": {"SyncTrigger": value}})
    response = requests.post(
        f"{ENDPOINT}/identitypools/{POOL}/events", data=body, auth=SIGNER
    )
    assert response.status_code == 400
    assert "at 'events.SyncTrigger'" in response.json()["message"]
