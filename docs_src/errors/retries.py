from xpander_sdk import Configuration, Tasks

# Retries for every call of a client: up to 5, within 30 s per call
config = Configuration(max_retries=5, retry_timeout=30.0, retry_base_delay=0.1)

with Tasks(configuration=config) as tasks:
    task = tasks.create(agent_id="agent123", prompt="Summarize Q3")
    # ... or for one call: no retry, and 5 s at most
    fresh = tasks.get(task.id, max_retries=0, timeout=5)
    print(fresh.id == task.id)
    # > True
