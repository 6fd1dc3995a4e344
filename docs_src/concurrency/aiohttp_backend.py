import asyncio

from xpander_sdk import Configuration, Tasks

# pip install 'xpander-sdk[aiohttp]'; or set XPANDER_HTTP_BACKEND=aiohttp
config = Configuration(http_backend="aiohttp")


async def main() -> None:
    async with Tasks(configuration=config) as tasks:
        task = await tasks.acreate(
            agent_id="agent123", prompt="Summarize Q3", events_streaming=True
        )
        await task.await_for_completion(timeout=60)  # streams too go through aiohttp
        print(task.status)
        # > completed


asyncio.run(main())
