"""``python -m bench.bare_starlette``: the floor the emulator's creates are held against.

Bare Starlette on uvicorn, configured as the emulator's own server is (its listening
socket, h11, the asyncio loop, no access log), answering ``POST /agent-execution/{agent_id}``
with a canned task: it reads the body and sends fixed bytes, with no key check, validation,
storage or journal. What the emulator does per create beyond this is its own cost.

It prints ``listening on http://HOST:PORT`` on standard error once it accepts connections
(the line the emulator prints), and runs until terminated.
"""

from __future__ import annotations

import argparse
import asyncio
import sys

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bench import payloads
from xpander_sdk.emulator.server import bind

CANNED = payloads.task_json(payloads.CREATED_TASK_ID)


async def create_task(request: Request) -> Response:
    await request.body()
    return Response(CANNED, media_type="application/json")


app = Starlette(routes=[Route("/agent-execution/{agent_id}", create_task, methods=["POST"])])


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.bare_starlette", description=__doc__)
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    sock = bind("127.0.0.1", args.port)  # the emulator's own socket (TCP_NODELAY)
    config = uvicorn.Config(
        app, log_level="warning", access_log=False, http="h11", ws="none", lifespan="off",
        loop="asyncio",
    )  # fmt: skip
    server = uvicorn.Server(config)
    host, port = sock.getsockname()
    print(f"bare starlette: listening on http://{host}:{port}", file=sys.stderr, flush=True)
    asyncio.run(server.serve(sockets=[sock]))


if __name__ == "__main__":
    main()
