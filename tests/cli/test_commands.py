"""Each command of ``xpander-tasks`` against the emulator: its output (``--json`` parsed, and
plain) and its exit code."""

from __future__ import annotations

import re
from collections.abc import Callable

import httpx

from xpander_sdk import Configuration, Tasks
from xpander_sdk.emulator import EmulatorServer

from .conftest import Runner, failing_agent, run_against

ESC = "\x1b"


def test_create_prints_the_new_task(cli: Runner) -> None:
    done = cli(
        "create", "agent-cli", "Summarize Q3", "--title", "Q3 summary",
        "--file", "https://example.com/a.csv", "--file", "https://example.com/b.csv",
        "--output-format", "markdown", "--think-mode", "harder",
        "--instructions", "be brief", "--expected-output", "three bullets",
        "--source", "cli-test", "--json",
    )  # fmt: skip
    assert done.code == 0, done.err
    task = done.json()
    assert task["agent_id"] == "agent-cli"
    assert task["status"] == "pending"
    assert task["title"] == "Q3 summary"
    assert task["input"]["text"] == "Summarize Q3"
    assert task["input"]["files"] == ["https://example.com/a.csv", "https://example.com/b.csv"]
    assert task["events_streaming"] is True
    assert (task["output_format"], task["think_mode"]) == ("markdown", "harder")
    assert task["instructions_override"] == "be brief"
    assert task["expected_output"] == "three bullets"
    assert task["source"] == "cli-test"
    assert done.err == ""


def test_create_with_an_idempotency_key_makes_one_task(cli: Runner) -> None:
    args = ("create", "agent-cli-key", "hi", "--idempotency-key", "cli-key-1", "--json")
    first, again = cli(*args), cli(*args)
    assert first.code == again.code == 0, first.err + again.err
    assert first.json()["id"] == again.json()["id"]
    refused = cli("create", "agent-cli-key", "other", "--idempotency-key", "cli-key-1")
    assert refused.code != 0
    assert "idempotency key cli-key-1" in refused.err


def test_create_no_events(cli: Runner) -> None:
    done = cli("create", "agent-cli", "hi", "--no-events", "--json")
    assert done.code == 0, done.err
    assert done.json()["events_streaming"] is False


def test_create_wait_ends_with_the_finished_task(cli: Runner) -> None:
    done = cli("create", "agent-cli", "hi", "--wait", "--timeout", "30", "--json")
    assert done.code == 0, done.err
    task = done.json()
    assert task["status"] == "completed"
    assert task["result"] == "Emulated answer to: hi"


def test_create_follow_json_is_one_event_per_line(cli: Runner) -> None:
    done = cli("create", "agent-cli", "hi", "--follow", "--json")
    assert done.code == 0, done.err
    events = done.json_lines()
    assert events[0]["type"] == "task_created"
    assert events[-1]["type"] == "task_finished"
    assert events[-1]["data"]["status"] == "completed"
    chunks = [e["data"] for e in events if e["type"] == "chunk"]
    assert "".join(chunks) == "Emulated answer to: hi"
    ids = [int(e["id"]) for e in events]
    assert ids == sorted(set(ids))
    assert {e["task_id"] for e in events} == {events[0]["data"]["id"]}


def test_follow_json_events_say_who_made_them(
    emulator_factory: Callable[..., EmulatorServer],
) -> None:
    """``identity`` (the skill's name and icon) is in each JSON event, as the stream sent it;
    null for an event no skill made."""
    steps = [
        {"chunk": "anonymous "},
        {"identity": {"name": "Billing skill", "icon": "card"}},
        {"chunk": "signed"},
        {"result": "done"},
    ]
    server = emulator_factory(step_delay=0.0, agents=[{"steps": steps}])
    done = run_against(server, "create", "agent-who", "hi", "--follow", "--json")
    assert done.code == 0, done.err
    chunks = [e for e in done.json_lines() if e["type"] == "chunk"]
    assert [(c["data"], c["identity"]) for c in chunks] == [
        ("anonymous ", None),
        ("signed", {"name": "Billing skill", "icon": "card"}),
    ]
    # A task that does not stream is polled: its lines have the same keys, and no identity
    polled = run_against(server, "create", "agent-who", "hi", "--follow", "--no-events", "--json")
    assert polled.code == 0, polled.err
    lines = polled.json_lines()
    assert lines and all(line["identity"] is None for line in lines)
    assert {frozenset(line) for line in lines} == {frozenset(done.json_lines()[-1])}


