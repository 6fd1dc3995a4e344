"""The emulator's web page (/_emulator/ui) in a real browser: Debian's chromium, headless,
driven by Playwright. Each test starts its own emulator on loopback and reads the page as a
person would (labels, roles, visible text), then checks the API agrees."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

import pytest
from browser_helpers import ScriptErrors, launch, require_browser
from emulator_helpers import create, make_client

from xpander_sdk.emulator import EmulatorServer

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

try:
    from playwright.sync_api import expect
except ImportError:  # require_browser() skips (or fails, under CI) with the reason
    expect = None

KEY_STORE = "xpander-emulator.api-key"
OpenPage = Callable[..., "tuple[Page, ScriptErrors]"]


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    require_browser()
    from playwright.sync_api import sync_playwright

    expect.set_options(timeout=15_000)  # a deadline for each wait, on a busy 2-core machine
    with sync_playwright() as playwright:
        browser = launch(playwright)
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
