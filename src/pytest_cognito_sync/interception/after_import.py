"""Run a function right after a module is first executed, whoever imports it.

The botocore handlers must be in place before the first botocore session is
built, but importing botocore to put them there would cost every pytest run
its import (about 150 modules), mocks or not. So when the module is not
loaded yet, a finder at the front of ``sys.meta_path`` waits for its import,
lets the module's own loader execute it, then calls the function and steps
aside. Nothing else about the import changes: the module keeps its own
loader and spec.
"""

from __future__ import annotations

import atexit
import sys
from collections.abc import Callable, Sequence
from importlib.abc import Loader
from importlib.machinery import ModuleSpec
from types import ModuleType
from typing import Any


def call_after_import(module_name: str, then: Callable[[bool], None]) -> None:
    """``then(True)`` now if ``module_name`` is already loaded, else
    ``then(False)`` right after it first runs."""
    if module_name in sys.modules:
        then(True)
        return
    if not any(
        isinstance(finder, _Watch) and finder.module_name == module_name
        for finder in sys.meta_path
    ):
        watch = _Watch(module_name, then)
        sys.meta_path.insert(0, watch)
        # Left in sys.meta_path at exit, the watch would keep ``then`` and all
        # it reaches (its package and, through the pytest plugin, pytest and
        # what the run built) alive into the interpreter's last garbage
        # collections, which would go over all of it once more: about 1 % of
        # a ``pytest --co`` run that never loaded the module.
        atexit.register(watch.step_aside)


class _Watch:
    """A meta path finder that finds nothing itself: for one module, it asks
    the finders behind it and wraps the loader they return."""

    def __init__(self, module_name: str, then: Callable[[bool], None]) -> None:
        self.module_name = module_name
        self.then = then

    def find_spec(
        self,
        fullname: str,
        path: Sequence[str] | None,
        target: ModuleType | None = None,
    ) -> ModuleSpec | None:
        if fullname != self.module_name:
            return None
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            spec: ModuleSpec | None = finder.find_spec(fullname, path, target)
            if spec is not None:
                break
        else:
            return None
        loader = spec.loader
        if loader is None or not hasattr(loader, "exec_module"):
            return spec  # a loader of the old protocol: leave it alone
        spec.loader = _ThenCall(loader, self)
        return spec

    def executed(self) -> None:
        self.step_aside()
        atexit.unregister(self.step_aside)
        self.then(False)

    def step_aside(self) -> None:
        if self in sys.meta_path:
            sys.meta_path.remove(self)


class _ThenCall(Loader):
    """The module's loader, followed by the watcher's function."""

    def __init__(self, loader: Any, watch: _Watch) -> None:
        self.loader = loader
        self.watch = watch

    def create_module(self, spec: ModuleSpec) -> ModuleType | None:
        module: ModuleType | None = self.loader.create_module(spec)
        return module

    def exec_module(self, module: ModuleType) -> None:
        # The module runs, and stays, with its own loader in its attributes.
        module.__loader__ = self.loader
        if module.__spec__ is not None:
            module.__spec__.loader = self.loader
        self.loader.exec_module(module)
        self.watch.executed()
