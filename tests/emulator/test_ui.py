"""The emulator's web page (/_emulator/ui) in a real browser: Debian's chromium, headless,
driven by Playwright. Each test starts its own emulator on loopback and reads the page as a
person would (labels, roles, visible text), then checks the API agrees."""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

import pytest
from browser_helpers import ScriptErrors, launch, require_browser
from emulator_helpers import create, make_client

from xpander_sdk._redact import masked
from xpander_sdk.emulator import EmulatorServer

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

try:
    from playwright.sync_api import expect
except ImportError:  # require_browser() skips (or fails, under CI) with the reason
    expect = None

pytestmark = pytest.mark.slow

KEY_STORE = "xpander-emulator.api-key"
REBOUND = "evil.example"
SECRETS: dict[str, Any] = {
    "user_oidc_token": "oidc-SECRET",
    "user_tokens": {"github": "tok-SECRET"},
    "mcp_servers": [
        {"name": "mcp1", "url": "https://mcp.example", "api_key": "mcp-SECRET"},
    ],
}
OpenPage = Callable[..., "tuple[Page, ScriptErrors]"]


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    require_browser()
    from playwright.sync_api import sync_playwright

    expect.set_options(timeout=15_000)  # a deadline for each wait, on a busy 2-core machine
    with sync_playwright() as playwright:
        # evil.example: a name its owner has made resolve to this machine (DNS rebinding)
        browser = launch(playwright, resolve={REBOUND: "127.0.0.1"})
        yield browser
        browser.close()


@pytest.fixture
def open_page(browser: Browser) -> Iterator[OpenPage]:
    """``open_page(server, "#/route")``: a fresh tab (its own sessionStorage) on the page."""
    contexts = []

    def open_(server: EmulatorServer, fragment: str = "", *, on_request: Any = None):
        context = browser.new_context(viewport={"width": 1280, "height": 800})
        contexts.append(context)
        page = context.new_page()
        errors = ScriptErrors(page)
        if on_request is not None:
            page.on("request", on_request)
        page.goto(f"{server.base_url}/_emulator/ui{fragment}")
        return page, errors

    yield open_
    for context in contexts:
        context.close()


def gated_agent(gate: threading.Event) -> Callable[[dict[str, Any]], Iterator[str]]:
    """An agent that streams one chunk, then waits for ``gate`` before its last one."""

    def agent(task_input: dict[str, Any]) -> Iterator[str]:
        yield f"Thinking about: {task_input['text']}."
        gate.wait(30)
        yield " Done."

    return agent


def streamed(count: int) -> re.Pattern[str]:
    """The timeline's summary of ``count`` output chunks (exactly that many)."""
    return re.compile(rf"(?<![0-9]){count} chunks? streamed")


@pytest.fixture
def gate(request: pytest.FixtureRequest) -> threading.Event:
    """Released at the end of the test, before its emulators stop (their runs must end)."""
    event = threading.Event()
    request.addfinalizer(event.set)
    return event


