"""pytest-cognito-sync: an in-process fake of AWS Cognito Sync for tests.

Importing the package adds its handlers to botocore (inert until a mock
is active), so clients created from then on are intercepted. It does not
import botocore: if botocore is not loaded yet, the handlers are added the
moment it is, whoever imports it.
"""

from typing import TYPE_CHECKING, Any

from .errors import CognitoSyncMockWarning
from .interception.after_import import call_after_import
from .mock import CognitoSyncMock, mock_cognito_sync

if TYPE_CHECKING:
    from .backend.calls import Call
    from .server import CognitoSyncServer


def _install_botocore_hook(botocore_was_loaded: bool) -> None:
    from .interception.botocore_hook import install

    install(botocore_was_loaded=botocore_was_loaded)


call_after_import("botocore.handlers", _install_botocore_hook)


def __getattr__(name: str) -> Any:
    # Call lives with the backend, which is imported with the first mock.
    if name == "Call":
        from .backend.calls import Call

        return Call
    # The server, with http.server, is loaded by those who serve only.
    if name == "CognitoSyncServer":
        from .server import CognitoSyncServer

        return CognitoSyncServer
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "Call",
    "CognitoSyncMock",
    "CognitoSyncMockWarning",
    "CognitoSyncServer",
    "mock_cognito_sync",
]
__version__ = "0.1.0"
