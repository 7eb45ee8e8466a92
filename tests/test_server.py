"""CognitoSyncServer: the fake as a local HTTP endpoint, its lifecycle, its
isolation, and answers identical to the in-process fake's."""

from __future__ import annotations

import datetime as dt
import http.client
import json
import socket
import threading
from typing import Any
from urllib.parse import quote

import boto3
import pytest
import requests
from botocore.exceptions import ClientError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pytest_cognito_sync import CognitoSyncServer, mock_cognito_sync
from server_clients import signed, sync_client

AWS_ENDPOINT = "https://cognito-sync.us-east-1.amazonaws.com"
_MOMENT = dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc)
POOL = "us-east-1:0d3a1d12-8d5c-4c7b-9b3c-2a1e7f0e5b6d"
IDENTITY = "us-east-1:1a2b3c4d-0000-4000-8000-000000000001"


def connection_threads() -> list[threading.Thread]:
    return [
        t for t in threading.enumerate() if t.name.startswith("cognito-sync-server")
    ]


# -- lifecycle -----------------------------------------------------------------


def test_a_started_server_answers_boto3_at_its_url():
    with CognitoSyncServer(bulk_publish_duration=60) as server:
        assert server.url == f"http://127.0.0.1:{server.port}"
        pool_id = server.mock.create_identity_pool()
        server.mock.configure_streams(pool_id, "exports")
        server.mock.put_dataset(pool_id, IDENTITY, "profile", {"name": "Ada"})
        client = sync_client(server)
        client.bulk_publish(IdentityPoolId=pool_id)
        details = client.get_bulk_publish_details(IdentityPoolId=pool_id)
        assert details["BulkPublishStatus"] == "IN_PROGRESS"
        server.mock.advance_time(60)
        details = client.get_bulk_publish_details(IdentityPoolId=pool_id)
        assert details["BulkPublishStatus"] == "SUCCEEDED"
        [record] = server.mock.stream_records("exports")
        assert record["datasetName"] == "profile"
        assert [call.operation for call in server.mock.calls] == [
            "BulkPublish",
            "GetBulkPublishDetails",
            "GetBulkPublishDetails",
        ]


def test_stop_is_prompt_frees_the_port_leaves_no_thread_and_is_idempotent():
    # Connections that would be read from for two minutes: stop() ends them
    # rather than waiting them out.
    server = CognitoSyncServer(request_timeout=120).start()
    port = server.port
    client = sync_client(server)
    pool_id = server.mock.create_identity_pool()
    client.get_bulk_publish_details(IdentityPoolId=pool_id)  # a kept-alive socket
    idle = socket.create_connection(("127.0.0.1", port))  # a client that says nothing
    assert connection_threads()
    server.stop()
    assert connection_threads() == []
    assert not server.running
    server.stop()  # again: nothing happens
    with CognitoSyncServer(port=port) as again:  # the port is free at once
        assert again.port == port
    idle.close()


def test_start_twice_keeps_the_state_and_a_restart_begins_empty():
    server = CognitoSyncServer()
    server.start()
    pool_id = server.mock.create_identity_pool()
    server.start()
    assert server.mock.calls == [] and server.mock._pool(pool_id)
    server.stop()
    with pytest.raises(RuntimeError, match="not running"):
        server.mock.create_identity_pool()
    with pytest.raises(RuntimeError, match="not running"):
        server.url  # noqa: B018
    with server, pytest.raises(KeyError, match="no identity pool"):
        server.mock.complete_bulk_publish(pool_id)


def test_a_port_in_use_is_an_oserror_that_says_so():
    with CognitoSyncServer() as first:
        in_use = f"cannot listen on 127.0.0.1:{first.port}: .*in use"
        with pytest.raises(OSError, match=in_use):
            CognitoSyncServer(port=first.port).start()


def test_bad_arguments_are_refused_naming_the_valid_ones():
    with pytest.raises(TypeError, match="CognitoSyncServer got an unexpected keyword"):
        CognitoSyncServer(regoin="eu-west-1")
    with pytest.raises(ValueError, match="port must be a whole number"):
        CognitoSyncServer(port=70000)
    with pytest.raises(ValueError, match="region must look like"):
        CognitoSyncServer(region="Mars")


