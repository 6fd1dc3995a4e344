"""``python -m bench.descriptors``: the file descriptors a program keeps open through the SDK.

The emulator runs in its own process, so every descriptor counted here (in
``/proc/self/fd``, Linux) is the client's. Three programs, one after the other,
in this process, each counted before and after:

- ``asyncio.run(Task.aload(tid, configuration))`` 100 times (each run a new
  event loop; on each async backend);
- ``Task.load(tid, Configuration(...))`` with 50 throwaway configurations of
  equal settings;
- the same with 50 configurations that differ (each has hooks of its own).

Run it against another copy of the SDK with ``PYTHONPATH=that/copy:that/copy/generated``.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable

from bench.emulator import API_KEY, start_emulator


def _open_descriptors() -> int:
    return len(os.listdir("/proc/self/fd"))


def _count(what: str, run: Callable[[], None]) -> None:
    before = _open_descriptors()
    run()
    after = _open_descriptors()
    print(f"{what:<62} {before:>4} -> {after:>4}  ({after - before:+d})", flush=True)


def main() -> None:
    import xpander_sdk
    from xpander_sdk import Configuration, Task, Tasks

    print(f"xpander_sdk from {os.path.dirname(xpander_sdk.__file__)}")
    process, base_url = start_emulator()
    try:
        with Tasks(Configuration(api_key=API_KEY, base_url=base_url)) as tasks:
            task_id = tasks.create(agent_id="fds", prompt="p").id

        for backend in ("httpx", "aiohttp"):
            config = Configuration(api_key=API_KEY, base_url=base_url, http_backend=backend)

            def runs(config: Configuration = config) -> None:
                for _ in range(100):
                    asyncio.run(Task.aload(task_id, config))

            _count(f"100 x asyncio.run(Task.aload(tid)), {backend}", runs)

        def equal() -> None:
            for _ in range(50):
                Task.load(task_id, Configuration(api_key=API_KEY, base_url=base_url))

        def distinct() -> None:
            for n in range(50):
                hooks = {"request": [lambda request, n=n: n]}
                Task.load(task_id, Configuration(api_key=API_KEY, base_url=base_url,
                                                 event_hooks=hooks))  # fmt: skip

        _count("Task.load with 50 throwaway configurations, all equal", equal)
        _count("Task.load with 50 throwaway configurations, all different", distinct)
    finally:
        process.terminate()
        process.wait()


if __name__ == "__main__":
    main()
