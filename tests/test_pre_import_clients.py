"""Clients and sessions built before the package was imported are reached.

Run in a fresh interpreter: under pytest the plugin is imported before any
test code can build a client, so only a script shows this case.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

SCRIPT = textwrap.dedent(
    """
    import boto3, botocore.session

    early_session = botocore.session.get_session()
    early_client = boto3.client("cognito-sync", region_name="us-east-1")

    import pytest_cognito_sync  # after both were built
    from pytest_cognito_sync import mock_cognito_sync

    with mock_cognito_sync() as cs:
        pool = cs.create_identity_pool()
        answer = early_client.get_bulk_publish_details(IdentityPoolId=pool)
        print("early client:", answer["BulkPublishStatus"], len(cs.calls))

    with mock_cognito_sync() as cs:
        # Built from the early session after the first activation ended.
        later = early_session.create_client("cognito-sync", region_name="us-east-1")
        pool = cs.create_identity_pool()
        answer = later.get_bulk_publish_details(IdentityPoolId=pool)
        print("later client of the early session:", answer["BulkPublishStatus"],
              len(cs.calls))
    """
)


def test_clients_and_sessions_built_before_import_are_answered_once(tmp_path):
    empty = tmp_path / "empty"
    empty.write_text("")
    environment = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "AWS_CONFIG_FILE": str(empty),
        "AWS_SHARED_CREDENTIALS_FILE": str(empty),
        "AWS_EC2_METADATA_DISABLED": "true",
    }
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    # One journal entry each: answered by the fake, and only once.
    assert done.stdout.splitlines() == [
        "early client: NOT_STARTED 1",
        "later client of the early session: NOT_STARTED 1",
    ]
