import json

from xpander_sdk import Task, Tasks, Tokens

with Tasks() as tasks:
    task = tasks.create(agent_id="agent-dump", prompt="hi", title="draft")
    task.wait_for_completion(timeout=60)

    # The published SDK's pydantic calls, with its output
    dumped = task.model_dump(mode="json")
    print(dumped["status"], dumped["title"])
    # > completed draft
    print(sorted(dumped["configuration"]))  # where the task came from, never the API key
    # > ['agent_id', 'base_url', 'organization_id']
    text = task.model_dump_json(exclude={"configuration"}, exclude_none=True)
    print(json.loads(text)["input"]["text"])
    # > hi

    # A copy, and a task read back from JSON
    copy = task.model_copy(update={"title": "final"})
    print(copy.title, task.title, copy.id == task.id)
    # > final draft True
    again = Task.model_validate_json(task.model_dump_json())
    print(again.id == task.id, again.status)
    # > True completed
    print(list(Task.model_fields)[:3])
    # > ['configuration', 'id', 'agent_id']

print(Tokens(prompt_tokens=3, completion_tokens=4).model_dump()["total_tokens"])
# > 7
