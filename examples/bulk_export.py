"""Export every dataset of a Cognito identity pool through Cognito Streams.

BulkPublish asks Cognito Sync to write the current state of every dataset
of a pool to the pool's Kinesis stream, asynchronously; the job starts it
and polls GetBulkPublishDetails until it has ended. ``export_pool`` is the
job, written against any boto3 cognito-sync client. ``main`` runs it
against pytest-cognito-sync's fake, on a machine with no AWS account:

    python examples/bulk_export.py
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

import boto3

from pytest_cognito_sync import mock_cognito_sync

#: Statuses after which a bulk publish does not change by itself.
FINISHED = ("SUCCEEDED", "FAILED")


class BulkPublishFailed(RuntimeError):
    """The bulk publish ended FAILED; the message is AWS's FailureMessage."""


def export_pool(
    client: Any,
    pool_id: str,
    *,
    poll: Callable[[float], None] = time.sleep,
    interval: float = 30.0,
    timeout: float = 3600.0,
    progress: Callable[[dict[str, Any]], None] | None = None,
) -> dict[str, Any]:
    """Bulk publish ``pool_id`` and wait until it has ended.

    ``poll(interval)`` is called between two looks at the status (the real
    job sleeps; a test moves a fake clock); ``progress`` sees every answer
    of GetBulkPublishDetails. Returns the last one, ``SUCCEEDED``. A publish
    already running (started by someone else) is waited for rather than
    refused; one that succeeded less than 24 hours ago is the export, as
    AWS allows no second one in that time.

    Raises :class:`BulkPublishFailed` when it ends ``FAILED``, and
    ``TimeoutError`` when it is still running after ``timeout`` seconds
    of polling.
    """
    try:
        client.bulk_publish(IdentityPoolId=pool_id)
    except client.exceptions.DuplicateRequestException:
        pass  # one is IN_PROGRESS already: wait for it
    except client.exceptions.AlreadyStreamedException:
        pass  # one SUCCEEDED within 24 hours: its details are the answer
    waited = 0.0
    while True:
        details: dict[str, Any] = client.get_bulk_publish_details(
            IdentityPoolId=pool_id
        )
        details.pop("ResponseMetadata", None)
        if progress is not None:
            progress(details)
        status = details["BulkPublishStatus"]
        if status == "FAILED":
            raise BulkPublishFailed(details.get("FailureMessage", "no message"))
        if status in FINISHED:
            return details
        if waited >= timeout:
            raise TimeoutError(
                f"bulk publish of {pool_id} still {status} after {waited:g} s"
            )
        poll(interval)
        waited += interval


def seed(cs: Any) -> str:
    """A pool with two users' data, as it was before the export began."""
    pool_id = cs.create_identity_pool()
    cs.put_dataset(pool_id, "us-east-1:1a2b3c", "profile", {"name": "Ada"})
    cs.put_dataset(pool_id, "us-east-1:1a2b3c", "settings", {"theme": "dark"})
    cs.put_dataset(pool_id, "us-east-1:4d5e6f", "profile", {"name": "Grace"})
    return pool_id


def main() -> int:
    # Ten minutes of (virtual) time to publish: the job sees it IN_PROGRESS,
    # then SUCCEEDED, and no real second passes.
    with mock_cognito_sync(bulk_publish_duration=600) as cs:
        pool_id = seed(cs)
        client = boto3.client("cognito-sync", region_name="us-east-1")
        client.set_identity_pool_configuration(
            IdentityPoolId=pool_id,
            CognitoStreams={
                "StreamName": "pool-export",
                "RoleArn": "arn:aws:iam::123456789012:role/CognitoStreams",
                "StreamingStatus": "ENABLED",
            },
        )

        def show(details: dict[str, Any]) -> None:
            print(f"{cs.now():%H:%M:%S} {details['BulkPublishStatus']}")

        try:
            export_pool(
                client, pool_id, poll=cs.advance_time, interval=120, progress=show
            )
        except BulkPublishFailed as failure:
            print(f"export failed: {failure}")
            return 1
        records = cs.stream_records("pool-export")
        print(f"{len(records)} records written to stream pool-export:")
        for record in records:
            print(json.dumps(record, sort_keys=True))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
