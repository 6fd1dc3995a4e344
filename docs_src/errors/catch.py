from xpander_sdk import APIConnectionError, ModuleException, NotFoundError, Tasks

with Tasks() as tasks:
    try:
        tasks.get("no-such-task")
    except NotFoundError as e:  # 404
        print(e.status_code, e.method, e.url.endswith("/agent-execution/no-such-task/status"))
        # > 404 GET True
        print(e.description)
        # > Task 'no-such-task' not found
        print(e.request_id is not None, e.request_id in str(e))  # quote it to the platform
        # > True True
    except APIConnectionError:  # no answer: refused, reset, cut, or timed out
        raise
    except ModuleException:  # any other error of the SDK's
        raise

    # A wrong argument raises before any request, naming the argument
    try:
        tasks.create(agent_id="agent123", prompt="Summarize Q3", tool_call_limit=-1)
    except ValueError as e:
        print(e)
        # > tool_call_limit must be ...
