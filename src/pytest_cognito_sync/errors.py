"""Errors: what the fake answers on the wire, and what it raises at its users."""

from __future__ import annotations


class ServiceError(Exception):
    """An error the fake service answers with, as AWS would.

    ``code`` is a modeled exception name (``ResourceNotFoundException`` ...);
    the protocol layer turns it into the modeled HTTP status, the
    ``x-amzn-ErrorType`` header and a ``{"message": ...}`` body.
    """

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


def invalid_parameter(message: str) -> ServiceError:
    return ServiceError("InvalidParameterException", message)


def not_found(message: str) -> ServiceError:
    return ServiceError("ResourceNotFoundException", message)


def not_authorized(message: str) -> ServiceError:
    return ServiceError("NotAuthorizedException", message)


class CognitoSyncMockWarning(UserWarning):
    """Something in a test's use of the mock looks unintended."""
