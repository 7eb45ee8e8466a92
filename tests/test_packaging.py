"""What ``pip install pytest-cognito-sync`` delivers: the wheel built from
this checkout, and what importing the package costs a test run."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "pytest_cognito_sync"

needs_source = pytest.mark.skipif(
    not (ROOT / "pyproject.toml").is_file() or not PACKAGE.is_dir(),
    reason="needs the source checkout",
)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Iterator[zipfile.ZipFile]:
    """The wheel pip builds from the checkout (with the installed hatchling,
    so that no network is needed)."""
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--wheel-dir",
            str(out),
            str(ROOT),
        ],
        check=True,
    )
    (built,) = out.glob("pytest_cognito_sync-*.whl")
    with zipfile.ZipFile(built) as archive:
        yield archive


def dist_info(wheel: zipfile.ZipFile, name: str) -> str:
    (path,) = (n for n in wheel.namelist() if n.endswith(f".dist-info/{name}"))
    return wheel.read(path).decode()


@needs_source
def test_wheel_ships_every_module_of_the_package_and_py_typed(wheel):
    names = set(wheel.namelist())
    sources = {
        "pytest_cognito_sync/" + path.relative_to(PACKAGE).as_posix()
        for path in PACKAGE.rglob("*")
        if path.is_file() and path.suffix in (".py", ".typed")
    }
    assert "pytest_cognito_sync/py.typed" in sources
    assert sources <= names, sorted(sources - names)


@needs_source
def test_wheel_ships_no_tests_examples_or_bytecode(wheel):
    stray = [
        name
        for name in wheel.namelist()
        if not name.startswith(("pytest_cognito_sync/", "pytest_cognito_sync-"))
        or name.endswith(".pyc")
    ]
    assert stray == []


@needs_source
def test_wheel_registers_the_pytest_plugin(wheel):
    entry_points = dist_info(wheel, "entry_points.txt")
    assert "[pytest11]\ncognito_sync = pytest_cognito_sync.plugin" in entry_points


@needs_source
def test_wheel_metadata_names_the_distribution_and_its_dependencies(wheel):
    metadata = dist_info(wheel, "METADATA")
    assert "Name: pytest-cognito-sync" in metadata
    requires = {
        line.split(":", 1)[1].split(";")[0].strip().split(">")[0].split("=")[0]
        for line in metadata.splitlines()
        if line.startswith("Requires-Dist:") and "extra ==" not in line
    }
    assert requires == {"botocore", "boto3", "requests", "pytest"}
    assert "Provides-Extra: test" in metadata
    assert "Provides-Extra: dev" in metadata


def test_importing_the_plugin_after_boto3_loads_nothing_heavy():
    # pytest imports the plugin in every run, mocks or not: it must not
    # pull in the backend, the service model, requests or moto. (Which
    # modules load, not how long it takes: timings are the benchmark's job.)
    script = textwrap.dedent(
        """
        import sys
        import boto3, pytest
        before = set(sys.modules)
        import pytest_cognito_sync.plugin
        print("\\n".join(sorted(set(sys.modules) - before)))
        """
    )
    loaded = subprocess.run(
        [sys.executable, "-c", script], check=True, capture_output=True, text=True
    ).stdout.split()
    outside = [name for name in loaded if not name.startswith("pytest_cognito_sync")]
    assert outside == []
    heavy = ("pytest_cognito_sync.backend", "pytest_cognito_sync.protocol")
    assert [name for name in loaded if name.startswith(heavy)] == []
    assert "pytest_cognito_sync._model" not in loaded
    # Nor the mock and its options: the fixtures import them when used.
    assert "pytest_cognito_sync.mock" not in loaded
    assert "pytest_cognito_sync._options" not in loaded


def test_the_public_names_are_imported_when_first_used():
    script = textwrap.dedent(
        """
        import sys
        import pytest_cognito_sync
        assert "pytest_cognito_sync.mock" not in sys.modules
        from pytest_cognito_sync import CognitoSyncMock, mock_cognito_sync
        from pytest_cognito_sync.mock import CognitoSyncMock as defined
        assert CognitoSyncMock is defined
        assert mock_cognito_sync().__class__ is defined
        for name in pytest_cognito_sync.__all__:
            assert name in dir(pytest_cognito_sync), name
            assert getattr(pytest_cognito_sync, name).__name__ == name
        try:
            pytest_cognito_sync.CognitoSyncMok
        except AttributeError as error:
            assert "CognitoSyncMok" in str(error)
        else:
            raise AssertionError("a misspelt name must not be found")
        """
    )
    subprocess.run([sys.executable, "-c", script], check=True)


def test_the_first_mock_loads_the_backend():
    # The other side of the lazy import above: it does happen, on start().
    script = textwrap.dedent(
        """
        import sys
        from pytest_cognito_sync import mock_cognito_sync
        assert "pytest_cognito_sync.backend" not in sys.modules
        with mock_cognito_sync():
            assert "pytest_cognito_sync.backend" in sys.modules
        """
    )
    subprocess.run([sys.executable, "-c", script], check=True)
