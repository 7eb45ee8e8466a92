"""The botocore side: handlers on ``cognito-sync`` events of every client.

They are added to botocore's BUILTIN_HANDLERS as soon as both this package
and ``botocore.handlers`` are loaded, whichever comes first (see
``after_import``), so every session and client created afterwards carries
them, whenever and however it was built. This module imports no botocore
itself (botocore is loaded by the time a handler runs). They do nothing
while no mock is active. Registered on
``before-send.cognito-sync``, more specific than moto's ``before-send``,
so botocore asks this handler first and moto keeps every other service.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING, Any

from .._named_tuples import build
from . import active, aio

if TYPE_CHECKING:
    from botocore.awsrequest import AWSResponse
    from botocore.credentials import Credentials

    from ..backend import Backend
    from ..protocol import HttpRequest, HttpResponse

BEFORE_SEND = "before-send.cognito-sync"
BEFORE_SIGN = "before-sign.cognito-sync"


def supply_credentials(request: Any, request_signer: Any = None, **kwargs: Any) -> None:
    """Let a client without credentials sign while a mock is active.

    A client built at import time on a machine with no AWS configuration
    holds no credentials, and botocore refuses to sign before any
    ``before-send`` handler runs. Per request, and only then, hand botocore
    fake ones; the client itself is left untouched.
    """
    # The client's own credentials first: nearly every client has them,
    # and reading them costs less than asking which mock is active.
    if getattr(request_signer, "_credentials", None) is not None:
        return
    if active.current() is None:
        return
    signing = dict(request.context.get("signing") or {})
    fallback = (
        aio.credentials(active.FAKE_ACCESS_KEY, active.FAKE_SECRET_KEY)
        if aio.called_from_coroutine()
        else _fallback_credentials()
    )
    signing.setdefault("request_credentials", fallback)
    request.context["signing"] = signing


@cache
def _fallback_credentials() -> Credentials:
    from botocore.credentials import Credentials

    return Credentials(active.FAKE_ACCESS_KEY, active.FAKE_SECRET_KEY)


@cache
def _dispatch() -> tuple[
    type[HttpRequest],
    Callable[[Backend, HttpRequest], HttpResponse],
    Callable[[str, HttpResponse], AWSResponse],
]:
    # Loaded with the first request, not at import: they pull in the
    # protocol, the backend and botocore. Cached: an import statement per
    # request would cost more than the rest of send().
    from ..protocol import HttpRequest
    from . import botocore_response
    from .dispatch import answer

    return HttpRequest, answer, botocore_response.choose()


def send(request: Any, **kwargs: Any) -> AWSResponse | None:
    backend = active.current()
    if backend is None:
        return None
    HttpRequest, answer, botocore_response = _dispatch()  # noqa: N806
    body = request.body or b""
    if not isinstance(body, bytes):
        body = _as_bytes(body)
    url = request.url
    headers = _by_lower_name(request.headers)
    response = answer(backend, build(HttpRequest, (request.method, url, headers, body)))
    # aiobotocore's emitter is asked about only where aiobotocore is loaded:
    # the frame of asking costs every other request.
    if "aiobotocore" in sys.modules and aio.called_from_coroutine():
        return aio.response(url, response.status, response.headers, response.body)
    return botocore_response(url, response)


def _by_lower_name(headers: Any) -> Any:
    """The headers as a dict keyed by lower-case names, which is all the
    protocol asks of them (see ``HttpRequest.headers``).

    A lookup in botocore's own mapping runs five Python calls; copying it
    through the lower-case names it keeps costs less than two lookups, and
    a request makes from two (a developer's) to nine (a device's).
    """
    # A loop rather than a comprehension: no frame of its own per request.
    by_lower_name: dict[str, Any] = {}
    try:
        for key, value in headers._dict.items():
            by_lower_name[key._lower] = value
    except AttributeError:  # not botocore's HeadersDict as known: as it is
        return headers
    return by_lower_name


def _as_bytes(body: Any) -> bytes:
    if isinstance(body, str):
        return body.encode()
    if isinstance(body, bytearray):
        return bytes(body)
    return bytes(body.read())  # a file-like streaming body


_HANDLERS = ((BEFORE_SIGN, supply_credentials), (BEFORE_SEND, send))


#: Whether clients may exist that were built before ``install()`` ran.
_clients_may_predate_install = False
_installed = False


def install(*, botocore_was_loaded: bool = True) -> None:
    """Add the handlers to every botocore session, now and to come.

    ``botocore_was_loaded=False`` means ``botocore.handlers`` has only just
    run: no session, and so no client, can exist yet.
    """
    global _clients_may_predate_install, _installed
    from botocore import handlers

    for entry in _HANDLERS:
        if entry not in handlers.BUILTIN_HANDLERS:
            handlers.BUILTIN_HANDLERS.append(entry)
    _installed = True
    if not botocore_was_loaded:
        return
    _clients_may_predate_install = "botocore.client" in sys.modules
    # boto3's default session may predate this import; reach it too.
    boto3 = sys.modules.get("boto3")
    session = getattr(boto3, "DEFAULT_SESSION", None)
    if session is not None:
        _register(session._session.get_component("event_emitter"))


def adopt_existing_clients() -> None:
    """Reach sessions and cognito-sync clients built before this package
    was imported.

    Their event emitters were copied before our handlers existed: a client
    would escape, and so would every client a session of that time builds
    later. This runs once, at the first activation, and only when botocore
    was loaded before us (a script that built a client and then imported
    the mock).
    """
    global _clients_may_predate_install
    if not _installed and "botocore.handlers" in sys.modules:
        install()  # botocore was loaded in a way the import watch missed
    if not _clients_may_predate_install:
        return
    _clients_may_predate_install = False
    import gc

    from botocore.client import BaseClient
    from botocore.session import Session

    for candidate in gc.get_objects():
        if isinstance(candidate, Session):
            _register(candidate.get_component("event_emitter"))
        elif (
            isinstance(candidate, BaseClient)
            and candidate.meta.service_model.service_name == "cognito-sync"
        ):
            _register(candidate.meta.events)


def _register(events: Any) -> None:
    # Exactly once per emitter: botocore calls every before-send handler,
    # so a second copy (one from BUILTIN_HANDLERS, one registered here)
    # would answer, and journal, every request twice.
    for event, handler in _HANDLERS:
        unique_id = f"pytest-cognito-sync:{event}"
        events.unregister(event, unique_id=unique_id)
        events.unregister(event, handler)
        events.register(event, handler, unique_id=unique_id)
