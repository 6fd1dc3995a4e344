import httpx

from xpander_sdk import Configuration, Tasks

# Every request of this client: 2 s to connect, 30 s for each read
config = Configuration(timeout=httpx.Timeout(30.0, connect=2.0))

with Tasks(configuration=config) as tasks:
    task = tasks.create(agent_id="agent123", prompt="Summarize Q3")
    # One call with its own timeout: a number is seconds per read (connect: at most 5 s)
    print(tasks.get(task.id, timeout=10).status)
    # > pending
