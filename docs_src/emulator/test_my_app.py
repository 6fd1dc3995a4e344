"""Tests of an app built on the SDK, with the emulator's pytest plugin.

In your project, load the plugin once, in the top conftest.py:
pytest_plugins = ["xpander_sdk.emulator.pytest_plugin"]
"""

import sys
from typing import Any

import pytest

from xpander_sdk import AgentExecutionStatus, Tasks
from xpander_sdk.emulator import EmulatorServer


def summarize(prompt: str) -> str:
    """The app under test: it reads its settings from the environment."""
    with Tasks() as tasks:
        task = tasks.create(agent_id="summarizer", prompt=prompt, events_streaming=True)
        task.wait_for_completion(timeout=30)
        if task.status != AgentExecutionStatus.Completed:
            raise RuntimeError(f"no summary: {task.result}")
        return task.result or ""


def test_summarize(xpander_env: EmulatorServer) -> None:
    # xpander_env: a running emulator, with XPANDER_* pointing at it for this test
    assert summarize("Q3") == "Emulated answer to: Q3"
    (create,) = xpander_env.requests(method="POST")
    assert create["body"]["input"]["text"] == "Q3"


def shouting_agent(task_input: dict[str, Any]) -> str:
    return task_input["text"].upper()


@pytest.mark.xpander_emulator(agent=shouting_agent)
def test_with_my_agent(xpander_env: EmulatorServer) -> None:
    assert summarize("quiet please") == "QUIET PLEASE"


# Agent scripts for one test: what the agent does, step by step
TOO_LONG = [{"match": {"agent_id": "summarizer"}, "steps": [{"fail": "Context too long"}]}]


@pytest.mark.xpander_emulator(agents=TOO_LONG)
def test_reports_a_failed_run(xpander_env: EmulatorServer) -> None:
    with pytest.raises(RuntimeError, match="no summary: Context too long"):
        summarize("Q3")


# The session's shared emulator, with rules for this test only (gone after it)
@pytest.mark.xpander_emulator_shared(agents=[{"steps": [{"result": "A short summary"}]}])
def test_on_the_shared_emulator(
    xpander_emulator_shared: EmulatorServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in xpander_emulator_shared.env().items():
        monkeypatch.setenv(name, value)
    assert summarize("Q3") == "A short summary"


@pytest.mark.xpander_emulator(faults=True)
def test_survives_a_flaky_api(xpander_env: EmulatorServer) -> None:
    xpander_env.inject(kind="status", status=503, retry_after="0", count=2)
    assert summarize("Q3") == "Emulated answer to: Q3"
    assert xpander_env.stats()["faults_injected"]["status"] == 2


if __name__ == "__main__":  # python test_my_app.py: the same as pytest test_my_app.py
    sys.exit(pytest.main([__file__, "-q", "-p", "xpander_sdk.emulator.pytest_plugin"]))
    # > ...5 passed...
