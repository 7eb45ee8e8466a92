"""A bulk publish's stream records hold each dataset as it was when the
publish ended, whatever is written, seeded or deleted afterwards.

A publish keeps each dataset's own records rather than a copy of them, and
the dataset's next write copies them instead; a write that changed them in
place would show here as a stream record changing after the fact."""

from __future__ import annotations

import datetime as dt

import boto3
from hypothesis import given, settings
from hypothesis import strategies as st

from devices import IDENTITY, ONE_ATTEMPT, sync_changes
from pytest_cognito_sync import CognitoSyncMock

START = dt.datetime(2024, 5, 1, 12, 0, tzinfo=dt.timezone.utc)
STREAM = "pool-export"

NAMES = st.sampled_from(["settings", "scores"])
CHANGES = st.dictionaries(
    st.sampled_from(["a", "b", "c"]), st.none() | st.sampled_from(["1", "22"])
)
STEPS = st.lists(
    st.one_of(
        st.tuples(st.just("seed"), NAMES, CHANGES),
        st.tuples(st.just("update"), NAMES, CHANGES.filter(bool)),
        st.tuples(st.just("delete"), NAMES, st.just({})),
        st.tuples(st.just("publish"), st.just(""), st.just({})),
    ),
    max_size=12,
)


@settings(max_examples=40, deadline=None)
@given(STEPS)
def test_each_publish_streams_the_datasets_as_they_were_then(steps):
    # dataset -> its (key, value) records, in the order ListRecords and the
    # stream give them: by sync, then by key; a key written again moves last
    model: dict[str, dict[str, str | None]] = {}
    expected: list[tuple[str, list[tuple[str, str | None]]]] = []
    with CognitoSyncMock(now=START) as cs:
        client = boto3.client(
            "cognito-sync", region_name="us-east-1", config=ONE_ATTEMPT
        )
        pool = cs.create_identity_pool()
        # Streaming is on only while publishing: the stream holds nothing
        # but what the publishes wrote.
        cs.configure_streams(pool, STREAM, enabled=False)
        for kind, name, changes in steps:
            if kind == "publish":
                cs.advance_time(dt.timedelta(hours=24))
                cs.configure_streams(pool, STREAM)
                client.bulk_publish(IdentityPoolId=pool)
                cs.configure_streams(pool, STREAM, enabled=False)
                expected += [(name, list(held.items())) for name, held in model.items()]
                continue
            if kind == "delete":
                if name in model:
                    client.delete_dataset(
                        IdentityPoolId=pool, IdentityId=IDENTITY, DatasetName=name
                    )
                    del model[name]
                continue
            if kind == "seed":
                cs.put_dataset(pool, IDENTITY, name, changes)
            else:
                sync_changes(client, pool, changes, dataset=name)
            held = model.setdefault(name, {})
            for key in sorted(changes):
                held.pop(key, None)
                held[key] = changes[key]

        streamed = [
            (
                record["datasetName"],
                [(sync["key"], sync["value"]) for sync in record["kinesisSyncRecords"]],
            )
            for record in cs.stream_records(STREAM)
        ]
    assert streamed == expected
