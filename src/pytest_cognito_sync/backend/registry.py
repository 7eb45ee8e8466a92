"""Operation handlers by model name, each with the credentials it accepts.

Handlers are plain functions ``(context, params) -> result``; ``params``
are already decoded and validated against the model, and ``result`` uses
the model's output member names (datetimes for timestamps; a structure
may also be a tuple of its members in the model's order, as records are
stored).
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple

from ..errors import not_found
from .credentials import Principal

if TYPE_CHECKING:
    from .service import Backend
    from .state import IdentityPool


class Access(enum.Enum):
    #: developer (IAM) credentials only; Cognito Identity credentials refused
    DEVELOPER = "developer"
    #: either; identity credentials only for their own identity
    DEVELOPER_OR_OWN_IDENTITY = "developer-or-own-identity"
    #: Cognito Identity credentials of that identity only
    OWN_IDENTITY = "own-identity"


class Context(NamedTuple):
    """What a handler runs with: one per request, so a cheap named tuple."""

    backend: Backend
    principal: Principal
    region: str
    #: the fake clock's time of the request; ``None`` for an operation not
    #: registered with ``reads_clock=True``, whose request does not read it
    now: dt.datetime | None

    def pool(self, pool_id: str) -> IdentityPool:
        """The pool in the caller's account and region, or ResourceNotFound."""
        # Unpacked, not read field by field: see ``_named_tuples``.
        backend, principal, region, _ = self
        found = backend.find_pool(principal.account_id, region, pool_id)
        if found is None:
            raise not_found(f"IdentityPool '{pool_id}' not found")
        return found

    def modified_by(self) -> str:
        """What LastModifiedBy shows: the identity, or the developer account.

        A method, not a property: CPython 3.11 looks a property up through
        the type at every read, a few cold cache lines each."""
        _, principal, _, _ = self  # unpacked: see ``_named_tuples``
        return principal.identity_id or principal.account_id


Handler = Callable[[Context, Mapping[str, Any]], dict[str, Any]]


@dataclass(frozen=True, slots=True)
class OperationSpec:
    name: str
    access: Access
    handler: Handler
    #: whether the handler reads ``context.now``. The others' requests do
    #: not read the clock: that saves a GetBulkPublishDetails about 50 of
    #: the 950 lines it misses a 512 KB cache by, beyond botocore's own.
    reads_clock: bool


OPERATIONS: dict[str, OperationSpec] = {}


def operation(
    name: str, access: Access, *, reads_clock: bool = False
) -> Callable[[Handler], Handler]:
    # Names are checked against the model by the test suite, not here:
    # loading the model at import would slow every pytest start.
    def register(handler: Handler) -> Handler:
        OPERATIONS[name] = OperationSpec(name, access, handler, reads_clock)
        return handler

    return register
