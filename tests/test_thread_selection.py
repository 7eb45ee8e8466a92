"""Which mock answers which thread: a thread with mocks of its own gets its
innermost one; any other thread the most recently started in the process."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import boto3
import pytest

from pytest_cognito_sync import mock_cognito_sync

THREADS = 6


def pools_seen(client: Any) -> set[str]:
    """The pools of the mock that answers this call."""
    usage = client.list_identity_pool_usage()["IdentityPoolUsages"]
    return {entry["IdentityPoolId"] for entry in usage}


def new_client() -> Any:
    return boto3.client("cognito-sync", region_name="us-east-1")


def test_threads_running_their_own_mocks_concurrently_are_each_answered_by_their_own():
    barrier = threading.Barrier(THREADS)
    failures: list[str] = []

    def run_a_test(number: int) -> None:
        with mock_cognito_sync() as cs:
            pool = cs.create_identity_pool()
            client = new_client()
            barrier.wait()  # every thread's mock is active now
            for _ in range(20):
                seen = pools_seen(client)
                if seen != {pool}:
                    failures.append(f"thread {number} saw {seen}, not {pool}")
            # A worker of this "test" is answered by the most recent mock of
            # the process, which may be another thread's; but this thread,
            # nested, gets its own innermost.
            with mock_cognito_sync() as inner:
                inner_pool = inner.create_identity_pool()
                if pools_seen(client) != {inner_pool}:
                    failures.append(f"thread {number}: inner mock not innermost")
            if pools_seen(client) != {pool}:
                failures.append(f"thread {number}: not back to its own mock")
            barrier.wait()  # nobody stops before everyone checked

    with ThreadPoolExecutor(THREADS) as pool:
        list(pool.map(run_a_test, range(THREADS)))
    assert failures == []


def test_a_tests_worker_threads_are_answered_by_the_tests_mock(cognito_sync_mock):
    pool = cognito_sync_mock.create_identity_pool()
    with ThreadPoolExecutor(4) as workers:
        seen = list(workers.map(lambda _: pools_seen(new_client()), range(8)))
    assert seen == [{pool}] * 8


def test_other_threads_get_the_most_recently_started_mock_of_the_process():
    started = threading.Event()
    finish = threading.Event()
    owner_pool: list[str] = []

    def owner() -> None:
        with mock_cognito_sync() as theirs:
            owner_pool.append(theirs.create_identity_pool())
            started.set()
            finish.wait(10)

    with mock_cognito_sync() as mine:
        my_pool = mine.create_identity_pool()
        thread = threading.Thread(target=owner)
        thread.start()
        try:
            assert started.wait(10)
            # This thread has its own mock: the other's, started later,
            # does not answer it.
            assert pools_seen(new_client()) == {my_pool}
            # A thread with no mock of its own gets the most recent one.
            with ThreadPoolExecutor(1) as worker:
                seen = worker.submit(lambda: pools_seen(new_client())).result()
            assert seen == {owner_pool[0]}
        finally:
            finish.set()
            thread.join()
        # The other stopped: workers get this thread's mock again.
        with ThreadPoolExecutor(1) as worker:
            assert worker.submit(lambda: pools_seen(new_client())).result() == {my_pool}


def test_a_mock_stopped_from_another_thread_stops_answering_its_owner():
    cs = mock_cognito_sync().start()
    try:
        outer = mock_cognito_sync().start()
        cs_inner = mock_cognito_sync().start()
        inner_pool = cs_inner.create_identity_pool()
        assert pools_seen(new_client()) == {inner_pool}
        stopper = threading.Thread(target=cs_inner.stop)
        stopper.start()
        stopper.join()
        outer_pool = outer.create_identity_pool()
        assert pools_seen(new_client()) == {outer_pool}
        outer.stop()
    finally:
        cs.stop()


def test_reset_keeps_a_threads_mock_its_own(cognito_sync_mock):
    other_started = threading.Event()
    finish = threading.Event()

    def other() -> None:
        with mock_cognito_sync():
            other_started.set()
            finish.wait(10)

    thread = threading.Thread(target=other)
    thread.start()
    try:
        assert other_started.wait(10)
        cognito_sync_mock.reset()
        pool = cognito_sync_mock.create_identity_pool()
        assert pools_seen(new_client()) == {pool}
    finally:
        finish.set()
        thread.join()


@pytest.mark.parametrize("stop_order", ["first_started_first", "last_started_first"])
def test_after_every_thread_stops_nothing_answers(stop_order, no_network):
    mocks: list[Any] = []
    ready = threading.Barrier(3)
    done = threading.Event()

    def run() -> None:
        with mock_cognito_sync() as cs:
            mocks.append(cs)
            ready.wait()
            done.wait(10)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    ready.wait()
    done.set()
    for thread in threads if stop_order == "first_started_first" else threads[::-1]:
        thread.join()
    assert not any(cs.active for cs in mocks)
    with pytest.raises(Exception, match="was attempted"):
        new_client().list_identity_pool_usage()
