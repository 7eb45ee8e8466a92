"""Transport-neutral HTTP messages passed between interception and protocol."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

# Named tuples rather than frozen dataclasses: immutable all the same, and
# several times cheaper to build, which counts on a path run per request.


class HttpRequest(NamedTuple):
    method: str
    url: str
    headers: Mapping[str, Any]
    body: bytes


class HttpResponse(NamedTuple):
    status: int
    headers: dict[str, str]
    body: bytes
