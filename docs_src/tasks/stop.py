from xpander_sdk import Tasks

with Tasks() as tasks:
    task = tasks.create(agent_id="agent123", prompt="A long report")
    task.stop()  # the task becomes the stopped task the server answers
    print(task.status, task.is_manually_stopped)
    # > stopped True
