"""The control API is as careful as the API: bodies have a limit, read as they arrive; the
journal's path filter cannot stall the server; and what it shows of a task has the secrets
masked, while the API itself answers exactly what the platform answers."""

from __future__ import annotations

import json
import socket
from collections.abc import Callable
from typing import Any

import pytest
from emulator_helpers import create, make_client, wait_status

from xpander_sdk._redact import MASK
from xpander_sdk.emulator import EmulatorServer
from xpander_sdk.emulator.patterns import MAX_PATTERN_LENGTH

SECRETS: dict[str, Any] = {
    "user_oidc_token": "oidc-SECRET",
    "user_tokens": {"github": "tok-SECRET"},
    "mcp_servers": [
        {
            "name": "mcp1",
            "url": "https://mcp.example",
            "api_key": "mcp-SECRET",
            "client_secret": "client-SECRET",
            "headers": {"Authorization": "Bearer hdr-SECRET"},
        }
    ],
}
# Backtracking on this takes twice as long for each character of the path it is tried on:
# Python's re would need years for the 60-character paths below.
EXPONENTIAL = "(.|.)*#"  # no path holds a "#"


def exchange(server: EmulatorServer, head: str, chunks: list[bytes]) -> tuple[int, Any]:
    """Send a request's ``head`` and body ``chunks`` over a socket, leaving the body
    unfinished, and read the answer: its status and JSON body. A server that waits for the
    whole body first never answers (the socket times out)."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=30) as sock:
        sock.sendall(head.replace("\n", "\r\n").encode() + b"\r\n")
        for chunk in chunks:
            sock.sendall(chunk)
        answer = b""
        while b"\r\n\r\n" not in answer:
            answer += sock.recv(65536)
        head_bytes, _, body = answer.partition(b"\r\n\r\n")
        lines = head_bytes.decode("latin-1").split("\r\n")
        length = next(
            int(line.split(":", 1)[1])
            for line in lines
            if line.lower().startswith("content-length:")
        )
        while len(body) < length:
            body += sock.recv(65536)
    return int(lines[0].split()[1]), json.loads(body)


def chunked(size: int, piece: int = 1000) -> list[bytes]:
    """``size`` bytes of an unfinished chunked body (no final empty chunk)."""
    return [f"{piece:x}\r\n".encode() + b" " * piece + b"\r\n" for _ in range(size // piece)]


@pytest.fixture
def own(emulator_factory: Callable[..., EmulatorServer]) -> EmulatorServer:
    return emulator_factory(faults=True)


@pytest.fixture
def small(emulator_factory: Callable[..., EmulatorServer]) -> EmulatorServer:
    return emulator_factory(faults=True, max_body_bytes=2000, max_state_bytes=5000)


@pytest.mark.parametrize(
    ("method", "path", "limit"),
    [
        ("POST", "/_emulator/faults", 2000),
        ("PUT", "/_emulator/state", 5000),
        ("PUT", "/_emulator/agents", 2000),
    ],
)
def test_a_control_body_over_its_limit_is_413_before_it_is_all_read(
    small: EmulatorServer, method: str, path: str, limit: int
) -> None:
    before = small.export_state()
    key = f"x-api-key: {small.api_key}\nhost: 127.0.0.1"
    # Declared too large: refused before a byte of it is read (the rest is never sent).
    status, body = exchange(
        small, f"{method} {path} HTTP/1.1\n{key}\ncontent-length: {64 << 20}\n", [b"{"]
    )
    assert (status, body["errors"][0]["field"]) == (413, "body")
    assert str(limit) in body["detail"]
    # Chunked, with no length: refused once past the limit, while the body is still coming.
    status, body = exchange(
        small,
        f"{method} {path} HTTP/1.1\n{key}\ntransfer-encoding: chunked\n",
        chunked(limit + 1000),
    )
    assert (status, body["errors"][0]["field"]) == (413, "body")
    with make_client(small) as client:
        assert client.get("/_emulator/faults").json()["rules"] == []
        assert client.get("/_emulator/agents").json()["agents"] == []
    assert small.export_state() == before


def test_a_state_under_its_own_limit_is_imported_past_the_apis_limit(
    emulator_factory: Callable[..., EmulatorServer],
) -> None:
    # A state document is the whole database: it has a limit of its own, not the API's.
    server = emulator_factory(max_body_bytes=1000)
    with make_client(server) as client:
        for i in range(5):
            wait_status(client, server.organization_id, create(client, f"agent-{i}")["id"])
        doc = client.get("/_emulator/state").json()
        assert len(json.dumps(doc)) > 1000
        assert client.put("/_emulator/state", json=doc).status_code == 200
        assert client.get("/_emulator/state").json() == doc


def test_the_journal_path_filter_is_linear_time(own: EmulatorServer) -> None:
    with make_client(own) as client:
        for i in range(3):
            client.get(f"/agent-execution/{'a' * 40}{i}/status")  # 404s, journaled
        found = client.get("/_emulator/requests", params={"path": EXPONENTIAL}, timeout=60)
        assert found.status_code == 200
        assert found.json()["requests"] == []
        found = client.get("/_emulator/requests", params={"path": "(a|a)*2/status$"})
        assert [e["path"] for e in found.json()["requests"]] == [
            f"/agent-execution/{'a' * 40}2/status"
        ]
    assert own.requests(path=EXPONENTIAL) == []


def test_a_path_pattern_it_cannot_bound_is_422(own: EmulatorServer) -> None:
    refusals = [
        ("a" * (MAX_PATTERN_LENGTH + 1), f"longer than {MAX_PATTERN_LENGTH} characters"),
        ("(a)\\1", "RE2 syntax"),  # a backreference: RE2 has none (they need backtracking)
        ("(?=a)", "RE2 syntax"),
        ("(", "RE2 syntax"),
    ]
    with make_client(own) as client:
        for pattern, reason in refusals:
            refused = client.get("/_emulator/requests", params={"path": pattern})
            assert refused.status_code == 422
            (error,) = refused.json()["errors"]
            assert error["field"] == "query.path" and reason in error["reason"], pattern
            rule = client.post("/_emulator/faults", json={"kind": "drop", "path": pattern})
            assert rule.status_code == 422
            assert rule.json()["errors"][0]["field"] == "body.path"
        assert client.get("/_emulator/faults").json()["rules"] == []


def test_a_fault_rules_path_is_linear_time_too(own: EmulatorServer) -> None:
    own.inject(kind="status", status=503, path=EXPONENTIAL)
    with make_client(own) as client:
        answer = client.get(f"/agent-execution/{'a' * 60}/status", timeout=60)
    assert answer.status_code == 404  # matched no rule, and answered
    own.inject(kind="status", status=503, path="(a|a)*/status$")
    with make_client(own) as client:
        assert client.get(f"/agent-execution/{'a' * 60}/status").status_code == 503


def test_the_control_api_masks_a_tasks_secrets_and_the_api_does_not(
    own: EmulatorServer,
) -> None:
    with make_client(own) as client:
        task = create(client, "agent-s", "read my mail", **SECRETS)
        wait_status(client, own.organization_id, task["id"])
        # The API answers exactly what the platform would: the values themselves.
        status = client.get(f"/agent-execution/{task['id']}/status").json()
        assert status["user_oidc_token"] == "oidc-SECRET"
        assert status["mcp_servers"][0]["api_key"] == "mcp-SECRET"
        assert status["user_tokens"] == {"github": "tok-SECRET"}

        (shown,) = client.get("/_emulator/tasks").json()["tasks"]
        assert shown["id"] == task["id"] and shown["input"]["text"] == "read my mail"
        assert shown["user_oidc_token"] == shown["user_tokens"] == MASK
        server = shown["mcp_servers"][0]
        assert server["name"] == "mcp1" and server["url"] == "https://mcp.example"
        assert server["api_key"] == server["client_secret"] == server["headers"] == MASK
        assert "SECRET" not in client.get("/_emulator/tasks").text
        assert "SECRET" not in client.get("/_emulator/requests").text

        # The state document is made to be imported again: it keeps the values.
        state = client.get("/_emulator/state").json()
        assert state["tasks"][0]["task"]["user_oidc_token"] == "oidc-SECRET"