def test_create_follow_without_events_polls(cli: Runner) -> None:
    done = cli("create", "agent-cli", "hi", "--follow", "--no-events")
    assert done.code == 0, done.err
    lines = done.out.splitlines()
    assert lines[0].startswith("created task ")
    assert lines[-2].endswith("completed") or "completed" in lines[-2]
    assert "result: Emulated answer to: hi" in lines


def test_list_filters_and_limits(cli: Runner, tasks_for: Callable[..., list[str]]) -> None:
    ids = tasks_for("agent-list", 3)
    done = cli("list", "agent-list", "--json")
    assert done.code == 0, done.err
    listed = done.json()
    assert {t["id"] for t in listed} == set(ids)
    assert all(t["agent_id"] == "agent-list" for t in listed)
    limited = cli("list", "agent-list", "--limit", "2", "--json").json()
    assert len(limited) == 2
    assert cli("list", "agent-list", "--status", "stopped", "--json").json() == []
    assert cli("list", "agent-list", "--user-id", "nobody", "--json").json() == []
    plain = cli("list", "agent-list")
    assert plain.out.splitlines()[0].split() == ["ID", "STATUS", "CREATED", "TITLE"]
    assert all(task_id in plain.out for task_id in ids)
    assert cli("list", "agent-none").out == "no tasks for agent agent-none\n"


def test_list_is_newest_first(cli: Runner, tasks_for: Callable[..., list[str]]) -> None:
    created = tasks_for("agent-order", 3)  # in the order of creation
    newest = list(reversed(created))

    def listed(*options: str) -> list[str]:
        done = cli("list", "agent-order", *options, "--json")
        assert done.code == 0, done.err
        return [t["id"] for t in done.json()]

    assert listed() == newest
    assert listed("--limit", "2") == newest[:2]
    assert listed("--oldest-first") == created
    # --limit keeps the newest N whatever the order they are shown in
    assert listed("--oldest-first", "--limit", "2") == created[1:]
    plain = cli("list", "agent-order").out.splitlines()[1:]
    assert [line.split()[0] for line in plain] == newest


def test_get_json_and_plain(cli: Runner, tasks_for: Callable[..., list[str]]) -> None:
    (task_id,) = tasks_for("agent-get", 1)
    done = cli("get", task_id, "--json")
    assert done.code == 0, done.err
    assert done.json()["id"] == task_id
    plain = cli("get", task_id)
    assert plain.code == 0
    assert ESC not in plain.out
    assert "id:" in plain.out and task_id in plain.out
    assert "agent:" in plain.out and "agent-get" in plain.out


def test_update_status_result_and_internal_status(
    cli: Runner, tasks_for: Callable[..., list[str]]
) -> None:
    (task_id,) = tasks_for("agent-update", 1)
    done = cli("update", task_id, "--status", "failed", "--result", "no data", "--json")
    assert done.code == 0, done.err
    assert (done.json()["status"], done.json()["result"]) == ("failed", "no data")
    done = cli(
        "update", task_id, "--internal-status", "reviewed", "--status", "completed", "--json"
    )
    assert done.code == 0, done.err
    after = cli("get", task_id, "--json").json()
    assert (after["internal_status"], after["status"]) == ("reviewed", "completed")
    assert after["result"] == "no data"


def test_update_without_a_change_is_a_usage_error(cli: Runner) -> None:
    done = cli("update", "some-task")
    assert done.code == 2
    assert "nothing to update" in done.err


def test_stop(slow_emulator: EmulatorServer) -> None:
    created = run_against(slow_emulator, "create", "agent-stop", "think", "--json").json()
    done = run_against(slow_emulator, "stop", created["id"], "--json")
    assert done.code == 0, done.err
    assert done.json()["status"] == "stopped"
    assert done.json()["is_manually_stopped"] is True


