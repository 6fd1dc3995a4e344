import asyncio

from xpander_sdk import Tasks

tasks = Tasks()  # no connection yet: pools are made when first needed
task = tasks.create(agent_id="agent-life", prompt="hi")  # the sync pool


async def check() -> str:
    # The first async call in an event loop makes that loop's pool ...
    return (await tasks.aget(task.id)).id


# ... and it is closed when its loop ends: one Tasks serves many asyncio.run calls
# without keeping the sockets of a finished loop.
print(all(asyncio.run(check()) == task.id for _ in range(3)))
# > True

tasks.close()  # everything it made: the sync pool, and any loop's async pool
try:
    tasks.get(task.id)
except RuntimeError as e:
    print(e)
    # > this Tasks client is closed
