from collections.abc import Iterator

from xpander_sdk import Configuration, Task, Tasks
from xpander_sdk.emulator import AgentTask, EmulatorServer, Pause, Result, Think, ToolCall


def quote_agent(task: AgentTask) -> Iterator[object]:
    """Its first parameter is annotated AgentTask, so it sees the whole task."""
    seats = int(task.prompt.split()[-1])
    yield ToolCall("price_list", arguments={"plan": "team"}, result={"per_seat": 12})
    yield Think("A volume discount applies", thought=f"{seats} seats")
    answer = yield Pause("approve-discount")  # the answer a person's create brings
    yield f"Approved by {answer}. "  # any value that is not a step is a chunk
    yield Result(f"{task.title}: {seats * 12 * 0.9:.2f} EUR")  # ends the run, completed


# Python agents and scripts side by side, routed by agent id; other tasks run the default
agents = [
    {"match": {"agent_id": "sales-*"}, "agent": quote_agent},
    {"match": {"agent_id": "support-*"}, "steps": [{"result": "Ticket opened"}]},
]

with EmulatorServer(agents=agents) as emu:
    config = Configuration(
        api_key=emu.api_key, base_url=emu.base_url, organization_id=emu.organization_id
    )
    with Tasks(configuration=config) as tasks:
        task = tasks.create(
            agent_id="sales-eu", prompt="Quote for 10", title="ACME", events_streaming=True
        )
        for event in task.events():
            if isinstance(event.data, Task) and event.data.status == "paused":
                break  # waiting for a person
        # The person's answer: a create that continues the task; the run goes on
        tasks.create(
            agent_id="sales-eu", existing_task_id=task.id, prompt="Ada", events_streaming=True
        )
        print(task.wait_for_completion(timeout=30).result)
        # > ACME: 108.00 EUR
        print([event.data for event in task.events() if event.type == "chunk"])
        # > ['Approved by Ada. ']

        for agent_id in ("support-1", "hr-1"):
            other = tasks.create(agent_id=agent_id, prompt="My laptop is broken")
            print(agent_id, "-", other.wait_for_completion(timeout=30).result)
        # > support-1 - Ticket opened
        # > hr-1 - Emulated answer to: My laptop is broken