def test_tasks_made_through_the_api_appear_in_the_table(
    emulator_factory: Callable[..., EmulatorServer], open_page: OpenPage
) -> None:
    server = emulator_factory(api_key=None, step_delay=0.02)
    page, errors = open_page(server)
    # No --api-key: the page opens straight onto the tasks, without asking for a key.
    expect(page.get_by_label("Agent")).to_be_visible()
    expect(page.get_by_label("API key")).to_have_count(0)
    expect(page.get_by_role("link", name="Faults")).to_be_hidden()

    with make_client(server) as api:
        first = create(api, "agent-ui-a", "Summarise yesterday's tickets")
        second = create(api, "agent-ui-b", "<img src=x onerror=alert(1)> is text")

    rows = page.locator("table.tasks-table tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text(second["id"][-8:])  # newest first
    expect(rows.nth(1)).to_contain_text(first["id"][-8:])
    expect(rows.nth(1)).to_contain_text("agent-ui-a")
    expect(rows.nth(1)).to_contain_text("Summarise yesterday's tickets")
    expect(rows.nth(0)).to_contain_text("<img src=x onerror=alert(1)> is text")
    expect(page.locator("table img")).to_have_count(0)  # server text is never markup
    # Statuses follow the runs as they end.
    expect(rows.nth(0).locator(".badge")).to_have_text("completed")
    expect(rows.nth(1).locator(".badge")).to_have_text("completed")

    link = page.get_by_role("link", name=first["id"][-8:], exact=True)
    expect(link).to_have_attribute("href", f"#/task/{first['id']}")
    link.click()
    expect(page).to_have_url(re.compile(f"#/task/{first['id']}$"))
    expect(page.get_by_role("heading", name="Summarise yesterday's tickets")).to_be_visible()
    errors.assert_none()


def test_a_task_created_with_the_form_streams_its_events(
    emulator_factory: Callable[..., EmulatorServer], open_page: OpenPage, gate: threading.Event
) -> None:
    server = emulator_factory(api_key=None, step_delay=0.02, agent=gated_agent(gate))
    page, errors = open_page(server)
    page.get_by_label("Agent").fill("agent-form")
    page.get_by_label("Prompt").fill("Draft a reply to order 4411")
    page.get_by_role("button", name="Create", exact=True).click()

    expect(page).to_have_url(re.compile(r"#/task/[0-9a-f-]+$"))
    task_id = page.url.rsplit("/", 1)[1]
    with make_client(server) as api:
        stored = api.get(f"/agent-execution/{task_id}/status").json()
    assert stored["agent_id"] == "agent-form"
    assert stored["input"]["text"] == "Draft a reply to order 4411"
    assert stored["events_streaming"] is True

    # The run is held mid-way: what the page shows now arrived live, not from a replay.
    timeline = page.get_by_role("list", name="Events")
    output = page.locator("pre.output")
    badge = page.locator(".task-head .badge")
    expect(output).to_have_text("Thinking about: Draft a reply to order 4411.")
    expect(badge).to_have_text("executing")
    expect(page.locator("#stop-task")).to_be_visible()
    expect(timeline.locator('[data-type="task_created"]')).to_contain_text("pending")
    expect(timeline.locator('[data-type="task_updated"]')).to_contain_text("executing")
    expect(timeline.locator('[data-type="chunk"]')).to_contain_text(streamed(1))

    gate.set()
    expect(output).to_have_text("Thinking about: Draft a reply to order 4411. Done.")
    expect(timeline.locator('[data-type="chunk"]')).to_contain_text(streamed(2))
    expect(timeline.locator('[data-type="task_finished"]')).to_contain_text("completed")
    expect(badge).to_have_text("completed")
    expect(page.locator("#stop-task")).to_be_hidden()
    expect(page.locator(".details")).to_contain_text("agent-form")
    errors.assert_none()


def test_the_stop_button_stops_a_running_task(
    emulator_factory: Callable[..., EmulatorServer], open_page: OpenPage, gate: threading.Event
) -> None:
    server = emulator_factory(api_key=None, step_delay=0.02, agent=gated_agent(gate))
    with make_client(server) as api:
        task = create(api, "agent-stop", "Run until stopped")
    page, errors = open_page(server, f"#/task/{task['id']}")
    expect(page.locator("pre.output")).to_have_text("Thinking about: Run until stopped.")
    stop = page.locator("#stop-task")
    expect(stop).to_have_text("Stop")
    stop.click()

    expect(page.locator(".task-head .badge")).to_have_text("stopped")
    expect(stop).to_be_hidden()
    finished = page.get_by_role("list", name="Events").locator('[data-type="task_finished"]')
    expect(finished).to_contain_text("stopped")
    with make_client(server) as api:
        assert api.get(f"/agent-execution/{task['id']}/status").json()["status"] == "stopped"
    errors.assert_none()


def test_with_an_api_key_the_page_asks_for_it_first(
    emulator_factory: Callable[..., EmulatorServer], open_page: OpenPage
) -> None:
    key = "s3cret-ui-key"
    server = emulator_factory(api_key=key, step_delay=0.02)
    sent: list[Any] = []
    page, errors = open_page(server, on_request=lambda request: sent.append(request))
    errors.allow(r"status of 401")  # the browser logs each refused request; expected here

    key_input = page.get_by_label("API key")
    expect(key_input).to_be_visible()
    expect(page.get_by_label("Agent")).to_have_count(0)
    key_input.fill("not-the-key")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("alert")).to_contain_text("not accepted")

    key_input.fill(key)
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_label("Agent")).to_be_visible()
    with make_client(server) as api:
        task = create(api, "agent-keyed", "Behind a key")
    expect(page.locator("table.tasks-table tbody tr")).to_contain_text(task["id"][-8:])

    # Held in this tab's sessionStorage, sent as x-api-key, never in a URL.
    assert page.evaluate(f"sessionStorage.getItem('{KEY_STORE}')") == key
    assert page.evaluate("localStorage.length") == 0
    assert not [r.url for r in sent if key in r.url]
    polls = [r for r in sent if "/_emulator/tasks" in r.url]
    assert polls and polls[-1].headers.get("x-api-key") == key

    page.reload()  # the same tab keeps its key
    expect(page.get_by_label("Agent")).to_be_visible()
    expect(page.get_by_label("API key")).to_have_count(0)

    # A key the emulator no longer accepts: the next answer is 401 and the prompt is back.
    page.evaluate(f"sessionStorage.setItem('{KEY_STORE}', 'revoked-key')")
    expect(page.get_by_label("API key")).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text("not accepted")
    assert page.evaluate(f"sessionStorage.getItem('{KEY_STORE}')") is None
    errors.assert_none()


