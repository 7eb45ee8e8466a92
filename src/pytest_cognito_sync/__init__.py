"""pytest-cognito-sync: an in-process fake of AWS Cognito Sync for tests.

Importing the package adds its handlers to botocore (inert until a mock
is active), so clients created from then on are intercepted. It does not
import botocore: if botocore is not loaded yet, the handlers are added the
moment it is, whoever imports it.

The public names are imported when first used: the pytest plugin loads this
package in every test run, and a run that never uses the fake should not
pay for the mock, its options or the backend.
"""

from importlib import import_module
from typing import TYPE_CHECKING, Any

# Loaded with the package, though small and rarely needed here: every layer
# matches its ServiceError by identity, so all must meet the one class, even
# where modules are dropped and imported again (pytester's in-process runs)
# while botocore's handlers keep the ones they first loaded.
from .errors import CognitoSyncMockWarning
from .interception.after_import import call_after_import

if TYPE_CHECKING:
    from .backend.calls import Call
    from .mock import CognitoSyncMock, mock_cognito_sync
    from .server import CognitoSyncServer


def _install_botocore_hook(botocore_was_loaded: bool) -> None:
    from .interception.botocore_hook import install

    install(botocore_was_loaded=botocore_was_loaded)


call_after_import("botocore.handlers", _install_botocore_hook)

#: the module each public name lives in, relative to this package
_HOMES = {
    "Call": ".backend.calls",
    "CognitoSyncMock": ".mock",
    "CognitoSyncServer": ".server",
    "mock_cognito_sync": ".mock",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    # Not kept in this module's namespace: the module's own is the one to
    # answer, even after something (pytester's in-process runs) has dropped
    # it from sys.modules and a new import has made another.
    return getattr(import_module(home, __name__), name)


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


__all__ = [
    "Call",
    "CognitoSyncMock",
    "CognitoSyncMockWarning",
    "CognitoSyncServer",
    "mock_cognito_sync",
]
__version__ = "0.1.0"
