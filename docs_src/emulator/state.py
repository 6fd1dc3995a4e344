import json
from pathlib import Path

from xpander_sdk import Configuration, Tasks
from xpander_sdk.emulator import EmulatorServer

with EmulatorServer() as emu:
    config = Configuration(
        api_key=emu.api_key, base_url=emu.base_url, organization_id=emu.organization_id
    )
    with Tasks(configuration=config) as tasks:
        task = tasks.create(agent_id="agent123", prompt="Summarize Q3", events_streaming=True)
        task.wait_for_completion(timeout=30)
    # The whole state as one JSON document: a fixture for later tests
    Path("state.json").write_text(json.dumps(emu.export_state()))
    emu.reset()  # no tasks, events, keys, journal entries or fault rules left
    print(emu.stats()["tasks"])
    # > 0

# A new emulator that starts from the document (xpander-emulator --import state.json)
with EmulatorServer(import_path="state.json") as emu:
    config = Configuration(
        api_key=emu.api_key, base_url=emu.base_url, organization_id=emu.organization_id
    )
    with Tasks(configuration=config) as tasks:
        again = tasks.get(task.id)
        print(again.status, len(list(again.events())))
        # > completed 7
