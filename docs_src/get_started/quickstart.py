from xpander_sdk import Tasks

# Tasks() reads XPANDER_API_KEY, XPANDER_BASE_URL and XPANDER_ORGANIZATION_ID.
with Tasks() as tasks:
    task = tasks.create(agent_id="agent123", prompt="Summarize Q3", events_streaming=True)
    print(task.status)
    # > pending

    for event in task.events():  # as they arrive; ends after task_finished
        print(event.type)
    # > task_created
    # > ...
    # > task_finished

    task.wait_for_completion(timeout=60)  # finished already: returns at once
    print(task.status, "-", task.result)
    # > completed - Emulated answer to: Summarize Q3
