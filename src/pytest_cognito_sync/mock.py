"""The public object: one mock that is a context manager, a decorator and
a start()/stop() pair, with the helpers tests seed and steer it with."""

from __future__ import annotations

import datetime as dt
import functools
import inspect
import re
import sys
import uuid
from collections.abc import Callable, Mapping
from types import ModuleType, TracebackType
from typing import TYPE_CHECKING, Any, TypeVar, overload

from ._options import DEFAULTS, Options, check_option_names, to_timedelta
from .interception import active

if TYPE_CHECKING:
    from .backend import Backend, Call
    from .backend.state import IdentityPool

T = TypeVar("T")

_POOL_ID = re.compile(r"[\w-]+:[0-9a-f-]+", re.ASCII)
_DATASET_NAME = re.compile(r"[a-zA-Z0-9_.:-]+")
_REGION_PREFIX = re.compile(r"[a-z]{2}(-[a-z]+)+-\d+")
#: What the seeding helpers write as LastModifiedBy.
SEEDED_BY = "pytest-cognito-sync"


class CognitoSyncMock:
    """A fake Cognito Sync service, active between ``start()`` and ``stop()``.

    Every activation starts from empty state and ``stop()`` discards it.
    """

    def __init__(self, **options: Any) -> None:
        check_option_names(options, "mock_cognito_sync")
        self.options = Options(**options) if options else DEFAULTS
        self._backend: Backend | None = None
        # Per ``with`` entry (decorators enter too): whether that entry
        # started the mock. Re-entering an active mock, as a decorated
        # function called inside another does, must not stop it on exit.
        self._entries: list[bool] = []

    # -- activation ---------------------------------------------------------

    def start(self) -> CognitoSyncMock:
        """Activate with empty state; a no-op if this mock is already active."""
        if self._backend is None:
            # Imported here, not at module level: the pytest plugin imports
            # this module in every test run, mocks or not.
            from .backend import Backend

            self._backend = Backend(self.options)
            active.push(self._backend)
        return self

    def stop(self) -> None:
        """Deactivate and discard the state; harmless if not active."""
        backend, self._backend = self._backend, None
        if backend is not None:
            active.remove(backend)

    @property
    def active(self) -> bool:
        return self._backend is not None

    def __enter__(self) -> CognitoSyncMock:
        self._entries.append(not self.active)
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        started_here = self._entries.pop() if self._entries else True
        if started_here:
            self.stop()

    async def __aenter__(self) -> CognitoSyncMock:
        return self.__enter__()

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.__exit__(exc_type, exc, traceback)

    def __call__(self, target: T) -> T:
        """Decorate a function, a coroutine function or a class."""
        if isinstance(target, type):
            return self._decorate_class(target)  # type: ignore[return-value]
        if not callable(target):
            raise TypeError(
                f"mock_cognito_sync decorates functions and classes; got {target!r}"
            )
        return self._decorate_function(target)  # type: ignore[return-value]

    def _decorate_function(self, func: Callable[..., Any]) -> Callable[..., Any]:
        if inspect.iscoroutinefunction(func):

            @functools.wraps(func)
            async def run_async(*args: Any, **kwargs: Any) -> Any:
                with self:
                    return await func(*args, **kwargs)

            return run_async

        @functools.wraps(func)
        def run(*args: Any, **kwargs: Any) -> Any:
            with self:
                return func(*args, **kwargs)

        return run

    def _decorate_class(self, cls: type) -> type:
        # A TestCase subclass means unittest is loaded; don't import it here.
        unittest = sys.modules.get("unittest")
        if unittest is not None and issubclass(cls, unittest.TestCase):
            # setUp runs inside the mock; stop() comes after tearDown and
            # every cleanup registered in setUp.
            original_setup = cls.setUp  # type: ignore[attr-defined]

            def setUp(test: Any) -> None:  # noqa: N802
                self.start()
                test.addCleanup(self.stop)
                original_setup(test)

            cls.setUp = setUp  # type: ignore[attr-defined]
            return cls
        for name, attribute in list(vars(cls).items()):
            if name.startswith("test") and callable(attribute):
                setattr(cls, name, self._decorate_function(attribute))
        if callable(getattr(cls, "setup_method", None)):
            self._wrap_pytest_setup(cls)
        return cls

    def _wrap_pytest_setup(self, cls: type) -> None:
        """Run pytest's setup_method and teardown_method inside the mock too,
        as TestCase.setUp is: a test class seeds there. The test methods'
        own wrappers then find the mock active and leave it running."""
        original_setup = cls.setup_method  # type: ignore[attr-defined]
        original_teardown = getattr(cls, "teardown_method", None)

        def setup_method(test: Any, method: Any = None) -> None:
            self.start()
            _call_with_optional_method(original_setup, test, method)

        def teardown_method(test: Any, method: Any = None) -> None:
            try:
                if original_teardown is not None:
                    _call_with_optional_method(original_teardown, test, method)
            finally:
                self.stop()

        cls.setup_method = setup_method  # type: ignore[attr-defined]
        cls.teardown_method = teardown_method  # type: ignore[attr-defined]

    # -- seeding ------------------------------------------------------------

    @property
    def backend(self) -> Backend:
        if self._backend is None:
            raise RuntimeError(
                "this CognitoSyncMock is not active: use it inside `with`, as a "
                "decorator, between start() and stop(), or through the "
                "cognito_sync_mock fixture"
            )
        return self._backend

    def create_identity_pool(
        self,
        identity_pool_id: str | None = None,
        *,
        region: str | None = None,
        account_id: str | None = None,
    ) -> str:
        """Register a pool, as Cognito Identity would have created it."""
        from .backend.state import IdentityPool

        backend = self.backend
        if identity_pool_id is None:
            region = region or self.options.region
            identity_pool_id = f"{region}:{uuid.uuid4()}"
        _check_id("identity_pool_id", identity_pool_id)
        if region is None:
            prefix = identity_pool_id.split(":", 1)[0]
            region = prefix if _REGION_PREFIX.fullmatch(prefix) else self.options.region
        Options(region=region)  # validates it, naming the rule
        account = account_id or self.options.account_id
        Options(account_id=account)
        with backend.lock:
            backend.add_pool(IdentityPool(identity_pool_id, account, region))
        return identity_pool_id

    def put_dataset(
        self,
        identity_pool_id: str,
        identity_id: str,
        dataset_name: str,
        records: Mapping[str, str | None],
    ) -> None:
        """Seed a dataset as data that existed before the test began.

        ``records`` maps each key to its value, or to ``None`` for a removed
        record (a tombstone). It writes no stream record: only API calls
        stream. Seeding an existing dataset replaces the given keys in one
        new sync count. What the service refuses (more than 20 datasets per
        identity, 1,024 records or 1 MB per dataset, keys and values longer
        than the model allows) is refused with a ValueError naming the limit.
        """
        _check_id("identity_id", identity_id)
        if not (
            1 <= len(dataset_name) <= 128 and _DATASET_NAME.fullmatch(dataset_name)
        ):
            raise ValueError(
                f"dataset_name must be 1-128 characters of a-z A-Z 0-9 _ . : -; "
                f"got {dataset_name!r}"
            )
        backend = self.backend
        with backend.lock:
            pool = self._pool(identity_pool_id)
            now = backend.clock.now()
            _seeding().seed_dataset(
                pool, identity_id, dataset_name, records, now, SEEDED_BY
            )

    def configure_streams(
        self,
        identity_pool_id: str,
        stream_name: str,
        *,
        role_arn: str | None = None,
        enabled: bool = True,
    ) -> None:
        """The same effect as SetIdentityPoolConfiguration's CognitoStreams
        (it goes through the same code, and the model's validation)."""
        from .backend.configuration import configure, validated
        from .errors import ServiceError

        streams = {
            "StreamName": stream_name,
            "StreamingStatus": "ENABLED" if enabled else "DISABLED",
        }
        if role_arn is not None:
            streams["RoleArn"] = role_arn
        try:
            streams = validated("CognitoStreams", streams, "cognitoStreams")
        except ServiceError as error:
            raise ValueError(error.message) from None
        with self.backend.lock:
            configure(self._pool(identity_pool_id), cognito_streams=streams)

    # -- time ---------------------------------------------------------------

    def now(self) -> dt.datetime:
        """The fake service's clock, timezone-aware UTC."""
        return self.backend.clock.now()

    def advance_time(self, delta: float | dt.timedelta) -> None:
        """Move the clock forward by seconds or a timedelta."""
        backend = self.backend
        with backend.lock:
            backend.clock.advance(
                to_timedelta(delta, "delta"),
                given=None if isinstance(delta, dt.timedelta) else f"{delta!r} seconds",
            )
            backend.settle(backend.clock.now())

    # -- bulk publish -------------------------------------------------------

    def complete_bulk_publish(self, identity_pool_id: str) -> None:
        """End the pool's IN_PROGRESS publish now, with its normal outcome."""
        backend = self.backend
        with backend.lock:
            pool = self._in_progress(identity_pool_id, "complete_bulk_publish")
            backend.finish_publish(pool, backend.clock.now())

    def fail_bulk_publish(self, identity_pool_id: str, message: str) -> None:
        """End the IN_PROGRESS publish FAILED now, or make the next one fail."""
        backend = self.backend
        with backend.lock:
            backend.settle(backend.clock.now())
            pool = self._pool(identity_pool_id)
            pool.bulk_publish.forced_failure = message
            if pool.bulk_publish.status == "IN_PROGRESS":
                backend.finish_publish(pool, backend.clock.now())

    # -- faults -------------------------------------------------------------

    def inject_error(
        self,
        operation: str,
        error_code: str,
        *,
        message: str | None = None,
        times: int = 1,
    ) -> None:
        """The next ``times`` calls of ``operation`` answer with that error."""
        backend = self.backend
        with backend.lock:
            backend.faults.inject(operation, error_code, message, times)

    # -- inspection ---------------------------------------------------------

    def stream_records(self, stream_name: str) -> list[dict[str, Any]]:
        """Cognito Streams records written to that stream, oldest first."""
        backend = self.backend
        with backend.lock:
            backend.settle(backend.clock.now())
            return backend.streams.records(stream_name)

    def stream_payload(self, url: str) -> list[dict[str, Any]]:
        """The sync records behind a stream record's ``kinesisSyncRecordsURL``."""
        backend = self.backend
        with backend.lock:
            payload = backend.streams.payload(url)
        if payload is None:
            raise KeyError(f"no stream record of this mock has the payload URL {url!r}")
        return payload

    def issue_identity_credentials(
        self, identity_id: str | None = None
    ) -> dict[str, Any]:
        """Temporary credentials as Cognito Identity's GetCredentialsForIdentity
        returns them: developer-only operations refuse them."""
        backend = self.backend
        if identity_id is None:
            identity_id = f"{self.options.region}:{uuid.uuid4()}"
        _check_id("identity_id", identity_id)
        with backend.lock:
            return backend.credentials.issue_identity(
                self.options.account_id, identity_id, backend.clock.now()
            )

    def account_credentials(self, account_id: str) -> dict[str, str]:
        """Developer credentials (``AccessKeyId``, ``SecretAccessKey``) that
        the fake maps to ``account_id``."""
        Options(account_id=account_id)
        backend = self.backend
        with backend.lock:
            return backend.credentials.issue_developer(account_id)

    @property
    def calls(self) -> list[Call]:
        """Every request received, oldest first (each retry is its own)."""
        backend = self.backend
        with backend.lock:
            return list(backend.calls)

    def reset(self) -> None:
        """Back to empty state, still active."""
        from .backend import Backend

        old = self.backend
        new = Backend(self.options)
        self._backend = new
        active.replace(old, new)

    # -- helpers ------------------------------------------------------------

    def _pool(self, identity_pool_id: str) -> IdentityPool:
        matches = self.backend.pools_named(identity_pool_id)
        if not matches:
            known = ", ".join(pool.pool_id for pool in self.backend.pools()) or "none"
            raise KeyError(
                f"no identity pool {identity_pool_id!r}; create_identity_pool() first "
                f"(pools: {known})"
            )
        if len(matches) > 1:
            raise KeyError(
                f"identity pool id {identity_pool_id!r} exists in several accounts "
                "or regions; it is ambiguous here"
            )
        return matches[0]

    def _in_progress(self, identity_pool_id: str, helper: str) -> IdentityPool:
        backend = self.backend
        backend.settle(backend.clock.now())
        pool = self._pool(identity_pool_id)
        status = pool.bulk_publish.status
        if status != "IN_PROGRESS":
            raise RuntimeError(
                f"{helper}(): no bulk publish is IN_PROGRESS for {identity_pool_id} "
                f"(its status is {status})"
            )
        return pool

    # -- cognito events and push sync ---------------------------------------

    def set_sync_trigger(
        self,
        identity_pool_id: str,
        function: Callable[[dict[str, Any], Any], Any],
        *,
        lambda_arn: str | None = None,
        timeout: float | dt.timedelta = 5,
    ) -> str:
        """Run ``function(event, context)`` where the pool's SyncTrigger Lambda
        function would run, and return that function's ARN.

        ``lambda_arn`` (or, when the pool has no SyncTrigger yet, a made-up
        ARN) is set as SetCognitoEvents would set it. As on AWS, only
        UpdateRecords calls signed with Cognito Identity credentials run it.
        A run that takes longer than ``timeout`` seconds (at most the 5 that
        Cognito waits) fails the UpdateRecords with
        LambdaSocketTimeoutException and writes nothing.
        """
        from .backend.events import SYNC_TRIGGER, default_trigger_arn, set_events
        from .backend.state import SYNC_TRIGGER_TIMEOUT
        from .errors import ServiceError

        if not callable(function):
            raise TypeError(
                f"the sync trigger must be callable as function(event, context); "
                f"got {function!r}"
            )
        try:
            limit = to_timedelta(timeout, "timeout", SYNC_TRIGGER_TIMEOUT)
        except ValueError as error:
            raise ValueError(
                f"{error}: Cognito waits at most 5 seconds for a sync trigger, "
                "and that limit cannot be raised"
            ) from None
        if not limit:
            raise ValueError(f"timeout must be more than 0 seconds; got {timeout!r}")
        with self.backend.lock:
            pool = self._pool(identity_pool_id)
            arn = (
                lambda_arn or pool.events.get(SYNC_TRIGGER) or default_trigger_arn(pool)
            )
            try:
                set_events(pool, {SYNC_TRIGGER: arn})
            except ServiceError as error:
                raise ValueError(error.message) from None
            pool.sync_trigger = function
            pool.sync_trigger_timeout = limit
            return arn

    def throttle_sync_trigger(self, identity_pool_id: str, *, times: int = 1) -> None:
        """The pool's next ``times`` sync trigger runs are throttled by AWS
        Lambda: UpdateRecords answers LambdaThrottledException (429)."""
        if isinstance(times, bool) or not isinstance(times, int) or times < 1:
            raise ValueError(f"times must be a whole number >= 1; got {times!r}")
        with self.backend.lock:
            self._pool(identity_pool_id).trigger_throttles += times

    def push_notifications(self, identity_pool_id: str) -> list[dict[str, Any]]:
        """The silent pushes the pool's dataset changes would have sent to
        subscribed devices, oldest first: ``deviceId``, ``platform``,
        ``token``, ``applicationArn``, ``sent`` and the ``payload``."""
        from .backend.push import render

        with self.backend.lock:
            pool = self._pool(identity_pool_id)
            return [render(pool.pool_id, sent) for sent in pool.notifications]

    # -- the migration pipeline: Kinesis consumers, merged identities -------

    def lambda_events(
        self, stream_name: str, *, batch_size: int = 100
    ) -> list[dict[str, Any]]:
        """The events a Lambda function subscribed to the Kinesis stream
        through an event source mapping would receive, in order: dicts of
        ``{"Records": [...]}`` with at most ``batch_size`` records of one
        shard each, shaped as AWS documents Kinesis events for Lambda."""
        from .backend.kinesis import MAX_BATCH_SIZE

        if (
            isinstance(batch_size, bool)
            or not isinstance(batch_size, int)
            or not 1 <= batch_size <= MAX_BATCH_SIZE
        ):
            raise ValueError(
                f"batch_size must be a whole number from 1 to {MAX_BATCH_SIZE} "
                f"(Lambda's range for Kinesis); got {batch_size!r}"
            )
        backend = self.backend
        with backend.lock:
            backend.settle(backend.clock.now())
            return backend.kinesis.lambda_events(
                stream_name, backend.streams.events(stream_name), batch_size
            )

    def merge_identities(
        self, identity_pool_id: str, source_identity_id: str, target_identity_id: str
    ) -> list[str]:
        """What Cognito Sync does when Cognito Identity merges the source
        identity into the target: the target receives each of the source's
        datasets as ``<datasetName>.<sourceIdentityId>``, and its ListRecords
        of ``<datasetName>`` reports them in ``MergedDatasetNames``. Returns
        the merged datasets' names."""
        from .backend.merges import merge

        _check_id("source_identity_id", source_identity_id)
        _check_id("target_identity_id", target_identity_id)
        if source_identity_id == target_identity_id:
            raise ValueError(
                "merge_identities() merges two different identities; got "
                f"{source_identity_id!r} twice"
            )
        with self.backend.lock:
            pool = self._pool(identity_pool_id)
            return merge(pool, source_identity_id, target_identity_id)

    # -- representation -----------------------------------------------------

    def __repr__(self) -> str:
        backend = self._backend
        if backend is None:
            state = "inactive"
        else:
            with backend.lock:
                count = len(backend.pools())
            state = f"active, {count} pool{'' if count == 1 else 's'}"
        return (
            f"<CognitoSyncMock {state}, region={self.options.region!r}, "
            f"account_id={self.options.account_id!r}>"
        )


