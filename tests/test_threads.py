"""Many threads, each with its own client, against one fake at once."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

THREADS = 16


def run_together(count: int, work: Callable[[int], Any]) -> list[Any]:
    """Run ``work(index)`` in ``count`` threads released at the same moment."""
    barrier = threading.Barrier(count)

    def start(index: int) -> Any:
        barrier.wait()
        return work(index)

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(start, range(count)))


@pytest.fixture(scope="module")
def clients() -> list[Any]:
    """One client per thread. Built up front, from one session: sessions are
    not thread-safe, and clients outlive mocks (activation reaches them)."""
    session = boto3.session.Session(region_name="us-east-1")
    return [session.client("cognito-sync") for _ in range(THREADS)]


def test_many_threads_with_their_own_clients_are_all_answered(
    cognito_sync_mock, clients
):
    pools = [cognito_sync_mock.create_identity_pool() for _ in range(THREADS)]
    for pool in pools:
        cognito_sync_mock.configure_streams(pool, "s")
        cognito_sync_mock.put_dataset(pool, "us-east-1:aa", "d", {"k": pool})
    rounds = 5

    def work(index: int) -> list[str]:
        client = clients[index]
        statuses = [
            client.get_bulk_publish_details(IdentityPoolId=pools[index])[
                "BulkPublishStatus"
            ]
            for _ in range(rounds)
        ]
        client.bulk_publish(IdentityPoolId=pools[index])
        statuses.append(
            client.get_bulk_publish_details(IdentityPoolId=pools[index])[
                "BulkPublishStatus"
            ]
        )
        return statuses

    results = run_together(THREADS, work)
    assert results == [["NOT_STARTED"] * rounds + ["SUCCEEDED"]] * THREADS
    assert len(cognito_sync_mock.calls) == THREADS * (rounds + 2)
    written = {
        record["kinesisSyncRecords"][0]["value"]
        for record in cognito_sync_mock.stream_records("s")
    }
    assert written == set(pools)


@pytest.mark.parametrize(
    ("duration", "losers_get"),
    [(300, "DuplicateRequestException"), (0, "AlreadyStreamedException")],
    ids=["still-running", "already-done"],
)
@pytest.mark.parametrize("attempt", range(3))
def test_exactly_one_of_many_racing_bulk_publishes_wins(
    request, clients, duration, losers_get, attempt
):
    request.applymarker(pytest.mark.cognito_sync_mock(bulk_publish_duration=duration))
    cs = request.getfixturevalue("cognito_sync_mock")
    pool = cs.create_identity_pool()
    cs.configure_streams(pool, "s")

    def publish(index: int) -> str:
        try:
            clients[index].bulk_publish(IdentityPoolId=pool)
        except ClientError as error:
            return str(error.response["Error"]["Code"])
        return "won"

    outcomes = Counter(run_together(THREADS, publish))
    assert outcomes == {"won": 1, losers_get: THREADS - 1}
    assert [c.error_code for c in cs.calls].count(None) == 1


def test_pages_listed_while_other_threads_create_pools_stay_consistent(
    cognito_sync_mock, clients
):
    cs = cognito_sync_mock
    first = [cs.create_identity_pool() for _ in range(20)]

    def listing(client: Any) -> list[str]:
        listed: list[str] = []
        token: dict[str, str] = {}
        while True:
            page = client.list_identity_pool_usage(MaxResults=3, **token)
            listed += [usage["IdentityPoolId"] for usage in page["IdentityPoolUsages"]]
            if "NextToken" not in page:
                return listed
            token = {"NextToken": page["NextToken"]}

    def work(index: int) -> list[str]:
        if index % 2:
            return [cs.create_identity_pool() for _ in range(10)]
        return listing(clients[index])

    results = run_together(THREADS, work)
    final = listing(clients[0])
    created = first + [
        pool for index, made in enumerate(results) if index % 2 for pool in made
    ]
    assert sorted(final) == sorted(created)
    assert final[:20] == first
    for index, listed in enumerate(results):
        if index % 2 == 0:
            # Every page follows the one before it: no pool twice, none out
            # of the order the final listing has.
            assert len(listed) == len(set(listed))
            assert listed == [pool for pool in final if pool in set(listed)]
            assert listed[:20] == first
