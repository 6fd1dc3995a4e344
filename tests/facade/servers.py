"""Tiny real HTTP servers on loopback, for answers the emulator never gives.

A proxy's HTML error page, a 200 with an empty body, invalid JSON, a body cut
short of its Content-Length, JSON of the wrong shape, a 403 or a 409, or a
server that accepts a connection and never answers: `CannedServer` answers
every request with the same canned bytes, over a real socket, and counts the
requests it read. It speaks just enough HTTP/1.1 for httpx (one request per
connection, then close), so sync and async clients both talk to it as to any
server.

    with CannedServer(Answer.json({"detail": "no"}, status=403)) as server:
        Tasks(Configuration(api_key="k", base_url=server.base_url)).get("t1")

`ForwardProxy` is an HTTP forward proxy on loopback built the same way: it
relays each request to its target (the emulator, say) and the answer back as
it arrives (event streams included), and records what it relayed.

`closed_port()` gives a loopback port where nothing listens.
"""

from __future__ import annotations

import contextlib
import json
import socket
import ssl
import threading
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any
from urllib.parse import urlsplit

__all__ = ["TASK_JSON", "Answer", "CannedServer", "ForwardProxy", "closed_port"]

#: A minimal Task as the API sends it: the required fields and a status.
TASK_JSON: dict[str, Any] = {
    "id": "t1",
    "agent_id": "agent123",
    "organization_id": "org1",
    "input": {"text": "hi", "files": [], "user": None},
    "created_at": "2025-01-01T00:00:00Z",
    "status": "pending",
}


@dataclass(frozen=True)
class Answer:
    """What a `CannedServer` sends back.

    ``content_length`` overrides the header (a value larger than the body
    makes a truncated answer: the server sends the body, then closes);
    ``hang`` accepts the request and never answers; ``delay`` answers after
    that many seconds.
    """

    status: int = 200
    body: bytes = b""
    content_type: str | None = "application/json"
    headers: tuple[tuple[str, str], ...] = ()
    content_length: int | None = None
    hang: bool = False
    delay: float = 0.0

    @classmethod
    def json(cls, value: Any, status: int = 200, **kwargs: Any) -> Answer:
        return cls(status=status, body=json.dumps(value).encode(), **kwargs)

    @classmethod
    def html(cls, status: int = 200) -> Answer:
        page = (
            "<html><head><title>Bad Gateway</title></head>"
            "<body><h1>502 Bad Gateway</h1><hr><center>nginx</center></body></html>"
        )
        return cls(status=status, body=page.encode(), content_type="text/html")

    def encode(self) -> bytes:
        try:
            reason = HTTPStatus(self.status).phrase
        except ValueError:
            reason = "Unknown"
        length = len(self.body) if self.content_length is None else self.content_length
        lines = [
            f"HTTP/1.1 {self.status} {reason}",
            f"Content-Length: {length}",
            "Connection: close",
        ]
        if self.content_type is not None:
            lines.append(f"Content-Type: {self.content_type}")
        lines += [f"{name}: {value}" for name, value in self.headers]
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + self.body


@dataclass
class _Seen:
    method: str
    path: str
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""


