import asyncio
from collections.abc import AsyncIterator
from typing import Any

from xpander_sdk import Configuration, Tasks
from xpander_sdk.emulator import EmulatorServer, Identity


async def billing_agent(task_input: dict[str, Any]) -> AsyncIterator[Any]:
    """Each yielded text is a chunk event; an Identity stamps the chunks after it."""
    yield Identity("Invoice lookup", icon="receipt")
    yield "Looking up the invoice. "
    await asyncio.sleep(0.05)
    if "refund" not in task_input["text"]:
        raise ValueError("not a refund")  # the task ends failed: "ValueError: not a refund"
    yield "Refunded 12.50"  # the result: the chunks joined, unless the agent returns one


with EmulatorServer(agent=billing_agent) as emu:
    config = Configuration(
        api_key=emu.api_key, base_url=emu.base_url, organization_id=emu.organization_id
    )
    with Tasks(configuration=config) as tasks:
        task = tasks.create(agent_id="billing", prompt="refund invoice 2291", events_streaming=True)
        chunks = [e for e in task.events() if e.type == "chunk"]
        print(chunks[0].identity.name, "-", task.reload().result)
        # > Invoice lookup - Looking up the invoice. Refunded 12.50

        other = tasks.create(agent_id="billing", prompt="what is my balance?")
        print(other.wait_for_completion(timeout=30).status, "-", other.result)
        # > failed - ValueError: not a refund
