"""Which mock is answering right now, and what is installed while any is.

The rule, per calling thread: a thread that has active mocks of its own
(it started them) is answered by its innermost one; any other thread, such
as a worker of the code under test, by the most recently started mock in
the process. So tests running in parallel threads each get their own mock,
and a test's worker threads get the test's.

The process-wide pieces (fake credentials in the environment, the
``requests`` route) are put in place when the first mock starts and taken
away when the last stops. A mock that stops removes only itself, so a stray
``stop()`` can never disable another.
"""

from __future__ import annotations

import os
import threading
from functools import cache
from types import ModuleType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..backend import Backend

FAKE_ACCESS_KEY = "AKIACOGNITOSYNCMOCK0"
FAKE_SECRET_KEY = "cognito-sync-mock-secret-access-key"

_lock = threading.Lock()
#: every active mock, in the order they started
_stack: list[Backend] = []
#: each thread's own active mocks, in the order it started them
_by_thread: dict[int, list[Backend]] = {}
#: the thread that started each active mock, by id(backend)
_owner: dict[int, int] = {}
#: whether more than one thread has mocks of its own. While at most one
#: does, its innermost mock is also the process's most recent one, and the
#: per-call lookup is one list index.
_several_threads = False
#: the variables this package set: (the value before, the value set)
_saved_environ: dict[str, tuple[str | None, str]] = {}
#: the variables the last mock to stop found changed and left alone, as
#: (the value before, the value set): whatever saved our value meanwhile (a
#: test's monkeypatch, patch.dict) may put it back after the mock stopped.
_left_behind: dict[str, tuple[str | None, str]] = {}
_get_ident = threading.get_ident


def current() -> Backend | None:
    # Read without the lock: dict and list reads are atomic, and this runs
    # per call.
    if _several_threads:
        own = _by_thread.get(_get_ident())
        if own:
            return own[-1]
    try:
        return _stack[-1]
    except IndexError:
        return None


def push(backend: Backend) -> None:
    global _several_threads
    thread = _get_ident()
    with _lock:
        if not _stack:
            _install(backend.options.region)
        _stack.append(backend)
        _by_thread.setdefault(thread, []).append(backend)
        _owner[id(backend)] = thread
        _several_threads = len(_by_thread) > 1


def remove(backend: Backend) -> None:
    global _several_threads
    with _lock:
        if backend not in _stack:
            return
        _stack.remove(backend)
        thread = _owner.pop(id(backend))
        own = _by_thread[thread]
        own.remove(backend)
        if not own:
            del _by_thread[thread]
        _several_threads = len(_by_thread) > 1
        if not _stack:
            _uninstall()


def replace(old: Backend, new: Backend) -> None:
    """Swap a mock's backend in place, keeping its position everywhere."""
    with _lock:
        _stack[_stack.index(old)] = new
        thread = _owner.pop(id(old))
        own = _by_thread[thread]
        own[own.index(old)] = new
        _owner[id(new)] = thread


# -- the environment -------------------------------------------------------------


def fake_environment(region: str) -> dict[str, str]:
    """The variables botocore needs that the user has not configured.

    botocore needs credentials and a region to build and sign a request;
    they are supplied only where the environment has none of its own.
    """
    return {name: fake for name, (_, fake) in _missing(region).items()}


def _missing(region: str) -> dict[str, tuple[str | None, str]]:
    """``fake_environment``, each with the value it replaces (``None`` or
    empty). Reading a variable that is not set costs os.environ a raised
    KeyError, so each is read once, for both."""
    get = os.environ.get
    missing: dict[str, tuple[str | None, str]] = {}
    access_key = get("AWS_ACCESS_KEY_ID")
    if not (access_key or get("AWS_PROFILE")):
        missing["AWS_ACCESS_KEY_ID"] = (access_key, FAKE_ACCESS_KEY)
        secret = get("AWS_SECRET_ACCESS_KEY")
        missing["AWS_SECRET_ACCESS_KEY"] = (secret, FAKE_SECRET_KEY)
    default_region = get("AWS_DEFAULT_REGION")
    if not (default_region or get("AWS_REGION")):
        missing["AWS_DEFAULT_REGION"] = (default_region, region)
    return missing


@cache
def _ways_in() -> tuple[ModuleType, ModuleType]:
    # Imported at the first activation, not with this module (the plugin
    # imports it in every run, and the requests route imports requests);
    # cached, as an import statement per activation costs more than a lookup.
    from . import botocore_hook, requests_route

    return botocore_hook, requests_route


def _install(region: str) -> None:
    _restore_left_behind()
    _saved_environ.clear()
    for name, (before, fake) in _missing(region).items():
        _saved_environ[name] = (before, fake)
        os.environ[name] = fake
    botocore_hook, requests_route = _ways_in()
    botocore_hook.adopt_existing_clients()
    requests_route.start()


def _uninstall() -> None:
    _ways_in()[1].stop()
    for name, (before, ours) in _saved_environ.items():
        # A variable someone changed since is theirs now: left alone.
        if os.environ.get(name) != ours:
            _left_behind[name] = (before, ours)
            continue
        _put_back(name, before)
    _saved_environ.clear()


def restore_left_behind() -> None:
    """Undo a fake value put back after the last mock stopped.

    A test that ``monkeypatch.setenv``s a variable inside ``with
    mock_cognito_sync()`` has its undo restore the fake value the mock set,
    after the mock has stopped; left there, it would reach every later test.
    The plugin calls this after each test's teardown."""
    if not _left_behind:  # nearly always: no lock taken after every test
        return
    with _lock:
        if not _stack:
            _restore_left_behind()


def _restore_left_behind() -> None:
    for name, (before, ours) in _left_behind.items():
        if os.environ.get(name) == ours:
            _put_back(name, before)
    _left_behind.clear()


def _put_back(name: str, before: str | None) -> None:
    if before is None:
        del os.environ[name]
    else:
        os.environ[name] = before
