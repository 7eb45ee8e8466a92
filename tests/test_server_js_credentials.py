"""The AWS SDK for JavaScript v3 in Node, against the server, signed with
Cognito Identity credentials the fake issued: a push spends its session
token, a wrong secret is InvalidSignatureException and the credentials
expire on the fake's clock, as the live service answers."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
from typing import Any

import pytest

from real_clients import JS, js_packages, node

IDENTITY = "us-east-1:1a2b3c4d-0000-4000-8000-000000000002"


@pytest.fixture(scope="session")
def node_modules() -> Any:
    return js_packages()


def run(server: Any, pool_id: str, credentials: dict[str, Any], mode: str) -> Any:
    done = subprocess.run(
        [
            node(),
            "credentials_v3.mjs",
            server.url,
            pool_id,
            credentials["AccessKeyId"],
            credentials["SecretKey"],
            credentials["SessionToken"],
            IDENTITY,
            mode,
        ],
        cwd=JS,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE": "1"},
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_sdk_v3_with_issued_credentials_meets_spent_tokens_signatures_and_expiry(
    node_modules, cognito_sync_server
):
    mock = cognito_sync_server.mock
    pool_id = mock.create_identity_pool()
    credentials = mock.issue_identity_credentials(IDENTITY)

    result = run(cognito_sync_server, pool_id, credentials, "sync")
    assert (result["pushed"], result["pushedFresh"]) == (1, 2)
    for spent in (result["again"], result["listedAgain"]):
        assert spent["name"] == "InvalidParameterException"
        assert spent["status"] == 400
        assert "already used" in spent["message"]
    wrong = result["wrongSecret"]
    assert (wrong["name"], wrong["status"]) == ("InvalidSignatureException", 403)
    assert wrong["message"].startswith("The request signature we calculated")

    mock.advance_time(dt.timedelta(hours=1))
    expired = run(cognito_sync_server, pool_id, credentials, "expired")["expired"]
    assert (expired["name"], expired["status"]) == ("ExpiredTokenException", 403)
    assert expired["message"] == "The security token included in the request is expired"
