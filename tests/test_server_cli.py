"""The ``cognito-sync-server`` command, and Python clients in other
processes: the AWS CLI with --endpoint-url, and boto3 configured only
through AWS_ENDPOINT_URL_COGNITO_SYNC."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
from collections import Counter
from pathlib import Path

import pytest
import requests

from pytest_cognito_sync import CognitoSyncServer
from server_clients import client_environment, control

IDENTITY = "us-east-1:1a2b3c4d-0000-4000-8000-000000000001"


def start_command(
    *arguments: str, module: bool = True
) -> tuple[subprocess.Popen[str], str]:
    """Run the server command; return it and the URL from its first line."""
    if module:
        command = [sys.executable, "-m", "pytest_cognito_sync", *arguments]
    else:
        command = [
            str(Path(sys.executable).with_name("cognito-sync-server")),
            *arguments,
        ]
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    assert process.stdout is not None
    line = process.stdout.readline()
    if "http://" not in line:
        process.kill()  # never left running behind a failed test
        _, err = process.communicate()
        pytest.fail(f"the command did not start: {line!r}\n{err}")
    url = line[line.index("http://") :].split()[0]
    return process, url


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT])
@pytest.mark.parametrize("module", [True, False], ids=["python-m", "script"])
def test_the_command_prints_its_url_serves_and_stops_cleanly(stop, module):
    process, url = start_command(
        "--port",
        "0",
        "--region",
        "eu-west-1",
        "--bulk-publish-duration",
        "30",
        "--now",
        "2024-01-01T00:00:00Z",
        module=module,
    )
    try:
        assert url.startswith("http://127.0.0.1:")
        assert requests.get(f"{url}/_cognito_sync/health", timeout=10).ok
        pool_id = requests.post(
            f"{url}/_cognito_sync/create_identity_pool", timeout=10
        ).json()["result"]
        assert pool_id.startswith("eu-west-1:")
        now = requests.post(f"{url}/_cognito_sync/now", timeout=10).json()["result"]
        assert now == "2024-01-01T00:00:00+00:00"
    finally:
        process.send_signal(stop)
        _, err = process.communicate(timeout=10)
    assert process.returncode == 0, err
    assert err == ""
    with pytest.raises(requests.ConnectionError):
        requests.get(f"{url}/_cognito_sync/health", timeout=2)


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--regoin", "x"], "unrecognized arguments: --regoin"),
        (["--port", "http"], "must be a whole number from 0 to 65535"),
        (["--account-id", "12"], "--account-id must be 12 digits"),
        (["--bulk-publish-duration", "-1"], "must not be negative"),
        (["--now", "yesterday"], "--now must be an ISO 8601 datetime"),
        # the rules Options checks name the flag and the value as typed
        (["--region", "Mars"], "error: --region must look like 'us-east-1'"),
        (["--now", "1969-12-31T23:59:59Z"], "error: --now must be from 1970-01-01"),
        (
            ["--bulk-publish-duration", "1e300"],
            "error: --bulk-publish-duration must be at most 3155760000 seconds "
            "(36525 days, 0:00:00); got 1e+300",
        ),
    ],
)
def test_a_bad_option_exits_2_naming_the_rule(arguments, message):
    done = subprocess.run(
        [sys.executable, "-m", "pytest_cognito_sync", *arguments],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert message in done.stderr
    assert "usage: cognito-sync-server [-h] [--host HOST] [--port PORT]" in done.stderr


def test_a_port_in_use_exits_non_zero_saying_so():
    with CognitoSyncServer() as taken:
        port = taken.port
        done = subprocess.run(
            [sys.executable, "-m", "pytest_cognito_sync", "--port", str(taken.port)],
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert done.returncode == 1
    assert "Address already in use" in done.stderr
    assert f"cannot listen on 127.0.0.1:{port}" in done.stderr


# -- the AWS CLI -----------------------------------------------------------------


def aws(url: str, *arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "awscli",
            "cognito-sync",
            *arguments,
            "--endpoint-url",
            url,
            "--output",
            "json",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        env=client_environment(),
    )


def test_the_aws_cli_bulk_publishes_against_the_server(cognito_sync_server):
    mock = cognito_sync_server.mock
    pool_id = mock.create_identity_pool()
    mock.put_dataset(pool_id, IDENTITY, "profile", {"name": "Ada"})
    mock.configure_streams(pool_id, "exports")
    url = cognito_sync_server.url
    published = aws(url, "bulk-publish", "--identity-pool-id", pool_id)
    assert published.returncode == 0, published.stderr
    assert json.loads(published.stdout) == {"IdentityPoolId": pool_id}
    again = aws(url, "bulk-publish", "--identity-pool-id", pool_id)
    assert again.returncode != 0
    assert "(AlreadyStreamedException) when calling the BulkPublish operation" in (
        again.stderr
    )
    details = aws(url, "get-bulk-publish-details", "--identity-pool-id", pool_id)
    assert json.loads(details.stdout)["BulkPublishStatus"] == "SUCCEEDED"
    [record] = mock.stream_records("exports")
    assert record["identityId"] == IDENTITY
    bad = aws(url, "get-bulk-publish-details", "--identity-pool-id", "bad")
    assert "(InvalidParameterException)" in bad.stderr
    assert "failed to satisfy constraint" in bad.stderr


# -- boto3 in other processes, configured only through the environment -----------

RACER = textwrap.dedent(
    """
    import sys, threading, time
    import boto3
    from botocore.exceptions import ClientError

    pool_id, start_at, threads = sys.argv[1], float(sys.argv[2]), int(sys.argv[3])
    session = boto3.session.Session()
    clients = [session.client("cognito-sync") for _ in range(threads)]
    outcomes = []

    def race(client):
        time.sleep(max(0.0, start_at - time.time()))
        try:
            client.bulk_publish(IdentityPoolId=pool_id)
            outcomes.append("won")
        except ClientError as error:
            outcomes.append(error.response["Error"]["Code"])
        details = client.get_bulk_publish_details(IdentityPoolId=pool_id)
        outcomes.append(details["BulkPublishStatus"])

    workers = [threading.Thread(target=race, args=(c,)) for c in clients]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    print(" ".join(outcomes))
    """
)


@pytest.mark.cognito_sync_mock(bulk_publish_duration=3600)
def test_sixteen_clients_in_four_processes_see_one_publish_win(
    cognito_sync_server, tmp_path
):
    import time

    mock = cognito_sync_server.mock
    pool_id = mock.create_identity_pool()
    mock.configure_streams(pool_id, "s")
    script = tmp_path / "racer.py"
    script.write_text(RACER)
    environment = client_environment(
        AWS_ENDPOINT_URL_COGNITO_SYNC=cognito_sync_server.url
    )
    start_at = time.time() + 8  # after every interpreter has loaded boto3
    processes = [
        subprocess.Popen(
            [sys.executable, str(script), pool_id, str(start_at), "4"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=environment,
        )
        for _ in range(4)
    ]
    outcomes: Counter[str] = Counter()
    for process in processes:
        out, err = process.communicate(timeout=120)
        assert process.returncode == 0, err
        outcomes.update(out.split())
    assert outcomes == {
        "won": 1,
        "DuplicateRequestException": 15,
        "IN_PROGRESS": 16,
    }
    assert len(mock.calls) == 32
    assert control(cognito_sync_server, "calls")[0]["operation"] in (
        "BulkPublish",
        "GetBulkPublishDetails",
    )


# -- the README's control API recipe, run as written ------------------------------


def readme_control_recipe() -> str:
    readme = Path(__file__).resolve().parents[1] / "README.md"
    if not readme.is_file():
        pytest.skip("needs the source checkout")
    text = readme.read_text()
    section = text[text.index("### The control API") :]
    return section[section.index("```sh\n") + 6 : section.index("```\n", 6)]


@pytest.mark.cognito_sync_mock(bulk_publish_duration=60)
def test_the_readmes_curl_recipe_runs_as_written(cognito_sync_server):
    from real_clients import tool

    recipe = readme_control_recipe()
    assert "url=http://127.0.0.1:5566\n" in recipe
    script = recipe.replace(
        "url=http://127.0.0.1:5566\n", f"url={cognito_sync_server.url}\n"
    )
    tools = [tool("curl"), tool("jq"), str(Path(sys.executable).with_name("aws"))]
    path = os.pathsep.join(
        [*sorted({str(Path(t).parent) for t in tools}), os.environ["PATH"]]
    )
    done = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", script],
        capture_output=True,
        text=True,
        timeout=120,
        env=client_environment(PATH=path),
    )
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert out.index('"IN_PROGRESS"') < out.index('"SUCCEEDED"')
    assert '"datasetName": "profile"' in out
    assert out.rstrip().endswith('{"result": "ok"}')
    [record] = cognito_sync_server.mock.stream_records("exports")
    assert record["kinesisSyncRecords"][0]["value"] == "Ada"
