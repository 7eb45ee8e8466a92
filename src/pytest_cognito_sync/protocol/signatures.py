"""Signature Version 4, checked the way AWS checks it, with botocore's signer.

The fake recomputes a request's signature only for credentials it issued
itself, the only ones whose secret it knows. The canonical request and the
string to sign are botocore's own (``SigV4Auth``), computed over what the
client signed: the headers its ``SignedHeaders`` names, the URL path and
host it sent, and the moment its ``X-Amz-Date`` gives.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from functools import lru_cache
from typing import Any, NamedTuple
from urllib.parse import parse_qsl, quote, urlsplit, urlunsplit

from botocore.auth import (  # type: ignore[attr-defined]
    SIGV4_TIMESTAMP,
    SigV4Auth,
    _host_from_url,
)
from botocore.compat import HTTPHeaders
from botocore.credentials import Credentials

from .decoding import split_url
from .http import HttpRequest

_ALGORITHM = "AWS4-HMAC-SHA256"
SERVICE = "cognito-sync"
#: What AWS answers when the signatures differ, followed by what it
#: computed (as in the Cognito Sync answers pasted in the AWS SDK for Unity
#: threads #19 and #44).
MISMATCH = (
    "The request signature we calculated does not match the signature you "
    "provided. Check your AWS Secret Access Key and signing method. Consult "
    "the service documentation for details."
)


class Signed(NamedTuple):
    """What a request says about how it was signed."""

    access_key: str
    #: the scope's parts: date, region, service
    scope: tuple[str, str, str]
    signed_headers: tuple[str, ...]
    signature: str
    #: the signing moment, as X-Amz-Date writes it (``20240101T000000Z``)
    timestamp: str
    #: the session token sent with the request, if any
    session_token: str | None
    #: query parameters that are part of the canonical request
    query: tuple[tuple[str, str], ...]


class Unsigned(Exception):
    """The request's signature is incomplete; the message says what lacks."""


def signed_parts(request: HttpRequest) -> Signed:
    """How ``request`` was signed, from its Authorization header or, for a
    presigned URL, its query string; raises Unsigned if that is incomplete."""
    _, query_string, _ = split_url(request.url)
    query = parse_qsl(query_string, keep_blank_values=True)
    authorization = _header(request, "Authorization")
    if authorization is not None:
        return _from_header(request, authorization, query)
    return _from_query(query)


def _from_header(
    request: HttpRequest, authorization: str, query: list[tuple[str, str]]
) -> Signed:
    algorithm, _, rest = authorization.strip().partition(" ")
    if algorithm != _ALGORITHM:
        raise Unsigned(f"Unsupported signing algorithm {algorithm!r}")
    fields = {}
    for item in rest.split(","):
        name, _, value = item.strip().partition("=")
        fields[name] = value
    missing = [
        f"Authorization header requires '{name}' parameter."
        for name in ("Credential", "Signature", "SignedHeaders")
        if not fields.get(name)
    ]
    timestamp = _header(request, "X-Amz-Date") or _from_http_date(
        _header(request, "Date")
    )
    if timestamp is None:
        missing.append(
            "Authorization header requires existence of either a 'X-Amz-Date' "
            "or a 'Date' header."
        )
    if missing:
        raise Unsigned(" ".join(missing))
    assert timestamp is not None
    access_key, scope = _scope(fields["Credential"])
    return Signed(
        access_key,
        scope,
        tuple(fields["SignedHeaders"].split(";")),
        fields["Signature"],
        timestamp,
        _header(request, "X-Amz-Security-Token"),
        tuple(query),
    )


def _from_query(query: list[tuple[str, str]]) -> Signed:
    values = dict(query)
    required = ("X-Amz-Credential", "X-Amz-Signature", "X-Amz-SignedHeaders")
    missing = [name for name in (*required, "X-Amz-Date") if not values.get(name)]
    if missing:
        raise Unsigned(
            "AWS query-string parameters missing: " + ", ".join(missing) + "."
        )
    access_key, scope = _scope(values["X-Amz-Credential"])
    return Signed(
        access_key,
        scope,
        tuple(values["X-Amz-SignedHeaders"].split(";")),
        values["X-Amz-Signature"],
        values["X-Amz-Date"],
        values.get("X-Amz-Security-Token"),
        # The canonical query string is every parameter but the signature.
        tuple((name, value) for name, value in query if name != "X-Amz-Signature"),
    )


def _scope(credential: str) -> tuple[str, tuple[str, str, str]]:
    parts = credential.split("/")
    if len(parts) != 5 or parts[4] != "aws4_request":
        raise Unsigned(
            f"Credential should be scoped to a valid region, not {credential!r}"
        )
    if parts[3] != SERVICE:
        # A signature for another service must not pass for this one.
        raise Unsigned(f"Credential should be scoped to correct service: '{SERVICE}'.")
    return parts[0], (parts[1], parts[2], parts[3])


def _from_http_date(value: str | None) -> str | None:
    if not value:
        return None
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return moment.astimezone(dt.timezone.utc).strftime(SIGV4_TIMESTAMP)


class Recomputed(NamedTuple):
    signature: str
    canonical_request: str
    string_to_sign: str


