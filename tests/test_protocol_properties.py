"""Property tests of the wire protocol: whatever ids, paths, methods and
bodies arrive, the fake answers a modeled client error (or a success),
never a 500, an exception or a hang."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any
from urllib.parse import quote, urlencode

import boto3
import botocore.session
import pytest
import requests
from botocore.config import Config
from botocore.exceptions import ClientError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from requests_aws4auth import AWS4Auth

MODEL = botocore.session.get_session().get_service_model("cognito-sync")
ENDPOINT = "https://cognito-sync.us-east-1.amazonaws.com"
METHODS = ("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS")
KNOWN_POOL = "us-east-1:0123abcd"
STATUS_OF = {
    shape.name: shape.metadata["error"]["httpStatusCode"]
    for shape in MODEL.error_shapes
}

PROPERTIES = settings(
    max_examples=100,
    deadline=None,  # no timings in pass/fail tests
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)

# Any text botocore can encode (lone surrogates cannot be sent at all).
TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=70)
IDS = st.one_of(
    TEXT,
    st.sampled_from(
        [KNOWN_POOL, "us-east-1:abc", "", "..", "us-east-1:abc\n", "x" * 56, "a:0"]
    ),
)


def values(shape: Any) -> st.SearchStrategy[Any]:
    """Values of the right Python type for ``shape``, within no constraint."""
    kind = shape.type_name
    if kind == "structure":
        members = {name: values(member) for name, member in shape.members.items()}
        # botocore cannot build a URI without its labels, validation or not.
        labels = {
            name
            for name, member in shape.members.items()
            if member.serialization.get("location") == "uri"
        }
        return st.fixed_dictionaries(
            {name: members[name] for name in labels},
            optional={n: s for n, s in members.items() if n not in labels},
        )
    if kind == "list":
        return st.lists(values(shape.member), max_size=3)
    if kind == "map":
        return st.dictionaries(TEXT, values(shape.value), max_size=2)
    if kind == "string":
        return st.one_of(IDS, st.sampled_from(shape.enum)) if shape.enum else IDS
    if kind in ("integer", "long"):
        return st.integers(-(2**70), 2**70)
    if kind == "boolean":
        return st.booleans()
    if kind == "timestamp":
        return st.datetimes(
            min_value=dt.datetime(1970, 1, 2),
            max_value=dt.datetime(2200, 1, 1),
            timezones=st.just(dt.timezone.utc),
        )
    raise AssertionError(f"no strategy for {kind}")


OPERATION_CALLS = st.sampled_from(MODEL.operation_names).flatmap(
    lambda name: st.tuples(
        st.just(name),
        values(MODEL.operation_model(name).input_shape),
    )
)


@pytest.fixture
def known_pool(cognito_sync_mock: Any) -> str:
    cognito_sync_mock.create_identity_pool(KNOWN_POOL)
    cognito_sync_mock.configure_streams(KNOWN_POOL, "s")
    cognito_sync_mock.put_dataset(KNOWN_POOL, "us-east-1:abc", "d", {"k": "v"})
    return KNOWN_POOL


@pytest.fixture
def unvalidated(known_pool: str) -> Any:
    return boto3.client(
        "cognito-sync",
        region_name="us-east-1",
        config=Config(parameter_validation=False, retries={"total_max_attempts": 1}),
    )


@PROPERTIES
@given(call=OPERATION_CALLS)
def test_boto3_without_validation_gets_a_modeled_answer(
    cognito_sync_mock, unvalidated, call
):
    operation, params = call
    try:
        getattr(unvalidated, botocore.xform_name(operation))(**params)
    except ClientError as error:
        status = error.response["ResponseMetadata"]["HTTPStatusCode"]
        code = error.response["Error"]["Code"]
        assert 400 <= status < 500, error.response
        # A modeled error of the service, with its modeled status. (A pool
        # that does not exist is ResourceNotFound for every operation, even
        # the few whose model omits it; boto3 still raises the modeled class.)
        assert STATUS_OF[code] == status
        assert isinstance(error, getattr(unvalidated.exceptions, code))
        assert error.response["Error"]["Message"]
    # The fake decoded the operation boto3 called, whatever the values.
    assert cognito_sync_mock.calls[-1].operation == operation


@PROPERTIES
@given(pool_id=IDS, operation=st.sampled_from(["BulkPublish", "GetBulkPublishDetails"]))
def test_any_identity_pool_id_is_answered_found_missing_or_invalid(
    cognito_sync_mock, unvalidated, pool_id, operation
):
    try:
        answer = getattr(unvalidated, botocore.xform_name(operation))(
            IdentityPoolId=pool_id
        )
    except ClientError as error:
        assert error.response["Error"]["Code"] in {
            "InvalidParameterException",
            "ResourceNotFoundException",
            "DuplicateRequestException",
            "AlreadyStreamedException",
        }
    else:
        assert answer["IdentityPoolId"] == pool_id == KNOWN_POOL


# -- anything at all, through requests -----------------------------------------


def fill(template: str, labels: list[str]) -> str:
    values = iter(labels)
    return re.sub(r"\{[^}]+\}", lambda _: next(values), template.split("?", 1)[0])


SEGMENT = st.one_of(
    IDS.map(lambda text: quote(text, safe="")),
    st.text(st.sampled_from("abcdef0123456789%:-_.~ABZ"), max_size=12),
)
ROUTE_PATHS = st.sampled_from(
    [MODEL.operation_model(name).http["requestUri"] for name in MODEL.operation_names]
).flatmap(
    lambda template: st.lists(SEGMENT, min_size=5, max_size=5).map(
        lambda labels: fill(template, labels)
    )
)
ANY_PATHS = st.lists(SEGMENT, max_size=6).map(lambda parts: "/" + "/".join(parts))
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | TEXT,
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(TEXT, children, max_size=3)
    ),
    max_leaves=8,
)
# JSON text carries lone surrogates as \udXXX escapes, which boto3 sends too.
ANY_TEXT = st.text(max_size=20)
DEEP_JSON = st.tuples(
    st.integers(min_value=1, max_value=100_000), st.sampled_from(["[", '{"a":'])
).map(lambda d: d[1] * d[0] + "1" + ("]" if d[1] == "[" else "}") * d[0])
BODIES = st.one_of(
    st.none(),
    st.binary(max_size=120),
    JSON.map(json.dumps),
    st.dictionaries(ANY_TEXT, ANY_TEXT, max_size=3).map(json.dumps),
    DEEP_JSON,
    st.tuples(st.sampled_from(["Events", "RecordPatches", "PushSync"]), DEEP_JSON).map(
        lambda pair: f'{{"{pair[0]}":{pair[1]}}}'
    ),
    st.dictionaries(
        st.sampled_from(
            [
                "Events",
                "CognitoStreams",
                "PushSync",
                "RecordPatches",
                "Platform",
                "Token",
                "DeviceId",
                "SyncSessionToken",
            ]
        ),
        JSON,
        max_size=3,
    ).map(json.dumps),
)
QUERIES = st.dictionaries(
    st.sampled_from(["maxResults", "nextToken", "lastSyncCount", "syncSessionToken"])
    | TEXT,
    TEXT,
    max_size=3,
).map(urlencode)


@PROPERTIES
@given(
    method=st.sampled_from(METHODS),
    path=st.one_of(ROUTE_PATHS, ANY_PATHS),
    query=QUERIES,
    body=BODIES,
    signed=st.booleans(),
)
def test_any_request_to_the_endpoint_gets_a_coded_answer_never_a_500(
    known_pool, method, path, query, body, signed
):
    auth = (
        AWS4Auth("AKIAEXAMPLEKEY000000", "s", "us-east-1", "cognito-sync")
        if signed
        else None
    )
    url = ENDPOINT + path + (f"?{query}" if query else "")
    response = requests.request(method, url, data=body, auth=auth, timeout=5)
    assert response.status_code < 500, response.text
    if response.status_code >= 400:
        code = response.headers["x-amzn-ErrorType"].split(":", 1)[0]
        assert code.endswith("Exception")
        if method != "HEAD":
            assert isinstance(response.json()["message"], str)
