from xpander_sdk import AgentExecutionStatus, Tasks

with Tasks() as tasks:
    first = tasks.create(agent_id="agent-find", prompt="one")
    first.wait_for_completion(timeout=60)
    tasks.create(
        agent_id="agent-find", prompt="two", user_details={"id": "u7", "email": "u7@example.com"}
    )

    # An agent's tasks, as TasksListItem summaries
    listed = tasks.list(agent_id="agent-find")
    print(len(listed), {item.id: item.status for item in listed}[first.id])
    # > 2 completed

    # Filters are the API's query parameters
    done = tasks.list("agent-find", filters={"status": AgentExecutionStatus.Completed})
    print([item.id for item in done] == [first.id])
    # > True

    # A user's tasks, across agents
    print(len(tasks.list_user_tasks("u7")))
    # > 1

    # The whole task, by id or from a list entry
    task = tasks.get(first.id)
    same = done[0].load()
    print(task.result == same.result == "Emulated answer to: one")
    # > True
