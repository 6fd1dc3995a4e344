import os

import httpx

from xpander_sdk import Tasks

# Needs an emulator started with --faults
control = httpx.Client(
    base_url=os.environ["XPANDER_BASE_URL"], headers={"x-api-key": os.environ["XPANDER_API_KEY"]}
)

with Tasks() as tasks:
    task = tasks.create(agent_id="agent123", prompt="Summarize Q3")

    # The next two reads of this task are answered 503
    rule = {
        "kind": "status",
        "status": 503,
        "retry_after": "0",
        "method": "GET",
        "path": f"/{task.id}/status$",
        "count": 2,
    }
    print(control.post("/_emulator/faults", json=rule).status_code)
    # > 201

    print(tasks.get(task.id).id == task.id)  # retried past both
    # > True

# The journal shows the three attempts
reads = control.get("/_emulator/requests", params={"path": f"{task.id}/status"}).json()
print([entry["status"] for entry in reads["requests"]])
# > [503, 503, 200]
control.close()
