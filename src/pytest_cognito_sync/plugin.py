"""The pytest plugin: the ``cognito_sync_mock`` fixture, marker and ini
defaults. The only module of the package that imports pytest."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from ._options import Options, parse_ini
from .mock import CognitoSyncMock

_MARKER = "cognito_sync_mock"
_INI_PREFIX = "cognito_sync_"
_INI_HELP = {
    "region": "default region of cognito_sync_mock pools (default us-east-1)",
    "account_id": "account that default credentials map to (default 123456789012)",
    "bulk_publish_duration": "seconds a bulk publish stays IN_PROGRESS (default 0)",
    "now": "ISO 8601 datetime the fake clock starts frozen at (default: real time)",
}


def pytest_addoption(parser: pytest.Parser) -> None:
    for name in Options.names():
        parser.addini(_INI_PREFIX + name, _INI_HELP[name], default=None)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        f"{_MARKER}(**options): options of the cognito_sync_mock fixture "
        "(" + ", ".join(Options.names()) + ")",
    )


def _ini_defaults(config: pytest.Config) -> dict[str, Any]:
    defaults: dict[str, Any] = {}
    for name in Options.names():
        text = config.getini(_INI_PREFIX + name)
        if text:
            defaults[name] = parse_ini(name, str(text))
    return defaults


def _options(request: pytest.FixtureRequest) -> dict[str, Any]:
    options = _ini_defaults(request.config)
    # iter_markers yields the nearest first: apply the farthest first so
    # that test beats class beats module.
    for marker in reversed(list(request.node.iter_markers(_MARKER))):
        if marker.args:
            raise TypeError(
                f"@pytest.mark.{_MARKER} takes keyword options only "
                "(" + ", ".join(Options.names()) + f"); got positional {marker.args!r}"
            )
        options.update(marker.kwargs)
    return options


@pytest.fixture
def cognito_sync_mock(request: pytest.FixtureRequest) -> Iterator[CognitoSyncMock]:
    """A started CognitoSyncMock, configured by ``@pytest.mark.cognito_sync_mock``."""
    with CognitoSyncMock(**_options(request)) as mock:
        yield mock