def test_options_reach_the_served_state():
    with CognitoSyncServer(region="eu-west-1", account_id="111122223333") as server:
        pool_id = server.mock.create_identity_pool()
        assert pool_id.startswith("eu-west-1:")
        client = sync_client(server, region_name="eu-west-1")
        assert client.get_bulk_publish_details(IdentityPoolId=pool_id)
        # a pool of another account is not found
        other = server.mock.account_credentials("444455556666")
        stranger = sync_client(
            server,
            region_name="eu-west-1",
            aws_access_key_id=other["AccessKeyId"],
            aws_secret_access_key=other["SecretAccessKey"],
        )
        with pytest.raises(stranger.exceptions.ResourceNotFoundException):
            stranger.get_bulk_publish_details(IdentityPoolId=pool_id)


# -- isolation ---------------------------------------------------------------


def test_two_servers_in_one_process_keep_their_own_state():
    with CognitoSyncServer() as one, CognitoSyncServer() as two:
        pool_id = one.mock.create_identity_pool()
        assert sync_client(one).get_bulk_publish_details(IdentityPoolId=pool_id)
        with pytest.raises(ClientError) as caught:
            sync_client(two).get_bulk_publish_details(IdentityPoolId=pool_id)
        assert caught.value.response["Error"]["Code"] == "ResourceNotFoundException"
        assert len(one.mock.calls) == 1 and len(two.mock.calls) == 1


def test_a_server_does_not_make_the_in_process_hook_answer(send_recorder):
    with CognitoSyncServer() as server:
        server.mock.create_identity_pool(POOL)
        # A client at AWS's address goes on to its transport (here a
        # recorder that keeps it in the process): the hook does not answer
        # it from the server's state.
        client = boto3.client(
            "cognito-sync",
            region_name="us-east-1",
            aws_access_key_id="AKIAX",
            aws_secret_access_key="x",
        )
        client.meta.events.register("before-send", send_recorder)
        client.get_bulk_publish_details(IdentityPoolId=POOL)
        assert len(send_recorder.urls) == 1
        assert server.mock.calls == []
        with mock_cognito_sync() as in_process:
            # ... and an in-process mock answers from its own state
            with pytest.raises(client.exceptions.ResourceNotFoundException):
                client.get_bulk_publish_details(IdentityPoolId=POOL)
            assert in_process.calls[0].error_code == "ResourceNotFoundException"
        assert server.mock.calls == []


def test_reset_gives_the_server_empty_state_at_once():
    with CognitoSyncServer() as server:
        pool_id = server.mock.create_identity_pool()
        client = sync_client(server)
        client.get_bulk_publish_details(IdentityPoolId=pool_id)
        server.mock.reset()
        with pytest.raises(client.exceptions.ResourceNotFoundException):
            client.get_bulk_publish_details(IdentityPoolId=pool_id)
        assert [call.error_code for call in server.mock.calls] == [
            "ResourceNotFoundException"
        ]


# -- the same answers as in process -------------------------------------------

#: (method, path, body, signed): requests that exercise routing, decoding,
#: validation, authentication and the operations' own errors.
REQUESTS: list[tuple[str, str, bytes | None, bool]] = [
    ("POST", f"/identitypools/{POOL}/getBulkPublishDetails", None, True),
    ("POST", f"/identitypools/{POOL}/bulkpublish", None, True),
    ("POST", f"/identitypools/{POOL}/bulkpublish", None, True),
    ("POST", "/identitypools/bad/getBulkPublishDetails", None, True),
    ("POST", "/identitypools/us-east-1:00000000-aaaa/bulkpublish", None, True),
    ("POST", f"/identitypools/{POOL}/getBulkPublishDetails", None, False),
    ("GET", "/nowhere", None, True),
    ("GET", f"/identitypools/{POOL}/identities/{IDENTITY}/datasets", None, True),
    (
        "POST",
        f"/identitypools/{POOL}/identities/{IDENTITY}/datasets/game",
        b'{"SyncSessionToken": "nope", "RecordPatches": []}',
        True,
    ),
    ("POST", f"/identitypools/{POOL}/configuration", b"[1, 2]", True),
    ("POST", f"/identitypools/{POOL}/configuration", b"{not json", True),
    (
        "GET",
        f"/identitypools/{POOL}/identities/{IDENTITY}/datasets/g%C3%A9",
        None,
        True,
    ),
    ("GET", f"/prefix/of/a/gateway/identitypools/{POOL}/events", None, True),
]


def _exchange(
    session: requests.Session, base: str, request: tuple[str, str, bytes | None, bool]
) -> tuple[int, str | None, Any]:
    method, path, body, is_signed = request
    response = session.request(
        method,
        base + path,
        data=body,
        auth=signed() if is_signed else None,
        headers={"Content-Type": "application/json"},
        timeout=10,
    )
    assert response.headers["x-amzn-RequestId"]
    return (
        response.status_code,
        response.headers.get("x-amzn-ErrorType"),
        response.json(),
    )


