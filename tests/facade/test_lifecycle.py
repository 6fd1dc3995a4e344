"""Every connection a `Tasks` opens has an end: its loop's, `close`'s, or its last user's.

What a program sees of a `Tasks`'s clients, counted from the outside: the
connections open from this process to an emulator of the test's own (its
port is the test's alone), read from the kernel's table of TCP sockets. A
socket this process has not closed is ``ESTABLISHED``, or ``CLOSE_WAIT`` once
the server has hung up (the emulator drops idle connections after a few
seconds); a closed one is in neither state.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import threading
import time
import warnings
from pathlib import Path
from typing import Any

import pytest

import xpander_sdk._client
from xpander_sdk import Configuration, Task, Tasks
from xpander_sdk._shared import KEPT
from xpander_sdk.tasks import _SHARED

TCP_TABLES = [Path("/proc/net/tcp"), Path("/proc/net/tcp6")]
#: ESTABLISHED and CLOSE_WAIT: the states of a socket its process still holds open.
OPEN_STATES = frozenset({"01", "08"})

pytestmark = pytest.mark.skipif(
    not TCP_TABLES[0].exists(), reason="counts sockets in Linux's /proc/net/tcp"
)


def connections_to(port: int) -> int:
    """How many sockets connected to ``port`` (clients of that server) are still open."""
    count = 0
    for table in TCP_TABLES:
        if not table.exists():
            continue
        for line in table.read_text().splitlines()[1:]:
            fields = line.split()
            remote, state = fields[2], fields[3]
            if state in OPEN_STATES and int(remote.rsplit(":", 1)[1], 16) == port:
                count += 1
    return count


@pytest.fixture()
def own(emulator_factory: Any) -> Any:
    """An emulator only this test talks to, so every connection to it is the test's."""
    return emulator_factory()


@pytest.fixture()
def config(own: Any, http_backend: str) -> Configuration:
    return Configuration(api_key=own.api_key, base_url=own.base_url)


@pytest.fixture()
def task_id(config: Configuration) -> str:
    with Tasks(config) as tasks:
        return tasks.create(agent_id="agent-life", prompt="p").id


# -- one loop after another --------------------------------------------------------


@pytest.mark.both_backends
def test_a_tasks_used_across_asyncio_runs_keeps_no_connection_of_a_finished_loop(
    config: Configuration, task_id: str, own: Any
) -> None:
    with Tasks(config) as tasks:
        for _ in range(5):
            assert asyncio.run(tasks.aget(task_id)).id == task_id
            assert connections_to(own.port) == 0
        assert tasks._api.loops() <= 1  # the ended loops' clients are let go too


@pytest.mark.both_backends
def test_task_aload_in_asyncio_run_again_and_again_leaves_nothing_open(
    config: Configuration, task_id: str, own: Any
) -> None:
    for _ in range(5):
        assert asyncio.run(Task.aload(task_id, config)).id == task_id
        assert connections_to(own.port) == 0


async def test_aclose_closes_the_running_loop_s_connections_before_it_returns(
    config: Configuration, task_id: str, own: Any
) -> None:
    tasks = Tasks(config)
    await asyncio.gather(*(tasks.aget(task_id) for _ in range(3)))
    assert connections_to(own.port) >= 1
    await tasks.aclose()
    assert connections_to(own.port) == 0
    with pytest.raises(RuntimeError, match="closed"):
        await tasks.aget(task_id)


@pytest.mark.both_backends
def test_close_closes_the_connections_of_a_loop_running_in_another_thread(
    config: Configuration, task_id: str, own: Any
) -> None:
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever)
    thread.start()
    try:
        tasks = Tasks(config)
        asyncio.run_coroutine_threadsafe(tasks.aget(task_id), loop).result()
        assert tasks.get(task_id).id == task_id  # the sync pool, too
        assert connections_to(own.port) == 2
        tasks.close()
        for _ in range(3):  # a few turns of that loop, where its client is closed
            asyncio.run_coroutine_threadsafe(asyncio.sleep(0.05), loop).result()
        assert connections_to(own.port) == 0
    finally:
        loop.call_soon_threadsafe(loop.stop)
        thread.join()
        loop.run_until_complete(loop.shutdown_asyncgens())
        loop.close()


