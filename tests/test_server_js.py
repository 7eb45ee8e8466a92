"""JavaScript clients against the server: the AWS SDK for JavaScript v3 in
Node, amazon-cognito-js over the aws-sdk v2 package in Node, and the same in
headless Chromium, from another origin."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from real_clients import JS, chromium, js_packages, node
from server_clients import control, sync_client

IDENTITY = "us-east-1:1a2b3c4d-0000-4000-8000-000000000001"


@pytest.fixture(scope="session")
def node_modules() -> Path:
    return js_packages()


def run_node(script: str, *arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [node(), script, *arguments],
        cwd=JS,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE": "1"},
    )


# -- Node: @aws-sdk/client-cognito-sync (v3) ---------------------------------------


@pytest.mark.cognito_sync_mock(bulk_publish_duration=600)
def test_sdk_v3_bulk_publishes_and_polls_while_the_clock_is_advanced(
    node_modules, cognito_sync_server
):
    url = cognito_sync_server.url
    pool_id = control(cognito_sync_server, "create_identity_pool")
    control(
        cognito_sync_server,
        "put_dataset",
        identity_pool_id=pool_id,
        identity_id=IDENTITY,
        dataset_name="profile",
        records={"name": "Ada"},
    )
    control(
        cognito_sync_server,
        "configure_streams",
        identity_pool_id=pool_id,
        stream_name="exports",
    )
    process = subprocess.Popen(
        [node(), "bulk_publish_v3.mjs", url, pool_id],
        cwd=JS,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        assert process.stdout.readline().strip() == "published"
        # Let it poll a few times, then end the publish through the control API.
        deadline = time.monotonic() + 30
        while (
            sum(
                c.operation == "GetBulkPublishDetails"
                for c in cognito_sync_server.mock.calls
            )
            < 3
        ):
            assert time.monotonic() < deadline
            time.sleep(0.02)
        control(cognito_sync_server, "advance_time", delta=600)
        out, err = process.communicate(timeout=60)
    finally:
        process.kill()
        process.communicate()
    assert process.returncode == 0, err
    result = json.loads(out.strip().splitlines()[-1])
    assert result["published"] == pool_id
    assert result["duplicate"]["name"] == "DuplicateRequestException"
    assert result["duplicate"]["status"] == 400
    assert result["duplicate"]["requestId"]
    statuses = result["statuses"]
    assert statuses[-1] == "SUCCEEDED" and set(statuses[:-1]) == {"IN_PROGRESS"}
    assert len(statuses) >= 4
    started = cognito_sync_server.mock.calls[0]
    assert started.operation == "BulkPublish"
    start, complete = (
        _instant(result["start"]),
        _instant(result["complete"]),
    )
    assert (complete - start).total_seconds() == 600
    assert result["again"]["name"] == "AlreadyStreamedException"
    assert result["invalid"]["name"] == "InvalidParameterException"
    assert "failed to satisfy constraint" in result["invalid"]["message"]
    [record] = control(cognito_sync_server, "stream_records", stream_name="exports")
    assert record["datasetName"] == "profile"


def _instant(text: str) -> Any:
    import datetime as dt

    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))


# -- Node: amazon-cognito-js over aws-sdk v2, two devices ------------------------


def test_two_devices_sync_one_dataset_and_the_app_resolves_the_conflict(
    node_modules, cognito_sync_server
):
    pool_id = cognito_sync_server.mock.create_identity_pool()
    done = run_node("two_devices.js", cognito_sync_server.url, pool_id, IDENTITY)
    assert done.returncode == 0, done.stderr
    outcome = json.loads(done.stdout.strip().splitlines()[-1])
    assert outcome["conflicts"] == [
        {"key": "theme", "remote": "light", "local": "blue"}
    ]
    assert outcome["phone"] == outcome["tablet"] == {"theme": "light+blue"}
    listing = sync_client(cognito_sync_server).list_records(
        IdentityPoolId=pool_id, IdentityId=IDENTITY, DatasetName="settings"
    )
    live = {r["Key"]: r["Value"] for r in listing["Records"] if "Value" in r}
    assert live == outcome["phone"]
    removed = [r["Key"] for r in listing["Records"] if "Value" not in r]
    assert removed == ["volume"]
    # The sync manager finds the conflict in ListRecords, before it writes.
    calls = cognito_sync_server.mock.calls
    assert [c.error_code for c in calls if c.error_code] == []
    assert {c.operation for c in calls} >= {"ListRecords", "UpdateRecords"}


# -- headless Chromium ---------------------------------------------------------------


class PageServer:
    """The web app's own origin: its page, the SDKs' browser builds, and
    the result the page posts back."""

    def __init__(self, node_modules: Path) -> None:
        files = {
            "/": (JS / "browser" / "index.html", "text/html"),
            "/app.js": (JS / "browser" / "app.js", "text/javascript"),
            "/vendor/aws-sdk.min.js": (
                node_modules / "aws-sdk" / "dist" / "aws-sdk.min.js",
                "text/javascript",
            ),
            "/vendor/amazon-cognito.min.js": (
                node_modules / "amazon-cognito-js" / "dist" / "amazon-cognito.min.js",
                "text/javascript",
            ),
        }
        self.result: dict[str, Any] | None = None
        self.arrived = threading.Event()
        page = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                path, kind = files.get(self.path.split("?")[0], (None, ""))
                if path is None:
                    self.send_error(404)
                    return
                body = path.read_bytes()
                self.send_response(200)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("Content-Length") or 0)
                page.result = json.loads(self.rfile.read(length))
                page.arrived.set()
                self.send_response(204)
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def page_server(node_modules: Path) -> Iterator[PageServer]:
    server = PageServer(node_modules)
    try:
        yield server
    finally:
        server.close()


def open_in_chromium(url: str, until: threading.Event, timeout: float) -> str:
    """Run headless Chromium on ``url`` until ``until`` is set; its log."""
    with tempfile.TemporaryDirectory() as profile:
        process = subprocess.Popen(
            [
                chromium(),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                f"--user-data-dir={profile}",
                url,
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        try:
            until.wait(timeout)
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
            try:
                _, log = process.communicate(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                _, log = process.communicate()
        return log


def test_a_web_app_in_chromium_syncs_through_cors(page_server, cognito_sync_server):
    mock = cognito_sync_server.mock
    pool_id = mock.create_identity_pool()
    mock.put_dataset(pool_id, IDENTITY, "profile", {"name": "Grace"})
    page = (
        f"{page_server.url}#endpoint={cognito_sync_server.url}"
        f"&pool={pool_id}&identity={IDENTITY}"
    )
    log = open_in_chromium(page, page_server.arrived, timeout=90)
    assert page_server.result is not None, (
        f"the page reported nothing; Chromium:\n{log[-3000:]}"
    )
    result = page_server.result
    assert result["ok"], result
    assert result["origin"] != cognito_sync_server.url  # a cross-origin app
    assert result["records"] == {"name": "Grace", "color": "green"}
    # the error code and request id reached the page through exposed headers
    assert result["refused"]["code"] == "NotAuthorizedException"
    assert result["refused"]["status"] == 403
    assert result["refused"]["requestId"]
    listing = sync_client(cognito_sync_server).list_records(
        IdentityPoolId=pool_id, IdentityId=IDENTITY, DatasetName="profile"
    )
    assert {r["Key"]: r["Value"] for r in listing["Records"]} == result["records"]
    operations = [c.operation for c in mock.calls]
    assert "UpdateRecords" in operations and "ListRecords" in operations
