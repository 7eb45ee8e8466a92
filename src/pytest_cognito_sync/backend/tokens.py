"""SyncSessionTokens: issued by ListRecords, spent by UpdateRecords.

A token is signed, not stored: a session number and the moment it was
issued, plus a MAC over them, the identity and the dataset, keyed by a
secret of the pool. So a token verifies only for the pool, identity and
dataset ListRecords issued it for, and issuing one costs no memory however
many syncs a test runs. The live service's tokens are opaque; these are
text, ``<session>.<issued, epoch ms>.<MAC>``, equally opaque to a client.

As on AWS (the AWS SDK for iOS's integration test against the live
service), a token stops working once an UpdateRecords with it succeeded;
the pool remembers the session numbers spent, 8 bytes' worth each. A
token also expires ``SESSION_LIFETIME`` after it was issued, on the fake
clock.
"""

from __future__ import annotations

import datetime as dt

from .._time_range import EPOCH
from ..errors import ServiceError, invalid_parameter
from .state import IdentityPool

#: How long a token works after ListRecords issued it (the fake's choice:
#: AWS says tokens expire but not when; one hour is the life of the
#: Cognito Identity credentials a device syncs with).
SESSION_LIFETIME = dt.timedelta(hours=1)

_LIFETIME_MILLIS = int(SESSION_LIFETIME.total_seconds() * 1000)
_NOT_VALID = "SyncSessionToken not valid for these inputs"
_MAC_MASK = (1 << 64) - 1


def issue_session(
    pool: IdentityPool, identity_id: str, dataset_name: str, now: dt.datetime
) -> str:
    pool.sync_sessions += 1
    payload = f"{pool.sync_sessions}.{_millis(now)}"
    return f"{payload}.{_session_mac(pool, payload, identity_id, dataset_name)}"


def require_session(
    pool: IdentityPool,
    identity_id: str,
    dataset_name: str,
    token: str,
    now: dt.datetime,
) -> int:
    """The token's session number; raises as AWS does when the token was
    not issued for these inputs, was spent, or has expired."""
    payload, _, mac = token.rpartition(".")
    if mac != _session_mac(pool, payload, identity_id, dataset_name):
        raise invalid_parameter(_NOT_VALID)
    # Verified, so the payload is one issue_session wrote.
    session_text, _, issued_text = payload.partition(".")
    session, issued = int(session_text), int(issued_text)
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


_MILLISECOND = dt.timedelta(milliseconds=1)


def _millis(moment: dt.datetime) -> int:
    # Whole milliseconds (floored) from the exact difference, not from the
    # float timestamp: exact in any year. One division in C: reading the
    # difference's days, seconds and microseconds would look each up
    # through its type (CPython 3.11 does not specialize those reads).
    return (moment - EPOCH) // _MILLISECOND


def _session_mac(
    pool: IdentityPool, payload: str, identity_id: str, dataset_name: str
) -> str:
    # Python's own hash, keyed per process (SipHash), of the inputs and the
    # pool's secret: a MAC for a fake, where nobody attacks the key. It runs
    # code botocore keeps warm: checking a token with a keyed BLAKE2b, base64
    # and a packed struct missed a 512 KB cache about 460 times (a sixth of
    # what an UpdateRecords adds to botocore's call), and now about 170.
    inputs = (pool.session_secret, payload, identity_id, dataset_name)
    return str(hash(inputs) & _MAC_MASK)
