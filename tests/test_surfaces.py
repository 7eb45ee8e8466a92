"""One mock, every surface: fixture, decorators (bare, with options, an
instance kept for seeding; functions, coroutines, classes, TestCase),
sync and async context manager, start()/stop(); nesting, reset(), and
misuse answered with clear errors."""

from __future__ import annotations

import inspect
import unittest
from collections.abc import Callable
from typing import Any

import boto3
import pytest

from pytest_cognito_sync import CognitoSyncMock, mock_cognito_sync

FIXED_POOL = "us-east-1:0123abcd"
UNKNOWN_POOL = "us-east-1:00000000-0000-0000-0000-000000000000"


def new_client(region: str = "us-east-1") -> Any:
    return boto3.client("cognito-sync", region_name=region)


def exercise(cs: CognitoSyncMock) -> str:
    """What every surface must support: seed, call, inspect."""
    assert cs.active
    pool = cs.create_identity_pool()
    cs.configure_streams(pool, "s")
    client = new_client(cs.options.region)
    client.bulk_publish(IdentityPoolId=pool)
    status = client.get_bulk_publish_details(IdentityPoolId=pool)["BulkPublishStatus"]
    assert [call.operation for call in cs.calls] == [
        "BulkPublish",
        "GetBulkPublishDetails",
    ]
    return str(status)


def assert_answered_by_a_fake() -> None:
    client = new_client()
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.get_bulk_publish_details(IdentityPoolId=UNKNOWN_POOL)


# -- sync surfaces, parametrized --------------------------------------------


def via_context_manager(
    body: Callable[[CognitoSyncMock], str],
) -> tuple[CognitoSyncMock, str]:
    with mock_cognito_sync() as cs:
        return cs, body(cs)


def via_start_stop(
    body: Callable[[CognitoSyncMock], str],
) -> tuple[CognitoSyncMock, str]:
    cs = mock_cognito_sync()
    assert cs.start() is cs
    try:
        return cs, body(cs)
    finally:
        cs.stop()


def via_instance_decorator(
    body: Callable[[CognitoSyncMock], str],
) -> tuple[CognitoSyncMock, str]:
    cs = mock_cognito_sync()

    @cs
    def run() -> str:
        return body(cs)

    return cs, run()


def via_decorator_with_options(
    body: Callable[[CognitoSyncMock], str],
) -> tuple[CognitoSyncMock, str]:
    cs = mock_cognito_sync(region="eu-west-1", bulk_publish_duration=60)

    @cs
    def run() -> str:
        assert cs.options.region == "eu-west-1"
        return body(cs)

    return cs, run()


SURFACES = pytest.mark.parametrize(
    "surface",
    [
        via_context_manager,
        via_start_stop,
        via_instance_decorator,
        via_decorator_with_options,
    ],
    ids=[
        "context-manager",
        "start-stop",
        "instance-decorator",
        "decorator-with-options",
    ],
)


@SURFACES
def test_every_surface_seeds_answers_and_stops(surface, send_recorder):
    cs, status = surface(exercise)
    expected = "IN_PROGRESS" if cs.options.bulk_publish_duration else "SUCCEEDED"
    assert status == expected
    assert not cs.active
    with pytest.raises(RuntimeError, match="not active"):
        cs.create_identity_pool()


@SURFACES
def test_every_surface_stops_when_the_body_raises(surface):
    mocks = []

    def body(cs: CognitoSyncMock) -> str:
        mocks.append(cs)
        raise LookupError("from the body")

    with pytest.raises(LookupError, match="from the body"):
        surface(body)
    assert not mocks[0].active


def test_the_fixture_is_a_started_mock_with_default_options(cognito_sync_mock):
    assert isinstance(cognito_sync_mock, CognitoSyncMock)
    assert exercise(cognito_sync_mock) == "SUCCEEDED"


@mock_cognito_sync
def test_a_bare_decorator_answers_with_an_empty_fake():
    assert_answered_by_a_fake()


def test_a_bare_decorator_keeps_the_functions_name_and_return_value():
    @mock_cognito_sync
    def documented(value: int) -> int:
        """Doubles."""
        assert_answered_by_a_fake()
        return value * 2

    assert documented(21) == 42
    assert documented.__name__ == "documented"
    assert documented.__doc__ == "Doubles."


