"""The mock a server serves: a CognitoSyncMock that is never made active.

It holds a backend of its own and offers every seeding and inspection
method of CognitoSyncMock on it, but it never joins the in-process stack of
active mocks: the botocore hook and the ``requests`` route do not answer
for it, and two servers in one process keep apart.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .._options import check_option_names
from ..mock import CognitoSyncMock

if TYPE_CHECKING:
    from ..backend import Backend


_OWNED_BY_SERVER = (
    "a server's mock lives as long as its server: use the CognitoSyncServer "
    "as the context manager, or start() and stop() it"
)


class ServedMock(CognitoSyncMock):
    """A CognitoSyncMock whose state only a server's clients reach."""

    def __init__(self, *, where: str = "CognitoSyncServer", **options: Any) -> None:
        # Name the server, not mock_cognito_sync, in an unknown-option error.
        check_option_names(options, where)
        super().__init__(**options)

    def start(self) -> ServedMock:
        """Give the mock empty state (a no-op if it has state already)."""
        if self._backend is None:
            from ..backend import Backend

            self._backend = Backend(self.options)
        return self

    def stop(self) -> None:
        """Discard the state."""
        self._backend = None

    def reset(self) -> None:
        """Back to empty state; the server answers from it at once."""
        from ..backend import Backend

        self.backend  # noqa: B018 - refuses when the server is not running
        self._backend = Backend(self.options)

    def __enter__(self) -> ServedMock:
        raise TypeError(_OWNED_BY_SERVER)

    def __call__(self, target: Any) -> Any:
        raise TypeError(_OWNED_BY_SERVER)

    def current_backend(self) -> Backend | None:
        """The state requests are answered from now; ``None`` once stopped."""
        return self._backend

    @property
    def backend(self) -> Backend:
        if self._backend is None:
            raise RuntimeError(
                "this server is not running: use it inside `with`, between "
                "start() and stop(), or through the cognito_sync_server fixture"
            )
        return self._backend
