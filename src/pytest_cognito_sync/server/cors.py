"""CORS, so that web apps under test in a browser can call the server.

Browser SDKs send signed requests with AWS headers, which makes every call
a "non-simple" cross-origin request: the browser first sends a preflight
``OPTIONS`` and reads the AWS headers of the answer only if they are
exposed. The server allows any origin: it is a local test endpoint.
"""

from __future__ import annotations

from typing import Any, Protocol

_METHODS = "GET, POST, PUT, DELETE, PATCH, HEAD, OPTIONS"
_EXPOSED = "x-amzn-RequestId, x-amzn-ErrorType, x-amzn-ErrorMessage, Date"
#: Allowed when a preflight does not list the headers it wants.
_DEFAULT_ALLOWED = (
    "Authorization, Content-Type, X-Amz-Date, X-Amz-Security-Token, "
    "X-Amz-User-Agent, X-Amz-Content-Sha256, X-Amz-Client-Context, "
    "amz-sdk-invocation-id, amz-sdk-request"
)


class Headers(Protocol):
    """Request headers, looked up case-insensitively."""

    def get(self, name: str, /) -> Any: ...


def is_preflight(method: str, headers: Headers) -> bool:
    return method == "OPTIONS" and bool(headers.get("Access-Control-Request-Method"))


def response_headers(headers: Headers) -> list[tuple[str, str]]:
    """Added to every answer: who may read it, and which headers."""
    origin = headers.get("Origin")
    if not origin:
        return [
            ("Access-Control-Allow-Origin", "*"),
            ("Access-Control-Expose-Headers", _EXPOSED),
        ]
    # The origin itself rather than "*", so that a page that sends
    # credentials (cookies, withCredentials) is allowed too.
    return [
        ("Access-Control-Allow-Origin", origin),
        ("Access-Control-Allow-Credentials", "true"),
        ("Access-Control-Expose-Headers", _EXPOSED),
        ("Vary", "Origin"),
    ]


def preflight_headers(headers: Headers) -> list[tuple[str, str]]:
    """What a preflight's answer adds to ``response_headers``: any method,
    the headers it asked for."""
    wanted = headers.get("Access-Control-Request-Headers") or _DEFAULT_ALLOWED
    return [
        ("Access-Control-Allow-Methods", _METHODS),
        ("Access-Control-Allow-Headers", wanted),
        ("Access-Control-Max-Age", "86400"),
    ]