# -- async surfaces -----------------------------------------------------------

seeding = mock_cognito_sync()


@pytest.mark.asyncio
@seeding
async def test_an_instance_decorator_on_an_async_test():
    assert exercise(seeding) == "SUCCEEDED"


@pytest.mark.asyncio
@mock_cognito_sync
async def test_a_bare_decorator_on_an_async_test():
    assert_answered_by_a_fake()


@pytest.mark.asyncio
async def test_an_async_context_manager():
    async with mock_cognito_sync() as cs:
        assert exercise(cs) == "SUCCEEDED"
    assert not cs.active


def test_a_decorated_coroutine_function_stays_a_coroutine_function():
    async def coroutine() -> None:
        pass

    assert inspect.iscoroutinefunction(mock_cognito_sync(coroutine))


# -- classes --------------------------------------------------------------------

class_mock = mock_cognito_sync()


@class_mock
class TestADecoratedClass:
    # Both create the same pool: the second would fail if state leaked.
    def test_first_method_runs_inside_the_mock(self):
        class_mock.create_identity_pool(FIXED_POOL)
        assert new_client().get_bulk_publish_details(IdentityPoolId=FIXED_POOL)

    def test_second_method_starts_from_empty_state(self):
        class_mock.create_identity_pool(FIXED_POOL)
        assert class_mock.calls == []


setup_mock = mock_cognito_sync()


@setup_mock
class TestADecoratedClassSeedingInSetupMethod:
    def setup_method(self):
        # Fails if the mock is not active yet, or if state leaked.
        self.pool = setup_mock.create_identity_pool(FIXED_POOL)

    def teardown_method(self):
        assert [call.operation for call in setup_mock.calls] == ["BulkPublish"]

    def test_first_method(self):
        new_client().bulk_publish(IdentityPoolId=self.pool)

    def test_second_method(self):
        new_client().bulk_publish(IdentityPoolId=self.pool)


@pytest.mark.parametrize("takes_method", [True, False])
def test_setup_and_teardown_method_run_inside_and_the_mock_stops_after(
    pytester, takes_method
):
    argument = ", method" if takes_method else ""
    pytester.makeini("[pytest]\nasyncio_default_fixture_loop_scope = function\n")
    pytester.makepyfile(
        f"""
        from pytest_cognito_sync import mock_cognito_sync

        cs = mock_cognito_sync()
        seen = []

        @cs
        class TestIt:
            def setup_method(self{argument}):
                seen.append(("setup", cs.active))

            def teardown_method(self{argument}):
                seen.append(("teardown", cs.active))

            def test_it(self):
                seen.append(("test", cs.active))

        def test_after():
            assert seen == [("setup", True), ("test", True), ("teardown", True)]
            assert not cs.active
        """
    )
    # test_after must run last: the inner run keeps file order.
    pytester.runpytest("-p", "no:randomly").assert_outcomes(passed=2)


def run_test_case(case: type[unittest.TestCase]) -> unittest.TestResult:
    result = unittest.TestResult()
    unittest.defaultTestLoader.loadTestsFromTestCase(case).run(result)
    return result


def test_a_decorated_test_case_runs_setup_and_teardown_inside_the_mock():
    cs = mock_cognito_sync()
    calls_at_teardown: list[int] = []

    @cs
    class Case(unittest.TestCase):
        def setUp(self) -> None:
            # Fails if the mock is not active yet, or if state leaked.
            self.pool = cs.create_identity_pool(FIXED_POOL)
            self.client = new_client()

        def tearDown(self) -> None:
            calls_at_teardown.append(len(cs.calls))

        def test_publish(self) -> None:
            self.client.bulk_publish(IdentityPoolId=self.pool)

        def test_details(self) -> None:
            answer = self.client.get_bulk_publish_details(IdentityPoolId=self.pool)
            assert answer["BulkPublishStatus"] == "NOT_STARTED"

    result = run_test_case(Case)
    assert result.errors == [] and result.failures == []
    assert result.testsRun == 2
    assert calls_at_teardown == [1, 1]
    assert not cs.active


def test_a_bare_decorated_test_case_answers_with_an_empty_fake():
    @mock_cognito_sync
    class Case(unittest.TestCase):
        def test_it(self) -> None:
            assert_answered_by_a_fake()

    result = run_test_case(Case)
    assert result.wasSuccessful() and result.testsRun == 1


