"""A pool's DataStorage and LastModifiedDate, kept as its datasets change,
are what summing its datasets gives, whatever the order of seeds, writes,
deletions and merges, and with a clock that moves back."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from pytest_cognito_sync.backend import merges
from pytest_cognito_sync.backend.seeding import seed_dataset
from pytest_cognito_sync.backend.state import IdentityPool

IDENTITIES = ["us-east-1:0000", "us-east-1:1111", "us-east-1:2222"]
NAMES = ["game", "profile"]
START = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
#: moments in any order: a clock moved back by freezegun or time-machine
moments = st.integers(0, 5).map(lambda hours: START + dt.timedelta(hours=hours))
values = st.one_of(st.none(), st.text(max_size=4))
records = st.dictionaries(st.sampled_from(["a", "b", "é"]), values, max_size=3)

steps = st.lists(
    st.one_of(
        st.tuples(
            st.just("seed"),
            st.sampled_from(IDENTITIES),
            st.sampled_from(NAMES),
            records,
            moments,
        ),
        st.tuples(
            st.just("write"),
            st.sampled_from(IDENTITIES),
            st.sampled_from(NAMES),
            records,
            moments,
        ),
        st.tuples(
            st.just("delete"),
            st.sampled_from(IDENTITIES),
            st.sampled_from(NAMES),
            moments,
        ),
        st.tuples(
            st.just("merge"), st.sampled_from(IDENTITIES), st.sampled_from(IDENTITIES)
        ),
    ),
    max_size=25,
)


def _summed(pool: IdentityPool) -> tuple[int, dt.datetime | None]:
    """The usage as it was found before it was kept: from every dataset."""
    datasets = [
        dataset
        for identity in pool.identities.values()
        for dataset in identity.datasets.values()
    ]
    moments = [dataset.last_modified for dataset in datasets] + [
        identity.last_deleted
        for identity in pool.identities.values()
        if identity.last_deleted is not None
    ]
    return sum(d.data_storage for d in datasets), max(moments, default=pool.created)


def _write(pool: IdentityPool, step: tuple[Any, ...]) -> None:
    _, identity_id, name, changes, at = step
    dataset = pool.identity(identity_id).open_dataset(name, at, "by")
    count = dataset.sync_count + 1
    dataset.commit(
        [(key, value, count, at, "by", None) for key, value in changes.items()],
        at,
        "by",
    )


@settings(max_examples=400, deadline=None)
@given(steps)
def test_the_kept_usage_is_the_usage_of_the_datasets(steps: list[Any]) -> None:
    pool = IdentityPool("us-east-1:pool", "123456789012", "us-east-1", created=START)
    for step in steps:
        kind = step[0]
        if kind == "seed":
            _, identity_id, name, seeded, at = step
            seed_dataset(pool, identity_id, name, seeded, at, "Seeded")
        elif kind == "write":
            _write(pool, step)
        elif kind == "delete":
            _, identity_id, name, at = step
            identity = pool.identities.get(identity_id)
            if identity is not None:
                identity.delete_dataset(name, at)
        elif step[1] != step[2]:
            merges.merge(pool, step[1], step[2])
        assert (pool.data_storage, pool.last_modified) == _summed(pool)
