"""Request ids are random UUIDs (version 4), as AWS's are: unique across
requests and mocks, and not repeated when the random module is seeded."""

from __future__ import annotations

import os
import random
import threading
import uuid
import warnings

import pytest
from botocore.exceptions import ClientError

from pytest_cognito_sync import mock_cognito_sync


def request_ids(count: int) -> list[str]:
    import boto3

    with mock_cognito_sync() as cs:
        pool = cs.create_identity_pool()
        client = boto3.client("cognito-sync", region_name="us-east-1")
        ids = []
        for number in range(count):
            if number % 2:
                metadata = client.get_bulk_publish_details(IdentityPoolId=pool)[
                    "ResponseMetadata"
                ]
            else:
                with pytest.raises(ClientError) as caught:
                    client.describe_dataset(
                        IdentityPoolId=pool, IdentityId="us-east-1:a", DatasetName="d"
                    )
                metadata = caught.value.response["ResponseMetadata"]
            ids.append(metadata["RequestId"])
            assert metadata["HTTPHeaders"]["x-amzn-requestid"] == ids[-1]
        return ids


def test_request_ids_are_random_version_4_uuids():
    ids = request_ids(40)
    for request_id in ids:
        parsed = uuid.UUID(request_id)
        assert (parsed.version, parsed.variant) == (4, uuid.RFC_4122)
        assert str(parsed) == request_id  # lower case, with dashes
    assert len(set(ids)) == len(ids)
    # Random, not a counter: no common prefix runs through them.
    assert len({request_id[:8] for request_id in ids}) > 30


def test_seeding_the_random_module_does_not_repeat_request_ids():
    random.seed(1234)
    first = request_ids(4)
    random.seed(1234)
    second = request_ids(4)
    assert not set(first) & set(second)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
def test_a_forked_child_draws_request_ids_of_its_own():
    # Ids are drawn in batches: the child must not answer with the rest of
    # the parent's batch (nor with the parent's next batch).
    parent_first = request_ids(2)
    reading, writing = os.pipe()
    with warnings.catch_warnings():
        # Python 3.12+ warns of forking a process with threads (earlier
        # tests' servers may still run); the child only makes calls.
        warnings.filterwarnings("ignore", "This process .* is multi-threaded")
        child = os.fork()
    if child == 0:  # pragma: no cover - the child's side
        try:
            os.write(writing, "\n".join(request_ids(300)).encode())
        finally:
            os._exit(0)
    os.close(writing)
    with os.fdopen(reading) as pipe:
        child_ids = pipe.read().split("\n")
    os.waitpid(child, 0)
    parent_next = request_ids(300)
    assert len(child_ids) == 300
    assert not set(child_ids) & set(parent_next + parent_first)


def test_request_ids_stay_unique_across_threads_and_batches():
    # Ids are drawn in batches shared by every thread: threads that run out
    # together each draw a batch of their own, and no id is handed out twice.
    import boto3

    with mock_cognito_sync() as cs:
        pool = cs.create_identity_pool()
        ids: list[list[str]] = [[] for _ in range(8)]

        def make_calls(own: list[str]) -> None:
            client = boto3.session.Session().client(
                "cognito-sync", region_name="us-east-1"
            )
            for _ in range(100):
                answer = client.get_bulk_publish_details(IdentityPoolId=pool)
                own.append(answer["ResponseMetadata"]["RequestId"])

        threads = [threading.Thread(target=make_calls, args=(own,)) for own in ids]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    every = [request_id for own in ids for request_id in own]
    assert len(every) == 800  # more than three batches
    assert len(set(every)) == len(every)
