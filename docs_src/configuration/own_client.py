import ssl

import httpx

from xpander_sdk import Tasks

# Your own client: its transport, proxy, certificates, headers and hooks apply.
# For a private CA: ssl.create_default_context(cafile="/etc/ssl/corp-root-ca.pem")
ca = ssl.create_default_context()
http = httpx.Client(verify=ca, headers={"x-team": "billing"})

with Tasks(http_client=http) as tasks:
    task = tasks.create(agent_id="agent123", prompt="Summarize Q3")
    print(task.status)
    # > pending

# Yours to close: closing the Tasks left it open
print(http.is_closed)
# > False
http.close()
