"""The fake's answer as the ``AWSResponse`` a ``before-send`` handler
hands botocore.

``AWSResponse(url, status, headers, raw)`` copies the headers into a
``HeadersDict`` through ``MutableMapping.update``: an ABC check and a
Python ``__setitem__`` with a new ``_HeaderKey`` per header, about a
seventh of what the fake itself adds to a GetBulkPublishDetails. The
answer's header names are a handful, so their keys are made once, and the
response is filled in directly, its body read already. That is used only
after it was checked to come out as the constructor's response on this
botocore; otherwise the constructor builds every response.

Imported with the first request (it loads botocore).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from botocore.awsrequest import AWSResponse, HeadersDict, _HeaderKey

from ..protocol import HttpResponse

Build = Callable[[str, HttpResponse], AWSResponse]


class RawBody:
    """The minimal raw body botocore reads a response from."""

    def __init__(self, content: bytes) -> None:
        self._content = content

    def stream(self, **kwargs: Any) -> Any:
        yield self._content

    def read(self, *args: Any, **kwargs: Any) -> bytes:
        content, self._content = self._content, b""
        return content


class _Drained:
    """The raw body of a response whose content botocore has read: what a
    real response's urllib3 body is by then. One serves every filled-in
    response (it holds nothing), instead of a body object each."""

    def stream(self, **kwargs: Any) -> Any:
        return iter(())

    def read(self, *args: Any, **kwargs: Any) -> bytes:
        return b""


_DRAINED = _Drained()


def by_constructor(url: str, answer: HttpResponse) -> AWSResponse:
    # AWSResponse wraps any mapping in its own case-insensitive HeadersDict.
    headers: Any = answer.headers
    return AWSResponse(url, answer.status, headers, RawBody(answer.body))


class _HashedInC(_HeaderKey, str):
    """botocore's case-insensitive header key, that is also its lower-case
    name as a ``str``, whose hash (the same number ``_HeaderKey`` computes
    from that name) comes from ``str``: computed in C and kept. A response's
    headers are hashed as they go into its dict; with ``_HeaderKey``'s own
    hash that was three Python calls a response, two fifths of filling it
    in. It compares, prints and iterates as ``_HeaderKey``, ahead of ``str``
    in its bases."""

    __hash__ = str.__hash__

    def __new__(cls, name: str) -> _HashedInC:
        key = str.__new__(cls, name.lower())
        _HeaderKey.__init__(key, name)
        return key

    def __init__(self, name: str) -> None:
        pass  # done by __new__: ``str`` takes its value there


class _HeaderKeys(dict[str, Any]):
    """botocore's case-insensitive key of each header name met, made once."""

    def __missing__(self, name: str) -> Any:
        key = self[name] = _HashedInC(name)
        return key


_keys = _HeaderKeys()

#: What ``HeadersDict.__new__`` and ``AWSResponse.__new__`` are, read once:
#: CPython 3.11 looks up an attribute of a class through the type at every
#: read, a few cache lines each when cold.
_new_object = object.__new__


def filled_in(url: str, answer: HttpResponse) -> AWSResponse:
    status, answer_headers, body = answer  # see ``_named_tuples``
    # A loop rather than a comprehension: no frame of its own per response.
    by_key: dict[str, Any] = {}
    for name, value in answer_headers.items():
        by_key[_keys[name]] = value
    headers = _new_object(HeadersDict)
    headers._dict = by_key  # type: ignore[attr-defined]
    response = _new_object(AWSResponse)
    response.url = url
    response.status_code = status
    response.headers = headers
    # Read already: ``content``, which botocore reads, would otherwise join
    # a stream of this one piece.
    response.raw = _DRAINED
    response._content = body  # type: ignore[attr-defined]
    return response


def _same(built: AWSResponse, expected: AWSResponse) -> bool:
    return (
        vars(built).keys() == vars(expected).keys()
        and vars(built.headers).keys() == vars(expected.headers).keys()
        and (built.url, built.status_code) == (expected.url, expected.status_code)
        and list(built.headers.items()) == list(expected.headers.items())
        and built.headers["CONTENT-type"] == expected.headers["content-TYPE"]
        and built.content == expected.content
    )


def choose() -> Build:
    """``filled_in`` where it builds what the constructor builds, else the
    constructor."""
    sample = HttpResponse(
        200, {"Content-Type": "application/json", "Content-Length": "2"}, b"{}"
    )
    url = "https://cognito-sync.us-east-1.amazonaws.com/identitypools"
    try:
        if _same(filled_in(url, sample), by_constructor(url, sample)):
            return filled_in
    except Exception:  # botocore's internals changed: the constructor it is
        pass
    return by_constructor
