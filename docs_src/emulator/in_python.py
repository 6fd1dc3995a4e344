from xpander_sdk import Configuration, Tasks
from xpander_sdk.emulator import EmulatorServer

# A server of its own on a free port, in a background thread, stopped on leaving
with EmulatorServer(api_key="k", step_delay=0.05) as emu:
    config = Configuration(
        api_key=emu.api_key, base_url=emu.base_url, organization_id=emu.organization_id
    )
    with Tasks(configuration=config) as tasks:
        task = tasks.create(agent_id="agent123", prompt="Summarize Q3", events_streaming=True)
        task.wait_for_completion(timeout=30)
        print(task.status, "-", task.result)
        # > completed - Emulated answer to: Summarize Q3
    print(sorted(emu.env()))  # the settings a client in another process needs
    # > ['XPANDER_API_KEY', 'XPANDER_BASE_URL', 'XPANDER_ORGANIZATION_ID']
