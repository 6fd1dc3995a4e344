// The tasks view: the create form and the live table of tasks, newest first.

import { api, every, Unauthorized } from "./api.js";
import { h, fill, statusBadge, timeEl, updatedAt, prompt, shortId } from "./dom.js";

const LIMIT = 200;
const POLL_MS = 1000;
const AGENT_STORE = "xpander-emulator.agent";

export function renderTasks(root, ctx) {
  const stop = new AbortController();
  const rows = h("tbody", {});
  const count = h("span", { class: "muted" }, "");
  const live = h("span", { class: "live", title: "The table follows the emulator every second" }, "Live");
  const empty = h("div", { class: "empty" });
  const table = h(
    "table",
    { class: "table tasks-table", hidden: true },
    h("thead", {}, h("tr", {},
      h("th", { scope: "col" }, "Task"),
      h("th", { scope: "col" }, "Agent"),
      h("th", { scope: "col", class: "wide" }, "Title or prompt"),
      h("th", { scope: "col" }, "Status"),
      h("th", { scope: "col" }, "Created"),
      h("th", { scope: "col" }, "Updated"))),
    rows,
  );
  fill(
    root,
    createForm(ctx),
    h("section", { class: "card", "aria-labelledby": "tasks-heading" },
      h("div", { class: "card-head" },
        h("h2", { id: "tasks-heading" }, "Tasks"), count, h("span", { class: "spacer" }), live),
      table,
      empty),
  );

  let first = true;
  every(POLL_MS, stop.signal, async () => {
    const answer = await api.tasks(LIMIT, { signal: stop.signal });
    const tasks = answer.tasks || [];
    live.classList.remove("offline");
    live.textContent = "Live";
    count.textContent = tasks.length >= LIMIT ? `latest ${LIMIT}` : `${tasks.length}`;
    table.hidden = tasks.length === 0;
    empty.hidden = tasks.length !== 0;
    if (!tasks.length) fill(empty, emptyState(ctx.info));
    updateRows(rows, tasks, !first);
    first = false;
  }, () => {
    live.classList.add("offline");
    live.textContent = "Reconnecting";
  });
  return () => stop.abort();
}

function createForm(ctx) {
  const agent = h("input", {
    id: "create-agent", name: "agent", required: true, autocomplete: "off", spellcheck: "false",
    value: sessionStorage.getItem(AGENT_STORE) || "demo-agent",
  });
  const text = h("textarea", {
    id: "create-prompt", name: "prompt", rows: 2,
    placeholder: "What should the agent do?",
    onkeydown: (event) => {
      if (event.key === "Enter" && (event.metaKey || event.ctrlKey)) form.requestSubmit();
    },
  });
  const button = h("button", { type: "submit", class: "button primary" }, "Create");
  const error = h("p", { class: "form-error", role: "alert" });
  const form = h(
    "form",
    { class: "card create-form", "aria-labelledby": "create-heading", onsubmit: submit },
    h("h2", { id: "create-heading", class: "visually-hidden" }, "Create a task"),
    h("div", { class: "field agent-field" }, h("label", { for: "create-agent" }, "Agent"), agent),
    h("div", { class: "field prompt-field" }, h("label", { for: "create-prompt" }, "Prompt"), text),
    h("div", { class: "field submit-field" }, button),
    error,
  );

  async function submit(event) {
    event.preventDefault();
    const agentId = agent.value.trim();
    if (!agentId) {
      error.textContent = "Name the agent to run.";
      agent.focus();
      return;
    }
    button.disabled = true;
    error.textContent = "";
    try {
      const task = await api.create(agentId, text.value);
      sessionStorage.setItem(AGENT_STORE, agentId);
      ctx.navigate(`#/task/${encodeURIComponent(task.id)}`);
    } catch (err) {
      if (!(err instanceof Unauthorized)) error.textContent = err.message;
      button.disabled = false;
    }
  }
  return form;
}

function emptyState(info) {
  const origin = location.origin;
  return [
    h("p", {}, "No tasks yet. Create one above, or point the SDK at this emulator:"),
    // The key itself is never written into the page: only a hint of what to put there.
    h("pre", { class: "code" }, [
      `XPANDER_BASE_URL=${origin}`,
      `XPANDER_API_KEY=${info && info.auth_required ? "<the emulator's --api-key>" : "any-key"}`,
      `XPANDER_ORGANIZATION_ID=${info ? info.organization_id : ""}`,
    ].join("\n")),
  ];
}

/** Keeps one row per task, rebuilding only those that changed, in the answer's order. */
function updateRows(tbody, tasks, highlight) {
  const existing = new Map([...tbody.children].map((tr) => [tr.dataset.id, tr]));
  const wanted = new Set();
  tasks.forEach((task, index) => {
    wanted.add(task.id);
    const signature = JSON.stringify([task.status, task.title, prompt(task), updatedAt(task), task.agent_id]);
    let tr = existing.get(task.id);
    if (!tr || tr.dataset.signature !== signature) {
      const fresh = taskRow(task, signature);
      if (tr) tr.replaceWith(fresh);
      else if (highlight) fresh.classList.add("fresh");
      tr = fresh;
    }
    const at = tbody.children[index];
    if (at !== tr) tbody.insertBefore(tr, at || null);
  });
  for (const [id, tr] of existing) if (!wanted.has(id)) tr.remove();
}

function taskRow(task, signature) {
  const href = `#/task/${encodeURIComponent(task.id)}`;
  const title = task.title || prompt(task);
  return h(
    "tr",
    {
      dataset: { id: task.id, signature },
      class: "clickable",
      onclick: (event) => {
        if (!event.target.closest("a") && !window.getSelection().toString()) location.hash = href;
      },
    },
    h("td", { class: "mono" }, h("a", { href, title: task.id }, shortId(task.id))),
    h("td", { class: "agent" }, task.agent_id),
    h("td", { class: "wide ellipsis", title }, title || h("span", { class: "muted" }, "(no prompt)")),
    h("td", {}, statusBadge(task.status)),
    h("td", { class: "time" }, timeEl(task.created_at)),
    h("td", { class: "time" }, timeEl(updatedAt(task))),
  );
}