def test_the_request_journal_and_the_faults_panel(
    emulator_factory: Callable[..., EmulatorServer], open_page: OpenPage
) -> None:
    server = emulator_factory(api_key=None, step_delay=0.02, faults=True)
    with make_client(server) as api:
        create(api, "agent-journal", "Write me down")
        page, errors = open_page(server, "#/requests")

        row = page.locator("tbody tr.clickable", has_text="/agent-execution/agent-journal")
        expect(row).to_have_count(1)
        expect(row).to_contain_text("POST")
        expect(row).to_contain_text("200")
        row.click()
        expect(page.locator("tr.detail").first).to_contain_text("Write me down")
        page.get_by_label("Method").select_option("DELETE")
        expect(row).to_have_count(0)
        page.get_by_label("Method").select_option("")
        expect(row).to_have_count(1)
        page.get_by_role("button", name="Clear journal").click()
        expect(page.get_by_text("No requests recorded.")).to_be_visible()
        assert api.get("/_emulator/requests").json()["requests"] == []

        page.get_by_role("link", name="Faults").click()
        page.get_by_label("Kind").select_option("status")
        page.get_by_label("Status", exact=True).fill("503")
        page.get_by_label("Path").fill("^/agent-execution/agent-faulty")
        page.get_by_label("Count").fill("2")
        page.get_by_role("button", name="Add fault").click()
        active = page.locator("tbody tr")
        expect(active).to_have_count(1)
        expect(active).to_contain_text("503")
        (rule,) = api.get("/_emulator/faults").json()["rules"]
        assert (rule["kind"], rule["status"], rule["count"]) == ("status", 503, 2)
        assert rule["path"] == "^/agent-execution/agent-faulty"

        page.get_by_role("button", name="Clear faults").click()
        expect(page.get_by_text("No active faults")).to_be_visible()
        assert api.get("/_emulator/faults").json()["rules"] == []
    errors.assert_none()


def test_a_cut_event_stream_resumes_without_losing_or_doubling_events(
    emulator_factory: Callable[..., EmulatorServer], open_page: OpenPage
) -> None:
    server = emulator_factory(api_key=None, step_delay=0.02, faults=True)
    with make_client(server) as api:
        task = create(api, "agent-resume", "resume me")
        server.inject("cut_stream", path="/events", after_events=3)  # mid-way through the chunks
        page, errors = open_page(server, f"#/task/{task['id']}")
        errors.allow(r"ERR_INCOMPLETE_CHUNKED_ENCODING|ERR_CONNECTION|ERR_EMPTY_RESPONSE")

        timeline = page.get_by_role("list", name="Events")
        expect(timeline.locator('[data-type="task_finished"]')).to_have_count(1)
        expect(timeline.locator('[data-type="task_created"]')).to_have_count(1)
        expect(page.locator("pre.output")).to_have_text("Emulated answer to: resume me")
        expect(timeline.locator('[data-type="chunk"]')).to_contain_text(streamed(3))
        streams = api.get("/_emulator/requests", params={"path": "/events$"}).json()["requests"]
        assert len(streams) == 2, streams  # cut once, resumed once
        assert server.stats()["faults_injected"]["cut_stream"] == 1
    errors.assert_none()


def test_the_clock_in_the_top_bar_and_advancing_a_manual_one(
    emulator_factory: Callable[..., EmulatorServer], open_page: OpenPage
) -> None:
    server = emulator_factory(api_key=None, clock="manual", step_delay=10)
    with make_client(server) as api:
        task = create(api, "agent-clock", "ten seconds a step")
        start = datetime.fromisoformat(api.get("/_emulator/clock").json()["now"])
    page, errors = open_page(server)
    clock = page.get_by_role("group", name="Clock")
    shown = clock.locator("time")
    expect(clock).to_contain_text("manual clock")
    expect(shown).to_have_attribute("datetime", start.isoformat())
    expect(clock).to_contain_text("1 wait pending")
    badge = page.locator("table.tasks-table tbody tr").nth(0).locator(".badge")
    expect(badge).to_have_text("pending")

    page.get_by_label("Seconds to advance").fill("40")
    page.get_by_role("button", name="Advance").click()
    end = start + timedelta(seconds=40)
    expect(shown).to_have_attribute("datetime", end.isoformat())
    expect(badge).to_have_text("completed")
    expect(clock).not_to_contain_text("pending")
    with make_client(server) as api:
        done = api.get(f"/agent-execution/{task['id']}/status").json()
        assert done["status"] == "completed"
        assert datetime.fromisoformat(done["finished_at"]) == end  # the demo run's four steps

        # A real clock shows its time, with nothing to advance.
        assert api.put("/_emulator/clock", json={"mode": "real"}).status_code == 200
    expect(clock).to_contain_text("real clock")
    expect(page.get_by_role("button", name="Advance")).to_be_hidden()
    errors.assert_none()