def test_a_test_case_whose_setup_fails_still_stops_the_mock():
    cs = mock_cognito_sync()

    @cs
    class Case(unittest.TestCase):
        def setUp(self) -> None:
            raise RuntimeError("setUp broke")

        def test_it(self) -> None:
            pass

    result = run_test_case(Case)
    assert len(result.errors) == 1
    assert not cs.active


def test_a_decorated_plain_class_runs_each_test_method_in_a_fresh_mock():
    cs = mock_cognito_sync()
    pools: list[str] = []

    @cs
    class Plain:
        def test_one(self) -> None:
            pools.append(cs.create_identity_pool(FIXED_POOL))

        def test_two(self) -> None:
            pools.append(cs.create_identity_pool(FIXED_POOL))

        def helper(self) -> bool:
            return cs.active

    instance = Plain()
    instance.test_one()
    instance.test_two()
    assert pools == [FIXED_POOL, FIXED_POOL]
    assert instance.helper() is False  # only test methods are wrapped


# -- start() and stop() -----------------------------------------------------------


def test_start_twice_keeps_the_state():
    cs = mock_cognito_sync().start()
    try:
        pool = cs.create_identity_pool()
        cs.start()
        assert new_client().get_bulk_publish_details(IdentityPoolId=pool)
    finally:
        cs.stop()


def test_stop_before_start_and_stop_twice_are_harmless():
    cs = mock_cognito_sync()
    cs.stop()
    cs.start()
    cs.stop()
    cs.stop()
    assert not cs.active


@pytest.mark.parametrize("stray", ["never-started", "already-stopped"])
def test_a_stray_stop_never_disables_another_active_mock(stray):
    other = mock_cognito_sync()
    if stray == "already-stopped":
        other.start()
        other.stop()
    with mock_cognito_sync() as cs:
        pool = cs.create_identity_pool()
        other.stop()
        assert cs.active
        assert new_client().get_bulk_publish_details(IdentityPoolId=pool)


def test_mocks_stopped_out_of_order_leave_the_other_answering(send_recorder):
    first = mock_cognito_sync().start()
    second = mock_cognito_sync().start()
    pool = second.create_identity_pool()
    first.stop()
    client = new_client()
    client.meta.events.register("before-send", send_recorder)
    assert (
        client.get_bulk_publish_details(IdentityPoolId=pool)["IdentityPoolId"] == pool
    )
    second.stop()
    answer = client.get_bulk_publish_details(IdentityPoolId=pool)
    assert answer["IdentityPoolId"] == "us-east-1:canned"  # nothing fake answers now


def test_every_activation_starts_from_empty_state():
    cs = mock_cognito_sync()
    with cs:
        cs.create_identity_pool(FIXED_POOL)
        new_client().get_bulk_publish_details(IdentityPoolId=FIXED_POOL)
    with cs:
        assert cs.calls == []
        with pytest.raises(new_client().exceptions.ResourceNotFoundException):
            new_client().get_bulk_publish_details(IdentityPoolId=FIXED_POOL)
        cs.create_identity_pool(FIXED_POOL)


# -- nesting ---------------------------------------------------------------------


def test_the_innermost_mock_answers_and_the_outer_answers_again_after():
    client = new_client()
    with mock_cognito_sync() as outer:
        pool = outer.create_identity_pool()
        with mock_cognito_sync() as inner:
            with pytest.raises(client.exceptions.ResourceNotFoundException):
                client.get_bulk_publish_details(IdentityPoolId=pool)
            assert [c.error_code for c in inner.calls] == ["ResourceNotFoundException"]
            assert outer.calls == []
        assert client.get_bulk_publish_details(IdentityPoolId=pool)["IdentityPoolId"]
        assert [c.error_code for c in outer.calls] == [None]


def test_re_entering_an_active_mock_keeps_it_active_until_the_outermost_exit():
    cs = mock_cognito_sync()

    @cs
    def helper() -> str:
        return cs.create_identity_pool()

    with cs:
        pool = helper()
        with cs:
            pass
        assert cs.active
        assert new_client().get_bulk_publish_details(IdentityPoolId=pool)
    assert not cs.active


