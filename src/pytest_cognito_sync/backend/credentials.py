"""Which account, and which Cognito identity if any, an access key speaks for.

The access key id in the request's credential scope picks the principal.
Keys the fake issued itself map to what they were issued for, and their
requests are authenticated as AWS would (see ``authentication``); any
other key is a developer key of the default account, taken on trust.
"""

from __future__ import annotations

import datetime as dt
import secrets
import string
from dataclasses import dataclass

_KEY_ALPHABET = string.ascii_uppercase + string.digits

#: How long Cognito Identity credentials last (GetCredentialsForIdentity's
#: Expiration is an hour after they were issued).
IDENTITY_CREDENTIALS_LIFETIME = dt.timedelta(hours=1)


@dataclass(frozen=True, slots=True)
class Principal:
    account_id: str
    #: set for Cognito Identity (temporary, per-identity) credentials
    identity_id: str | None = None


@dataclass(frozen=True, slots=True)
class IssuedKey:
    """An access key the fake issued, with what it needs to authenticate it."""

    principal: Principal
    secret: str
    #: the session token temporary credentials must be sent with
    session_token: str | None = None
    #: when temporary credentials stop working, on the fake's clock
    expiration: dt.datetime | None = None


def _key(prefix: str) -> str:
    return prefix + "".join(secrets.choice(_KEY_ALPHABET) for _ in range(16))


class CredentialRegistry:
    def __init__(self, default_account: str) -> None:
        self.default_account = default_account
        #: The keys the fake issued, whose requests are checked. Every
        #: request asks it (``issued.get``), so it is read as a dict, without
        #: a method's frame of Python.
        self.issued: dict[str, IssuedKey] = {}
        #: what every key the fake did not issue speaks for (built once:
        #: it answers most requests)
        self.default_principal = Principal(default_account)

    def issue_developer(self, account_id: str) -> dict[str, str]:
        access_key, secret = _key("AKIA"), secrets.token_hex(20)
        self.issued[access_key] = IssuedKey(Principal(account_id), secret)
        return {"AccessKeyId": access_key, "SecretAccessKey": secret}

    def issue_identity(
        self, account_id: str, identity_id: str, now: dt.datetime
    ) -> dict[str, object]:
        # Shaped like GetCredentialsForIdentity's Credentials, plus the id.
        access_key, secret = _key("ASIA"), secrets.token_hex(20)
        token = secrets.token_urlsafe(96)
        expiration = now + IDENTITY_CREDENTIALS_LIFETIME
        principal = Principal(account_id, identity_id)
        self.issued[access_key] = IssuedKey(principal, secret, token, expiration)
        return {
            "IdentityId": identity_id,
            "AccessKeyId": access_key,
            "SecretKey": secret,
            "SessionToken": token,
            "Expiration": expiration,
        }
