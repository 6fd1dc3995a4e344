import asyncio

from xpander_sdk import Tasks


async def main() -> None:
    async with Tasks() as tasks:
        task = await tasks.acreate(
            agent_id="agent123", prompt="Summarize Q3", events_streaming=True
        )
        async for event in task.aevents():
            if event.type == "chunk":
                print(event.data, end="")
        print()
        # > Emulated answer to: Summarize Q3

        await task.await_for_completion(timeout=60)
        print(task.status)
        # > completed


asyncio.run(main())
