// The request journal: what reached the emulator, newest first, with each request's body.

import { api, every, Unauthorized } from "./api.js";
import { h, fill, httpStatusBadge, timeEl, pretty } from "./dom.js";

const POLL_MS = 1500;
const LIMIT = 500;
const METHODS = ["", "GET", "POST", "PATCH", "PUT", "DELETE"];

export function renderRequests(root, ctx) {
  const stop = new AbortController();
  const method = h("select", { id: "journal-method", name: "method" },
    METHODS.map((m) => h("option", { value: m }, m || "Any")));
  const path = h("input", {
    id: "journal-path", name: "path", placeholder: "regular expression (RE2), e.g. ^/agent-execution",
    autocomplete: "off", spellcheck: "false",
  });
  const error = h("p", { class: "form-error", role: "alert" });
  const live = h("span", { class: "live" }, "Live");
  const rows = h("tbody", {});
  const empty = h("p", { class: "empty" }, "No requests recorded.");
  const table = h("table", { class: "table journal-table" },
    h("thead", {}, h("tr", {},
      h("th", { scope: "col" }, "Time"),
      h("th", { scope: "col" }, "Method"),
      h("th", { scope: "col", class: "wide" }, "Path"),
      h("th", { scope: "col" }, "Status"),
      h("th", { scope: "col", class: "num" }, "Duration"),
      h("th", { scope: "col" }, "Request id"))),
    rows);
  const clear = h("button", {
    type: "button", class: "button", onclick: async () => {
      try {
        await api.clearRequests();
        await refresh();
        ctx.toast("Journal cleared", "info");
      } catch (err) {
        if (!(err instanceof Unauthorized)) ctx.toast(err.message);
      }
    },
  }, "Clear journal");
  const open = new Set();

  fill(root, h("section", { class: "card", "aria-labelledby": "journal-heading" },
    h("div", { class: "card-head" },
      h("h2", { id: "journal-heading" }, "Requests"),
      h("span", { class: "muted" }, "what reached the API, newest first; click a row for its body"),
      h("span", { class: "spacer" }), live),
    h("form", { class: "toolbar", onsubmit: (e) => { e.preventDefault(); refresh(); } },
      h("div", { class: "field" }, h("label", { for: "journal-method" }, "Method"), method),
      h("div", { class: "field grow" }, h("label", { for: "journal-path" }, "Path"), path),
      h("span", { class: "spacer" }),
      clear),
    error, table, empty));

  method.addEventListener("change", () => refresh());
  let typing = null;
  path.addEventListener("input", () => {
    clearTimeout(typing);
    typing = setTimeout(refresh, 300);
  });

  async function refresh() {
    let answer;
    try {
      answer = await api.requests(
        { method: method.value, path: path.value.trim(), limit: LIMIT }, { signal: stop.signal });
      error.textContent = "";
    } catch (err) {
      if (err.name === "AbortError" || err instanceof Unauthorized) throw err;
      if (err.status >= 400 && err.status < 500) {
        error.textContent = err.message; // a filter the emulator refused, e.g. a bad regex
        return;
      }
      throw err;
    }
    const entries = (answer.requests || []).slice().reverse();
    table.hidden = entries.length === 0;
    empty.hidden = entries.length !== 0;
    rows.replaceChildren(...entries.flatMap((entry, i) => requestRows(entry, i, open)));
    live.classList.remove("offline");
    live.textContent = "Live";
  }

  every(POLL_MS, stop.signal, refresh, () => {
    live.classList.add("offline");
    live.textContent = "Reconnecting";
  });
  return () => stop.abort();
}

function requestRows(entry, index, open) {
  const key = entry.request_id || `${entry.time}|${entry.method}|${entry.path}|${index}`;
  const hasBody = entry.body !== null && entry.body !== undefined && entry.body !== "";
  const detail = h("tr", { class: "detail", hidden: !open.has(key) },
    h("td", { colspan: 6 }, h("pre", { class: "code" }, hasBody ? pretty(entry.body) : "(no body)")));
  const target = entry.query ? `${entry.path}?${entry.query}` : entry.path;
  const row = h("tr", {
    class: "clickable",
    "aria-expanded": String(open.has(key)),
    title: "Show the body",
    onclick: () => {
      const shown = detail.hidden;
      detail.hidden = !shown;
      row.setAttribute("aria-expanded", String(shown));
      if (shown) open.add(key);
      else open.delete(key);
    },
  },
  h("td", { class: "time" }, timeEl(entry.time)),
  h("td", {}, h("span", { class: `method method-${String(entry.method).toLowerCase()}` }, entry.method)),
  h("td", { class: "wide mono ellipsis", title: target }, target),
  h("td", {}, entry.status != null ? httpStatusBadge(entry.status) : "—"),
  h("td", { class: "num" }, entry.duration_ms != null ? `${Number(entry.duration_ms).toFixed(1)} ms`
    : entry.status != null ? h("span", { class: "muted", title: "still answering (an event stream)" }, "open") : ""),
  h("td", { class: "mono muted", title: entry.request_id || "" }, entry.request_id || ""));
  return [row, detail];
}
