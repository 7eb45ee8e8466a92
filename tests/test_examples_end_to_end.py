"""examples/end_to_end.py: a device syncs, an operator bulk publishes, a
consumer rebuilds the data from the stream, all through boto3."""

from __future__ import annotations

import os
import subprocess
import sys

from example_scripts import FOLDER, load_example

SCRIPT = FOLDER / "end_to_end.py"


end_to_end = load_example("end_to_end")


def test_the_consumer_rebuilds_exactly_what_the_service_holds():
    said = []
    rebuilt, held = end_to_end.run(say=said.append)
    assert (
        rebuilt
        == held
        == {
            (end_to_end.USER, "game"): {"level": "4", "badge": "gold"},
            # "name" was written before the stream existed: only the bulk
            # publish carried it to the consumer.
            (end_to_end.USER, "profile"): {"name": "Ada"},
        }
    )
    assert "operator bulk published the pool: SUCCEEDED" in said


def test_the_script_runs_and_prints_a_summary(tmp_path):
    environment = {
        name: value for name, value in os.environ.items() if not name.startswith("AWS_")
    }
    environment["AWS_CONFIG_FILE"] = environment["AWS_SHARED_CREDENTIALS_FILE"] = str(
        tmp_path / "none"
    )
    finished = subprocess.run(
        [sys.executable, str(SCRIPT)],
        capture_output=True,
        text=True,
        env=environment,
        timeout=120,
        check=False,
    )
    assert finished.returncode == 0, finished.stderr
    assert "rebuilt data matches what Cognito Sync holds: True" in finished.stdout
