import os

import httpx

from xpander_sdk import APIConnectionError, Configuration, Tasks

# Against the emulator (started with --faults): the next two creates for agent-orders are
# stored, then their connections closed unanswered: the create and its one retry are lost
control = httpx.Client(
    base_url=os.environ["XPANDER_BASE_URL"], headers={"x-api-key": os.environ["XPANDER_API_KEY"]}
)
lost = {"kind": "drop_after", "method": "POST", "path": "^/agent-execution/agent-orders$"}
control.post("/_emulator/faults", json={**lost, "count": 2}).raise_for_status()
control.close()

with Tasks(configuration=Configuration(max_retries=1)) as tasks:
    try:
        tasks.create(agent_id="agent-orders", prompt="Refund order 42")
    except APIConnectionError as e:
        # The task may exist although no answer came: keep the key it was sent with
        key = e.idempotency_key
        print(e)
        # > [POST .../agent-execution/agent-orders] ... (idempotency key ...)

# Later, from any client or process: the same create with that key answers with the task
# the lost create stored, rather than making a second one
with Tasks() as tasks:
    task = tasks.create(agent_id="agent-orders", prompt="Refund order 42", idempotency_key=key)
    stored = tasks.list("agent-orders")
    print(len(stored), stored[0].id == task.id)
    # > 1 True
