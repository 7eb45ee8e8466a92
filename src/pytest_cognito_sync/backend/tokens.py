"""SyncSessionTokens: issued by ListRecords, required by UpdateRecords.

A token is signed, not stored: a session number plus a MAC over it, the
identity and the dataset, keyed by a secret of the pool. So a token
verifies only for the pool, identity and dataset ListRecords issued it
for, and issuing one costs no memory however many syncs a test runs.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac

from ..errors import invalid_parameter
from .state import IdentityPool

_SESSION_ID_BYTES = 8
_MAC_BYTES = 16


def issue_session(pool: IdentityPool, identity_id: str, dataset_name: str) -> str:
    pool.sync_sessions += 1
    session_id = pool.sync_sessions.to_bytes(_SESSION_ID_BYTES, "big")
    mac = _session_mac(pool, session_id, identity_id, dataset_name)
    return base64.urlsafe_b64encode(session_id + mac).decode()


def session_is_valid(
    pool: IdentityPool, identity_id: str, dataset_name: str, token: str
) -> bool:
    try:
        raw = base64.urlsafe_b64decode(token.encode())
    except (binascii.Error, ValueError):
        return False
    if len(raw) != _SESSION_ID_BYTES + _MAC_BYTES:
        return False
    session_id, mac = raw[:_SESSION_ID_BYTES], raw[_SESSION_ID_BYTES:]
    expected = _session_mac(pool, session_id, identity_id, dataset_name)
    return hmac.compare_digest(mac, expected)


def require_session(
    pool: IdentityPool, identity_id: str, dataset_name: str, token: str
) -> None:
    if not session_is_valid(pool, identity_id, dataset_name, token):
        raise invalid_parameter("SyncSessionToken not valid for these inputs")


def _session_mac(
    pool: IdentityPool, session_id: bytes, identity_id: str, dataset_name: str
) -> bytes:
    message = b"\0".join((session_id, identity_id.encode(), dataset_name.encode()))
    # A keyed BLAKE2b is a MAC, and three times cheaper than HMAC-SHA256.
    keyed = hashlib.blake2b(message, key=pool.session_secret, digest_size=_MAC_BYTES)
    return keyed.digest()
