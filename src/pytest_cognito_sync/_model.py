"""The cognito-sync service model, read once from botocore's own data files.

Everything the fake knows about the wire (operations, URIs, shapes,
constraints, errors and their HTTP statuses) comes from here, so a botocore
upgrade that changes the model changes the fake with it.
"""

from __future__ import annotations

from functools import cache

from botocore.loaders import create_loader
from botocore.model import OperationModel, ServiceModel

from ._aws_errors import unmodeled_status

SERVICE_NAME = "cognito-sync"


@cache
def service_model() -> ServiceModel:
    # A bare loader is far cheaper than building a botocore Session.
    data = create_loader().load_service_model(SERVICE_NAME, "service-2")
    return ServiceModel(data, service_name=SERVICE_NAME)


@cache
def operation_names() -> tuple[str, ...]:
    return tuple(service_model().operation_names)


@cache
def operation_model(name: str) -> OperationModel:
    if name not in operation_names():
        raise ValueError(
            f"unknown operation {name!r}; cognito-sync operations are: "
            + ", ".join(operation_names())
        )
    return service_model().operation_model(name)


@cache
def error_codes(operation: str) -> tuple[str, ...]:
    """The errors the model lists for ``operation``, in model order."""
    return tuple(shape.name for shape in operation_model(operation).error_shapes)


#: Statuses for the few errors the fake sends that the model does not list.
_UNMODELED_STATUS = {"UnknownOperationException": 404, "NotImplemented": 501}


@cache
def error_status(code: str) -> int:
    """The HTTP status the model gives an error code; for AWS's errors the
    model lacks, the documented one; 400 for anything else."""
    if code in _UNMODELED_STATUS:
        return _UNMODELED_STATUS[code]
    documented = unmodeled_status(code)
    if documented is not None:
        return documented
    try:
        shape = service_model().shape_for(code)
    except Exception:  # botocore raises NoShapeFoundError for unknown names
        return 400
    return int(shape.metadata.get("error", {}).get("httpStatusCode", 400))


@cache
def success_status(operation: str) -> int:
    return int(operation_model(operation).http.get("responseCode", 200))