@pytest.mark.both_backends
def test_close_between_a_loop_s_runs_is_done_by_the_loop_s_shutdown_without_a_fuss(
    config: Configuration, task_id: str, own: Any, caplog: pytest.LogCaptureFixture
) -> None:
    # Closed while its loop is idle: the close waits for the loop's next turn, which is
    # its shutdown here, where the loop also finalizes the client's guard. Once, quietly.
    loop = asyncio.new_event_loop()
    tasks = Tasks(config)
    loop.run_until_complete(tasks.aget(task_id))
    tasks.close()
    assert connections_to(own.port) == 1
    with caplog.at_level(logging.WARNING, logger="asyncio"):
        loop.run_until_complete(loop.shutdown_asyncgens())
        loop.close()
    assert connections_to(own.port) == 0
    assert not caplog.records


def test_a_loop_closed_without_shutting_down_does_not_hold_on_to_its_client(
    config: Configuration, task_id: str
) -> None:
    loop = asyncio.new_event_loop()
    with Tasks(config) as tasks:
        loop.run_until_complete(tasks.aget(task_id))
        loop.close()  # its async generators never finalized: its client was not closed
        with warnings.catch_warnings():
            # Its sockets close when collected, with asyncio's own warning: nothing
            # can close them cleanly once their loop is closed.
            warnings.simplefilter("ignore", ResourceWarning)
            assert asyncio.run(tasks.aget(task_id)).id == task_id  # a new loop: a new client
            assert tasks._api.loops() == 0
            del loop
            gc.collect()


# -- many threads, one client ------------------------------------------------------


def test_threads_making_their_first_calls_at_once_make_one_pool(
    config: Configuration, task_id: str, monkeypatch: pytest.MonkeyPatch, own: Any
) -> None:
    made = []
    real = xpander_sdk._client.sync_pool

    def slow_pool(configuration: Configuration) -> Any:
        made.append(configuration)
        time.sleep(0.05)  # widens the race: every thread is inside before the first is done
        return real(configuration)

    monkeypatch.setattr(xpander_sdk._client, "sync_pool", slow_pool)
    start = threading.Barrier(8)
    with Tasks(config) as tasks:

        def first_call() -> None:
            start.wait()
            tasks.get(task_id)

        threads = [threading.Thread(target=first_call) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert len(made) == 1
    assert connections_to(own.port) == 0


# -- the shared clients of Task.load -----------------------------------------------


def test_equal_configurations_share_one_client(config: Configuration, own: Any) -> None:
    twin = Configuration(api_key=own.api_key, base_url=own.base_url)
    assert twin is not config
    assert Tasks.shared(twin) is Tasks.shared(config)
    assert Tasks.shared(config.copy_with(max_retries=0)) is not Tasks.shared(config)


def test_throwaway_configurations_keep_one_client_open(task_id: str, own: Any) -> None:
    for _ in range(50):
        throwaway = Configuration(api_key=own.api_key, base_url=own.base_url)
        assert Task.load(task_id, throwaway).id == task_id
    assert connections_to(own.port) == 1


def test_distinct_configurations_keep_a_bounded_number_of_clients_open(
    task_id: str, own: Any
) -> None:
    before = len(_SHARED)
    for n in range(KEPT + 4):
        # Hooks of their own make each configuration distinct.
        distinct = Configuration(
            api_key=own.api_key, base_url=own.base_url, event_hooks={"request": [lambda r, n=n: n]}
        )
        assert Task.load(task_id, distinct).id == task_id
    assert len(_SHARED) <= before + KEPT
    assert connections_to(own.port) <= KEPT


def test_a_task_keeps_its_shared_client_usable_after_others_take_its_place(
    task_id: str, own: Any
) -> None:
    first = Task.load(task_id, Configuration(api_key=own.api_key, base_url=own.base_url))
    for n in range(KEPT + 2):
        hooks = {"request": [lambda r, n=n: n]}
        Task.load(task_id, Configuration(api_key=own.api_key, base_url=own.base_url,
                                         event_hooks=hooks))  # fmt: skip
    assert first.reload().id == task_id  # not closed under it
    owner = first.tasks
    del first, owner
    gc.collect()
    assert connections_to(own.port) <= KEPT  # its client closed with its last user
