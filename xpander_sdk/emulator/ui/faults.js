// Faults on demand (emulator started with --faults): add a rule, see the active ones, clear.

import { api, every, Unauthorized } from "./api.js";
import { h, fill } from "./dom.js";

const POLL_MS = 2000;

// What each kind does, and which of its own fields it takes (see faults.py).
const KINDS = {
  status: { help: "Answer an HTTP error at once; the request is not processed.", fields: ["status", "retry_after"] },
  delay: { help: "Hold matching answers back for some seconds.", fields: ["seconds"] },
  drop: { help: "Close the connection before the request is processed.", fields: [] },
  drop_after: { help: "Process the request, then close the connection instead of answering.", fields: [] },
  cut_stream: { help: "Cut an event stream after some events; clients resume with Last-Event-ID.", fields: ["after_events"] },
  slow_stream: { help: "Space out the events of matching streams.", fields: ["seconds"] },
};

export function renderFaults(root, ctx) {
  if (!ctx.info.faults_enabled) {
    fill(root, h("div", { class: "card notice" },
      h("h1", {}, "Faults are off"),
      h("p", {}, "Start the emulator with --faults to inject errors, drops and delays.")));
    return () => {};
  }
  const stop = new AbortController();
  const input = (id, attrs = {}) => h("input", { id, name: id, autocomplete: "off", ...attrs });
  const f = {
    kind: h("select", { id: "fault-kind", name: "kind" },
      Object.keys(KINDS).map((k) => h("option", { value: k }, k))),
    status: input("fault-status", { type: "number", min: 400, max: 599, value: 503 }),
    retry_after: input("fault-retry-after", { placeholder: "seconds" }),
    seconds: input("fault-seconds", { type: "number", min: 0, step: "any", value: 1 }),
    after_events: input("fault-after-events", { type: "number", min: 0, value: 1 }),
    method: h("select", { id: "fault-method", name: "method" },
      ["", "GET", "POST", "PATCH", "DELETE"].map((m) => h("option", { value: m }, m || "Any"))),
    path: input("fault-path", { placeholder: "regular expression", spellcheck: "false" }),
    count: input("fault-count", { type: "number", min: 1, value: 1 }),
    rate: input("fault-rate", { type: "number", min: 0, max: 1, step: "any", placeholder: "0.2" }),
  };
  const labelled = (name, label, el, extra = "") =>
    h("div", { class: `field ${extra}`, dataset: { field: name } }, h("label", { for: el.id }, label), el);
  const help = h("p", { class: "muted kind-help" });
  const preview = h("code", { class: "preview" });
  const error = h("p", { class: "form-error", role: "alert" });
  const rules = h("tbody", {});
  const none = h("p", { class: "empty" }, "No active faults: every request is answered normally.");
  const table = h("table", { class: "table faults-table" },
    h("thead", {}, h("tr", {},
      h("th", { scope: "col" }, "Kind"),
      h("th", { scope: "col", class: "wide" }, "Matches"),
      h("th", { scope: "col" }, "Left"),
      h("th", { scope: "col" }, "Rule id"))),
    rules);

  const form = h("form", { class: "fault-form", onsubmit: add },
    h("div", { class: "fault-grid" },
      labelled("kind", "Kind", f.kind),
      labelled("status", "Status", f.status),
      labelled("retry_after", "Retry-After", f.retry_after),
      labelled("seconds", "Seconds", f.seconds),
      labelled("after_events", "After events", f.after_events),
      labelled("method", "Method", f.method),
      labelled("path", "Path", f.path, "grow"),
      labelled("count", "Count", f.count),
      labelled("rate", "Rate", f.rate)),
    help,
    h("div", { class: "preview-row" }, h("span", { class: "muted" }, "POST /_emulator/faults"), preview),
    error,
    h("div", { class: "actions" }, h("button", { type: "submit", class: "button primary" }, "Add fault")));

  fill(root,
    h("section", { class: "card", "aria-labelledby": "fault-heading" },
      h("div", { class: "card-head" }, h("h2", { id: "fault-heading" }, "Add a fault")),
      form),
    h("section", { class: "card", "aria-labelledby": "active-heading" },
      h("div", { class: "card-head" },
        h("h2", { id: "active-heading" }, "Active faults"),
        h("span", { class: "spacer" }),
        h("button", { type: "button", class: "button", onclick: clearAll }, "Clear faults")),
      table, none));

  function rule() {
    const kind = f.kind.value;
    const out = { kind };
    const own = KINDS[kind].fields;
    if (own.includes("status")) out.status = Number(f.status.value);
    if (own.includes("retry_after") && f.retry_after.value.trim()) out.retry_after = f.retry_after.value.trim();
    if (own.includes("seconds")) out.seconds = Number(f.seconds.value);
    if (own.includes("after_events")) out.after_events = Number(f.after_events.value);
    if (f.method.value) out.method = f.method.value;
    if (f.path.value.trim()) out.path = f.path.value.trim();
    if (f.rate.value.trim()) out.rate = Number(f.rate.value);
    else if (f.count.value.trim()) out.count = Number(f.count.value);
    return out;
  }

  function sync() {
    const own = KINDS[f.kind.value].fields;
    for (const el of form.querySelectorAll("[data-field]")) {
      const name = el.dataset.field;
      if (["status", "retry_after", "seconds", "after_events"].includes(name)) el.hidden = !own.includes(name);
    }
    f.count.disabled = Boolean(f.rate.value.trim());
    help.textContent = KINDS[f.kind.value].help;
    preview.textContent = JSON.stringify(rule());
  }
  form.addEventListener("input", sync);
  form.addEventListener("change", sync);
  sync();

  async function add(event) {
    event.preventDefault();
    error.textContent = "";
    try {
      await api.addFault(rule());
      ctx.toast(`Fault added: ${f.kind.value}`, "info");
      await refresh();
    } catch (err) {
      if (!(err instanceof Unauthorized)) error.textContent = err.message;
    }
  }

  async function clearAll() {
    try {
      await api.clearFaults();
      await refresh();
      ctx.toast("Faults cleared", "info");
    } catch (err) {
      if (!(err instanceof Unauthorized)) ctx.toast(err.message);
    }
  }

  async function refresh() {
    const answer = await api.faults({ signal: stop.signal });
    const list = Array.isArray(answer) ? answer : answer.faults || answer.rules || [];
    table.hidden = list.length === 0;
    none.hidden = list.length !== 0;
    rules.replaceChildren(...list.map(ruleRow));
  }

  every(POLL_MS, stop.signal, refresh, (err) => ctx.toast(err.message));
  return () => stop.abort();
}

function ruleRow(r) {
  const matches = [
    r.method || "any method",
    r.path ? `path ~ ${r.path}` : "any path",
    r.status ? `→ ${r.status}` : null,
    r.seconds != null && (r.kind === "delay" || r.kind === "slow_stream") ? `${r.seconds} s` : null,
    r.kind === "cut_stream" ? `after ${r.after_events} event${r.after_events === 1 ? "" : "s"}` : null,
  ].filter(Boolean).join(" · ");
  const left = r.rate != null ? `${Math.round(r.rate * 100)}% of requests` : r.count != null ? String(r.count) : "∞";
  return h("tr", {},
    h("td", {}, h("span", { class: "badge kind" }, r.kind)),
    h("td", { class: "wide" }, matches),
    h("td", {}, left),
    h("td", { class: "mono muted" }, r.id || ""));
}