def test_wait(cli: Runner, tasks_for: Callable[..., list[str]]) -> None:
    (task_id,) = tasks_for("agent-wait", 1)
    done = cli("wait", task_id, "--json")
    assert done.code == 0, done.err
    assert done.json()["status"] == "completed"
    plain = cli("wait", task_id)
    assert plain.out.splitlines() == [
        f"task {task_id} completed in {plain.out.split(' in ')[1].split()[0]}",
        "result: Emulated answer to: hello",
    ]


def test_wait_timeout_exits_1(slow_emulator: EmulatorServer) -> None:
    created = run_against(slow_emulator, "create", "agent-wait", "think", "--json").json()
    done = run_against(slow_emulator, "wait", created["id"], "--timeout", "0.3")
    assert done.code == 1
    assert done.err == f"xpander-tasks: task {created['id']!r} did not finish within 0.3s\n"


def test_a_task_that_fails_exits_1(emulator_factory: Callable[..., EmulatorServer]) -> None:
    server = emulator_factory(agent=failing_agent)
    done = run_against(server, "create", "agent-fail", "go", "--follow")
    assert done.code == 1
    assert "failed" in done.out.splitlines()[-2]
    assert "RuntimeError: the agent gave up" in done.out
    task_id = done.out.split()[2]
    waited = run_against(server, "wait", task_id, "--json")
    assert waited.code == 1
    assert waited.json()["status"] == "failed"


def test_follow_plain_has_the_streamed_text_and_no_control_codes(
    cli: Runner, tasks_for: Callable[..., list[str]]
) -> None:
    (task_id,) = tasks_for("agent-follow", 1)
    done = cli("follow", task_id)
    assert done.code == 0, done.err
    assert ESC not in done.out and "\r" not in done.out
    lines = done.out.splitlines()
    assert lines[0] == f"following task {task_id} (agent agent-follow)"
    assert re.fullmatch(r"\[[\d.]+s\] pending", lines[1])
    assert "Emulated answer to: hello" in lines
    assert lines[lines.index("Emulated answer to: hello") - 1].endswith("] executing")
    assert lines[-1].startswith(f"task {task_id} completed in ")
    assert lines[-1].endswith(", 7 events")


def test_follow_resumes_across_a_cut_stream(emulator: EmulatorServer, cli: Runner) -> None:
    with Tasks(Configuration(**_settings(emulator))) as tasks:
        task = tasks.create("agent-cut", prompt="hello", events_streaming=True)
        task.wait_for_completion(timeout=30)
    whole = cli("follow", task.id, "--json").json_lines()
    cuts = _stats(emulator)["faults_injected"].get("cut_stream", 0)
    _inject(emulator, {"kind": "cut_stream", "after_events": 2, "path": task.id})
    done = cli("follow", task.id, "--json")
    assert done.code == 0, done.err
    events = done.json_lines()
    assert [e["id"] for e in events] == [e["id"] for e in whole]  # each once, in order
    assert len(events) == 7
    assert events[-1]["type"] == "task_finished"
    assert "".join(e["data"] for e in events if e["type"] == "chunk") == "Emulated answer to: hello"
    assert _stats(emulator)["faults_injected"].get("cut_stream", 0) - cuts == 1


def test_activity(cli: Runner, tasks_for: Callable[..., list[str]]) -> None:
    (task_id,) = tasks_for("agent-activity", 1)
    done = cli("activity", task_id, "--json")
    assert done.code == 0, done.err
    thread = done.json()
    assert thread["id"] == task_id
    assert [m["role"] for m in thread["messages"]] == ["user", "agent"]
    plain = cli("activity", task_id)
    assert plain.out.splitlines() == ["[user] hello", "[agent] Emulated answer to: hello"]


def test_secrets_never_printed(emulator: EmulatorServer, cli: Runner) -> None:
    with Tasks(Configuration(**_settings(emulator))) as tasks:
        task = tasks.create(
            "agent-secret",
            prompt="hello",
            events_streaming=True,
            user_oidc_token="oidc-SECRET",
            user_tokens={"github": "tok-SECRET"},
            mcp_servers=[{"name": "m", "url": "https://mcp.example", "api_key": "mcp-SECRET"}],
        )
    got = cli("get", task.id, "--json")
    followed = cli("follow", task.id, "--json")
    for done in (got, followed, cli("get", task.id), cli("follow", task.id)):
        assert done.code == 0, done.err
        assert "SECRET" not in done.out + done.err
        assert emulator.api_key not in done.out + done.err
    assert got.json()["user_oidc_token"] == "***"
    assert got.json()["user_tokens"] == "***"
    assert got.json()["mcp_servers"][0]["api_key"] == "***"
    assert got.json()["mcp_servers"][0]["url"] == "https://mcp.example"
    assert followed.json_lines()[-1]["data"]["user_oidc_token"] == "***"


