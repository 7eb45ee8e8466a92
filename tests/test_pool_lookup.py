"""Pools are found by id alone (the test-side helpers' way) and by account
and region (ListIdentityPoolUsage's, in the order they were met, from any
pool on), whether the fake created them or an outside Cognito Identity
holds them, for as long as it holds them."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pytest_cognito_sync._options import Options
from pytest_cognito_sync.backend import Backend
from pytest_cognito_sync.backend.state import IdentityPool

Key = tuple[str, str, str]  # account, region, pool id

ACCOUNTS = ("111111111111", "222222222222")
REGIONS = ("us-east-1", "eu-west-1")
POOL_IDS = ("us-east-1:0000", "us-east-1:1111")


class OutsideIdentity:
    """An outside Cognito Identity (moto's part), as a set of pool keys."""

    def __init__(self) -> None:
        self.held: set[Key] = set()

    def holds_identity_pool(self, account_id: str, region: str, pool_id: str) -> bool:
        return (account_id, region, pool_id) in self.held

    def identity_pools(self, account_id: str, region: str) -> list[str]:
        return [key[2] for key in self.held if key[:2] == (account_id, region)]

    def identity_pool_homes(self, pool_id: str) -> list[tuple[str, str]]:
        return [(key[0], key[1]) for key in self.held if key[2] == pool_id]

    def has_stream(self, account_id: str, region: str, stream_name: str) -> bool:
        return False

    def deliver(self, *args: Any) -> None:
        return None


#: one pool id in two accounts and two regions, and another id: few
#: enough that a sequence comes back to the same pool
KEYS = [
    (ACCOUNTS[0], REGIONS[0], POOL_IDS[0]),
    (ACCOUNTS[1], REGIONS[0], POOL_IDS[0]),
    (ACCOUNTS[0], REGIONS[1], POOL_IDS[0]),
    (ACCOUNTS[0], REGIONS[0], POOL_IDS[1]),
]
keys = st.sampled_from(KEYS)
steps = st.lists(
    st.one_of(
        st.tuples(st.just("create"), keys),
        st.tuples(st.just("outside creates"), keys),
        st.tuples(st.just("outside deletes"), keys),
    ),
    max_size=40,
)


def _key(pool: IdentityPool) -> Key:
    return (pool.account_id, pool.region, pool.pool_id)


@settings(max_examples=500, deadline=None)
@given(steps)
def test_pools_are_found_while_they_exist_whoever_holds_them(
    steps: list[tuple[str, Any]],
) -> None:
    backend = Backend(Options())
    outside = OutsideIdentity()
    backend.neighbours = outside
    created: set[Key] = set()  # by the fake: they stay whatever moto does
    order: dict[tuple[str, str], list[Key]] = {}  # each home's pools, as listed

    def existing() -> set[Key]:
        return created | outside.held

    for step, argument in steps:
        if step == "create":
            account, region, pool_id = argument
            should_exist = argument in existing()
            try:
                backend.add_pool(IdentityPool(pool_id, account, region))
            except ValueError:
                assert should_exist, f"{argument} refused as existing"
            else:
                assert not should_exist, f"{argument} created twice"
                created.add(argument)
        elif step == "outside creates":
            outside.held.add(argument)
        else:
            outside.held.discard(argument)
        # Every lookup after every step: a stale or missing entry shows at once.
        for pool_id in POOL_IDS:
            found = sorted(_key(pool) for pool in backend.pools_named(pool_id))
            assert found == sorted(key for key in existing() if key[2] == pool_id)
        for account in ACCOUNTS:
            for region in REGIONS:
                listed = [_key(pool) for pool in backend.pools_in(account, region)]
                expected = [key for key in existing() if key[:2] == (account, region)]
                assert sorted(listed) == sorted(expected)
                # Pools keep the order they were met in, from step to step.
                before = [
                    key for key in order.get((account, region), []) if key in listed
                ]
                assert [key for key in listed if key in before] == before
                order[account, region] = listed
                # Those after any one of them, as a page starts: the rest.
                for position, (_, _, pool_id) in enumerate(listed):
                    rest = backend.pools_in(account, region, after=pool_id)
                    assert [_key(pool) for pool in rest] == listed[position + 1 :]


def test_a_pool_found_again_is_the_same_pool_with_its_data() -> None:
    backend = Backend(Options())
    outside = OutsideIdentity()
    backend.neighbours = outside
    outside.held.add((ACCOUNTS[0], REGIONS[0], POOL_IDS[0]))
    (adopted,) = backend.pools_named(POOL_IDS[0])
    adopted.sync_sessions = 7
    assert backend.pools_named(POOL_IDS[0]) == [adopted]
    assert backend.pools_named(POOL_IDS[0])[0].sync_sessions == 7


def test_creating_a_pool_asks_the_outside_identity_as_a_request_would() -> None:
    backend = Backend(Options())
    outside = OutsideIdentity()
    backend.neighbours = outside
    held, deleted = KEYS[3], KEYS[0]  # of different ids
    outside.held.update({held, deleted})
    backend.pools_named(deleted[2])  # met, then deleted outside
    outside.held.discard(deleted)
    # Held outside, never looked up: it exists all the same.
    with pytest.raises(ValueError, match="exists in .* outside Cognito Identity"):
        backend.add_pool(IdentityPool(held[2], held[0], held[1]))
    # Deleted outside since it was last met: it is gone, and may be created.
    backend.add_pool(IdentityPool(deleted[2], deleted[0], deleted[1]))
    assert [_key(pool) for pool in backend.pools_named(deleted[2])] == [deleted]


def test_a_pool_met_again_after_it_was_gone_is_listed_last() -> None:
    backend = Backend(Options())
    outside = OutsideIdentity()
    backend.neighbours = outside
    first, second = KEYS[0], KEYS[3]  # one account and region, two ids
    outside.held.update({first, second})
    listed = [_key(pool) for pool in backend.pools_in(*first[:2])]
    outside.held.discard(listed[0])
    assert [_key(pool) for pool in backend.pools_in(*first[:2])] == listed[1:]
    outside.held.add(listed[0])
    assert [_key(pool) for pool in backend.pools_in(*first[:2])] == [
        listed[1],
        listed[0],
    ]
