"""Real clients of the server that this project did not write: Node, the
JavaScript SDKs from npm (installed from tests/js's lockfile), Chromium.

A test whose client is missing is skipped with the reason, except in CI
(``CI`` set), where .ci/run installs every client and a missing one fails.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

JS = Path(__file__).resolve().parent / "js"
_STAMP = JS / "node_modules" / ".installed-from-lock"


def unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{reason}: CI runs every real-client test (.ci/run installs them)")
    pytest.skip(reason)


def node() -> str:
    path = shutil.which("node")
    if path is None:
        unavailable("node is not installed")
    assert path is not None
    return path


def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path is not None:
            return path
    unavailable("Chromium is not installed (Debian: apt-get install chromium)")
    raise AssertionError("unreachable")


def js_packages() -> Path:
    """tests/js/node_modules as its lockfile says: ``npm ci`` once, again
    only when the lockfile changed."""
    node()
    npm = shutil.which("npm")
    if npm is None:
        unavailable("npm is not installed")
    assert npm is not None
    with _exclusive(JS / ".npm-ci.lock"):  # parallel workers install once
        return _install(npm)


def _install(npm: str) -> Path:
    lock = hashlib.sha256((JS / "package-lock.json").read_bytes()).hexdigest()
    if _STAMP.is_file() and _STAMP.read_text() == lock:
        return JS / "node_modules"
    done = subprocess.run(
        [npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"],
        cwd=JS,
        capture_output=True,
        text=True,
        timeout=600,
    )
    if done.returncode != 0:
        unavailable(f"npm ci failed in {JS}: {done.stderr.strip()[-2000:]}")
    _STAMP.write_text(lock)
    return JS / "node_modules"


@contextlib.contextmanager
def _exclusive(path: Path) -> Iterator[None]:
    try:
        import fcntl
    except ImportError:  # not POSIX: no parallel workers to fear here
        yield
        return
    with path.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def tool(name: str) -> str:
    """A command-line client such as curl, by its path."""
    path = shutil.which(name)
    if path is None:
        unavailable(f"{name} is not installed")
    assert path is not None
    return path
