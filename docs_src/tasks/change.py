from xpander_sdk import AgentExecutionStatus, Tasks

with Tasks() as tasks:
    task = tasks.create(agent_id="agent123", prompt="Draft the memo")
    task.wait_for_completion(timeout=60)

    # Change attributes, then save: only what changed is sent (a PATCH)
    task.internal_status = "reviewed"
    task.save()
    print(task.internal_status)
    # > reviewed

    # Set the status (and the result) in one call
    task.set_status(AgentExecutionStatus.Failed, result="The memo was not approved")
    print(task.status, "-", task.result)
    # > failed - The memo was not approved

    # The same through the client, by id: update() names the common fields ...
    updated = tasks.update(task.id, status="completed", result="Approved after all")
    print(updated.status)
    # > completed
    # ... and patch() sends any field by its API name
    tasks.patch(task.id, {"internal_status": "archived"})
    print(tasks.get(task.id).internal_status)
    # > archived
