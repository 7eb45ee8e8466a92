"""SyncSessionTokens: issued by ListRecords, spent by UpdateRecords.

A token is signed, not stored: a session number and the moment it was
issued, plus a MAC over them, the identity and the dataset, keyed by a
secret of the pool. So a token verifies only for the pool, identity and
dataset ListRecords issued it for, and issuing one costs no memory however
many syncs a test runs.

As on AWS (the AWS SDK for iOS's integration test against the live
service), a token stops working once an UpdateRecords with it succeeded;
the pool remembers the session numbers spent, 8 bytes' worth each. A
token also expires ``SESSION_LIFETIME`` after it was issued, on the fake
clock.
"""

from __future__ import annotations

import binascii
import datetime as dt
import hashlib
import hmac
import struct

from ..errors import ServiceError, invalid_parameter
from .state import IdentityPool

#: How long a token works after ListRecords issued it (the fake's choice:
#: AWS says tokens expire but not when; one hour is the life of the
#: Cognito Identity credentials a device syncs with).
SESSION_LIFETIME = dt.timedelta(hours=1)

#: session number, and epoch milliseconds when it was issued
_PAYLOAD = struct.Struct(">Qq")
_MAC_BYTES = 16
_TOKEN_BYTES = _PAYLOAD.size + _MAC_BYTES
_LIFETIME_MILLIS = int(SESSION_LIFETIME.total_seconds() * 1000)
_NOT_VALID = "SyncSessionToken not valid for these inputs"
# base64's urlsafe_b64encode and urlsafe_b64decode, without their three
# Python frames a call: the same translation around binascii's codec.
_URLSAFE = bytes.maketrans(b"+/", b"-_")
_FROM_URLSAFE = bytes.maketrans(b"-_", b"+/")


def issue_session(
    pool: IdentityPool, identity_id: str, dataset_name: str, now: dt.datetime
) -> str:
    pool.sync_sessions += 1
    payload = _PAYLOAD.pack(pool.sync_sessions, _millis(now))
    mac = _session_mac(pool, payload, identity_id, dataset_name)
    return (
        binascii.b2a_base64(payload + mac, newline=False).translate(_URLSAFE).decode()
    )


def require_session(
    pool: IdentityPool,
    identity_id: str,
    dataset_name: str,
    token: str,
    now: dt.datetime,
) -> int:
    """The token's session number; raises as AWS does when the token was
    not issued for these inputs, was spent, or has expired."""
    try:
        raw = binascii.a2b_base64(token.encode().translate(_FROM_URLSAFE))
    except (binascii.Error, ValueError):
        raise invalid_parameter(_NOT_VALID) from None
    if len(raw) != _TOKEN_BYTES:
        raise invalid_parameter(_NOT_VALID)
    payload, mac = raw[: _PAYLOAD.size], raw[_PAYLOAD.size :]
    expected = _session_mac(pool, payload, identity_id, dataset_name)
    if not hmac.compare_digest(mac, expected):
        raise invalid_parameter(_NOT_VALID)
    session: int
    issued: int
    session, issued = _PAYLOAD.unpack(payload)
    if session in pool.spent_sessions:
        raise _refused(
            "a successful UpdateRecords already used it; call ListRecords for a new one"
        )
    if _millis(now) - issued >= _LIFETIME_MILLIS:
        expiry = dt.datetime.fromtimestamp(issued / 1000, dt.timezone.utc)
        expiry += SESSION_LIFETIME
        raise _refused(
            f"it expired at {expiry.isoformat()}, {SESSION_LIFETIME} after "
            "ListRecords issued it; call ListRecords for a new one"
        )
    return session


def spend_session(pool: IdentityPool, session: int) -> None:
    pool.spent_sessions.add(session)


def _refused(reason: str) -> ServiceError:
    return invalid_parameter(f"{_NOT_VALID}: {reason}")


_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)


def _millis(moment: dt.datetime) -> int:
    # Whole milliseconds from the exact difference, not from the float
    # timestamp: a third cheaper, and exact in any year.
    delta = moment - _EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1000 + delta.microseconds // 1000


def _session_mac(
    pool: IdentityPool, payload: bytes, identity_id: str, dataset_name: str
) -> bytes:
    message = b"\0".join((payload, identity_id.encode(), dataset_name.encode()))
    # A keyed BLAKE2b is a MAC, and three times cheaper than HMAC-SHA256.
    # Keyed once per pool and copied: keying hashes a block of its own, and
    # the constructor parses keyword arguments (a quarter of the MAC's cost).
    keyed = pool.session_mac
    if keyed is None:
        keyed = pool.session_mac = hashlib.blake2b(
            key=pool.session_secret, digest_size=_MAC_BYTES
        )
    mac = keyed.copy()
    mac.update(message)
    return mac.digest()  # type: ignore[no-any-return]
