import json
import subprocess
from pathlib import Path

from xpander_sdk import Configuration, Tasks
from xpander_sdk.emulator import EmulatorServer


def story(tasks: Tasks, agent_id: str, prompt: str) -> list[tuple[str, object]]:
    """A task's events: their types, and the chunks' text."""
    task = tasks.create(agent_id=agent_id, prompt=prompt, events_streaming=True)
    return [(str(e.type), e.data if e.type == "chunk" else None) for e in task.events()]


# A run on the server the XPANDER_* settings point at (the platform, or an emulator),
# recorded as it streams: $ xpander-tasks create agent123 "Summarize Q3" --follow --record q3.json
command = ["xpander-tasks", "create", "agent123", "Summarize Q3", "--follow", "--record", "q3.json"]
subprocess.run(command, check=True, capture_output=True)
recorded = json.loads(Path("q3.json").read_text())
(rule,) = recorded["agents"]
print(rule["match"], [kind for step in rule["steps"] for kind in step])
# > {'agent_id': 'agent123', 'prompt': 'Summarize Q3'} ['chunk', ..., 'result']

with Tasks() as tasks:
    original = story(tasks, "agent123", "Summarize Q3")

# Replayed by an emulator of your own: $ xpander-emulator --agents q3.json
with EmulatorServer(agents="q3.json") as emu:
    config = Configuration(
        api_key=emu.api_key, base_url=emu.base_url, organization_id=emu.organization_id
    )
    with Tasks(configuration=config) as tasks:
        print(story(tasks, "agent123", "Summarize Q3") == original)
        # > True
