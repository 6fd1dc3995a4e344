from xpander_sdk import Tasks

with Tasks() as tasks:
    task = tasks.create(agent_id="agent123", prompt="Summarize Q3")
    # The server's id of the request this task was last read from
    print(len(task.request_id) > 0)
    # > True
    print("request_id" in task.to_dict())  # not a task field
    # > False