class CannedServer:
    """A loopback HTTP server that answers every request with one `Answer`.

    With ``tls`` (a server-side ``ssl.SSLContext``) it speaks HTTPS; ``first``
    answers the first requests, in order, before ``answer`` takes over.
    """

    def __init__(
        self,
        answer: Answer | None = None,
        *,
        tls: ssl.SSLContext | None = None,
        first: list[Answer] | None = None,
    ) -> None:
        self.answer = answer or Answer()
        self.first = list(first or [])  # answered, in order, before ``answer``
        self.tls = tls
        self.seen: list[_Seen] = []
        self.in_flight = 0  # requests read and not yet answered
        self.most_in_flight = 0
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(1024)
        self._sock.settimeout(0.1)
        self.port: int = self._sock.getsockname()[1]
        self._thread = threading.Thread(target=self._serve, name="canned-server", daemon=True)
        self._workers: list[threading.Thread] = []

    @property
    def base_url(self) -> str:
        scheme = "https" if self.tls is not None else "http"
        return f"{scheme}://127.0.0.1:{self.port}"

    @property
    def requests(self) -> int:
        """How many requests the server has read."""
        with self._lock:
            return len(self.seen)

    def start(self) -> CannedServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        with contextlib.suppress(OSError):
            self._sock.shutdown(socket.SHUT_RDWR)  # wakes the accept() at once
        self._thread.join(5)
        for worker in self._workers:
            worker.join(5)
        self._sock.close()

    def __enter__(self) -> CannedServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            worker = threading.Thread(target=self._handle, args=(conn,), daemon=True)
            self._workers.append(worker)
            worker.start()

    def _handle(self, raw: socket.socket) -> None:
        conn = raw
        try:
            raw.settimeout(5)
            if self.tls is not None:
                conn = self.tls.wrap_socket(raw, server_side=True)
            seen = self._read_request(conn)
            if seen is None:
                return
            with self._lock:
                self.seen.append(seen)
                answer = self.first.pop(0) if self.first else self.answer
                self.in_flight += 1
                self.most_in_flight = max(self.most_in_flight, self.in_flight)
            try:
                if answer.hang:
                    self._stop.wait()  # never answer; let go when the server stops
                    return
                self._stop.wait(answer.delay)
            finally:
                with self._lock:
                    self.in_flight -= 1
            # Counted out before it is sent: a client may send its next request as soon as it
            # reads this answer, before this thread would get back to the count.
            conn.sendall(answer.encode())
        except OSError:  # the client gave up, or refused our certificate
            return
        finally:
            conn.close()
            raw.close()

    @staticmethod
    def _read_request(conn: socket.socket) -> _Seen | None:
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = conn.recv(65536)
            if not chunk:
                return None
            data += chunk
        head, _, body = data.partition(b"\r\n\r\n")
        request_line, *header_lines = head.decode("latin-1").split("\r\n")
        method, path, _ = request_line.split(" ", 2)
        headers = {}
        for line in header_lines:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        length = int(headers.get("content-length", "0") or 0)
        while len(body) < length:
            chunk = conn.recv(65536)
            if not chunk:
                break
            body += chunk
        return _Seen(method, path, headers, body)


class ForwardProxy(CannedServer):
    """A loopback forward proxy for ``http://`` targets (``httpx.Client(proxy=proxy.url)``).

    ``relayed`` lists each request it relayed as ``"METHOD absolute-URL"``.
    One request per client connection; the answer is streamed back until the
    target closes, so a cut event stream reaches the client cut.
    """

    def __init__(self) -> None:
        super().__init__()
        self.relayed: list[str] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _handle(self, raw: socket.socket) -> None:
        try:
            raw.settimeout(30)
            seen = self._read_request(raw)
            if seen is None:
                return
            target = urlsplit(seen.path)  # absolute-form: http://host:port/path?query
            with self._lock:
                self.relayed.append(f"{seen.method} {seen.path}")
            path = target.path + (f"?{target.query}" if target.query else "")
            headers = {k: v for k, v in seen.headers.items() if "connection" not in k}
            headers["connection"] = "close"  # one answer, then the target closes
            head = f"{seen.method} {path} HTTP/1.1\r\n" + "".join(
                f"{k}: {v}\r\n" for k, v in headers.items()
            )
            with socket.create_connection((target.hostname, target.port or 80), 30) as upstream:
                upstream.sendall(head.encode("latin-1") + b"\r\n" + seen.body)
                while chunk := upstream.recv(65536):
                    raw.sendall(chunk)
        except OSError:
            return
        finally:
            raw.close()


def closed_port() -> int:
    """A loopback port with nothing listening on it (bound, then released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
