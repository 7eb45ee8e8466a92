"""The fake service: state, operations, clock, faults and journal."""

# Importing the operation modules registers their handlers.
from . import (  # noqa: F401
    ops_bulk_publish,
    ops_configuration,
    ops_datasets,
    ops_events,
    ops_push,
    ops_records,
    ops_usage,
)
from .calls import Call
from .service import Backend

__all__ = ["Backend", "Call"]
