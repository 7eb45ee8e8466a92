"""``python -m pytest_cognito_sync``: the ``cognito-sync-server`` command."""

from .server.cli import main

raise SystemExit(main())
