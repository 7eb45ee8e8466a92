"""The README's examples run, and the output it quotes is what users see."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[1] / "README.md"
TEXT = README.read_text() if README.is_file() else ""
PYTHON_BLOCKS = re.findall(r"```python\n(.*?)```", TEXT, re.DOTALL)
INI_BLOCKS = re.findall(r"```ini\n(.*?)```", TEXT, re.DOTALL)

pytestmark = pytest.mark.skipif(not TEXT, reason="needs the source checkout")


@pytest.fixture(autouse=True)
def inner_runs_without_test_dependencies_plugins(pytester, monkeypatch):
    # After pytester's own setup, which clears PYTEST_ADDOPTS.
    # Inner runs keep file order (-p no:randomly): their later tests check
    # what earlier ones left behind.
    monkeypatch.setenv(
        "PYTEST_ADDOPTS", "-p no:asyncio -p no:hypothesispytest -p no:randomly"
    )
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)


def test_the_readme_opens_with_a_runnable_example_in_its_first_20_lines():
    first_lines = "\n".join(TEXT.splitlines()[:20]) + "\n"
    assert first_lines.count("```") == 2
    assert PYTHON_BLOCKS[0] in first_lines


@pytest.mark.parametrize(
    "block", PYTHON_BLOCKS, ids=[f"block{i}" for i in range(len(PYTHON_BLOCKS))]
)
def test_every_python_example_runs_under_pytest(pytester, block):
    pytester.makepyfile(test_readme_example=block)
    result = pytester.runpytest()
    outcomes = result.parseoutcomes()
    assert result.ret in (pytest.ExitCode.OK, pytest.ExitCode.NO_TESTS_COLLECTED)
    assert "failed" not in outcomes and "errors" not in outcomes


def test_the_ini_example_configures_the_fixture(pytester):
    (ini,) = INI_BLOCKS
    pytester.makeini(ini)
    pytester.makepyfile(
        """
        import datetime as dt

        def test_it(cognito_sync_mock):
            assert cognito_sync_mock.now() == dt.datetime(
                2024, 1, 1, tzinfo=dt.timezone.utc
            )
            assert cognito_sync_mock.options.bulk_publish_duration == 60
        """
    )
    pytester.runpytest().assert_outcomes(passed=1)


def test_the_quoted_marker_error_is_what_pytest_prints(pytester):
    (quoted,) = re.findall(
        r"^TypeError: @pytest\.mark\.cognito_sync_mock.*$", TEXT, re.M
    )
    pytester.makepyfile(
        """
        import pytest

        @pytest.mark.cognito_sync_mock(bulk_publish_duraton=300)
        def test_it(cognito_sync_mock):
            pass
        """
    )
    result = pytester.runpytest()
    result.assert_outcomes(errors=1)
    assert quoted in result.stdout.lines
