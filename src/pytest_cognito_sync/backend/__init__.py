"""The fake service: state, operations, clock, faults and journal."""

# Importing the operation modules registers their handlers.
from . import ops_bulk_publish  # noqa: F401
from .calls import Call
from .service import Backend

__all__ = ["Backend", "Call"]
