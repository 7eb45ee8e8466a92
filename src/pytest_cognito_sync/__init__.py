"""pytest-cognito-sync: an in-process fake of AWS Cognito Sync for tests.

Importing the package adds its handlers to botocore (inert until a mock
is active), so clients created from then on are intercepted.
"""

from typing import TYPE_CHECKING, Any

from .errors import CognitoSyncMockWarning
from .interception.botocore_hook import install as _install
from .mock import CognitoSyncMock, mock_cognito_sync

if TYPE_CHECKING:
    from .backend.calls import Call
    from .server import CognitoSyncServer

_install()


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
