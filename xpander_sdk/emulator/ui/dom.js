// Building the page from data safely: every server string becomes a text node, never HTML.

/**
 * h("a", {href: "#/", class: "x", onclick: fn}, "text", child, [more])
 * Attributes starting with "on" become listeners; null/false attributes and children are skipped.
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith("on") && typeof value === "function") {
      el.addEventListener(name.slice(2), value);
    } else if (name === "dataset") {
      Object.assign(el.dataset, value);
    } else if (value === true) {
      el.setAttribute(name, "");
    } else {
      el.setAttribute(name, String(value));
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

export const FINAL_STATUSES = new Set(["completed", "failed", "error", "stopped"]);
export const RUNNING_STATUSES = new Set(["pending", "executing", "paused"]);

export function statusBadge(status) {
  const name = status || "unknown";
  return h("span", { class: `badge status-${name.replace(/[^a-z_]/g, "")}` }, name);
}

export function httpStatusBadge(status) {
  const family = status >= 500 ? "5xx" : status >= 400 ? "4xx" : status >= 300 ? "3xx" : "2xx";
  return h("span", { class: `badge http-${family}` }, String(status));
}

const timeFormat = new Intl.DateTimeFormat(undefined, {
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
  hour12: false,
});
const dayFormat = new Intl.DateTimeFormat(undefined, { month: "short", day: "numeric" });

/** "14:03:07" today, "Nov 24 14:03:07" on another day; "" for nothing. */
export function formatTime(iso) {
  if (!iso) return "";
  const when = new Date(iso);
  if (Number.isNaN(when.getTime())) return String(iso);
  const today = new Date().toDateString() === when.toDateString();
  return (today ? "" : dayFormat.format(when) + " ") + timeFormat.format(when);
}

/** A <time> element showing formatTime, with the exact instant on hover. */
export function timeEl(iso) {
  if (!iso) return h("span", { class: "muted" }, "—");
  return h("time", { datetime: iso, title: iso }, formatTime(iso));
}

export function formatDuration(seconds) {
  if (seconds === null || seconds === undefined || Number.isNaN(seconds)) return "";
  if (seconds < 1) return `${Math.round(seconds * 1000)} ms`;
  if (seconds < 60) return `${seconds.toFixed(seconds < 10 ? 2 : 1)} s`;
  const minutes = Math.floor(seconds / 60);
  return `${minutes} min ${Math.round(seconds % 60)} s`;
}

/** The latest moment the task changed at, as far as its fields tell. */
export function updatedAt(task) {
  const moments = [task.finished_at, task.paused_at, task.started_at, task.created_at]
    .filter(Boolean)
    .map((iso) => [new Date(iso).getTime(), iso]);
  moments.sort((a, b) => b[0] - a[0]);
  return moments.length ? moments[0][1] : null;
}

export function prompt(task) {
  const text = task && task.input && typeof task.input.text === "string" ? task.input.text : "";
  return text;
}

// The last 8 characters: the emulator's ids (UUIDv7) start with their creation time, so
// their heads are alike and their random tails tell them apart.
export function shortId(id) {
  return String(id).slice(-8);
}

export function pretty(value) {
  return typeof value === "string" ? value : JSON.stringify(value, null, 2);
}

/** Replaces everything inside `el` with `children`. */
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}
