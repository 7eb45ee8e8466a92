"""The one path every request takes, whichever way it came in: decode,
handle, encode."""

from __future__ import annotations

from ..backend import Backend
from ..errors import ServiceError
from ..protocol import (
    HttpRequest,
    HttpResponse,
    decode_request,
    encode_error,
    encode_result,
)


def answer(backend: Backend, request: HttpRequest) -> HttpResponse:
    decoded = decode_request(request)
    outcome = backend.handle(decoded)
    if isinstance(outcome, ServiceError):
        return encode_error(outcome)
    operation = decoded.operation
    assert operation is not None
    return encode_result(operation, outcome)
