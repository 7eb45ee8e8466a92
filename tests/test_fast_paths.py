"""Each shortcut of the per-request path against the long way it replaces:
they must agree on every input, not only on the ones a benchmark sends."""

from __future__ import annotations

import json
import sys
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from pytest_cognito_sync.errors import ServiceError
from pytest_cognito_sync.protocol import decoding

FAST_PATHS = settings(max_examples=200, deadline=None)

JSON_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.text(alphabet='[]{}"\\ab', max_size=8),
)
JSON_VALUES = st.recursive(
    JSON_SCALARS,
    lambda inner: st.lists(inner, max_size=4)
    | st.dictionaries(st.text(alphabet="[]{}ab", max_size=3), inner, max_size=4),
    max_leaves=30,
)


def refusal(check: Any, *args: Any) -> str | None:
    try:
        check(*args)
    except ServiceError as error:
        return error.message
    return None


@FAST_PATHS
@given(
    value=JSON_VALUES,
    depth=st.integers(0, 1100),
    opening=st.sampled_from(['[', '{"a":']),
    padding=st.sampled_from([0, 600, 1200]),
)
def test_the_depth_of_a_parsed_body_is_the_depth_of_its_text(
    value, depth, opening, padding
):
    # Brackets in strings (padding) count toward the quick count, not the depth.
    inner = json.dumps({"pad": "[{" * padding, "v": value})
    closing = "]" if opening == "[" else "}"
    body = (opening * depth + inner + closing * depth).encode()
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 5000))  # for json.loads, not the checks
    try:
        parsed = json.loads(body)
    finally:
        sys.setrecursionlimit(limit)
    assert refusal(decoding._check_depth, parsed, body) == refusal(
        decoding._check_nesting, body
    )
