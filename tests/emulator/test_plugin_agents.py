"""The pytest plugin's ``agents=``: on the per-test emulator, on the shared one (never
leaking into the next test), and under pytest-xdist with one emulator per worker.

The first three tests run in file order and depend on it: the first sets rules on the
shared emulator, the second finds none.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from emulator_helpers import create, make_client, read_stream

from xpander_sdk.emulator import EmulatorServer

SCRIPT = [{"match": {"agent_id": "plugin-*"}, "steps": [{"result": "scripted"}]}]


def result_of(server: EmulatorServer, agent_id: str) -> str:
    with make_client(server) as client:
        task = create(client, agent_id)
        final = read_stream(client, server.organization_id, task["id"]).events[-1]
    result: str = final["data"]["result"]
    return result


@pytest.mark.xpander_emulator_shared(agents=SCRIPT)
def test_1_the_shared_emulator_runs_this_tests_rules(
    xpander_emulator_shared: EmulatorServer,
) -> None:
    assert result_of(xpander_emulator_shared, "plugin-a") == "scripted"
    # A test may change the rules itself: they are gone after it too.
    xpander_emulator_shared.set_agents([{"steps": [{"result": "everyone"}]}])
    assert result_of(xpander_emulator_shared, "other") == "everyone"


def test_2_the_next_test_finds_no_rules(xpander_emulator_shared: EmulatorServer) -> None:
    assert xpander_emulator_shared.get_agents() == {"agents": []}
    assert result_of(xpander_emulator_shared, "plugin-a").startswith("Emulated answer")


@pytest.mark.xpander_emulator(agents=SCRIPT)
def test_3_the_per_test_emulator_takes_agents(xpander_emulator: EmulatorServer) -> None:
    assert result_of(xpander_emulator, "plugin-b") == "scripted"


# What each worker runs: two files, each alternating a test with rules and one without,
# so on every worker a test without rules follows one with (``--dist loadfile`` keeps a
# file's tests in order on one worker).
WORKER_TESTS = """
import json, os
import pytest
from pathlib import Path

SCRIPT = [{"match": {"agent_id": "x-*"}, "steps": [{"result": "scripted"}]}]


def run(server, agent_id):
    import httpx
    with httpx.Client(base_url=server.base_url, headers={"x-api-key": server.api_key}) as c:
        task = c.post(f"/agent-execution/{agent_id}", json={"input": {"text": "hi"}}).json()
        while True:
            done = c.get(f"/agent-execution/{task['id']}/status").json()
            if done["status"] == "completed":
                return done["result"]


def note(server, name):
    out = Path(os.environ["PLUGIN_NOTES"]) / f"{name}.json"
    worker = os.environ.get("PYTEST_XDIST_WORKER", "none")
    out.write_text(json.dumps({"worker": worker, "url": server.base_url}))


@pytest.mark.xpander_emulator_shared(agents=SCRIPT)
def test_with_rules_1(xpander_emulator_shared):
    note(xpander_emulator_shared, f"{__name__}-1")
    assert run(xpander_emulator_shared, "x-1") == "scripted"


def test_without_rules_2(xpander_emulator_shared):
    note(xpander_emulator_shared, f"{__name__}-2")
    assert xpander_emulator_shared.get_agents() == {"agents": []}
    assert run(xpander_emulator_shared, "x-1").startswith("Emulated answer")


@pytest.mark.xpander_emulator(agents=SCRIPT)
def test_per_test_emulator_3(xpander_emulator):
    assert run(xpander_emulator, "x-2") == "scripted"


def test_without_rules_4(xpander_emulator_shared):
    assert run(xpander_emulator_shared, "x-1").startswith("Emulated answer")
"""


@pytest.mark.slow
@pytest.mark.timeout(240)
def test_under_xdist_each_worker_has_its_emulator_and_rules_never_leak(tmp_path: Path) -> None:
    suite = tmp_path / "suite"
    suite.mkdir()
    notes = tmp_path / "notes"
    notes.mkdir()
    (suite / "conftest.py").write_text('pytest_plugins = ["xpander_sdk.emulator.pytest_plugin"]\n')
    for name in ("test_first.py", "test_second.py"):
        (suite / name).write_text(textwrap.dedent(WORKER_TESTS))
    (suite / "test_refused.py").write_text(
        textwrap.dedent(
            """
            import pytest

            @pytest.mark.xpander_emulator_shared(clockwork=True)
            def test_refused(xpander_emulator_shared):
                pass
            """
        )
    )
    # Only the plugins this suite needs: each of its three processes would otherwise load
    # every installed one (schemathesis, hypothesis, ...), seconds of CPU apiece.
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "xdist.plugin", "-n", "2", "--dist", "loadfile",
         "-p", "no:cacheprovider", "-q", "-rA", str(suite)],
        cwd=suite,
        env={**os.environ, "PLUGIN_NOTES": str(notes), "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"},
        capture_output=True,
        text=True,
        timeout=200,
    )  # fmt: skip
    output = done.stdout + done.stderr
    assert "8 passed, 1 error" in output, output
    assert "xpander_emulator_shared takes agents= and clock=, not 'clockwork'" in output, output
    seen = [json.loads(p.read_text()) for p in sorted(notes.iterdir())]
    assert len(seen) == 4
    workers = {n["worker"] for n in seen}
    assert workers == {"gw0", "gw1"}, seen
    by_worker = {w: {n["url"] for n in seen if n["worker"] == w} for w in workers}
    assert all(len(urls) == 1 for urls in by_worker.values())  # one shared emulator a worker
    assert by_worker["gw0"] != by_worker["gw1"]  # each on a port of its own