SCRIPTED = {
    "agents": [
        {
            "name": "refunds",
            "match": {"agent_id": "billing-*"},
            "steps": [
                {"chunk": "Looking up the invoice. "},
                {
                    "tool_call": {
                        "name": "lookup_invoice",
                        "arguments": {"invoice": "2291"},
                        "result": {"amount": 12.5},
                    }
                },
                {
                    "tool_call": {
                        "name": "charge_card",
                        "arguments": {"amount": -12.5},
                        "result": "card declined",
                        "is_error": True,
                    }
                },
                {"think": {"title": "The refund is allowed", "thought": "Within 30 days"}},
                {"plan": [{"title": "Find invoice", "completed": True}, "Refund"]},
                {"pause": {"wait_node_id": "approve"}},
                {"result": "Refunded 12.50"},
            ],
        }
    ]
}


def test_a_scripted_task_shows_its_rule_and_tool_calls_with_arguments_and_results(
    emulator_factory: Callable[..., EmulatorServer], open_page: OpenPage
) -> None:
    server = emulator_factory(api_key=None, step_delay=0.02, agents=SCRIPTED)
    with make_client(server) as api:
        task = create(api, "billing-eu", "Refund invoice 2291")
        missed = create(api, "sales-eu", "Quote for 10 seats")
    page, errors = open_page(server, f"#/task/{task['id']}")
    badge = page.locator(".task-head .badge")
    expect(badge).to_have_text("paused")
    details = page.locator(".details")
    expect(details).to_contain_text("Ran by")
    expect(details).to_contain_text("Script agents[0] (refunds)")

    timeline = page.get_by_role("list", name="Events")
    calls = timeline.locator('[data-type="tool_call_request"]')
    expect(calls).to_have_count(2)  # one entry per call: its result joins it
    expect(timeline.locator('[data-type="tool_call_result"]')).to_have_count(0)
    lookup, charge = calls.nth(0), calls.nth(1)
    expect(lookup.locator(".tool-name")).to_have_text("lookup_invoice")
    expect(lookup.locator(".tool-arguments")).to_contain_text('"invoice": "2291"')
    expect(lookup.locator(".tool-result")).to_contain_text('"amount": 12.5')
    expect(lookup.locator(".call-state")).to_have_text("done")
    expect(charge.locator(".tool-arguments")).to_contain_text('"amount": -12.5')
    expect(charge.locator(".tool-result")).to_have_text("card declined")
    expect(charge.locator(".call-state")).to_have_text("failed")
    expect(charge).to_have_class(re.compile(r"\bfailed\b"))
    thought = timeline.locator('[data-type="think"]')
    expect(thought).to_contain_text("The refund is allowed")
    expect(thought).to_contain_text("Within 30 days")
    plan = timeline.locator('[data-type="plan_updated"]')
    expect(plan).to_contain_text("1 of 2 done")
    expect(plan.locator("li.done")).to_have_text(re.compile("Find invoice"))
    expect(plan.locator("li.open")).to_have_text(re.compile("Refund"))

    with make_client(server) as api:
        api.patch(f"/agent-execution/{task['id']}/update", json={"status": "executing"})
    expect(badge).to_have_text("completed")
    expect(timeline.locator('[data-type="task_finished"]')).to_contain_text("completed")

    page.goto(f"{server.base_url}/_emulator/ui#/task/{missed['id']}")
    expect(details).to_contain_text("Default agent")
    expect(details).to_contain_text(
        "no rule matched; closest was agents[0] ('refunds'): "
        "agent_id 'sales-eu' does not match 'billing-*'"
    )
    errors.assert_none()