def test_every_request_is_answered_as_the_in_process_fake_answers_it():
    session = requests.Session()
    with CognitoSyncServer(now=_MOMENT) as server:
        server.mock.create_identity_pool(POOL)
        server.mock.configure_streams(POOL, "s")
        over_http = [_exchange(session, server.url, r) for r in REQUESTS]
    with mock_cognito_sync(now=_MOMENT) as cs:
        cs.create_identity_pool(POOL)
        cs.configure_streams(POOL, "s")
        in_process = [_exchange(session, AWS_ENDPOINT, r) for r in REQUESTS]
    assert over_http == in_process
    statuses = {status for status, _, _ in over_http}
    assert statuses >= {200, 400, 403, 404}


def test_the_region_comes_from_the_signature_whatever_the_host():
    with CognitoSyncServer() as server:
        pool_id = server.mock.create_identity_pool(region="eu-west-1")
        url = f"{server.url}/identitypools/{pool_id}/getBulkPublishDetails"
        ok = requests.post(url, auth=signed("eu-west-1"), timeout=10)
        assert ok.status_code == 200, ok.text
        wrong = requests.post(url, auth=signed("us-east-1"), timeout=10)
        assert wrong.status_code == 404
        # an AWS host name names the region when the signature does not
        unsigned_region = requests.post(
            url,
            headers={
                "Host": "cognito-sync.eu-west-1.amazonaws.com",
                "Authorization": "AWS4-HMAC-SHA256 Credential=AKIAX/20240101",
            },
            timeout=10,
        )
        assert unsigned_region.status_code == 200, unsigned_region.text
        garbage_host = requests.post(
            url, auth=signed("eu-west-1"), headers={"Host": "<%>"}, timeout=10
        )
        assert garbage_host.status_code == 200, garbage_host.text


# -- concurrency ---------------------------------------------------------------

CLIENTS = 16


