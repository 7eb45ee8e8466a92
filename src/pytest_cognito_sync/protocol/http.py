"""Transport-neutral HTTP messages passed between interception and protocol."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

# Named tuples rather than frozen dataclasses: immutable all the same, and
# several times cheaper to build, which counts on a path run per request.


class HttpRequest(NamedTuple):
    method: str
    url: str
    #: read by lower-case name only, so either a case-insensitive mapping
    #: (requests', the server's) or a dict keyed by lower-case names (see
    #: ``botocore_hook``); values are text or bytes
    headers: Mapping[str, Any]
    body: bytes


class HttpResponse(NamedTuple):
    status: int
    headers: dict[str, str]
    body: bytes
