import asyncio

from xpander_sdk import Tasks


async def main() -> None:
    async with Tasks() as tasks:
        prompts = ["Summarize Q1", "Summarize Q2", "Summarize Q3"]
        created = await asyncio.gather(
            *(tasks.acreate(agent_id="agent123", prompt=p, events_streaming=True) for p in prompts)
        )
        # Wait for all of them at once; each wait follows its own stream
        done = await asyncio.gather(*(t.await_for_completion(timeout=60) for t in created))
        for task in done:
            print(task.result)
    # > Emulated answer to: Summarize Q1
    # > Emulated answer to: Summarize Q2
    # > Emulated answer to: Summarize Q3


asyncio.run(main())
