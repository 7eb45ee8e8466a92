"""Which hosts are the fake's (every partition's, FIPS and dual-stack, and
nothing that merely begins like one), and nothing a test sent or received
outlives its mock or changes how later mocks decode."""

from __future__ import annotations

import contextlib
import gc
import json
from typing import Any

import boto3
import botocore.session
import pytest
import requests
from botocore.config import Config
from botocore.loaders import create_loader
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from requests_aws4auth import AWS4Auth

from pytest_cognito_sync import mock_cognito_sync

MODEL = botocore.session.get_session().get_service_model("cognito-sync")
PARTITIONS = create_loader().load_data("partitions")["partitions"]
SUFFIXES = sorted(
    {p["outputs"]["dnsSuffix"] for p in PARTITIONS}
    | {p["outputs"]["dualStackDnsSuffix"] for p in PARTITIONS}
)
HOSTS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
REGIONS = st.from_regex(r"[a-z]{2}(-[a-z]{1,6}){1,2}-[1-9]", fullmatch=True)


def auth(region: str = "us-east-1") -> AWS4Auth:
    return AWS4Auth("AKIAEXAMPLEKEY000000", "secret", region, "cognito-sync")


def details(endpoint: str, pool: str, region: str) -> requests.Response:
    url = f"{endpoint}/identitypools/{pool}/getBulkPublishDetails"
    return requests.post(url, auth=auth(region), timeout=5)


# -- hosts ---------------------------------------------------------------------


def test_the_suffixes_cover_the_partitions_users_meet():
    assert {"amazonaws.com", "api.aws", "amazonaws.com.cn"} <= set(SUFFIXES)


@HOSTS
@given(
    region=REGIONS,
    fips=st.booleans(),
    suffix=st.sampled_from(SUFFIXES),
    scheme=st.sampled_from(["https", "http"]),
    port=st.sampled_from(["", ":443", ":8443"]),
    upper=st.booleans(),
)
def test_every_partitions_host_is_answered_through_requests(
    cognito_sync_mock, no_network, region, fips, suffix, scheme, port, upper
):
    host = f"cognito-sync{'-fips' if fips else ''}.{region}.{suffix}"
    if upper:
        host = host.upper()
    pool = cognito_sync_mock.create_identity_pool(region=region)
    response = details(f"{scheme}://{host}{port}", pool, region)
    assert response.status_code == 200, response.text
    assert response.json()["IdentityPoolId"] == pool
    assert no_network == []


LOOKALIKES = st.one_of(
    # a real host name followed by more labels
    st.tuples(
        st.sampled_from(SUFFIXES),
        st.from_regex(r"[a-z]{1,8}\.[a-z]{2,3}", fullmatch=True),
    ).map(lambda pair: f"cognito-sync.us-east-1.{pair[0]}.{pair[1]}"),
    # another service, or a prefix before the service name
    st.sampled_from(SUFFIXES).map(lambda s: f"xcognito-sync.us-east-1.{s}"),
    st.sampled_from(SUFFIXES).map(lambda s: f"cognito-identity.us-east-1.{s}"),
    st.sampled_from(SUFFIXES).map(lambda s: f"evil.cognito-sync.us-east-1.{s}"),
    # a suffix no partition has
    st.just("cognito-sync.us-east-1.amazonaws.org"),
    st.just("cognito-sync.us-east-1.example.com"),
)


@HOSTS
@given(host=LOOKALIKES)
def test_a_host_that_only_looks_like_the_services_is_not_answered(
    cognito_sync_mock, no_network, host
):
    no_network.clear()
    with pytest.raises(AssertionError, match="connection .* was attempted"):
        details(f"https://{host}", "us-east-1:abc", "us-east-1")
    assert no_network and no_network[0][0] == host


