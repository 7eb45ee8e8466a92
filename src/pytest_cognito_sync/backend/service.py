"""The fake Cognito Sync service: accounts -> regions -> identity pools.

One lock serialises every request and every test-side change, so calls
from many threads and clients see one consistent service (and exactly one
of N racing BulkPublish calls wins).
"""

from __future__ import annotations

import datetime as dt
import heapq
import itertools
import threading
from collections.abc import Mapping
from typing import Any

from .._model import error_status, service_model, success_status
from .._named_tuples import build
from .._options import Options
from ..errors import ServiceError, not_authorized
from ..integrations.moto_bridge import MotoBridge
from ..protocol.decoding import ServiceRequest
from .authentication import authenticate
from .calls import Call
from .clock import Clock
from .credentials import CredentialRegistry, Principal
from .faults import FaultPlan
from .kinesis import KinesisLedger
from .registry import OPERATIONS, Access, Context
from .state import IdentityPool, Record
from .streams import StreamLog, collector_paused

PoolKey = tuple[str, str, str]  # account, region, pool id

#: The collector is paused for a bulk publish of this many datasets or more:
#: fewer make fewer containers than it waits for before a collection, and
#: pausing and resuming it costs a small pool's publish a tenth of its work.
_PAUSE_FROM = 100


# Read once, here: CPython 3.11 looks up an attribute of a class (an enum
# member) or of an imported dict through the type at every read, a few cold
# cache lines each.
_OWN_IDENTITY = Access.OWN_IDENTITY
_spec_of = OPERATIONS.get


