import asyncio

from xpander_sdk import Configuration, Tasks


async def main() -> None:
    # At most 20 requests in flight; the others wait their turn in the SDK's queue
    async with Tasks(configuration=Configuration(max_connections=20)) as tasks:
        task = await tasks.acreate(agent_id="agent123", prompt="Summarize Q3")
        found = await asyncio.gather(*(tasks.aget(task.id) for _ in range(200)))
        print(len(found), all(t.id == task.id for t in found))
        # > 200 True


asyncio.run(main())
