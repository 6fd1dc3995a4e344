import os

import httpx

from xpander_sdk import Tasks

base = os.environ["XPANDER_BASE_URL"]
control = httpx.Client(base_url=base, headers={"x-api-key": os.environ["XPANDER_API_KEY"]})

with Tasks() as tasks:
    task = tasks.create(agent_id="agent-journal", prompt="Summarize Q3", user_oidc_token="secret")

# The request journal: what your app sent, newest last, secrets masked
entries = control.get(
    "/_emulator/requests", params={"method": "POST", "path": "agent-journal"}
).json()["requests"]
print(entries[-1]["status"], entries[-1]["body"]["user_oidc_token"])
# > 200 ***

# Every agent's tasks, newest first
newest = control.get("/_emulator/tasks", params={"limit": 50}).json()["tasks"]
print(task.id in [t["id"] for t in newest])
# > True

print(sorted(control.get("/_emulator/info").json()))
# > ['auth_required', 'faults_enabled', 'organization_id', 'secrets', 'version']
control.close()