class Backend:
    def __init__(self, options: Options) -> None:
        service_model()  # load the model now, not during the first call
        self.options = options
        #: how long a bulk publish stays IN_PROGRESS: options are frozen, and
        #: converting theirs costs every BulkPublish a Python call chain
        self.bulk_publish_duration = options.duration
        self.lock = threading.RLock()
        self.clock = Clock(options.start_time)
        self.faults = FaultPlan()
        self.credentials = CredentialRegistry(options.account_id)
        self.streams = StreamLog()
        self.neighbours = MotoBridge()
        self.kinesis = KinesisLedger(self.neighbours)
        self.calls: list[Call] = []
        self._pools: dict[PoolKey, IdentityPool] = {}
        #: the keys of ``_pools`` by pool id: the test-side helpers name a
        #: pool by its id alone, and finding it by a walk of every pool made
        #: each of them cost in proportion to the pools (a seed 40 times as
        #: much in a mock of 10,000 pools)
        self._keys_by_id: dict[str, list[PoolKey]] = {}
        #: the ids of ``_pools`` by account and region, in the order they
        #: were stored (an ordered set): ListIdentityPoolUsage pages through
        #: one account and region, and a walk of every pool made each of its
        #: pages cost in proportion to all of them (a page in a mock of
        #: 20,000 pools 4.9 times what it costs in a mock of 61)
        self._ids_by_home: dict[tuple[str, str], dict[str, None]] = {}
        #: pools with a bulk publish IN_PROGRESS, settled before every
        #: request, each with the number of its publish's start
        self._publishing: dict[PoolKey, int] = {}
        #: those publishes as (due, start, pool), the earliest due first: a
        #: request settles the ones that came due without a walk of every
        #: pool publishing (a test that publishes 1,000 pools at once made
        #: each of its requests walk all 1,000). An entry of a publish that
        #: ended otherwise, its start no longer the pool's, is dropped when
        #: it comes first.
        self._due: list[tuple[dt.datetime, int, PoolKey]] = []
        self._starts = itertools.count()
        #: pools that exist because an outside Cognito Identity (moto) holds
        #: them, and only while it does
        self._adopted: set[PoolKey] = set()

    # -- requests -----------------------------------------------------------

    def handle(self, request: ServiceRequest) -> dict[str, Any] | ServiceError:
        with self.lock:
            # Unpacked once: see ``_named_tuples``.
            operation, params, (access_key, region), problem, http = request
            outcome: dict[str, Any] | ServiceError
            # None, or the key the fake issued (and knows the secret of)
            issued = self.credentials.issued.get(access_key) if access_key else None
            fault = self.faults.take(operation) if self.faults.queued else None
            if fault is not None:
                outcome = fault
            elif operation is not None and access_key is None:
                # AWS authenticates a request before it validates it.
                outcome = not_authorized("Missing Authentication Token")
            elif (
                operation is not None
                and issued is not None
                and http is not None
                and (refusal := authenticate(issued, http, self.clock.now()))
            ):
                outcome = refusal
            elif problem is not None:
                outcome = problem
            else:
                assert operation is not None  # routed requests have one
                assert access_key is not None  # refused above
                principal = (
                    issued.principal
                    if issued is not None
                    else self.credentials.default_principal
                )
                try:
                    outcome = self._run(operation, principal, params, region)
                except ServiceError as error:
                    outcome = error
            if isinstance(outcome, ServiceError):
                code, status = outcome.code, error_status(outcome.code)
            else:
                code, status = None, success_status(operation)
            self.calls.append(build(Call, (operation, params, code, status)))
            return outcome

    def _run(
        self,
        operation: str,
        principal: Principal,
        params: Mapping[str, Any],
        region: str | None,
    ) -> dict[str, Any]:
        spec = _spec_of(operation)
        if spec is None:
            raise ServiceError(
                "NotImplemented",
                f"pytest-cognito-sync does not implement {operation} yet; "
                "implemented operations are: " + ", ".join(sorted(OPERATIONS)),
            )
        # Developer credentials are refused by identity-only operations alone.
        if principal.identity_id is not None or spec.access is _OWN_IDENTITY:
            _authorize(spec.access, principal, operation, params)
        now = self.clock.now() if spec.reads_clock or self._publishing else None
        if now is not None and self._publishing:
            self.settle(now)
        context = build(Context, (self, principal, region or self.options.region, now))
        # Read, then called: called as a method, the handler would be looked
        # up in a way CPython 3.11 does not specialize for a slot.
        handler = spec.handler
        return handler(context, params)

    # -- bulk publish -------------------------------------------------------

    def publishing(self, pool: IdentityPool) -> None:
        """Note the pool's publish, just started, as in progress."""
        due = pool.bulk_publish.due
        assert due is not None  # started
        if not self._publishing:
            self._due.clear()  # nothing in progress: every entry is stale
        key, start = _key(pool), next(self._starts)
        self._publishing[key] = start
        heapq.heappush(self._due, (due, start, key))

    def settle(self, now: dt.datetime) -> None:
        """Finish every bulk publish that came due, in the order they did
        (those due at the same moment in the order they started)."""
        due = self._due
        while self._publishing and due and due[0][0] <= now:
            at, start, key = heapq.heappop(due)
            if self._publishing.get(key) != start:
                continue  # that publish ended, or its pool went, before it came due
            # A pool moto deleted (or that went with moto) mid-publish is
            # forgotten here, before its publish could stream its data.
            pool = self.find_pool(*key) if key in self._adopted else self._pools[key]
            if pool is not None:
                self.finish_publish(pool, at)

    def finish_publish(self, pool: IdentityPool, at: dt.datetime) -> None:
        """End ``pool``'s publish at ``at`` with the outcome it has then."""
        if self._publishing:  # else it is a zero-length publish, never noted
            self._publishing.pop(_key(pool), None)
        publish = pool.bulk_publish
        failure = publish.take_forced_failure() or pool.streaming_problem()
        if failure is not None:
            publish.fail(failure)
            return
        assert pool.streams is not None and pool.streams.stream_name
        datasets = pool.datasets()
        if len(datasets) < _PAUSE_FROM:
            written = self.streams.write_datasets(
                pool.streams.stream_name, pool.pool_id, datasets
            )
        else:
            with collector_paused():
                written = self.streams.write_datasets(
                    pool.streams.stream_name, pool.pool_id, datasets
                )
        self.kinesis.written(written, pool.account_id, pool.region, at)
        publish.succeed(at)

    # -- cognito streams ----------------------------------------------------

    def stream(
        self,
        pool: IdentityPool,
        identity_id: str,
        dataset_name: str,
        operation: str,
        records: tuple[Record, ...],
        sync_count: int,
        at: dt.datetime,
    ) -> None:
        """Write one record to the pool's Cognito stream (and Kinesis)."""
        assert pool.streams is not None and pool.streams.stream_name
        event = self.streams.write(
            pool.streams.stream_name,
            pool.pool_id,
            identity_id,
            dataset_name,
            operation,
            records,
            sync_count,
            at,
        )
        self.kinesis.written((event,), pool.account_id, pool.region, at)

    # -- pools --------------------------------------------------------------

    def find_pool(
        self, account_id: str, region: str, pool_id: str
    ) -> IdentityPool | None:
        key = (account_id, region, pool_id)
        pool = self._pools.get(key)
        if pool is None:
            if self.neighbours.holds_identity_pool(account_id, region, pool_id):
                return self._adopt(key)
        elif key in self._adopted and not self.neighbours.holds_identity_pool(
            account_id, region, pool_id
        ):
            # Deleted from (or gone with) the outside Cognito Identity.
            self._forget(key)
            return None
        return pool

    def _adopt(self, key: PoolKey) -> IdentityPool:
        pool = IdentityPool(key[2], key[0], key[1])
        self._store_pool(key, pool)
        self._adopted.add(key)
        return pool

    def _store_pool(self, key: PoolKey, pool: IdentityPool) -> None:
        self._pools[key] = pool
        self._keys_by_id.setdefault(key[2], []).append(key)
        self._ids_by_home.setdefault(key[:2], {})[key[2]] = None

    def _forget(self, key: PoolKey) -> None:
        del self._pools[key]
        same_id = self._keys_by_id[key[2]]
        same_id.remove(key)
        if not same_id:
            del self._keys_by_id[key[2]]
        home = self._ids_by_home[key[:2]]
        del home[key[2]]
        if not home:
            del self._ids_by_home[key[:2]]
        self._adopted.discard(key)
        self._publishing.pop(key, None)

    def pools_in(
        self,
        account_id: str,
        region: str,
        after: str | None = None,
        limit: int | None = None,
    ) -> list[IdentityPool]:
        """The pools of an account and region, outside ones included, in the
        order the fake met them: with ``after`` (a pool of theirs that
        exists) those that follow it, and at most ``limit`` of them."""
        for pool_id in self.neighbours.identity_pools(account_id, region):
            self.find_pool(account_id, region, pool_id)
        # A copy: finding a pool may forget it.
        pool_ids = list(self._ids_by_home.get((account_id, region), ()))
        if after is not None:
            del pool_ids[: pool_ids.index(after) + 1]
        found: list[IdentityPool] = []
        # Asked one by one: a page asks its own pools alone.
        for pool_id in pool_ids:
            if len(found) == limit:
                break
            pool = self.find_pool(account_id, region, pool_id)
            if pool is not None:
                found.append(pool)
        return found

    def add_pool(self, pool: IdentityPool) -> None:
        key = _key(pool)
        # Asked as a request would ask: a pool an outside Cognito Identity
        # deleted is gone, and one it holds exists.
        if self.find_pool(*key) is not None:
            where = f"account {pool.account_id}, region {pool.region}"
            if key in self._adopted:
                where += " (an outside Cognito Identity, such as moto's, holds it)"
            raise ValueError(
                f"identity pool {pool.pool_id!r} already exists in {where}"
            )
        if pool.created is None:
            pool.created = self.clock.now()
        self._store_pool(key, pool)

    def pools(self) -> list[IdentityPool]:
        return list(self._pools.values())

    def pools_named(self, pool_id: str) -> list[IdentityPool]:
        for account_id, region in self.neighbours.identity_pool_homes(pool_id):
            self.find_pool(account_id, region, pool_id)
        found = []
        # A copy: finding a pool may forget it.
        for key in list(self._keys_by_id.get(pool_id, ())):
            pool = self.find_pool(*key)
            if pool is not None:
                found.append(pool)
        return found


def _key(pool: IdentityPool) -> PoolKey:
    return (pool.account_id, pool.region, pool.pool_id)


def _authorize(
    access: Access, principal: Principal, operation: str, params: Mapping[str, Any]
) -> None:
    identity = principal.identity_id
    if access is Access.DEVELOPER:
        if identity is not None:
            raise not_authorized(
                f"{operation} can only be called with developer credentials, "
                "not with Cognito Identity credentials"
            )
        return
    if identity is None:
        if access is Access.OWN_IDENTITY:
            raise not_authorized(
                f"{operation} can only be called with Cognito Identity credentials"
            )
        return
    if params.get("IdentityId") != identity:
        raise not_authorized(
            "These credentials are not valid for accessing this resource"
        )
