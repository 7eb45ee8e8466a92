"""aiobotocore clients (and aioboto3's, built on them).

aiobotocore runs botocore's event handlers from its own coroutine emitter,
so the same ``before-sign`` and ``before-send`` handlers reach its clients;
but what they hand back must be aiobotocore's kind: a response whose
``content`` is awaited (and whose body has an async ``read``), and
credentials whose ``get_frozen_credentials`` is a coroutine. aiobotocore is
never imported here: a handler called from a coroutine emitter means it is
loaded already.
"""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator
from functools import cache
from inspect import CO_COROUTINE
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from botocore.awsrequest import AWSResponse


def called_from_coroutine(depth: int = 2) -> bool:
    """Whether the handler that calls this was called by a coroutine: an
    aiobotocore emitter (botocore's own emitter is a plain function)."""
    # Without aiobotocore loaded, none can be: the frame is not looked at
    # (taking it costs a request a twentieth of its response).
    if "aiobotocore" not in sys.modules:
        return False
    return bool(sys._getframe(depth).f_code.co_flags & CO_COROUTINE)


class AsyncBody:
    """The raw body aiobotocore reads a response from."""

    def __init__(self, content: bytes) -> None:
        self._content = content

    async def read(self, *args: Any, **kwargs: Any) -> bytes:
        content, self._content = self._content, b""
        return content

    async def iter_chunks(self, *args: Any, **kwargs: Any) -> AsyncIterator[bytes]:
        yield await self.read()


def response(url: str, status: int, headers: Any, body: bytes) -> AWSResponse:
    """aiobotocore's response type (an AWSResponse whose ``content`` is
    awaited), holding ``body``."""
    awsrequest = sys.modules["aiobotocore.awsrequest"]
    answer: AWSResponse = awsrequest.AioAWSResponse(
        url, status, headers, AsyncBody(body)
    )
    return answer


@cache
def credentials(access_key: str, secret_key: str) -> Any:
    """aiobotocore credentials, for clients built without any."""
    # Loaded with every aiobotocore session, so before any of its requests.
    module = sys.modules["aiobotocore.credentials"]
    return module.AioCredentials(access_key, secret_key)
