"""The fake AWS variables the fixture supplies compose with monkeypatch, in
either order and whatever the test sets or deletes: no AWS variable differs
after a test from what it was before."""

from __future__ import annotations

import os

import pytest

from pytest_cognito_sync import mock_cognito_sync

AWS_VARIABLES = (
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_PROFILE",
    "AWS_DEFAULT_REGION",
    "AWS_REGION",
)

#: Records every AWS variable around each inner test (setup, call and
#: teardown, every fixture's included) and reports what differs.
LEAK_CHECK = """
import os

import pytest

NAMES = {names!r}
leaks = []


def snapshot():
    return {{name: os.environ.get(name) for name in NAMES}}


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item):
    before = snapshot()
    yield
    after = snapshot()
    if after != before:
        changed = {{n: (before[n], after[n]) for n in NAMES if before[n] != after[n]}}
        leaks.append((item.name, changed))


def pytest_sessionfinish(session):
    print("ENV LEAKS:", leaks)
"""

TESTS = """
import os

import pytest

from pytest_cognito_sync import mock_cognito_sync

NAMES = {names!r}


def change(monkeypatch, action):
    for name in NAMES:
        if action == "setenv":
            monkeypatch.setenv(name, "users-own-" + name)
        elif action == "delenv":
            monkeypatch.delenv(name, raising=False)
        else:  # both, on one variable
            monkeypatch.setenv(name, "first")
            monkeypatch.delenv(name)


@pytest.fixture
def patch_before_the_mock(monkeypatch, request):
    change(monkeypatch, request.param)


@pytest.fixture
def patch_after_the_mock(cognito_sync_mock, monkeypatch, request):
    change(monkeypatch, request.param)


ACTIONS = ["setenv", "delenv", "both"]


@pytest.mark.parametrize("action", ACTIONS)
def test_monkeypatch_requested_first(monkeypatch, cognito_sync_mock, action):
    change(monkeypatch, action)


@pytest.mark.parametrize("action", ACTIONS)
def test_mock_requested_first(cognito_sync_mock, monkeypatch, action):
    change(monkeypatch, action)


@pytest.mark.parametrize("patch_before_the_mock", ACTIONS, indirect=True)
def test_fixture_patching_before_the_mock(patch_before_the_mock, cognito_sync_mock):
    assert cognito_sync_mock.active


@pytest.mark.parametrize("patch_after_the_mock", ACTIONS, indirect=True)
def test_fixture_patching_after_the_mock(patch_after_the_mock):
    pass


def test_the_mock_alone(cognito_sync_mock):
    assert os.environ.get("AWS_ACCESS_KEY_ID") or os.environ["AWS_PROFILE"]


def test_a_context_manager_alone():
    with mock_cognito_sync():
        assert os.environ.get("AWS_DEFAULT_REGION") or os.environ["AWS_REGION"]


@pytest.mark.parametrize("action", ACTIONS)
def test_monkeypatch_before_a_context_manager(monkeypatch, action):
    change(monkeypatch, action)
    with mock_cognito_sync():
        pass


@pytest.mark.parametrize("action", ACTIONS)
def test_a_context_manager_then_monkeypatch(monkeypatch, action):
    with mock_cognito_sync():
        pass
    change(monkeypatch, action)


# Its undo runs after the mock stopped, and puts back the fake values the
# mock had set.
@pytest.mark.parametrize("action", ACTIONS)
def test_monkeypatch_inside_a_context_manager(monkeypatch, action):
    with mock_cognito_sync():
        change(monkeypatch, action)
"""


@pytest.fixture
def clean_machine(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    # Inner runs keep file order (-p no:randomly): their later tests check
    # what earlier ones left behind.
    monkeypatch.setenv(
        "PYTEST_ADDOPTS", "-p no:asyncio -p no:hypothesispytest -p no:randomly"
    )
    for name in AWS_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", "/nonexistent/aws/config")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/aws/credentials")
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")


@pytest.mark.parametrize(
    "configured",
    [
        {},
        {"AWS_ACCESS_KEY_ID": "AKIAUSER", "AWS_SECRET_ACCESS_KEY": "user-secret"},
        {"AWS_REGION": "eu-west-1"},
        {"AWS_PROFILE": "dev", "AWS_DEFAULT_REGION": "ap-south-1"},
    ],
    ids=["nothing", "keys", "region", "profile"],
)
def test_no_aws_variable_differs_after_any_test(
    pytester, clean_machine, monkeypatch, configured
):
    for name, value in configured.items():
        monkeypatch.setenv(name, value)
    pytester.makeconftest(LEAK_CHECK.format(names=AWS_VARIABLES))
    pytester.makepyfile(TESTS.format(names=AWS_VARIABLES))
    result = pytester.runpytest_subprocess("-s", "-p", "no:randomly")
    result.assert_outcomes(passed=23)
    assert "ENV LEAKS: []\n" in result.stdout.str()
    for name in AWS_VARIABLES:
        assert os.environ.get(name) == configured.get(name)


def test_a_variable_set_while_active_is_not_clobbered_at_stop(monkeypatch):
    for name in AWS_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    with mock_cognito_sync():
        os.environ["AWS_DEFAULT_REGION"] = "users-choice-1"
    try:
        assert os.environ["AWS_DEFAULT_REGION"] == "users-choice-1"
        assert "AWS_ACCESS_KEY_ID" not in os.environ
    finally:
        del os.environ["AWS_DEFAULT_REGION"]


def test_a_fake_variable_put_back_is_removed_even_if_a_finalizer_fails(
    pytester, clean_machine
):
    # The monkeypatch undo puts back the fake region the mock had set; the
    # plugin removes it after the test's teardown, which here ends in error.
    pytester.makeconftest(LEAK_CHECK.format(names=AWS_VARIABLES))
    pytester.makepyfile(
        """
        import os

        import pytest

        from pytest_cognito_sync import mock_cognito_sync

        @pytest.fixture
        def broken():
            yield
            raise RuntimeError("this finalizer fails")

        def test_it(broken, monkeypatch):
            with mock_cognito_sync():
                monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-1")
            assert os.environ["AWS_DEFAULT_REGION"] == "eu-west-1"

        def test_next():
            assert "AWS_DEFAULT_REGION" not in os.environ
        """
    )
    result = pytester.runpytest_subprocess("-s", "-p", "no:randomly")
    result.assert_outcomes(passed=2, errors=1)
    assert "ENV LEAKS: []\n" in result.stdout.str()
