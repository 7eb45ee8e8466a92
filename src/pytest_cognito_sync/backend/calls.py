"""The journal of requests the fake received, for tests to inspect."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple


class Call(NamedTuple):
    """One request, as the service saw it (each retry attempt is its own).

    A named tuple: immutable, and cheap enough to record on every request.
    """

    #: model operation name, or ``None`` when the request matched none
    operation: str | None
    #: decoded parameters, by model member name
    params: Mapping[str, Any]
    #: the error code answered, ``None`` on success
    error_code: str | None
    #: the HTTP status answered
    status: int
