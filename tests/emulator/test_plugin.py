"""The pytest plugin's shared emulator: state carries over unless a test asks for a reset.

The tests run in file order and depend on it: the first leaves a task behind.
"""

from __future__ import annotations

import pytest
from emulator_helpers import create, make_client

from xpander_sdk.emulator import EmulatorServer

AGENT = "agent-plugin-shared"


def listed(server: EmulatorServer) -> list[str]:
    with make_client(server) as client:
        items = client.get(f"/agent-execution/executions/history/{AGENT}").json()
    return [item["id"] for item in items]


def test_1_leaves_a_task_and_a_fault_rule(xpander_emulator_shared: EmulatorServer) -> None:
    with make_client(xpander_emulator_shared) as client:
        create(client, AGENT)
    xpander_emulator_shared.inject(kind="status", status=500, path="never-matches")
    assert len(listed(xpander_emulator_shared)) == 1


def test_2_without_the_marker_the_state_is_still_there(
    xpander_emulator_shared: EmulatorServer,
) -> None:
    assert len(listed(xpander_emulator_shared)) == 1
    with make_client(xpander_emulator_shared) as client:
        assert client.get("/_emulator/faults").json() == {"rules": []}  # rules never carry over


@pytest.mark.xpander_emulator_reset
def test_3_with_the_marker_it_starts_empty(xpander_emulator_shared: EmulatorServer) -> None:
    assert listed(xpander_emulator_shared) == []
    assert xpander_emulator_shared.export_state()["tasks"] == []
    # the journal holds only this test's listing
    assert [e["path"] for e in xpander_emulator_shared.requests()] == [
        f"/agent-execution/executions/history/{AGENT}"
    ]