def test_the_page_never_shows_a_secret(
    emulator_factory: Callable[..., EmulatorServer], open_page: OpenPage
) -> None:
    server = emulator_factory(api_key=None, step_delay=0.02)
    with make_client(server) as api:
        task = create(api, "agent-secret", "my inbox", **SECRETS)
        # The API itself answers with the values, as the platform does; the page masks them.
        shown = api.get(f"/agent-execution/{task['id']}/status").json()
        assert shown["user_oidc_token"] == "oidc-SECRET"
    page, errors = open_page(server, f"#/task/{task['id']}")
    timeline = page.get_by_role("list", name="Events")
    # Each task_* event carries the task, secrets and all: the page shows it from there.
    expect(timeline.locator('[data-type="task_finished"]')).to_contain_text("completed")

    page.get_by_text("Task JSON").click()
    raw = page.locator("pre.raw")
    expect(raw).to_be_visible()
    expect(raw).to_contain_text('"user_oidc_token": "***"')
    expect(raw).to_contain_text('"api_key": "***"')
    expect(raw).to_contain_text('"url": "https://mcp.example"')
    assert "SECRET" not in page.content()

    # The same task in the table and in the journal (both from the control API).
    page.get_by_role("link", name="Tasks", exact=True).click()
    expect(page.locator("table.tasks-table tbody tr")).to_contain_text("my inbox")
    assert "SECRET" not in page.content()
    page.get_by_role("link", name="Requests").click()
    row = page.locator("tbody tr.clickable", has_text="/agent-execution/agent-secret")
    row.click()
    detail = row.locator("xpath=following-sibling::tr[1]")  # the row's body
    expect(detail).to_contain_text('"user_tokens": "***"')
    assert "SECRET" not in page.content()
    errors.assert_none()


def test_the_page_masks_as_the_sdk_does(
    emulator_factory: Callable[..., EmulatorServer], open_page: OpenPage
) -> None:
    cases: list[Any] = [
        {"id": "t", **SECRETS, "headers": {"kept": "outside an MCP server"}},
        {"type": "task_created", "data": {"task": {"user_oidc_token": "x", "user_tokens": None}}},
        {"mcp_servers": {"api_key": "x", "nested": {"client_secret": "y", "user_tokens": "z"}}},
        {"mcp_servers": [[{"api_key": "in a list in a list"}], None, 3, {"headers": None}]},
        {"mcp_servers": ["a server that is not an object", {"client_secret": "x"}]},
        [{"user_tokens": [1, 2]}, "user_oidc_token", None, 1.5, True],
        {"__proto__": {"user_tokens": "x"}, "constructor": 1},
        "just a string",
    ]
    server = emulator_factory(api_key=None)
    page, errors = open_page(server)
    expect(page.get_by_label("Agent")).to_be_visible()
    # As JSON text both ways, as the page gets it (a "__proto__" key survives only so).
    in_browser = page.evaluate(
        """async (text) => {
            const { masked } = await import("/_emulator/ui/redact.js");
            const answer = await fetch("/_emulator/info", { headers: { "x-api-key": "k" } });
            const rule = (await answer.json()).secrets;
            return JSON.stringify(JSON.parse(text).map((value) => masked(value, rule)));
        }""",
        json.dumps(cases),
    )
    assert json.loads(in_browser) == [masked(case) for case in cases]
    errors.assert_none()


def test_a_page_on_a_rebound_name_gets_nothing(
    emulator_factory: Callable[..., EmulatorServer], browser: Browser
) -> None:
    # No --api-key: any key works, and only the Host check stands in the way.
    server = emulator_factory(api_key=None, step_delay=0.02)
    with make_client(server) as api:
        create(api, "agent-secret", "my inbox", **SECRETS)
    context = browser.new_context()
    try:
        page = context.new_page()
        # The browser resolves evil.example to 127.0.0.1: to it, the emulator is that site.
        answer = page.goto(f"http://{REBOUND}:{server.port}/_emulator/ui")
        assert answer is not None and answer.status == 400
        assert "header.Host" in page.content()
        stolen = page.evaluate(
            """async () => {
                const out = [];
                for (const path of ["/_emulator/tasks", "/_emulator/state", "/_emulator/info"]) {
                    const answer = await fetch(path, { headers: { "x-api-key": "any" } });
                    out.push([answer.status, await answer.text()]);
                }
                const reset = await fetch("/_emulator/reset", {
                    method: "POST", headers: { "x-api-key": "any" } });
                out.push([reset.status, await reset.text()]);
                return out;
            }"""
        )
        assert [status for status, _ in stolen] == [400, 400, 400, 400]
        assert not any("SECRET" in text or "agent-secret" in text for _, text in stolen)
    finally:
        context.close()
    with make_client(server) as api:  # the reset was refused too
        assert len(api.get("/_emulator/tasks").json()["tasks"]) == 1