# -- errors ---------------------------------------------------------------------------


def test_not_found(cli: Runner) -> None:
    for command in ("get", "follow", "wait", "stop", "activity"):
        done = cli(command, "no-such-task")
        assert (done.code, done.out) == (1, ""), command
        assert done.err == "xpander-tasks: task 'no-such-task' not found\n", command


def test_no_api_key(emulator: EmulatorServer, cli: Runner) -> None:
    env = {"XPANDER_BASE_URL": emulator.base_url}
    done = cli("get", "any", env=env)
    assert (done.code, done.out) == (2, "")
    assert done.err == "xpander-tasks: no API key: set XPANDER_API_KEY or pass --api-key\n"


def test_a_wrong_key_is_refused_and_not_echoed(emulator: EmulatorServer, cli: Runner) -> None:
    done = cli("get", "any", "--api-key", "wrong-KEY-value")
    assert done.code == 1
    assert done.err.startswith("xpander-tasks: the API key was refused (401)")
    assert len(done.err.splitlines()) == 1
    assert "wrong-KEY-value" not in done.out + done.err


def test_options_after_the_command_configure_it(
    emulator: EmulatorServer, cli: Runner, tasks_for: Callable[..., list[str]]
) -> None:
    (task_id,) = tasks_for("agent-opts", 1)
    settings = _settings(emulator)
    done = cli(
        "get", task_id, "--json", "--api-key", settings["api_key"],
        "--base-url", settings["base_url"], "--organization-id", settings["organization_id"],
        env={},
    )  # fmt: skip
    assert done.code == 0, done.err
    assert done.json()["id"] == task_id
    before = cli("--api-key", settings["api_key"], "--base-url", settings["base_url"],
                 "get", task_id, "--json", env={})  # fmt: skip
    assert before.code == 0, before.err


def test_unreachable_api(cli: Runner) -> None:
    env = {"XPANDER_API_KEY": "k", "XPANDER_BASE_URL": "http://127.0.0.1:9"}
    done = cli("get", "any", env=env)
    assert done.code == 1
    assert done.err.startswith("xpander-tasks: could not reach http://127.0.0.1:9")
    assert "Traceback" not in done.err


def test_usage_errors_exit_2(cli: Runner) -> None:
    for args in (
        [],
        ["list"],
        ["frobnicate"],
        ["list", "a", "--limit", "0"],
        ["list", "a", "--status", "nope"],
        ["create", "a", "hi", "--timeout", "5"],
        ["create", "a", "hi", "--follow", "--wait"],
        ["wait", "t", "--timeout", "-1"],
    ):
        done = cli(*args)
        assert done.code == 2, args
        assert "Traceback" not in done.err, args
        assert done.err.strip(), args


def test_help_documents_exit_codes(cli: Runner) -> None:
    for args in (["--help"], ["follow", "--help"]):
        done = cli(*args)
        assert done.code == 0
        assert "exit codes:" in done.out
        assert "130" in done.out


# -- helpers ----------------------------------------------------------------------------


def _settings(emulator: EmulatorServer) -> dict[str, str]:
    return {
        "api_key": emulator.api_key,
        "base_url": emulator.base_url,
        "organization_id": emulator.organization_id,
    }


def _control(emulator: EmulatorServer) -> httpx.Client:
    # /_emulator/* may require the API key: send it.
    return httpx.Client(
        base_url=emulator.base_url, headers={"x-api-key": emulator.api_key}, timeout=10
    )


def _inject(emulator: EmulatorServer, rule: dict[str, object]) -> None:
    with _control(emulator) as client:
        assert client.post("/_emulator/faults", json=rule).status_code == 201


def _stats(emulator: EmulatorServer) -> dict[str, object]:
    with _control(emulator) as client:
        stats: dict[str, object] = client.get("/_emulator/stats").json()
        return stats
