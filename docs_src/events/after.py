from xpander_sdk import Tasks

with Tasks() as tasks:
    task = tasks.create(agent_id="agent123", prompt="Summarize Q3", events_streaming=True)
    seen = []
    for event in task.events():
        seen.append(event)
        if len(seen) == 3:
            break  # the connection drops here (a browser closed, a process restarted)
    print([event.id for event in seen])  # every event's id is a string
    # > ['...', '...', '...']

    # Start again after the last event you had: only what you lack, in order
    rest = list(task.events(after=seen[-1].id))
    print([str(event.type) for event in rest])
    # > ['chunk', 'chunk', 'task_updated', 'task_finished']

    # After the task's last event, the stream ends at once
    print(list(task.events(after=rest[-1].id)))
    # > []
