import os

import httpx

from xpander_sdk import Configuration, ResumeEvent, Tasks


def on_resume(event: ResumeEvent) -> None:
    if event.polling:  # the stream gave up: the wait goes on by polling
        print("the stream gave up; polling", event.task_id)


config = Configuration(max_stream_reconnects=1, event_hooks={"resume": [on_resume]})
control = httpx.Client(
    base_url=os.environ["XPANDER_BASE_URL"], headers={"x-api-key": os.environ["XPANDER_API_KEY"]}
)

with Tasks(configuration=config) as tasks:
    task = tasks.create(agent_id="agent123", prompt="Summarize Q3", events_streaming=True)
    # Against the emulator (started with --faults): every event stream of this task drops
    drop = {"kind": "drop", "method": "GET", "path": f"/{task.id}/events$", "rate": 1.0}
    control.post("/_emulator/faults", json=drop).raise_for_status()

    task.wait_for_completion(timeout=60, poll_interval=0.2)
    # > the stream gave up; polling ...
    print(task.status, "-", task.result)
    # > completed - Emulated answer to: Summarize Q3
    print(task.events_streaming, task.changes())  # the wait only read: nothing changed
    # > True {}
control.close()
