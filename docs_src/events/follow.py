from xpander_sdk import Task, Tasks, TaskUpdateEventType

with Tasks() as tasks:
    task = tasks.create(agent_id="agent123", prompt="Summarize Q3", events_streaming=True)

    for event in task.events():
        if event.type == TaskUpdateEventType.Chunk:
            print("chunk:", repr(event.data))  # a piece of the agent's output
        elif isinstance(event.data, Task):  # task_created, task_updated, task_finished
            print(f"{event.type}: the task is {event.data.status}")
    # > task_created: the task is pending
    # > task_updated: the task is executing
    # > chunk: 'Emulated answer'
    # > chunk: ' to: '
    # > chunk: 'Summarize Q3'
    # > task_updated: the task is completed
    # > task_finished: the task is completed

    # Each event carries its id in the task's log, its task and its time
    print(event.id, event.task_id == task.id, event.time.tzinfo is not None)
    # > ... True True