def recompute(request: HttpRequest, signed: Signed, secret: str) -> Recomputed:
    """The signature AWS would compute for ``request`` with ``secret``."""
    _, region, service = signed.scope
    signer = _Recomputer(Credentials(signed.access_key, secret), service, region)
    headers = HTTPHeaders()
    for name in signed.signed_headers:
        value = _header(request, name)
        if value is None and name == "host":
            # botocore signs the host of the URL; its HTTP client adds the
            # header only after this point.
            value = _host_from_url(request.url)
        if value is not None:
            headers[name] = value
    parts = urlsplit(request.url)
    canonical: Any = _Canonical(
        method=request.method,
        url=urlunsplit((parts.scheme, parts.netloc, parts.path, "", "")),
        signed_headers=headers,
        params=list(signed.query),
        body=request.body,
        context={"timestamp": signed.timestamp},
    )
    canonical_request = signer.canonical_request(canonical)
    # A scope dated otherwise than X-Amz-Date makes a string to sign that
    # differs from the client's, so such a request is refused as AWS does.
    string_to_sign = signer.string_to_sign(canonical, canonical_request)
    signature = signer.signature(string_to_sign, canonical)
    return Recomputed(signature, canonical_request, string_to_sign)


#: A path that botocore's signer takes as it is, but for quoting ``%`` and
#: ``:`` (which a client sends in every identity id): no empty or dot
#: segments to remove, and no other character that ``quote`` changes.
_PLAIN_PATH = re.compile(r"/|(?:/[A-Za-z0-9_~%:-][A-Za-z0-9_.~%:-]*)+/?")


def quick_signature(request: HttpRequest, signed: Signed, secret: str) -> str | None:
    """``recompute(request, signed, secret).signature`` without botocore's
    signer, for the requests clients send: lower-case, distinct signed
    headers, all present, with ASCII values; a plain path; ASCII scope.
    ``None`` for any other request, which ``recompute`` then checks.

    botocore's signer, run over a copy of the request, costs a device's
    request more than all the rest of its handling; the canonical request
    of an ordinary one is a few joins.
    """
    names = signed.signed_headers
    _, region, service = signed.scope
    timestamp = signed.timestamp
    path, _, _ = split_url(request.url)
    if (
        len(set(names)) != len(names)
        or not (region.isascii() and timestamp.isascii())
        or _PLAIN_PATH.fullmatch(path) is None
    ):
        return None
    lines = []
    for name in sorted(names):
        if name != name.strip().lower():
            return None
        value = _header(request, name)
        if value is None and name == "host":
            value = _host(request.url)
            if value is None:
                return None
        if value is None or not value.isascii():
            return None
        lines.append(f"{name}:{' '.join(value.split())}")
    pairs = sorted(
        (quote(key, safe="-_.~"), quote(value, safe="-_.~"))
        for key, value in signed.query
    )
    canonical_request = "\n".join(
        (
            request.method.upper(),
            path.replace("%", "%25").replace(":", "%3A"),
            "&".join(f"{key}={value}" for key, value in pairs),
            "\n".join(lines) + "\n",
            ";".join(sorted(names)),
            hashlib.sha256(request.body).hexdigest(),
        )
    )
    date = timestamp[:8]
    string_to_sign = "\n".join(
        (
            _ALGORITHM,
            timestamp,
            f"{date}/{region}/{service}/aws4_request",
            hashlib.sha256(canonical_request.encode()).hexdigest(),
        )
    )
    key = _signing_key(secret, date, region, service)
    return hmac.new(key, string_to_sign.encode(), "sha256").hexdigest()


@lru_cache(maxsize=64)
def _signing_key(secret: str, date: str, region: str, service: str) -> bytes:
    # The same for a key's every request of a day: four HMACs derived once.
    key = f"AWS4{secret}".encode()
    for part in (date, region, service, "aws4_request"):
        key = hmac.digest(key, part.encode(), "sha256")
    return key


def _host(url: str) -> str | None:
    """botocore's ``_host_from_url``, which reads only the scheme and the
    host, from a cache by those; ``None`` for a URL with characters
    botocore's IPv6 check looks at in the whole URL."""
    if "\t" in url or "\r" in url or "\n" in url:
        return None
    parts = urlsplit(url)
    return _host_of(parts.scheme, parts.netloc)


@lru_cache(maxsize=64)
def _host_of(scheme: str, netloc: str) -> str:
    host: str = _host_from_url(f"{scheme}://{netloc}/")
    return host


def matches(expected: str, given: str) -> bool:
    return hmac.compare_digest(expected.encode(), given.encode())


def mismatch_message(recomputed: Recomputed) -> str:
    return (
        f"{MISMATCH}\n\nThe Canonical String for this request should have been\n"
        f"'{recomputed.canonical_request}'\n\nThe String-to-Sign should have been\n"
        f"'{recomputed.string_to_sign}'\n"
    )


@dataclass
class _Canonical:
    """The parts of a request botocore's SigV4Auth reads."""

    method: str
    url: str
    signed_headers: Any
    params: list[tuple[str, str]]
    body: bytes
    context: dict[str, Any] = field(default_factory=dict)
    #: What botocore's signer reads X-Amz-Content-SHA256 from; left empty so
    #: that the payload's hash is always computed from the body received,
    #: as the service does, whatever hash the client claims.
    headers: Any = field(default_factory=HTTPHeaders)


class _Recomputer(SigV4Auth):
    """botocore's signer over exactly the headers the client signed: its
    own selection leaves out some (``user-agent`` ...) that other signers
    include."""

    def headers_to_sign(self, request: Any) -> Any:
        return request.signed_headers


def _header(request: HttpRequest, name: str) -> str | None:
    value = request.headers.get(name.lower())  # see HttpRequest.headers
    if value is None:
        return None
    # botocore sends its header values as UTF-8 bytes.
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else value
