"""Which mock is answering right now, and what is installed while any is.

Mocks nest like a stack: the innermost active one answers. The process-wide
pieces (fake credentials in the environment, the ``requests`` route) are
put in place when the first mock starts and taken away when the last stops.
A mock that stops removes only itself, so a stray ``stop()`` can never
disable another.
"""

from __future__ import annotations

import os
import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..backend import Backend

FAKE_ACCESS_KEY = "AKIACOGNITOSYNCMOCK0"
FAKE_SECRET_KEY = "cognito-sync-mock-secret-access-key"

_lock = threading.Lock()
_stack: list[Backend] = []
_saved_environ: dict[str, str | None] = {}


def current() -> Backend | None:
    # Read without the lock: list indexing is atomic, and this runs per call.
    try:
        return _stack[-1]
    except IndexError:
        return None


def push(backend: Backend) -> None:
    with _lock:
        if not _stack:
            _install(backend.options.region)
        _stack.append(backend)


def remove(backend: Backend) -> None:
    with _lock:
        if backend not in _stack:
            return
        _stack.remove(backend)
        if not _stack:
            _uninstall()


def _install(region: str) -> None:
    # botocore needs credentials and a region to build and sign a request.
    # Supply them only where the user configured none in the environment,
    # and put everything back exactly as it was afterwards.
    _saved_environ.clear()
    if not (os.environ.get("AWS_ACCESS_KEY_ID") or os.environ.get("AWS_PROFILE")):
        _set_env("AWS_ACCESS_KEY_ID", FAKE_ACCESS_KEY)
        _set_env("AWS_SECRET_ACCESS_KEY", FAKE_SECRET_KEY)
    if not (os.environ.get("AWS_DEFAULT_REGION") or os.environ.get("AWS_REGION")):
        _set_env("AWS_DEFAULT_REGION", region)
    from . import botocore_hook, requests_route

    botocore_hook.adopt_existing_clients()
    requests_route.start()


def _uninstall() -> None:
    from . import requests_route

    requests_route.stop()
    for name, value in _saved_environ.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
    _saved_environ.clear()


def _set_env(name: str, value: str) -> None:
    _saved_environ[name] = os.environ.get(name)
    os.environ[name] = value


def replace(old: Backend, new: Backend) -> None:
    """Swap a mock's backend in place, keeping its position in the stack."""
    with _lock:
        _stack[_stack.index(old)] = new
