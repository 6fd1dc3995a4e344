"""Relay a task's events to a browser as server-sent events (Starlette and uvicorn: the
`emulator` extra has both). A browser that reconnects sends the id of the last event it got
(EventSource's Last-Event-ID) and gets exactly the events it lacks. Run as it stands, this
file serves the relay on a free port and plays the browser, dropping once."""

import contextlib
import json
import socket
import threading

import httpx
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import StreamingResponse
from starlette.routing import Route

from xpander_sdk import Task, Tasks

tasks = Tasks()  # one pool for the app, from XPANDER_API_KEY, ...; closed when it stops


async def relay(request: Request) -> StreamingResponse:
    task = await tasks.aget(request.path_params["task_id"])
    after = request.headers.get("last-event-id")  # None on the first visit

    async def stream():
        async for event in task.aevents(after=after):
            # A chunk's text, or a task event's status: never the whole task to a browser.
            data = event.data.status if isinstance(event.data, Task) else event.data
            yield f"id: {event.id}\ndata: {json.dumps({'type': event.type, 'data': data})}\n\n"

    return StreamingResponse(stream(), media_type="text/event-stream")


@contextlib.asynccontextmanager
async def lifespan(app):
    yield
    await tasks.aclose()


app = Starlette(routes=[Route("/tasks/{task_id}/events", relay)], lifespan=lifespan)


def read(http: httpx.Client, url: str, seen: list[str], most: int = 1000) -> None:
    """What a browser's EventSource does: read `id:` lines, sending the last one it has."""
    headers = {"last-event-id": seen[-1]} if seen else {}
    with http.stream("GET", url, headers=headers) as answer:
        for line in answer.iter_lines():
            if line.startswith("id: "):
                seen.append(line[4:])
                if len(seen) == most:
                    return  # the connection drops here


listening = socket.create_server(("127.0.0.1", 0))
server = uvicorn.Server(uvicorn.Config(app, log_level="warning"))
thread = threading.Thread(target=server.run, kwargs={"sockets": [listening]})
thread.start()
try:
    with Tasks() as client:
        task = client.create(agent_id="agent123", prompt="Hello", events_streaming=True)
        every = [event.id for event in task.events()]
    base_url = f"http://127.0.0.1:{listening.getsockname()[1]}"
    with httpx.Client(base_url=base_url, timeout=30) as http:
        seen: list[str] = []
        read(http, f"/tasks/{task.id}/events", seen, most=2)  # two events, then a drop
        read(http, f"/tasks/{task.id}/events", seen)  # resumed after the second
    print(f"{len(seen)} events, each once:", seen == every)
    # > ... events, each once: True
finally:
    server.should_exit = True
    thread.join()
