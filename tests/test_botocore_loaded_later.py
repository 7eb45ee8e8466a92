"""The package does not import botocore, yet clients built after botocore is
first loaded, by anyone and in any way, are answered by the fake.

Each case runs in a fresh interpreter on a machine with no AWS
configuration: in this test process botocore is long loaded.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest


@pytest.fixture
def bare_machine(tmp_path: Path) -> dict[str, str]:
    empty = tmp_path / "empty"
    empty.write_text("")
    return {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "AWS_CONFIG_FILE": str(empty),
        "AWS_SHARED_CREDENTIALS_FILE": str(empty),
        "AWS_EC2_METADATA_DISABLED": "true",
    }


def run(script: str, environment: dict[str, str]) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(script)],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()


def test_importing_the_package_and_the_plugin_loads_no_botocore(bare_machine):
    loaded = run(
        """
        import sys
        import pytest_cognito_sync, pytest_cognito_sync.plugin
        print(sorted(name for name in sys.modules if name.startswith("botocore")))
        """,
        bare_machine,
    )
    assert loaded == ["[]"]


@pytest.mark.parametrize(
    "build",
    [
        'import boto3\nclient = boto3.client("cognito-sync", region_name="us-east-1")',
        "import botocore.session\n"
        "client = botocore.session.get_session().create_client(\n"
        '    "cognito-sync", region_name="us-east-1")',
        "import botocore.handlers, boto3\n"
        'client = boto3.session.Session().client("cognito-sync", '
        'region_name="us-east-1")',
    ],
    ids=["boto3", "botocore-session", "botocore-handlers-first"],
)
def test_a_client_built_after_the_package_is_answered_once(bare_machine, build):
    lines = run(
        f"""
import sys
import pytest_cognito_sync
from pytest_cognito_sync import mock_cognito_sync
{build}

# In place as soon as botocore was, not only once a mock starts.
from botocore.handlers import BUILTIN_HANDLERS
print([entry[0] for entry in BUILTIN_HANDLERS if "cognito-sync" in entry[0]])

with mock_cognito_sync() as cs:
    pool = cs.create_identity_pool()
    answer = client.get_bulk_publish_details(IdentityPoolId=pool)
    print(answer["BulkPublishStatus"], len(cs.calls))

# botocore kept its own loader, and the import watch stepped aside.
import botocore.handlers
print(type(botocore.handlers.__loader__).__name__)
print(type(botocore.handlers.__spec__.loader).__name__)
print(sum(type(finder).__module__.startswith("pytest_cognito_sync")
          for finder in sys.meta_path))
""",
        bare_machine,
    )
    assert lines == [
        "['before-sign.cognito-sync', 'before-send.cognito-sync']",
        "NOT_STARTED 1",
        "SourceFileLoader",
        "SourceFileLoader",
        "0",
    ]


def test_no_request_leaves_while_botocore_was_first_loaded_by_the_mock(bare_machine):
    # The mock itself loads botocore (for the service model) at its first
    # activation; a client built inside is answered too.
    lines = run(
        """
        from pytest_cognito_sync import mock_cognito_sync
        with mock_cognito_sync() as cs:
            import boto3
            client = boto3.client("cognito-sync", region_name="us-east-1")
            pool = cs.create_identity_pool()
            print(client.get_bulk_publish_details(IdentityPoolId=pool)
                  ["BulkPublishStatus"], len(cs.calls))
        """,
        bare_machine,
    )
    assert lines == ["NOT_STARTED 1"]


MODULE_LEVEL_CLIENT = """
import boto3

# Built at import time, before any mock, with no AWS configuration at all.
client = boto3.client("cognito-sync", region_name="us-east-1")


def test_module_level_client(cognito_sync_mock):
    pool = cognito_sync_mock.create_identity_pool()
    answer = client.get_bulk_publish_details(IdentityPoolId=pool)
    assert answer["BulkPublishStatus"] == "NOT_STARTED"
    assert len(cognito_sync_mock.calls) == 1
"""


def test_under_pytest_a_module_level_client_is_answered(
    pytester, bare_machine, monkeypatch
):
    for name, value in bare_machine.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_ACCESS_KEY_ID", raising=False)
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY", raising=False)
    monkeypatch.delenv("AWS_DEFAULT_REGION", raising=False)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    pytester.makepyfile(MODULE_LEVEL_CLIENT)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)


# -- the import watch itself ---------------------------------------------------


@pytest.fixture
def module_dir(tmp_path, monkeypatch):
    monkeypatch.syspath_prepend(str(tmp_path))
    yield tmp_path
    for name in [name for name in sys.modules if name.startswith("watched_")]:
        del sys.modules[name]


def test_the_watch_calls_back_once_the_module_has_run(module_dir):
    from pytest_cognito_sync.interception.after_import import call_after_import

    (module_dir / "watched_a.py").write_text("VALUE = 42\n")
    seen = []

    def then(was_loaded):
        seen.append((was_loaded, sys.modules["watched_a"].VALUE))

    call_after_import("watched_a", then)
    assert seen == []
    import watched_a

    assert seen == [(False, 42)]
    assert type(watched_a.__loader__).__name__ == "SourceFileLoader"
    call_after_import("watched_a", then)  # already loaded: at once
    assert seen == [(False, 42), (True, 42)]


def test_a_failed_import_leaves_the_watch_waiting_for_the_next(module_dir):
    from pytest_cognito_sync.interception.after_import import call_after_import

    module = module_dir / "watched_b.py"
    module.write_text("raise RuntimeError('not yet')\n")
    seen = []
    call_after_import("watched_b", seen.append)
    with pytest.raises(RuntimeError):
        import watched_b  # noqa: F401
    assert seen == []
    module.write_text("VALUE = 1\n")
    import importlib

    importlib.invalidate_caches()
    import watched_b  # noqa: F401, F811

    assert seen == [False]


@pytest.mark.parametrize("botocore_loaded", [False, True], ids=["never", "loaded"])
def test_the_watch_is_out_of_the_import_system_at_exit(bare_machine, botocore_loaded):
    # Left there, it would keep the package, and through the plugin all of
    # pytest, alive into the interpreter's last collections.
    lines = run(
        f"""
        import atexit, sys

        def watches():
            return [f for f in sys.meta_path if type(f).__name__ == "_Watch"]

        def report():  # registered first, so it runs after the package's
            print("watches at exit:", len(watches()))

        atexit.register(report)
        import pytest_cognito_sync.plugin
        assert len(watches()) == 1
        if {botocore_loaded}:
            import botocore.handlers
        """,
        bare_machine,
    )
    assert lines == ["watches at exit: 0"]
