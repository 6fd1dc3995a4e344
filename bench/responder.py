"""The fixed-answer responder: canned JSON and SSE for the task routes.

A bare HTTP/1.1 server on ``asyncio.Protocol`` with keep-alive, run in a
process of its own so that it shares neither CPU time nor the GIL with the
client being timed. Answers are rendered once and cached as bytes; a request
costs a header scan and a write. Routes:

- ``GET /agent-execution/{id}/status``: the canned task, with that id;
- ``POST /agent-execution/{agent_id}``: the canned task (id ``bench-created``);
- ``GET /{org}/agent-execution/bench-N/events`` (trailing slash too): N events.

Run it alone with ``python -m bench.responder [--port P]``; it prints its
base URL on the first line and stops when its standard input closes.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import subprocess
import sys
import threading
from collections.abc import Iterator

from bench import payloads

_CHUNK = 64 * 1024
_NOT_FOUND = json.dumps({"detail": "Not found."}).encode()


def _response(status: bytes, content_type: bytes, body: bytes) -> bytes:
    return b"".join(
        (
            b"HTTP/1.1 ",
            status,
            b"\r\ncontent-type: ",
            content_type,
            b"\r\ncontent-length: ",
            str(len(body)).encode(),
            b"\r\n\r\n",
            body,
        )
    )


def _chunked(status: bytes, content_type: bytes, body: bytes) -> bytes:
    """A response in chunked encoding, as a live event stream arrives."""
    parts = [
        b"HTTP/1.1 ",
        status,
        b"\r\ncontent-type: ",
        content_type,
        b"\r\ncache-control: no-cache\r\ntransfer-encoding: chunked\r\n\r\n",
    ]
    for start in range(0, len(body), _CHUNK):
        piece = body[start : start + _CHUNK]
        parts += [b"%x\r\n" % len(piece), piece, b"\r\n"]
    parts.append(b"0\r\n\r\n")
    return b"".join(parts)


class Answers:
    """The rendered answers, cached by route and id."""

    def __init__(self) -> None:
        self._tasks: dict[str, bytes] = {}
        self._streams: dict[str, bytes] = {}
        self.not_found = _response(b"404 Not Found", b"application/json", _NOT_FOUND)

    def task(self, task_id: str) -> bytes:
        answer = self._tasks.get(task_id)
        if answer is None:
            if len(self._tasks) > 10_000:
                self._tasks.clear()
            answer = _response(b"200 OK", b"application/json", payloads.task_json(task_id))
            self._tasks[task_id] = answer
        return answer

    def events(self, task_id: str) -> bytes:
        answer = self._streams.get(task_id)
        if answer is None:
            count = payloads.events_count(task_id) or 100
            body = payloads.event_stream(task_id, count)
            answer = _chunked(b"200 OK", b"text/event-stream", body)
            self._streams[task_id] = answer
        return answer

    def route(self, method: bytes, target: bytes) -> bytes:
        path = target.split(b"?", 1)[0].decode()
        parts = path.strip("/").split("/")
        if method == b"GET" and len(parts) == 3 and parts[0] == "agent-execution":
            if parts[2] == "status":
                return self.task(parts[1])
        elif method == b"POST" and len(parts) == 2 and parts[0] == "agent-execution":
            return self.task(payloads.CREATED_TASK_ID)
        elif (
            method == b"GET"
            and len(parts) == 4
            and parts[1] == "agent-execution"
            and parts[3] == "events"
        ):
            return self.events(parts[2])
        return self.not_found


class _Connection(asyncio.Protocol):
    """One keep-alive connection: parse each request head, skip its body, answer."""

    def __init__(self, answers: Answers) -> None:
        self._answers = answers
        self._buffer = bytearray()
        self._transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self._transport = transport

    def data_received(self, data: bytes) -> None:
        buffer = self._buffer
        buffer += data
        while True:
            end = buffer.find(b"\r\n\r\n")
            if end < 0:
                return
            head = bytes(buffer[:end])
            lower = head.lower()
            length = 0
            at = lower.find(b"\r\ncontent-length:")
            if at >= 0:
                stop = lower.find(b"\r\n", at + 2)
                length = int(lower[at + 17 : stop if stop >= 0 else len(lower)])
            if len(buffer) < end + 4 + length:
                return
            del buffer[: end + 4 + length]
            method, target, _ = head.split(b"\r\n", 1)[0].split(b" ", 2)
            assert self._transport is not None
            self._transport.write(self._answers.route(method.upper(), target))
            if b"\r\nconnection: close" in lower:
                self._transport.close()
                return


async def serve(host: str, port: int, warm_events: list[int]) -> None:
    answers = Answers()
    for count in warm_events:
        answers.events(f"{payloads.EVENTS_PREFIX}{count}")
    loop = asyncio.get_running_loop()
    server = await loop.create_server(
        lambda: _Connection(answers), host, port, backlog=4096, reuse_address=True
    )
    bound = server.sockets[0].getsockname()
    print(f"http://{bound[0]}:{bound[1]}", flush=True)
    stopped = loop.create_future()

    def stop() -> None:
        if not stopped.done():
            stopped.set_result(None)

    def wait_for_stdin_eof() -> None:
        sys.stdin.read()
        loop.call_soon_threadsafe(stop)

    threading.Thread(target=wait_for_stdin_eof, daemon=True).start()
    async with server:
        await stopped


@contextlib.contextmanager
def running(warm_events: list[int] | None = None) -> Iterator[str]:
    """Start the responder in a child process; yield its base URL."""
    command = [sys.executable, "-m", "bench.responder", "--port", "0"]
    if warm_events:
        command += ["--warm-events", ",".join(map(str, warm_events))]
    process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    try:
        assert process.stdout is not None
        base_url = process.stdout.readline().decode().strip()
        if not base_url.startswith("http://"):
            raise RuntimeError("the responder did not start")
        yield base_url
    finally:
        if process.stdin is not None:
            process.stdin.close()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--warm-events", default="", help="event counts to render up front")
    args = parser.parse_args()
    warm = [int(n) for n in args.warm_events.split(",") if n]
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve(args.host, args.port, warm))


if __name__ == "__main__":
    main()
