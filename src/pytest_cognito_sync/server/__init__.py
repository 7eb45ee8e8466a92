"""The HTTP way in: the fake served on a local socket.

For clients outside the test's Python process: the AWS CLI, the JavaScript
SDKs in Node or a browser, other processes and languages. It sits beside
the botocore hook and the ``requests`` route of ``interception`` and takes
the same path, ``interception.dispatch.answer``: decode, backend, encode.

- ``threaded``: CognitoSyncServer, the listening socket and its threads
- ``handler``: one connection; cognito-sync requests and the control API
- ``control``: the control API (the mock's methods over HTTP, as JSON)
- ``cors``: what browsers need to call it from a web page
- ``served_mock``: the mock a server answers from, never active in process
- ``cli``: the ``cognito-sync-server`` command
"""

from .threaded import CognitoSyncServer

__all__ = ["CognitoSyncServer"]
