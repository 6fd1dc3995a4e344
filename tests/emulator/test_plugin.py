"""The pytest plugin's shared emulator, as a user's suite sees it: state carries over from test
to test unless a test asks for a reset, and fault rules never do.

The suite below depends on its order (the first test leaves a task behind), so it runs as a
user's project would run it: a pytest of its own (pytester), its tests in file order.
"""

from __future__ import annotations

import pytest

SUITE = """
import httpx
import pytest

AGENT = "agent-plugin-shared"


def client(server):
    return httpx.Client(base_url=server.base_url, headers={"x-api-key": server.api_key})


def listed(server):
    with client(server) as api:
        items = api.get(f"/agent-execution/executions/history/{AGENT}").json()
    return [item["id"] for item in items]


def test_1_leaves_a_task_and_a_fault_rule(xpander_emulator_shared):
    with client(xpander_emulator_shared) as api:
        created = api.post(f"/agent-execution/{AGENT}", json={"input": {"text": "hello"}})
        assert created.status_code == 200, created.text
    xpander_emulator_shared.inject(kind="status", status=500, path="never-matches")
    assert len(listed(xpander_emulator_shared)) == 1


def test_2_without_the_marker_the_state_is_still_there(xpander_emulator_shared):
    assert len(listed(xpander_emulator_shared)) == 1
    with client(xpander_emulator_shared) as api:
        assert api.get("/_emulator/faults").json() == {"rules": []}  # rules never carry over


@pytest.mark.xpander_emulator_reset
def test_3_with_the_marker_it_starts_empty(xpander_emulator_shared):
    assert listed(xpander_emulator_shared) == []
    assert xpander_emulator_shared.export_state()["tasks"] == []
    # the journal holds only this test's listing
    assert [e["path"] for e in xpander_emulator_shared.requests()] == [
        f"/agent-execution/executions/history/{AGENT}"
    ]
"""


def test_the_shared_emulator_keeps_state_until_a_test_asks_for_a_reset(
    pytester: pytest.Pytester,
) -> None:
    pytester.makepyfile(test_suite=SUITE)
    result = pytester.runpytest(
        "-p", "xpander_sdk.emulator.pytest_plugin", "-p", "no:xdist", "-p", "no:asyncio"
    )
    result.assert_outcomes(passed=3)