def _call_with_optional_method(hook: Any, test: Any, method: Any) -> None:
    # pytest passes the test method only to hooks that take it.
    code = getattr(hook, "__code__", None)
    if code is None or code.co_argcount > 1:
        hook(test, method)
    else:
        hook(test)


@functools.cache
def _seeding() -> ModuleType:
    # Imported at the first seed, not with this module (the plugin imports
    # it in every run), and cached: an import statement per seed would cost
    # more than the checks do.
    from .backend import seeding

    return seeding


def _check_id(name: str, value: str) -> None:
    valid = isinstance(value, str) and 1 <= len(value) <= 55
    if not valid or not _POOL_ID.fullmatch(value):
        raise ValueError(
            f"{name} must match [\\w-]+:[0-9a-f-]+ in 1-55 characters "
            f"(like 'us-east-1:0d3a1d12-8d5c-4c7b-9b3c-2a1e7f0e5b6d'); got {value!r}"
        )


@overload
def mock_cognito_sync(target: T, /) -> T: ...
@overload
def mock_cognito_sync(
    *,
    region: str = ...,
    account_id: str = ...,
    bulk_publish_duration: float | dt.timedelta = ...,
    now: dt.datetime | str | None = ...,
) -> CognitoSyncMock: ...
def mock_cognito_sync(target: Any = None, /, **options: Any) -> Any:
    """A new :class:`CognitoSyncMock`; applied bare to a function or class,
    decorates it with one that has the default options."""
    if target is None:
        return CognitoSyncMock(**options)
    if options:
        raise TypeError(
            "mock_cognito_sync takes a function or class, or options; not both"
        )
    return CognitoSyncMock()(target)
