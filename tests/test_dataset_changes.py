"""A dataset's change listing (what ListRecords pages through) against a
plain model: every current record written after a sync count, in (sync
count, key) order, whatever mix of seeding, writes and listings came first.

The dataset builds its change index at the first listing that needs one
and keeps it up to date, or drops it when mostly stale; a listing must
never tell which of these happened."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from pytest_cognito_sync.backend.state import KEY, SYNC_COUNT, VALUE, Dataset, Record

NOW = dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc)
KEYS = st.sampled_from(["a", "b", "c", "d", "é", "f"])
VALUES = st.one_of(st.none(), st.sampled_from(["1", "22", "héllo"]))

# A seed of live records into an empty dataset takes a path of its own
# (its totals counted at once); a seed with tombstones, or into a dataset
# with records, the general one. Both must keep the same order and counts,
# in UTF-8 bytes (hence the non-ASCII key and value).
seed = st.tuples(st.just("seed"), st.dictionaries(KEYS, VALUES, max_size=4))
write = st.tuples(st.just("write"), st.dictionaries(KEYS, VALUES, max_size=4))
listing = st.tuples(
    st.just("list"),
    st.tuples(st.integers(0, 8), st.integers(1, 4), st.integers(0, 6)),
)


def expected(dataset: Dataset, after: int) -> list[Record]:
    written = [r for r in dataset.records.values() if r[SYNC_COUNT] > after]
    return sorted(written, key=lambda r: (r[SYNC_COUNT], r[KEY]))


@given(st.lists(st.one_of(seed, write, listing), max_size=30))
def test_listings_match_the_model_whatever_came_before(steps):
    dataset = Dataset("us-east-1:1", "d", NOW, NOW, "test")
    for kind, argument in steps:
        if kind == "seed":
            dataset.seed(argument, NOW, "seeder")
        elif kind == "write":
            count = dataset.sync_count + 1
            dataset.commit(
                [(k, v, count, NOW, "device", None) for k, v in argument.items()],
                NOW,
                "device",
            )
        else:
            after, limit, skip = argument
            want = expected(dataset, after)
            # Start from the position of a record further down, as a NextToken does.
            start = None
            if 0 < skip < len(want):
                start = (want[skip][SYNC_COUNT], want[skip][KEY])
                want = want[skip:]
            got, following = dataset.changes(after, start, limit)
            assert got == want[:limit]
            if len(want) > limit:
                assert following == (want[limit][SYNC_COUNT], want[limit][KEY])
            else:
                assert following is None
    live = [r for r in dataset.records.values() if r[VALUE] is not None]
    assert dataset.num_records == len(live)
    assert dataset.data_storage == sum(
        len(r[KEY].encode()) + len(r[VALUE].encode()) for r in live
    )
