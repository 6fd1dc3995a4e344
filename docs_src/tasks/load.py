from xpander_sdk import Task, Tasks

with Tasks() as tasks:
    task_id = tasks.create(agent_id="agent123", prompt="Summarize Q3").id

# Task.load fetches a task without a Tasks of yours: it uses one client kept per
# Configuration (here the environment's), made on first use.
task = Task.load(task_id)
task.wait_for_completion(timeout=60)
print(task.status)
# > completed

# What the agent did: messages, tool calls, reasoning
log = task.get_activity_log()
for message in log.messages:
    print(message.role, "-", message.content.text)
# > user - Summarize Q3
# > agent - Emulated answer to: Summarize Q3

# A task that ran outside the platform, recorded
recorded = Task.report_external_task(
    agent_id="agent123", input="Translate the memo", result="Done", is_success=True
)
print(recorded.status, recorded.result)
# > completed Done