@pytest.mark.parametrize(
    ("region", "config"),
    [
        ("us-east-1", Config(use_dualstack_endpoint=True)),
        ("us-east-1", Config(use_fips_endpoint=True)),
        ("us-gov-west-1", Config(use_fips_endpoint=True, use_dualstack_endpoint=True)),
        ("cn-north-1", Config()),
        ("cn-north-1", Config(use_dualstack_endpoint=True)),
    ],
)
def test_botocore_and_requests_are_answered_at_the_same_hosts(
    cognito_sync_mock, no_network, region, config
):
    pool = cognito_sync_mock.create_identity_pool(region=region)
    client = boto3.client("cognito-sync", region_name=region, config=config)
    via_boto3 = client.get_bulk_publish_details(IdentityPoolId=pool)
    endpoint = client.meta.endpoint_url
    response = details(endpoint, pool, region)
    assert response.status_code == 200, (endpoint, response.text)
    assert response.json()["BulkPublishStatus"] == via_boto3["BulkPublishStatus"]
    assert no_network == []


@pytest.mark.parametrize(
    "host",
    [
        "cognito-sync-fips.us-east-1.amazonaws.com",
        "cognito-sync.eu-west-1.api.aws",
        "cognito-sync-fips.cn-north-1.api.amazonwebservices.com.cn",
    ],
)
def test_an_unsigned_request_takes_its_region_from_any_service_host(
    cognito_sync_mock, host
):
    # The region named by the host decides which pools are seen.
    region = host.split(".")[1]
    pool = cognito_sync_mock.create_identity_pool(region=region)
    url = f"https://{host}/identitypools/{pool}/getBulkPublishDetails"
    signed_without_scope_region = requests.post(
        url, headers={"Authorization": "AWS4-HMAC-SHA256 Credential=AKIAEXAMPLE"}
    )
    assert signed_without_scope_region.status_code == 200, (
        signed_without_scope_region.text
    )


# -- nothing kept --------------------------------------------------------------


def _prepared_requests_carrying(marker: bytes) -> list[Any]:
    gc.collect()
    return [
        candidate
        for candidate in gc.get_objects()
        if isinstance(candidate, requests.PreparedRequest)
        and isinstance(candidate.body, bytes)
        and marker in candidate.body
    ]


def test_nothing_a_test_sent_through_requests_outlives_its_mock():
    marker = b"a-body-that-must-not-outlive-its-mock"
    with mock_cognito_sync() as cs:
        pool = cs.create_identity_pool()
        url = (
            f"https://cognito-sync.us-east-1.amazonaws.com/identitypools/{pool}/events"
        )
        for _ in range(3):
            body = json.dumps({"Events": {"SyncTrigger": marker.decode()}})
            requests.post(url, data=body, auth=auth()).close()
    assert _prepared_requests_carrying(marker) == []


def test_an_outer_mock_keeps_nothing_an_inner_one_was_sent():
    marker = b"sent-while-the-inner-mock-was-active"
    with mock_cognito_sync():
        with mock_cognito_sync() as inner:
            pool = inner.create_identity_pool()
            url = (
                "https://cognito-sync.us-east-1.amazonaws.com"
                f"/identitypools/{pool}/events"
            )
            body = json.dumps({"Events": {"SyncTrigger": marker.decode()}})
            requests.post(url, data=body, auth=auth()).close()
        assert _prepared_requests_carrying(marker) == []


BODILESS = [
    name
    for name in MODEL.operation_names
    if MODEL.operation_model(name).http["method"] in ("GET", "DELETE")
]


@pytest.mark.parametrize("operation", BODILESS)
def test_the_params_calls_hands_out_cannot_change_later_mocks(operation):
    shape = MODEL.operation_model(operation).input_shape
    params = {
        name: "us-east-1:abc" if name.endswith("Id") else "d"
        for name in shape.required_members
    }

    def call_params() -> Any:
        with mock_cognito_sync() as cs:
            client = boto3.client("cognito-sync", region_name="us-east-1")
            with contextlib.suppress(client.exceptions.ClientError):
                getattr(client, botocore.xform_name(operation))(**params)
            return cs.calls[-1].params

    first = call_params()
    expected = dict(first)
    try:
        first["Injected"] = "x"  # type: ignore[index]
        for name in expected:
            first[name] = "changed"  # type: ignore[index]
    except TypeError:
        pass  # read-only: fine
    assert dict(call_params()) == expected
