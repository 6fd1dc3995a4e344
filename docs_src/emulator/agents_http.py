import os

import httpx

from xpander_sdk import Tasks

control = httpx.Client(
    base_url=os.environ["XPANDER_BASE_URL"], headers={"x-api-key": os.environ["XPANDER_API_KEY"]}
)

# Replace the rules in force with a document: YAML (with a YAML Content-Type) or JSON
document = """
agents:
  - name: quotes
    match: {agent_id: "quotes-*", prompt: "seats"}
    steps:
      - tool_call: {name: price_list, arguments: {plan: team}, result: {per_seat: 12}}
      - result: 120 EUR
"""
put = control.put(
    "/_emulator/agents", content=document, headers={"content-type": "application/yaml"}
)
print(put.status_code)
# > 200

with Tasks() as tasks:
    hit = tasks.create(agent_id="quotes-eu", prompt="10 seats")
    missed = tasks.create(agent_id="quotes-eu", prompt="a discount?")
    print(hit.wait_for_completion(timeout=30).result)
    # > 120 EUR

# What ran each task: the rule, or the default agent and the rule that came closest
print(control.get(f"/_emulator/tasks/{hit.id}/run").json()["run"])
# > {'agent': 'script', 'rule': 0, 'name': 'quotes'}
print(control.get(f"/_emulator/tasks/{missed.id}/run").json()["run"]["note"])
# > no rule matched; closest was agents[0] ('quotes'): prompt does not contain 'seats'
# The journal's entry of each create says the same, as "run"
creates = control.get("/_emulator/requests", params={"method": "POST", "path": "quotes-eu"})
print([entry["run"]["agent"] for entry in creates.json()["requests"]])
# > ['script', 'default']

# The rules in force, each with the runs it served so far
print(
    [(rule["name"], rule["served"]) for rule in control.get("/_emulator/agents").json()["agents"]]
)
# > [('quotes', 1)]

# A bad document is refused, naming the rule, the step and the problem; the old rules stay
refused = control.put("/_emulator/agents", json={"agents": [{"steps": [{"wait": "soon"}]}]})
print(refused.status_code, refused.json()["errors"])
# > 422 [{'field': 'agents[0].steps[0].wait', 'reason': 'must be a number of seconds'}]

print(control.delete("/_emulator/agents").json())  # no rules: the default agent runs every task
# > {'cleared': True}
control.close()
