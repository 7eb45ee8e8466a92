"""Requests signed with credentials the fake issued are authenticated as
AWS authenticates them; requests signed with any other key are not.

The fake knows the secret, the session token and the expiration of every
key it issued (``issue_identity_credentials()``, ``account_credentials()``),
so for those it answers what AWS's request authentication answers:

- a session token that is missing, or not the one issued with the key:
  UnrecognizedClientException;
- temporary credentials past their Expiration on the fake's clock:
  ExpiredTokenException;
- a signature that is not the one botocore's signer computes from the
  secret: InvalidSignatureException, with the canonical request and the
  string to sign AWS would have expected.

A key it did not issue could belong to anyone, so it is taken on trust,
and checking costs such requests nothing.
"""

from __future__ import annotations

import datetime as dt

from ..errors import ServiceError
from ..protocol.http import HttpRequest
from ..protocol.signatures import (
    Unsigned,
    matches,
    mismatch_message,
    quick_signature,
    recompute,
    signed_parts,
)
from .credentials import IssuedKey

_INVALID_TOKEN = "The security token included in the request is invalid."
_EXPIRED_TOKEN = "The security token included in the request is expired"


def authenticate(
    key: IssuedKey, request: HttpRequest, now: dt.datetime
) -> ServiceError | None:
    """What AWS answers ``request``, signed with ``key``, before the service
    sees it; ``None`` when it passes."""
    try:
        signed = signed_parts(request)
    except Unsigned as problem:
        return ServiceError("InvalidSignatureException", str(problem))
    if signed.session_token != key.session_token:
        return ServiceError("UnrecognizedClientException", _INVALID_TOKEN)
    if key.expiration is not None and now >= key.expiration:
        return ServiceError("ExpiredTokenException", _EXPIRED_TOKEN)
    quick = quick_signature(request, signed, key.secret)
    if quick is not None and matches(quick, signed.signature):
        return None
    expected = recompute(request, signed, key.secret)
    if not matches(expected.signature, signed.signature):
        return ServiceError("InvalidSignatureException", mismatch_message(expected))
    return None
