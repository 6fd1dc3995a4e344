"""The event stream: the whole log from the first event, live events, resume, heartbeats."""

from __future__ import annotations

import threading
from collections.abc import Callable

import httpx
import pytest
from emulator_helpers import Stream, create, make_client, read_stream

from xpander_sdk.emulator import EmulatorConfig, EmulatorServer


def test_stream_replays_the_log_then_ends_after_task_finished(
    api: httpx.Client, emulator: EmulatorServer, agent_id: str
) -> None:
    task = create(api, agent_id)
    first = read_stream(api, emulator.organization_id, task["id"])
    assert first.retry == ["10"]  # the session emulator's stream_retry, 0.01 s
    assert first.ids == sorted(first.ids)
    assert len(set(first.ids)) == len(first.ids)
    assert first.events[0]["data"]["status"] == "pending"
    assert all(e["task_id"] == task["id"] for e in first.events)
    # a late subscriber gets the same log, task_created included
    late = read_stream(api, emulator.organization_id, task["id"])
    assert late.ids == first.ids
    assert late.types == first.types


def test_last_event_id_resumes_with_nothing_lost_or_repeated(
    api: httpx.Client, emulator: EmulatorServer, agent_id: str
) -> None:
    task = create(api, agent_id)
    whole = read_stream(api, emulator.organization_id, task["id"])
    for cut in range(1, len(whole.ids)):
        head = read_stream(api, emulator.organization_id, task["id"], stop_after=cut)
        tail = read_stream(api, emulator.organization_id, task["id"], last_event_id=head.ids[-1])
        assert head.ids + tail.ids == whole.ids


def test_resume_after_the_end_ends_at_once(
    api: httpx.Client, emulator: EmulatorServer, agent_id: str
) -> None:
    task = create(api, agent_id)
    whole = read_stream(api, emulator.organization_id, task["id"])
    after = read_stream(api, emulator.organization_id, task["id"], last_event_id=whole.ids[-1])
    assert after.events == []


def test_bad_last_event_id_is_422(
    api: httpx.Client, emulator: EmulatorServer, agent_id: str
) -> None:
    task = create(api, agent_id)
    response = api.get(
        f"/{emulator.organization_id}/agent-execution/{task['id']}/events",
        headers={"Last-Event-ID": "yesterday"},
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "header.Last-Event-ID"


@pytest.mark.parametrize(("stream_retry", "hint"), [(0.25, "250"), (0, "0")])
def test_the_retry_hint_is_the_stream_retry_setting(
    emulator_factory: Callable[..., EmulatorServer], stream_retry: float, hint: str
) -> None:
    server = emulator_factory(stream_retry=stream_retry)
    with make_client(server) as client:
        task = create(client, "agent-retry")
        assert read_stream(client, server.organization_id, task["id"]).retry == [hint]


def test_by_default_a_client_is_asked_to_wait_half_a_second_before_resuming() -> None:
    with EmulatorServer() as server, make_client(server) as client:
        task = create(client, "agent-retry")
        first = read_stream(client, server.organization_id, task["id"], stop_after=1)
        assert first.retry == ["500"]
    with pytest.raises(ValueError, match="stream_retry must be >= 0"):
        EmulatorConfig(stream_retry=-0.1)


def test_many_subscribers_each_get_every_live_event(
    emulator_factory: Callable[..., EmulatorServer],
) -> None:
    server = emulator_factory(step_delay=0.1)
    with make_client(server, limits=httpx.Limits(max_connections=20)) as client:
        task = create(client, "agent-many")
        results: list[Stream] = []
        lock = threading.Lock()

        def subscribe() -> None:
            got = read_stream(client, server.organization_id, task["id"])
            with lock:
                results.append(got)

        threads = [threading.Thread(target=subscribe) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(10)
        assert len(results) == 8
        reference = results[0].ids
        assert reference and results[0].types[-1] == "task_finished"
        assert all(r.ids == reference for r in results)


def test_heartbeats_keep_an_idle_stream_open(
    emulator_factory: Callable[..., EmulatorServer],
) -> None:
    server = emulator_factory(heartbeat=0.05, agent=_waits_for_release)
    with make_client(server) as client:
        task = create(client, "agent-idle")
        url = f"/{server.organization_id}/agent-execution/{task['id']}/events"
        comments: list[str] = []
        with client.stream("GET", url) as response:
            lines = response.iter_lines()
            for line in lines:
                if line.startswith(":"):
                    comments.append(line)
                    if len(comments) == 3:
                        break
        _release.set()
        assert comments == [": keep-alive"] * 3


_release = threading.Event()


def _waits_for_release(task_input: dict[str, object]) -> str:
    _release.wait(5)
    return "released"
