"""Many pools publishing at once: each publish ends when it comes due, in
the order they came due (those due at the same moment in the order they
started), whatever order they started in and however the clock moves,
through real boto3 clients."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
import time_machine
from botocore.exceptions import ClientError
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from pytest_cognito_sync import CognitoSyncMock, mock_cognito_sync

START = dt.datetime(2024, 5, 1, 12, 0, tzinfo=dt.timezone.utc)
STREAM = "pool-export"
DAY = dt.timedelta(hours=24)
POOLS = 3


def streamed_pools(cs: CognitoSyncMock, count: int) -> list[str]:
    pools = []
    for _ in range(count):
        pool = cs.create_identity_pool()
        cs.configure_streams(pool, STREAM)
        cs.put_dataset(pool, "us-east-1:00000000-0000-4000-8000-000000000000", "d", {})
        pools.append(pool)
    return pools


def published_order(cs: CognitoSyncMock) -> list[str]:
    return [record["identityPoolId"] for record in cs.stream_records(STREAM)]


def test_publishes_end_in_the_order_they_came_due_not_the_order_they_started():
    with (
        time_machine.travel(START + dt.timedelta(hours=1), tick=False) as clock,
        mock_cognito_sync(bulk_publish_duration=600) as cs,
    ):
        client = boto3.client("cognito-sync", region_name="us-east-1")
        first, second = streamed_pools(cs, 2)
        client.bulk_publish(IdentityPoolId=first)  # due at 1:10
        clock.move_to(START)  # the clock set back an hour
        client.bulk_publish(IdentityPoolId=second)  # due at 0:10
        clock.move_to(START + dt.timedelta(hours=2))
        assert published_order(cs) == [second, first]
        details = client.get_bulk_publish_details(IdentityPoolId=second)
        assert details["BulkPublishCompleteTime"] == START + dt.timedelta(minutes=10)


@pytest.fixture
def cs() -> Iterator[CognitoSyncMock]:
    """A mock on a frozen clock whose publishes take ten minutes."""
    with mock_cognito_sync(now=START, bulk_publish_duration=600) as mock:
        yield mock


@pytest.fixture
def client(cs: CognitoSyncMock) -> Any:
    return boto3.client("cognito-sync", region_name="us-east-1")


def test_publishes_due_at_the_same_moment_end_in_the_order_they_started(cs, client):
    pools = streamed_pools(cs, 5)
    started = [pools[3], pools[0], pools[4], pools[1], pools[2]]
    for pool in started:
        client.bulk_publish(IdentityPoolId=pool)
    cs.advance_time(600)
    assert published_order(cs) == started


def test_a_publish_ended_early_and_started_again_ends_once_when_due(cs, client):
    pool, other = streamed_pools(cs, 2)
    client.bulk_publish(IdentityPoolId=pool)  # due at 0:10
    cs.advance_time(30)
    client.bulk_publish(IdentityPoolId=other)  # due at 0:10:30, meanwhile
    cs.advance_time(30)
    cs.fail_bulk_publish(pool, "stream deleted")
    client.bulk_publish(IdentityPoolId=pool)  # due at 0:11
    cs.advance_time(570)  # 0:10:30, past when the first would have ended
    status = client.get_bulk_publish_details(IdentityPoolId=pool)
    assert status["BulkPublishStatus"] == "IN_PROGRESS"
    assert published_order(cs) == [other]
    cs.advance_time(30)
    assert published_order(cs) == [other, pool]
    status = client.get_bulk_publish_details(IdentityPoolId=pool)
    assert status["BulkPublishCompleteTime"] == START + dt.timedelta(minutes=11)


def test_a_publish_failed_and_started_again_at_once_ends_after_those_started_between(
    cs, client
):
    # Its second start comes due when its first would have: it ends in the
    # place of its second start.
    pool, other = streamed_pools(cs, 2)
    client.bulk_publish(IdentityPoolId=pool)
    client.bulk_publish(IdentityPoolId=other)
    cs.fail_bulk_publish(pool, "stream deleted")
    client.bulk_publish(IdentityPoolId=pool)
    cs.advance_time(600)
    assert published_order(cs) == [other, pool]


class ManyPoolsPublishing(RuleBasedStateMachine):
    """Publishes of several pools, failures, and a clock that moves both
    ways, checked after every step against a model of each pool's publish
    and of the order the stream records were written in."""

    @initialize(duration=st.sampled_from([60, 600, 3600]))
    def start(self, duration: int) -> None:
        self.traveller = time_machine.travel(START, tick=False)
        self.clock = self.traveller.start()
        self.cs = CognitoSyncMock(bulk_publish_duration=duration)
        self.cs.start()
        self.client = boto3.client("cognito-sync", region_name="us-east-1")
        self.pools = streamed_pools(self.cs, POOLS)
        self.duration = dt.timedelta(seconds=duration)
        self.now = START
        self.started = 0
        # per pool: status, due, order started, completed, forced failure
        self.model: list[dict[str, Any]] = [
            {"status": "NOT_STARTED", "due": None, "completed": None, "forced": None}
            for _ in range(POOLS)
        ]
        self.written: list[str] = []

    def teardown(self) -> None:
        if hasattr(self, "cs"):
            self.cs.stop()
            self.traveller.stop()

    def settle(self) -> None:
        due = [
            (publish["due"], publish["order"], number)
            for number, publish in enumerate(self.model)
            if publish["status"] == "IN_PROGRESS" and publish["due"] <= self.now
        ]
        for at, _, number in sorted(due):
            self.finish(number, at)

    def finish(self, number: int, at: dt.datetime) -> None:
        publish = self.model[number]
        publish["due"] = None
        if publish["forced"] is not None:
            publish["status"], publish["forced"] = "FAILED", None
        else:
            publish["status"], publish["completed"] = "SUCCEEDED", at
            self.written.append(self.pools[number])

    @rule(number=st.integers(0, POOLS - 1))
    def publish(self, number: int) -> None:
        self.settle()
        publish = self.model[number]
        if publish["status"] == "IN_PROGRESS":
            expected: str | None = "DuplicateRequestException"
        elif publish["status"] == "SUCCEEDED" and self.now < publish["completed"] + DAY:
            expected = "AlreadyStreamedException"
        else:
            expected = None
        try:
            self.client.bulk_publish(IdentityPoolId=self.pools[number])
            outcome = None
        except ClientError as error:
            outcome = error.response["Error"]["Code"]
        assert outcome == expected
        if expected is None:
            publish["status"], publish["completed"] = "IN_PROGRESS", None
            publish["due"], publish["order"] = self.now + self.duration, self.started
            self.started += 1

    @rule(halves=st.integers(-3, 3), nudge=st.sampled_from([-1, 0, 1]))
    def move_clock(self, halves: int, nudge: int) -> None:
        """By half publishes, give or take a second: onto, just before and
        just past the moments publishes come due."""
        # Nothing settles until something asks: the invariants do.
        self.now += halves * self.duration / 2 + dt.timedelta(seconds=nudge)
        self.clock.move_to(self.now)

    @rule(number=st.integers(0, POOLS - 1))
    def fail(self, number: int) -> None:
        self.settle()
        self.cs.fail_bulk_publish(self.pools[number], "stream deleted")
        self.model[number]["forced"] = "stream deleted"
        if self.model[number]["status"] == "IN_PROGRESS":
            self.finish(number, self.now)

    @invariant()
    def every_pool_shows_its_publish(self) -> None:
        if not hasattr(self, "cs"):
            return
        self.settle()
        for pool, publish in zip(self.pools, self.model, strict=True):
            details = self.client.get_bulk_publish_details(IdentityPoolId=pool)
            assert details["BulkPublishStatus"] == publish["status"]
            if publish["status"] == "SUCCEEDED":
                assert details["BulkPublishCompleteTime"] == publish["completed"]

    @invariant()
    def the_stream_was_written_in_the_order_publishes_came_due(self) -> None:
        if hasattr(self, "cs"):
            assert published_order(self.cs) == self.written


TestManyPoolsPublishing = ManyPoolsPublishing.TestCase
TestManyPoolsPublishing.settings = settings(
    max_examples=60, stateful_step_count=30, deadline=None
)
