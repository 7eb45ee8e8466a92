"""The pytest plugin: the ``cognito_sync_mock`` fixture, marker and ini
defaults. The only module of the package that imports pytest.

pytest loads it in every run, mocks or not: what it registers (ini options,
marker, fixtures, hooks) needs none of the mock's modules, so those are
imported by the fixtures, when a test first asks for one."""

from __future__ import annotations

from collections.abc import Callable, Generator, Iterator
from typing import TYPE_CHECKING, Any, TypeVar

import pytest

from .interception import active

if TYPE_CHECKING:
    from .mock import CognitoSyncMock
    from .server import CognitoSyncServer

_Configured = TypeVar("_Configured")

_MARKER = "cognito_sync_mock"
_INI_PREFIX = "cognito_sync_"
#: every option, in the order of ``Options`` fields (a test holds them equal)
_INI_HELP = {
    "region": "default region of cognito_sync_mock pools (default us-east-1)",
    "account_id": "account that default credentials map to (default 123456789012)",
    "bulk_publish_duration": "seconds a bulk publish stays IN_PROGRESS (default 0)",
    "now": "ISO 8601 datetime the fake clock starts frozen at (default: real time)",
}

#: The suite-wide options read from the ini file, validated once at startup.
_INI_DEFAULTS = pytest.StashKey[dict[str, Any]]()
#: Set on a test item whose call phase did not pass (failed, skipped or
#: xfailed): its teardown does not add warnings to that story.
_CALL_DID_NOT_PASS = pytest.StashKey[bool]()
#: the name ``_CallOutcomes`` is registered under, once per run
_CALL_OUTCOMES = "cognito_sync.call_outcomes"


def pytest_addoption(parser: pytest.Parser) -> None:
    for name in _INI_HELP:
        parser.addini(_INI_PREFIX + name, _INI_HELP[name], default=None)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        f"{_MARKER}(**options): options of the {_MARKER} fixture "
        f"({_option_list()}); the nearest marker wins",
    )
    # A bad ini value would break every test that uses the fixture: refuse
    # it once, at startup, naming the ini key.
    config.stash[_INI_DEFAULTS] = _ini_defaults(config)


def _ini_defaults(config: pytest.Config) -> dict[str, Any]:
    defaults: dict[str, Any] = {}
    for name in _INI_HELP:
        key = _INI_PREFIX + name
        text = config.getini(key)
        if not text:
            continue
        from ._options import Options, parse_ini

        try:
            value = parse_ini(name, str(text).strip())
            Options(**{name: value})
        except (TypeError, ValueError) as error:
            raise pytest.UsageError(f"ini option {key}: {error}") from None
        defaults[name] = value
    return defaults


def _marker_options(request: pytest.FixtureRequest) -> dict[str, Any]:
    """Ini defaults, then every marker from the farthest to the nearest."""
    from ._options import check_option_names

    options = request.config.stash[_INI_DEFAULTS].copy()
    # iter_markers yields the nearest first (test, class, module): apply
    # them in reverse so that the nearest one wins, option by option.
    for marker in reversed(list(request.node.iter_markers(_MARKER))):
        if marker.args:
            raise TypeError(
                f"@pytest.mark.{_MARKER} takes keyword options only "
                f"({_option_list()}); got positional {marker.args!r}"
            )
        check_option_names(marker.kwargs, f"@pytest.mark.{_MARKER}")
        options.update(marker.kwargs)
    return options


def _option_list() -> str:
    return ", ".join(_INI_HELP)


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    # Runs for every test, fake or not, so it is a plain hook (pluggy runs a
    # hookwrapper with a generator and a result object): the teardown report
    # comes after every fixture's finalizer, even one that failed. A
    # monkeypatch undo may have put back a fake AWS variable that a mock
    # started in the test had set.
    if report.when == "teardown":
        active.restore_left_behind()


class _CallOutcomes:
    """Marks each test whose call phase did not pass. Registered when a test
    first uses a fixture of this plugin, so that suites without one do not
    pay for a hookwrapper around every report."""

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_makereport(
        self, item: pytest.Item, call: pytest.CallInfo[None]
    ) -> Generator[None, Any, None]:
        outcome = yield
        report: pytest.TestReport = outcome.get_result()
        if report.when == "call" and not report.passed:
            item.stash[_CALL_DID_NOT_PASS] = True


def _watch_call_outcomes(config: pytest.Config) -> None:
    if not config.pluginmanager.has_plugin(_CALL_OUTCOMES):
        config.pluginmanager.register(_CallOutcomes(), _CALL_OUTCOMES)


@pytest.fixture
def cognito_sync_mock(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> Iterator[CognitoSyncMock]:
    """A started CognitoSyncMock, configured by ``@pytest.mark.cognito_sync_mock``
    and the ``cognito_sync_*`` ini options; stopped, with its state, after
    the test."""
    from .mock import CognitoSyncMock

    _watch_call_outcomes(request.config)
    mock = _configured(request, CognitoSyncMock)
    # The fake AWS variables go through the test's own monkeypatch: its
    # undo runs every change in reverse, the test's and these, so they
    # compose whatever the test does to them and in whichever order.
    for name, value in active.fake_environment(mock.options.region).items():
        monkeypatch.setenv(name, value)
    mock.start()
    try:
        yield mock
        if not request.node.stash.get(_CALL_DID_NOT_PASS, False):
            _warn_unused_errors(mock)
    finally:
        mock.stop()


@pytest.fixture
def cognito_sync_server(request: pytest.FixtureRequest) -> Iterator[CognitoSyncServer]:
    """A running CognitoSyncServer with fresh state, on a port of its own,
    configured like ``cognito_sync_mock``; stopped after the test."""
    from .server import CognitoSyncServer

    _watch_call_outcomes(request.config)
    server = _configured(request, CognitoSyncServer)
    server.start()
    try:
        yield server
        if not request.node.stash.get(_CALL_DID_NOT_PASS, False):
            _warn_unused_errors(server.mock)
    finally:
        server.stop()


def _configured(
    request: pytest.FixtureRequest, factory: Callable[..., _Configured]
) -> _Configured:
    try:
        return factory(**_marker_options(request))
    except (TypeError, ValueError) as error:
        message = f"{type(error).__name__}: {error}"
    # The message says all there is to say, and the plugin's frames would
    # only bury it; failing outside the except block shows no exception chain.
    pytest.fail(message, pytrace=False)


def _warn_unused_errors(mock: CognitoSyncMock) -> None:
    """An injected error that no request received means the test never made
    the call it set up to fail, and so may pass without testing anything."""
    if not mock.active:  # the test stopped it itself
        return
    import warnings

    from .errors import CognitoSyncMockWarning

    with mock.backend.lock:
        unused = mock.backend.faults.pending()
    if unused:
        planned = "; ".join(
            f"{fault.operation} -> {fault.code} "
            f"({fault.remaining} call{'s' if fault.remaining > 1 else ''} left)"
            for fault in unused
        )
        warnings.warn(
            f"inject_error() planned errors that no request received: {planned}. "
            "The code under test made fewer calls than the test expected.",
            CognitoSyncMockWarning,
            stacklevel=2,
        )
