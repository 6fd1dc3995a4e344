// The emulator's HTTP API, as the page uses it: the Tasks API and the /_emulator control API.
//
// The key lives in this tab's sessionStorage and travels only in the x-api-key header,
// never in a URL. An emulator started without --api-key accepts any non-empty key, so
// until the user gives one the page sends a placeholder; a 401 means a real key is needed.

const KEY_STORE = "xpander-emulator.api-key";
const PLACEHOLDER_KEY = "emulator-ui";

export class Unauthorized extends Error {
  constructor() {
    super("The emulator wants its API key");
    this.name = "Unauthorized";
  }
}

/** A non-2xx answer; `message` is the server's own `detail` when it sent one. */
export class ApiError extends Error {
  constructor(status, body) {
    super(describeError(status, body));
    this.name = "ApiError";
    this.status = status;
    this.body = body;
  }
}

function describeError(status, body) {
  if (body && typeof body === "object" && typeof body.detail === "string") {
    const fields = Array.isArray(body.errors)
      ? body.errors.map((e) => `${e.field}: ${e.reason}`).join("; ")
      : "";
    return fields ? `${body.detail} (${fields})` : body.detail;
  }
  if (typeof body === "string" && body.trim()) return `${status}: ${body.trim().slice(0, 200)}`;
  return `The emulator answered ${status}`;
}

let unauthorizedHandler = () => {};

/** Called whenever an answer is 401 (the page shows the key prompt). */
export function onUnauthorized(handler) {
  unauthorizedHandler = handler;
}

export function storedKey() {
  return sessionStorage.getItem(KEY_STORE);
}

export function saveKey(key) {
  sessionStorage.setItem(KEY_STORE, key);
}

export function forgetKey() {
  sessionStorage.removeItem(KEY_STORE);
}

export function authHeaders(key = storedKey()) {
  return { "x-api-key": key || PLACEHOLDER_KEY };
}

/** Parsed JSON (or text) of an answer; throws Unauthorized or ApiError for non-2xx. */
export async function request(method, path, { body, signal, key } = {}) {
  const headers = authHeaders(key);
  const init = { method, headers, signal, cache: "no-store" };
  if (body !== undefined) {
    headers["content-type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  const response = await fetch(path, init);
  const text = await response.text();
  let data = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = text;
    }
  }
  if (response.status === 401) {
    if (key === undefined) unauthorizedHandler();
    throw new Unauthorized();
  }
  if (!response.ok) throw new ApiError(response.status, data);
  return data;
}

const enc = encodeURIComponent;

function query(params) {
  const pairs = Object.entries(params).filter(([, v]) => v !== undefined && v !== null && v !== "");
  return pairs.length ? "?" + new URLSearchParams(pairs).toString() : "";
}

export const api = {
  /** Checks `key` without storing it: the info document, or Unauthorized. */
  infoWithKey: (key) => request("GET", "/_emulator/info", { key }),
  info: (opts) => request("GET", "/_emulator/info", opts),
  tasks: (limit, opts) => request("GET", "/_emulator/tasks" + query({ limit }), opts),
  task: (id, opts) => request("GET", `/agent-execution/${enc(id)}/status`, opts),
  /** What ran the task: `{task_id, run: {agent, rule, name, note} | null}`. */
  taskRun: (id, opts) => request("GET", `/_emulator/tasks/${enc(id)}/run`, opts),
  create: (agentId, prompt) =>
    request("POST", `/agent-execution/${enc(agentId)}`, {
      body: { input: { text: prompt }, events_streaming: true },
    }),
  stop: (id) => request("DELETE", `/agent-execution/${enc(id)}`),
  requests: (filters, opts) => request("GET", "/_emulator/requests" + query(filters), opts),
  clearRequests: () => request("DELETE", "/_emulator/requests"),
  faults: (opts) => request("GET", "/_emulator/faults", opts),
  addFault: (rule) => request("POST", "/_emulator/faults", { body: rule }),
  clearFaults: () => request("DELETE", "/_emulator/faults"),
  clock: (opts) => request("GET", "/_emulator/clock", opts),
  advanceClock: (seconds) => request("POST", "/_emulator/clock/advance", { body: { seconds } }),
  eventsPath: (organizationId, taskId) =>
    `/${enc(organizationId)}/agent-execution/${enc(taskId)}/events`,
};

/**
 * Calls `load()` now and then every `ms` until `signal` aborts, skipping while the tab is
 * hidden. `onError(error)` hears failures (a 401 stops the loop: the key prompt takes over).
 */
export function every(ms, signal, load, onError = () => {}) {
  let timer = null;
  async function tick() {
    if (signal.aborted) return;
    if (!document.hidden) {
      try {
        await load();
      } catch (error) {
        if (signal.aborted || error.name === "AbortError") return;
        if (error instanceof Unauthorized) return;
        onError(error);
      }
    }
    if (!signal.aborted) timer = setTimeout(tick, ms);
  }
  signal.addEventListener("abort", () => clearTimeout(timer), { once: true });
  tick();
}