def test_sixteen_threads_get_consistent_answers_and_one_publish_wins():
    with CognitoSyncServer(bulk_publish_duration=300) as server:
        pool_id = server.mock.create_identity_pool()
        server.mock.configure_streams(pool_id, "s")
        clients = [sync_client(server) for _ in range(CLIENTS)]
        barrier = threading.Barrier(CLIENTS)
        outcomes: list[str] = [""] * CLIENTS

        def race(index: int) -> None:
            barrier.wait()
            try:
                clients[index].bulk_publish(IdentityPoolId=pool_id)
                outcomes[index] = "won"
            except ClientError as error:
                outcomes[index] = error.response["Error"]["Code"]

        threads = [threading.Thread(target=race, args=(i,)) for i in range(CLIENTS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
        assert sorted(outcomes) == ["DuplicateRequestException"] * (CLIENTS - 1) + [
            "won"
        ]
        assert len(server.mock.calls) == CLIENTS


# -- CORS ------------------------------------------------------------------------

APP = "http://app.example:8080"


def raw_exchange(server, method, path, headers, body=b""):
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, response.getheaders(), response.read()
    finally:
        connection.close()


def only(headers, name):
    values = [value for key, value in headers if key.lower() == name.lower()]
    assert len(values) == 1, (name, headers)  # browsers refuse repeated ones
    return values[0]


def test_a_preflight_from_any_origin_is_allowed():
    with CognitoSyncServer() as server:
        status, headers, body = raw_exchange(
            server,
            "OPTIONS",
            f"/identitypools/{POOL}/bulkpublish",
            {
                "Origin": APP,
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "authorization,x-amz-date",
            },
        )
        assert (status, body) == (200, b"")
        assert only(headers, "Access-Control-Allow-Origin") == APP
        assert "POST" in only(headers, "Access-Control-Allow-Methods")
        assert (
            only(headers, "Access-Control-Allow-Headers") == "authorization,x-amz-date"
        )
        assert server.mock.calls == []  # a preflight is no request to the service


def test_answers_expose_the_aws_headers_to_the_page():
    with CognitoSyncServer() as server:
        status, headers, _ = raw_exchange(
            server,
            "POST",
            "/identitypools/bad/bulkpublish",
            {"Origin": APP, "Authorization": "AWS4-HMAC-SHA256 Credential=AKIAX/x"},
        )
        assert status == 400
        assert only(headers, "Access-Control-Allow-Origin") == APP
        exposed = only(headers, "Access-Control-Expose-Headers")
        assert {"x-amzn-RequestId", "x-amzn-ErrorType"} <= set(exposed.split(", "))
        assert only(headers, "x-amzn-ErrorType").startswith("InvalidParameterException")


def test_an_options_request_that_is_no_preflight_is_an_unknown_operation():
    with CognitoSyncServer() as server:
        status, headers, _ = raw_exchange(server, "OPTIONS", "/identitypools", {})
        assert status == 404
        assert only(headers, "x-amzn-ErrorType").startswith("UnknownOperationException")


# -- the mock's Python-only helpers work on a server's state -----------------------


def test_a_sync_trigger_set_on_the_server_mock_runs_for_http_clients():
    def cap(event: dict[str, Any], context: Any) -> dict[str, Any]:
        event["datasetRecords"]["coins"]["newValue"] = "100"
        return event

    with CognitoSyncServer() as server:
        pool_id = server.mock.create_identity_pool()
        server.mock.set_sync_trigger(pool_id, cap)
        user = server.mock.issue_identity_credentials(IDENTITY)
        device = sync_client(
            server,
            aws_access_key_id=user["AccessKeyId"],
            aws_secret_access_key=user["SecretKey"],
            aws_session_token=user["SessionToken"],
        )
        where = {"IdentityPoolId": pool_id, "IdentityId": IDENTITY, "DatasetName": "g"}
        token = device.list_records(**where)["SyncSessionToken"]
        written = device.update_records(
            **where,
            SyncSessionToken=token,
            RecordPatches=[
                {"Op": "replace", "Key": "coins", "Value": "5", "SyncCount": 0}
            ],
        )
        assert written["Records"][0]["Value"] == "100"


@pytest.mark.parametrize(
    ("host", "url_host"),
    [("0.0.0.0", "127.0.0.1"), ("::1", "[::1]")],
)
def test_the_url_is_one_a_client_on_this_machine_can_use(host, url_host):
    if ":" in host and not socket.has_ipv6:
        pytest.skip("this machine has no IPv6")
    with CognitoSyncServer(host=host) as server:
        assert server.url == f"http://{url_host}:{server.port}"
        pool_id = server.mock.create_identity_pool()
        assert sync_client(server).get_bulk_publish_details(IdentityPoolId=pool_id)


def test_a_host_that_does_not_resolve_is_an_oserror_naming_it():
    with pytest.raises(OSError, match="cannot listen on no.such.host.invalid:0"):
        CognitoSyncServer(host="no.such.host.invalid").start()


segments = st.one_of(
    st.sampled_from(
        [
            "identitypools",
            POOL,
            "identities",
            IDENTITY,
            "datasets",
            "game",
            "records",
            "bulkpublish",
            "getBulkPublishDetails",
            "configuration",
            "events",
            "usage",
            "",
        ]
    ),
    st.text(st.characters(codec="ascii", exclude_characters="/?#%"), max_size=12),
)
bodies = st.one_of(
    st.none(),
    st.just(b"{}"),
    st.binary(max_size=40),
    st.dictionaries(
        st.sampled_from(["CognitoStreams", "Events", "RecordPatches", "Platform"]),
        st.one_of(
            st.text(max_size=8), st.integers(), st.lists(st.integers(), max_size=2)
        ),
        max_size=2,
    ).map(lambda d: json.dumps(d).encode()),
)


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    requests_=st.lists(
        st.tuples(
            st.sampled_from(["GET", "POST", "DELETE", "PUT"]),
            st.lists(segments, min_size=1, max_size=7).map(
                lambda parts: "/" + "/".join(quote(p, safe=":") for p in parts)
            ),
            bodies,
            st.booleans(),
        ),
        min_size=1,
        max_size=4,
    )
)
def test_any_request_is_answered_as_in_process(requests_):
    session = requests.Session()
    with CognitoSyncServer(now=_MOMENT) as server:
        server.mock.create_identity_pool(POOL)
        over_http = [_exchange(session, server.url, r) for r in requests_]
    with mock_cognito_sync(now=_MOMENT) as cs:
        cs.create_identity_pool(POOL)
        in_process = [_exchange(session, AWS_ENDPOINT, r) for r in requests_]
    assert over_http == in_process


def test_the_servers_mock_is_not_a_mock_of_its_own_to_enter_or_decorate_with():
    with CognitoSyncServer() as server:
        with pytest.raises(TypeError, match="lives as long as its server"):
            server.mock.__enter__()
        with pytest.raises(TypeError, match="lives as long as its server"):
            server.mock(lambda: None)
        assert server.mock.active  # still serving its state
