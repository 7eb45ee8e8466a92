"""A pool's configuration: Cognito Streams and push sync.

SetIdentityPoolConfiguration and ``CognitoSyncMock.configure_streams()``
both come through :func:`configure`, so the helper and the API are one
mechanism: same validation (the model's), same merge, same result.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from .._model import service_model
from ..errors import invalid_parameter
from ..protocol.shapes import Decoder, compile_decoder, summarize
from .state import CognitoStreams, IdentityPool, PushSync


def configure(
    pool: IdentityPool,
    cognito_streams: dict[str, Any] | None = None,
    push_sync: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Apply the given parts (model member names); answer the result.

    A part that is not given is left as it is; within a part, members that
    are not given keep their current value.
    """
    if cognito_streams is not None:
        current = pool.streams or CognitoStreams()
        pool.streams = CognitoStreams(
            cognito_streams.get("StreamName", current.stream_name),
            cognito_streams.get("RoleArn", current.role_arn),
            cognito_streams.get("StreamingStatus", current.streaming_status),
        )
    if push_sync is not None:
        current_push = pool.push_sync or PushSync()
        arns = push_sync.get("ApplicationArns")
        pool.push_sync = PushSync(
            tuple(arns) if arns is not None else current_push.application_arns,
            push_sync.get("RoleArn", current_push.role_arn),
        )
    return describe(pool)


def describe(pool: IdentityPool) -> dict[str, Any]:
    """GetIdentityPoolConfiguration's answer: only the parts that are set."""
    answer: dict[str, Any] = {"IdentityPoolId": pool.pool_id}
    streams = pool.streams
    if streams is not None:
        answer["CognitoStreams"] = {
            "StreamName": streams.stream_name,
            "RoleArn": streams.role_arn,
            "StreamingStatus": streams.streaming_status,
        }
    push = pool.push_sync
    if push is not None:
        answer["PushSync"] = {
            "ApplicationArns": list(push.application_arns),
            "RoleArn": push.role_arn,
        }
    return answer


def validated(shape_name: str, value: dict[str, Any], path: str) -> dict[str, Any]:
    """``value`` checked against a model shape, as a request's would be."""
    errors: list[str] = []
    decoded: dict[str, Any] = _decoder(shape_name)(value, path, errors)
    if errors:
        raise invalid_parameter(summarize(errors))
    return decoded


@cache
def _decoder(shape_name: str) -> Decoder:
    return compile_decoder(service_model().shape_for(shape_name))
