from xpander_sdk import Tasks, TaskWaitTimeout

with Tasks() as tasks:
    # A task that streams events: the wait follows its stream
    streamed = tasks.create(agent_id="agent123", prompt="Summarize Q3", events_streaming=True)
    streamed.wait_for_completion(timeout=60)
    print(streamed.status, "-", streamed.result)
    # > completed - Emulated answer to: Summarize Q3

    # A task without events: the wait polls it, from poll_interval up to 5 s apart
    polled = tasks.create(agent_id="agent123", prompt="Draft the memo")
    polled.wait_for_completion(timeout=60, poll_interval=0.2)
    print(polled.status)
    # > completed

    # Too late: TaskWaitTimeout, which is also a TimeoutError
    slow = tasks.create(agent_id="agent123", prompt="A long report")
    try:
        slow.wait_for_completion(timeout=0.01)
    except TaskWaitTimeout as e:
        print(type(e).__name__, isinstance(e, TimeoutError))
    # > TaskWaitTimeout True
