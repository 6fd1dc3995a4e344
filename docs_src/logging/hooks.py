import uuid
from collections import Counter

import httpx

from xpander_sdk import Configuration, ResumeEvent, RetryEvent, Tasks

statuses: Counter[int] = Counter()


def tag(request: httpx.Request) -> None:  # each request, every attempt
    request.headers["x-trace-id"] = uuid.uuid4().hex


def count(response: httpx.Response) -> None:  # each answer, retried ones too
    statuses[response.status_code] += 1


def on_retry(event: RetryEvent) -> None:  # before each retry's wait
    print(f"retry {event.attempt} after {event.reason}, in {event.delay:.2f}s")


async def on_resume(event: ResumeEvent) -> None:  # async hooks run on async calls
    print(f"stream of {event.task_id} resumes after event {event.last_event_id}")


config = Configuration(
    event_hooks={"request": [tag], "response": [count], "retry": [on_retry], "resume": [on_resume]}
)
with Tasks(configuration=config) as tasks:
    task = tasks.create(agent_id="agent123", prompt="Summarize Q3")
    tasks.get(task.id)

print(dict(statuses))
# > {200: 2}
