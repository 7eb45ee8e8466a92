"""MaxResults and NextToken, shared by the listing operations.

A NextToken is where the next page starts, as base64 JSON: it carries no
state on the server, and finding the page it names costs O(log n) or less.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Mapping
from typing import Any

from ..errors import ServiceError, invalid_parameter
from ..protocol.shapes import summarize, violation


def page_size(params: Mapping[str, Any], default: int) -> int:
    """MaxResults, which must be at least 1 (the API reference's pattern
    ``^[1-9]\\d*``), or ``default``."""
    requested = params.get("MaxResults")
    if requested is None:
        return default
    if requested < 1:
        rule = "Member must have value greater than or equal to 1"
        raise invalid_parameter(summarize([violation(requested, "maxResults", rule)]))
    return int(requested)


def encode_page(position: Any) -> str:
    text = json.dumps(position, separators=(",", ":"))
    return base64.urlsafe_b64encode(text.encode()).decode()


def decode_page(token: str) -> Any:
    try:
        return json.loads(base64.urlsafe_b64decode(token.encode()))
    except (binascii.Error, ValueError, RecursionError):
        raise bad_page(token) from None


def bad_page(token: str) -> ServiceError:
    return invalid_parameter(
        f"NextToken '{token}' is not valid: pass the NextToken that the previous "
        "page of this same listing returned"
    )