def test_the_fixture_and_a_decorator_of_its_own_instance_nest():
    # A decorated helper called from a test using a started instance.
    cs = mock_cognito_sync().start()
    try:

        @cs
        def seed() -> str:
            return cs.create_identity_pool()

        pool = seed()
        assert cs.active
        assert new_client().get_bulk_publish_details(IdentityPoolId=pool)
    finally:
        cs.stop()


# -- reset() ------------------------------------------------------------------------


def test_reset_empties_the_state_and_stays_active(cognito_sync_mock, client, pool_id):
    cognito_sync_mock.inject_error("BulkPublish", "InternalErrorException")
    client.get_bulk_publish_details(IdentityPoolId=pool_id)
    cognito_sync_mock.reset()
    assert cognito_sync_mock.active
    assert cognito_sync_mock.calls == []
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.get_bulk_publish_details(IdentityPoolId=pool_id)
    # The injected error went with the state: this publish meets no fault.
    pool = cognito_sync_mock.create_identity_pool()
    client.bulk_publish(IdentityPoolId=pool)


def test_reset_of_an_outer_mock_leaves_the_inner_one_answering():
    with mock_cognito_sync() as outer, mock_cognito_sync() as inner:
        pool = inner.create_identity_pool()
        outer.reset()
        assert new_client().get_bulk_publish_details(IdentityPoolId=pool)


# -- misuse ----------------------------------------------------------------------------

HELPERS = {
    "create_identity_pool": lambda cs: cs.create_identity_pool(),
    "put_dataset": lambda cs: cs.put_dataset(FIXED_POOL, FIXED_POOL, "d", {"k": "v"}),
    "configure_streams": lambda cs: cs.configure_streams(FIXED_POOL, "s"),
    "now": lambda cs: cs.now(),
    "advance_time": lambda cs: cs.advance_time(1),
    "complete_bulk_publish": lambda cs: cs.complete_bulk_publish(FIXED_POOL),
    "fail_bulk_publish": lambda cs: cs.fail_bulk_publish(FIXED_POOL, "x"),
    "inject_error": lambda cs: cs.inject_error("BulkPublish", "InternalErrorException"),
    "stream_records": lambda cs: cs.stream_records("s"),
    "issue_identity_credentials": lambda cs: cs.issue_identity_credentials(),
    "account_credentials": lambda cs: cs.account_credentials("210987654321"),
    "calls": lambda cs: cs.calls,
    "reset": lambda cs: cs.reset(),
}


@pytest.mark.parametrize("helper", HELPERS.values(), ids=HELPERS.keys())
@pytest.mark.parametrize("when", ["before-start", "after-stop"])
def test_helpers_outside_an_activation_raise_a_clear_error(helper, when):
    cs = mock_cognito_sync()
    if when == "after-stop":
        cs.start()
        cs.stop()
    with pytest.raises(RuntimeError, match="not active: use it inside `with`"):
        helper(cs)


@pytest.mark.parametrize("factory", [mock_cognito_sync, CognitoSyncMock])
def test_an_unknown_option_is_an_unexpected_keyword_argument(factory):
    with pytest.raises(TypeError, match="unexpected keyword argument 'regoin'"):
        factory(regoin="us-east-1")


@pytest.mark.parametrize(
    ("options", "error", "says"),
    [
        ({"region": "US-EAST-1"}, ValueError, "region must look like 'us-east-1'"),
        ({"account_id": 123456789012}, ValueError, "account_id must be 12 digits"),
        ({"bulk_publish_duration": -1}, ValueError, "must not be negative"),
        ({"bulk_publish_duration": "60"}, TypeError, "seconds or a timedelta"),
        ({"now": 20240101}, TypeError, "now must be a datetime, ISO 8601 text or None"),
        ({"now": "2024-13-01"}, ValueError, "now must be an ISO 8601 datetime"),
    ],
)
def test_a_bad_option_value_is_refused_naming_the_rule(options, error, says):
    with pytest.raises(error, match=says):
        mock_cognito_sync(**options)


def test_a_function_and_options_together_are_refused():
    with pytest.raises(TypeError, match="not both"):
        mock_cognito_sync(lambda: None, region="us-east-1")


def test_decorating_something_that_is_not_callable_is_refused():
    with pytest.raises(TypeError, match="decorates functions and classes"):
        mock_cognito_sync()(42)
