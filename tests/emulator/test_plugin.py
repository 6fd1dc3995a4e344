"""The pytest plugin's shared emulator: state carries over unless a test asks for a reset;
a test's clock never does. And the per-test emulator's settings.

The shared emulator's tests depend on their order (the first leaves a task behind, the
fourth a manual clock with a run waiting on it), so they run as a user's project would run
them: in a pytest of its own (pytester), in file order, on one worker whatever this run's
-n. The helpers they import are this folder's (on the path of this process).
"""

from __future__ import annotations

import pytest
from emulator_helpers import create, make_client, wait_status

from xpander_sdk.emulator import EmulatorServer

SUITE = """
from datetime import datetime, timedelta, timezone

import pytest
from emulator_helpers import create, make_client, wait_status

AGENT = "agent-plugin-shared"


def listed(server):
    with make_client(server) as client:
        items = client.get(f"/agent-execution/executions/history/{AGENT}").json()
    return [item["id"] for item in items]


def test_1_leaves_a_task_and_a_fault_rule(xpander_emulator_shared):
    with make_client(xpander_emulator_shared) as client:
        create(client, AGENT)
    xpander_emulator_shared.inject(kind="status", status=500, path="never-matches")
    assert len(listed(xpander_emulator_shared)) == 1


def test_2_without_the_marker_the_state_is_still_there(xpander_emulator_shared):
    assert len(listed(xpander_emulator_shared)) == 1
    with make_client(xpander_emulator_shared) as client:
        assert client.get("/_emulator/faults").json() == {"rules": []}  # rules never carry over


@pytest.mark.xpander_emulator_reset
def test_3_with_the_marker_it_starts_empty(xpander_emulator_shared):
    assert listed(xpander_emulator_shared) == []
    assert xpander_emulator_shared.export_state()["tasks"] == []
    # the journal holds only this test's listing
    assert [e["path"] for e in xpander_emulator_shared.requests()] == [
        f"/agent-execution/executions/history/{AGENT}"
    ]


LEFT_WAITING = []


@pytest.mark.xpander_emulator_shared(clock="manual")
def test_4_a_test_can_take_the_shared_emulator_with_a_manual_clock(xpander_emulator_shared):
    clock = xpander_emulator_shared.clock
    assert clock.mode == "manual"
    start = clock.now()
    with make_client(xpander_emulator_shared) as client:
        task = create(client, AGENT, "an hour on the manual clock")
        assert clock.advance(3600) == start + timedelta(hours=1)
        done = client.get(f"/agent-execution/{task['id']}/status").json()
        assert done["status"] == "completed"
        # A run left waiting on this test's clock: the next test must not inherit the clock.
        LEFT_WAITING.append(create(client, AGENT, "left waiting")["id"])
    assert [(p["task_id"], p["remaining"]) for p in clock.pending()] == [(LEFT_WAITING[0], 0.02)]


def test_5_the_next_test_gets_the_real_clock_back(xpander_emulator_shared):
    assert xpander_emulator_shared.clock.mode == "real"
    # The wall clock's time again (not test 4's, an hour ahead).
    assert xpander_emulator_shared.clock.now() < datetime.now(timezone.utc) + timedelta(minutes=5)
    # The run test 4 left waiting ends, in real time.
    with make_client(xpander_emulator_shared) as client:
        left = wait_status(client, xpander_emulator_shared.organization_id, LEFT_WAITING[0])
    assert left["status"] == "completed"
"""


def test_the_shared_emulator_keeps_state_but_never_a_test_s_rules_or_clock(
    pytester: pytest.Pytester,
) -> None:
    pytester.makepyfile(test_suite=SUITE)
    result = pytester.runpytest(
        "-p", "xpander_sdk.emulator.pytest_plugin", "-p", "no:xdist", "-p", "no:asyncio"
    )
    result.assert_outcomes(passed=5)


@pytest.mark.xpander_emulator(clock="auto", step_delay=3600)
def test_the_per_test_emulator_takes_a_clock(xpander_emulator: EmulatorServer) -> None:
    with make_client(xpander_emulator) as client:
        task = wait_status(
            client, xpander_emulator.organization_id, create(client, "agent-auto")["id"]
        )
    assert task["status"] == "completed"
    assert task["duration"] == 3 * 3600.0  # the demo agent's three steps after the first
