"""Which account, and which Cognito identity if any, an access key speaks for.

Signatures are not verified: the access key id in the request's credential
scope is all the fake reads. Keys it issued itself map to what they were
issued for; any other key is a developer key of the default account.
"""

from __future__ import annotations

import datetime as dt
import secrets
import string
from dataclasses import dataclass

_KEY_ALPHABET = string.ascii_uppercase + string.digits


@dataclass(frozen=True, slots=True)
class Principal:
    account_id: str
    #: set for Cognito Identity (temporary, per-identity) credentials
    identity_id: str | None = None


def _key(prefix: str) -> str:
    return prefix + "".join(secrets.choice(_KEY_ALPHABET) for _ in range(16))


class CredentialRegistry:
    def __init__(self, default_account: str) -> None:
        self.default_account = default_account
        self._principals: dict[str, Principal] = {}
        #: what every key the fake did not issue speaks for (built once:
        #: resolve() runs on every request)
        self._default = Principal(default_account)

    def resolve(self, access_key: str) -> Principal:
        return self._principals.get(access_key, self._default)

    def issue_developer(self, account_id: str) -> dict[str, str]:
        access_key = _key("AKIA")
        self._principals[access_key] = Principal(account_id)
        return {"AccessKeyId": access_key, "SecretAccessKey": secrets.token_hex(20)}

    def issue_identity(
        self, account_id: str, identity_id: str, now: dt.datetime
    ) -> dict[str, object]:
        # Shaped like GetCredentialsForIdentity's Credentials, plus the id.
        access_key = _key("ASIA")
        self._principals[access_key] = Principal(account_id, identity_id)
        return {
            "IdentityId": identity_id,
            "AccessKeyId": access_key,
            "SecretKey": secrets.token_hex(20),
            "SessionToken": secrets.token_urlsafe(96),
            "Expiration": now + dt.timedelta(hours=1),
        }
