from xpander_sdk import Configuration, RetryEvent, Tasks
from xpander_sdk.emulator import EmulatorServer


def on_retry(event: RetryEvent) -> None:
    print("retry after", event.reason)


with EmulatorServer(faults=True) as emu:
    config = Configuration(
        api_key=emu.api_key,
        base_url=emu.base_url,
        organization_id=emu.organization_id,
        retry_base_delay=0.01,
        event_hooks={"retry": [on_retry]},
    )
    with Tasks(configuration=config) as tasks:
        # The next create is stored, then its connection dropped before the answer
        emu.inject(kind="drop_after", method="POST", path="/agent-execution/", count=1)
        task = tasks.create(agent_id="agent123", prompt="Summarize Q3")
        # > retry after RemoteProtocolError

        # Answer the next two reads 503, asking for a retry after 0 s
        emu.inject(kind="status", status=503, retry_after="0", method="GET", count=2)
        tasks.get(task.id)
        # > retry after status 503
        # > retry after status 503

    stats = emu.stats()
    print(stats["tasks"], stats["faults_injected"]["drop_after"])  # one task, not two
    # > 1 1
    # The journal: the first create was stored but never answered (no status)
    creates = emu.requests(method="POST", path="^/agent-execution/")
    print([entry["status"] for entry in creates])
    # > [None, 200]
