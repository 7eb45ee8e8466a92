"""The rest-json wire protocol of cognito-sync, driven by botocore's model."""

from .decoding import Caller, ServiceRequest, decode_request
from .encoding import encode_error, encode_result
from .http import HttpRequest, HttpResponse

__all__ = [
    "Caller",
    "HttpRequest",
    "HttpResponse",
    "ServiceRequest",
    "decode_request",
    "encode_error",
    "encode_result",
]
