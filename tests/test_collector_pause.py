"""The collector is paused while many stream records are built, and
resumes as it was: after so many new containers that it would have run a
collection of its young generations meanwhile, one such collection runs
before it resumes; after a few, none; a collector the test disabled, or
whose automatic collection is off, stays as it was."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from typing import Any

import pytest

from pytest_cognito_sync.backend.streams import StreamLog, collector_paused


@pytest.fixture
def collections() -> Iterator[list[int]]:
    """The generation of each collection that runs, while the test does."""
    ran: list[int] = []

    def note(phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            ran.append(info["generation"])

    gc.collect()
    gc.callbacks.append(note)
    try:
        yield ran
    finally:
        gc.callbacks.remove(note)


def containers(count: int) -> list[list[int]]:
    return [[number] for number in range(count)]


def test_many_containers_get_one_collection_of_the_young_generations(collections):
    threshold0, threshold1, _ = gc.get_threshold()
    with collector_paused():
        assert not gc.isenabled()
        made = containers(2 * threshold0 * threshold1)
        assert collections == []
    assert gc.isenabled()
    assert collections == [1]
    # What the collection kept is no longer young: nothing is due again.
    assert gc.get_count()[0] < threshold0
    assert len(made) == 2 * threshold0 * threshold1


def test_a_few_containers_leave_the_collector_as_it_would_be(collections):
    gc.collect(0)
    collections.clear()
    with collector_paused():
        made = containers(10)
    assert gc.isenabled()
    # No collection of the young generations runs for them (the youngest
    # alone may still be collected along the way, as without the pause).
    assert 1 not in collections
    assert len(made) == 10


def test_a_collector_the_test_disabled_stays_disabled(collections):
    threshold0, threshold1, _ = gc.get_threshold()
    gc.disable()
    try:
        with collector_paused():
            made = containers(2 * threshold0 * threshold1)
        assert not gc.isenabled()
        assert collections == []
    finally:
        gc.enable()
    assert len(made) == 2 * threshold0 * threshold1


def test_no_collection_runs_when_automatic_collection_is_off(collections):
    thresholds = gc.get_threshold()
    gc.set_threshold(0)
    try:
        with collector_paused():
            made = containers(20_000)
        assert gc.isenabled()
        assert collections == []
    finally:
        gc.set_threshold(*thresholds)
    assert len(made) == 20_000


@pytest.mark.parametrize(("datasets", "paused"), [(1, False), (99, False), (100, True)])
def test_a_bulk_publish_pauses_the_collector_from_a_hundred_datasets(
    datasets, paused, cognito_sync_mock, client, monkeypatch
):
    pool = cognito_sync_mock.create_identity_pool()
    cognito_sync_mock.configure_streams(pool, "exports")
    for number in range(datasets):
        cognito_sync_mock.put_dataset(pool, f"us-east-1:{number:08x}", "d", {"k": "v"})
    write = StreamLog.write_datasets
    collector_on: list[bool] = []

    def noting(self: StreamLog, *args: Any) -> Any:
        collector_on.append(gc.isenabled())
        return write(self, *args)

    monkeypatch.setattr(StreamLog, "write_datasets", noting)
    assert gc.isenabled()
    client.bulk_publish(IdentityPoolId=pool)
    assert collector_on == [not paused]
    assert gc.isenabled()
    assert len(cognito_sync_mock.stream_records("exports")) == datasets
