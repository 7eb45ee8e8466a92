"""AWS's errors that botocore's cognito-sync model does not list.

The model names only the service's own exceptions. AWS also answers the
errors every service shares (the API Reference's "Common Errors" page),
the ones its request authentication answers before the service sees a
request, and one error the API Reference documents for UpdateRecords that
the model leaves out. Their HTTP statuses come from those pages and from
what the live service was seen to answer (README, "Evidence from the live
service").
"""

from __future__ import annotations

#: The API Reference's Common Errors, with the statuses it gives them.
#: AccessDeniedException is 403: the current page says so, and Cognito
#: Sync itself answered an IAM denial with 403 (AWS SDK for Java #1912).
COMMON_ERRORS: dict[str, int] = {
    "AccessDeniedException": 403,
    "ExpiredTokenException": 403,
    "IncompleteSignature": 400,
    "InternalFailure": 500,
    "InvalidAction": 400,
    "InvalidClientTokenId": 403,
    "InvalidParameterCombination": 400,
    "InvalidParameterValue": 400,
    "InvalidQueryParameter": 400,
    "MalformedQueryString": 404,
    "MissingAction": 400,
    "MissingAuthenticationToken": 403,
    "MissingParameter": 400,
    "OptInRequired": 403,
    "RequestExpired": 400,
    "ServiceUnavailable": 503,
    "ThrottlingException": 400,
    "ValidationError": 400,
}

#: What AWS's request authentication answers (Cognito Sync answered a bad
#: signature with 403 in the AWS SDK for Unity threads #19 and #44).
AUTHENTICATION_ERRORS: dict[str, int] = {
    "InvalidSignatureException": 403,
    "UnrecognizedClientException": 403,
}

#: Errors the API Reference lists for an operation but the model does not.
DOCUMENTED_ERRORS: dict[str, dict[str, int]] = {
    # "thrown when your Lambda function fails to respond within 5 seconds"
    "UpdateRecords": {"LambdaSocketTimeoutException": 400},
}

#: Errors every operation may answer, by code.
SHARED_ERRORS: dict[str, int] = {**COMMON_ERRORS, **AUTHENTICATION_ERRORS}


def unmodeled_status(code: str) -> int | None:
    """The documented status of an error the model lacks, if it is one."""
    status = SHARED_ERRORS.get(code)
    if status is not None:
        return status
    for errors in DOCUMENTED_ERRORS.values():
        if code in errors:
            return errors[code]
    return None


def is_shared(code: str) -> bool:
    """Whether AWS's own framework answers ``code``, not Cognito Sync."""
    return code in SHARED_ERRORS
