// A task's page: its fields, what ran it, its events as they arrive (tool calls as calls
// with their arguments and results), and Stop while it runs.

import { api, Unauthorized, ApiError } from "./api.js";
import { followEvents } from "./sse.js";
import { masked } from "./redact.js";
import {
  h, fill, statusBadge, timeEl, formatTime, formatDuration, prompt, pretty, shortId,
  RUNNING_STATUSES,
} from "./dom.js";

export function renderTask(root, ctx, taskId) {
  const stop = new AbortController();
  const page = new TaskPage(root, ctx, taskId, stop.signal);
  page.load();
  return () => stop.abort();
}

class TaskPage {
  constructor(root, ctx, taskId, signal) {
    this.root = root;
    this.ctx = ctx;
    this.taskId = taskId;
    this.signal = signal;
    this.task = null;
    this.chunkGroup = null;
    this.run = null; // what ran the task (GET /_emulator/tasks/{id}/run)
    this.calls = new Map(); // request_id -> the tool call's entry, for its result
    // Everything shown comes through here: the API's answers carry the secrets themselves.
    this.mask = (value) => masked(value, ctx.info.secrets);

    this.title = h("h1", { class: "task-title" }, `Task ${shortId(taskId)}`);
    this.badge = h("span", {});
    this.stopButton = h("button", {
      id: "stop-task", type: "button", class: "button danger", hidden: true, onclick: () => this.stopTask(),
    }, "Stop");
    this.output = h("pre", { class: "output", "aria-live": "off" });
    this.outputEmpty = h("p", { class: "muted output-empty" }, "No output yet.");
    this.failure = h("pre", { class: "failure", hidden: true });
    this.timeline = h("ol", { class: "timeline", "aria-label": "Events" });
    this.streamState = h("span", { class: "live" }, "Connecting");
    this.details = h("dl", { class: "details" });
    this.raw = h("pre", { class: "code raw" });

    fill(
      root,
      h("div", { class: "task-head" },
        h("a", { href: "#/", class: "back" }, "← Tasks"),
        h("div", { class: "task-head-row" },
          this.title,
          this.badge,
          h("span", { class: "spacer" }),
          this.stopButton)),
      h("div", { class: "task-grid" },
        h("div", { class: "task-main" },
          h("section", { class: "card", "aria-labelledby": "output-heading" },
            h("div", { class: "card-head" }, h("h2", { id: "output-heading" }, "Output")),
            this.outputEmpty,
            this.output,
            this.failure),
          h("section", { class: "card", "aria-labelledby": "events-heading" },
            h("div", { class: "card-head" },
              h("h2", { id: "events-heading" }, "Events"),
              h("span", { class: "spacer" }),
              this.streamState),
            this.timeline)),
        h("aside", { class: "task-side" },
          h("section", { class: "card", "aria-labelledby": "details-heading" },
            h("div", { class: "card-head" }, h("h2", { id: "details-heading" }, "Details")),
            this.details,
            h("details", { class: "raw-json" }, h("summary", {}, "Task JSON"), this.raw)))),
    );
  }

  async load() {
    try {
      this.show(this.mask(await api.task(this.taskId, { signal: this.signal })));
      await this.loadRun();
    } catch (err) {
      if (this.signal.aborted || err instanceof Unauthorized) return;
      if (err instanceof ApiError && err.status === 404) {
        fill(this.root,
          h("div", { class: "card notice" },
            h("h1", {}, "No such task"),
            h("p", {}, `The emulator has no task ${this.taskId}.`),
            h("a", { href: "#/", class: "button" }, "Back to the tasks")));
        return;
      }
      this.ctx.toast(err.message);
    }
    this.follow();
  }

  async loadRun() {
    try {
      this.run = (await api.taskRun(this.taskId, { signal: this.signal })).run;
    } catch (err) {
      if (this.signal.aborted || err instanceof Unauthorized) return;
      this.run = null;
    }
    if (this.task) fill(this.details, ...detailRows(this.task, this.run));
  }

  async follow() {
    const organization = (this.task && this.task.organization_id) || this.ctx.info.organization_id;
    const states = { live: "Live", reconnecting: "Reconnecting", ended: "Ended" };
    try {
      await followEvents(api.eventsPath(organization, this.taskId), {
        signal: this.signal,
        onEvent: (event) => this.onEvent(this.mask(event)),
        onState: (state) => {
          this.streamState.textContent = states[state] || state;
          this.streamState.classList.toggle("offline", state === "reconnecting");
          this.streamState.classList.toggle("ended", state === "ended");
        },
      });
    } catch (err) {
      if (!this.signal.aborted && !(err instanceof Unauthorized)) {
        this.streamState.textContent = "Stream failed";
        this.streamState.classList.add("offline");
        this.ctx.toast(err.message);
      }
    }
  }

  onEvent(event) {
    const type = String(event.type || "event");
    if (type === "chunk") {
      this.addChunk(event);
      return;
    }
    this.chunkGroup = null;
    if (type.startsWith("task_") && event.data && typeof event.data === "object") {
      const before = this.task ? this.task.status : null;
      this.show(event.data);
      const status = event.data.status;
      if (type === "task_created") {
        this.addEntry(event, "lifecycle", "Created", statusBadge(status));
      } else if (type === "task_finished") {
        this.addEntry(event, "lifecycle", "Finished", statusBadge(status));
        // A run that streamed nothing (a reported task, say) still has its result to show.
        if (!this.output.textContent && event.data.result && status === "completed") {
          this.outputEmpty.hidden = true;
          this.output.textContent = pretty(event.data.result);
        }
      } else if (status !== before) {
        // A create that continues the task may have picked another rule: ask again.
        if (status === "pending" && before) this.loadRun();
        this.addEntry(event, "lifecycle", "Status",
          before ? [statusBadge(before), h("span", { class: "arrow" }, "→"), statusBadge(status)]
            : statusBadge(status));
      } else {
        this.addEntry(event, "lifecycle", "Updated", null);
      }
      return;
    }
    if (type === "tool_call_request" || type === "tool_call_result") {
      this.addToolCall(event, type);
      return;
    }
    if (type === "think" || type === "analyze") {
      const data = event.data && typeof event.data === "object" ? event.data : {};
      const thought = data.payload && typeof data.payload.input === "object" ? data.payload.input : null;
      if (thought) {
        this.addEntry(event, "reasoning", type === "think" ? "Thought" : "Analysis",
          thought.title ? h("span", { class: "thought-title" }, String(thought.title)) : null,
          thoughtBody(thought));
        return;
      }
    }
    if (type === "plan_updated" && event.data && Array.isArray(event.data.tasks)) {
      const done = event.data.tasks.filter((item) => item && item.completed).length;
      this.addEntry(event, "plan", "Plan", h("span", {}, `${done} of ${event.data.tasks.length} done`),
        h("ul", { class: "plan" }, event.data.tasks.map((item) =>
          h("li", { class: item && item.completed ? "done" : "open" },
            h("span", { class: "check", "aria-hidden": "true" }, item && item.completed ? "✓" : "○"),
            h("span", { class: "sr-only" }, item && item.completed ? "done: " : "to do: "),
            String(item && item.title)))));
      return;
    }
    const body = event.data === undefined || event.data === null ? null
      : typeof event.data === "string" ? h("p", { class: "event-text" }, event.data)
        : h("pre", { class: "code" }, pretty(event.data));
    this.addEntry(event, "other", type.replace(/_/g, " "), null, body);
  }

  // One entry per call: its arguments when requested, its result when it comes.
  addToolCall(event, type) {
    const data = event.data && typeof event.data === "object" ? event.data : {};
    const id = data.request_id ? String(data.request_id) : null;
    let call = id ? this.calls.get(id) : null;
    if (!call) {
      const name = data.tool_name || data.operation_id || data.name || "tool";
      const result = h("pre", { class: "code tool-result" }, "…");
      const status = h("span", { class: "muted call-state" }, "running");
      const entry = this.addEntry(event, "tool", "Tool call",
        [h("code", { class: "tool-name" }, String(name)), status],
        h("div", { class: "tool-call" },
          h("div", { class: "tool-part" }, h("span", { class: "tool-part-label" }, "Arguments"),
            h("pre", { class: "code tool-arguments" },
              data.payload === undefined || data.payload === null ? "(none)" : pretty(data.payload))),
          h("div", { class: "tool-part" }, h("span", { class: "tool-part-label" }, "Result"), result)));
      call = { entry, result, status };
      if (id) this.calls.set(id, call);
    }
    if (type === "tool_call_result") {
      const failed = data.is_error === true;
      call.result.textContent = data.result === undefined || data.result === null ? "(none)" : pretty(data.result);
      call.status.textContent = failed ? "failed" : "done";
      call.entry.classList.toggle("failed", failed);
      call.entry.classList.toggle("tool", !failed);
    }
  }

  addChunk(event) {
    const text = typeof event.data === "string" ? event.data : pretty(event.data);
    this.outputEmpty.hidden = true;
    this.output.append(document.createTextNode(text));
    if (!this.chunkGroup) {
      const count = h("span", {}, "");
      this.chunkGroup = { count, n: 0 };
      this.addEntry(event, "chunk", "Output", count);
    }
    this.chunkGroup.n += 1;
    this.chunkGroup.count.textContent =
      `${this.chunkGroup.n} chunk${this.chunkGroup.n === 1 ? "" : "s"} streamed`;
  }

  addEntry(event, kind, label, summary, body = null) {
    const at = event.time ? formatTime(event.time) : "";
    const item = h(
      "li",
      { class: `entry ${kind}`, dataset: { type: String(event.type) } },
      h("span", { class: "entry-time", title: event.time || "" }, at),
      h("div", { class: "entry-main" },
        h("div", { class: "entry-line" }, h("span", { class: "entry-label" }, label), summary),
        body),
    );
    this.timeline.append(item);
    return item;
  }

  show(task) {
    this.task = task;
    const heading = task.title || prompt(task) || `Task ${shortId(task.id)}`;
    this.title.textContent = heading;
    this.title.title = heading;
    document.title = `${shortId(task.id)} · xpander emulator`;
    fill(this.badge, statusBadge(task.status));
    const running = RUNNING_STATUSES.has(task.status);
    if (!running) this.stopButton.disabled = false;
    this.stopButton.hidden = !running;
    this.outputEmpty.textContent = running ? "No output yet." : "No output.";
    this.output.classList.toggle("streaming", task.status === "executing");
    const failed = task.status === "failed" || task.status === "error";
    this.failure.hidden = !(failed && task.result);
    this.failure.textContent = failed && task.result ? pretty(task.result) : "";
    fill(this.details, ...detailRows(task, this.run));
    this.raw.textContent = JSON.stringify(task, null, 2);
  }

  async stopTask() {
    this.stopButton.disabled = true;
    this.stopButton.textContent = "Stopping…";
    try {
      this.show(this.mask(await api.stop(this.taskId)));
    } catch (err) {
      if (!(err instanceof Unauthorized)) this.ctx.toast(err.message);
    } finally {
      this.stopButton.disabled = false;
      this.stopButton.textContent = "Stop";
    }
  }
}

function thoughtBody(thought) {
  const parts = [];
  for (const key of ["thought", "action", "analysis", "result"]) {
    if (thought[key]) parts.push(h("p", { class: "event-text" }, String(thought[key])));
  }
  if (typeof thought.confidence === "number") {
    parts.push(h("p", { class: "muted" }, `confidence ${thought.confidence}`));
  }
  return parts.length ? h("div", {}, parts) : null;
}

/** "Script agents[0] (refunds)", "Python agent agents[1]", "Default agent" and why. */
function runRow(run) {
  if (!run) return null;
  if (run.agent === "default") {
    return h("span", { class: "ran-by" }, "Default agent",
      run.note ? h("span", { class: "muted run-note" }, run.note) : null);
  }
  const kind = run.agent === "script" ? "Script" : "Python agent";
  return h("span", {}, `${kind} `, h("code", {}, `agents[${run.rule}]`),
    run.name ? ` (${run.name})` : "");
}

function detailRows(task, run) {
  const started = task.started_at ? new Date(task.started_at).getTime() : null;
  const finished = task.finished_at ? new Date(task.finished_at).getTime() : null;
  const duration = typeof task.duration === "number" ? task.duration
    : started && finished ? (finished - started) / 1000 : null;
  const rows = [
    ["ID", h("code", { class: "break" }, task.id)],
    ["Agent", task.agent_id],
    ["Ran by", runRow(run)],
    ["Status", statusBadge(task.status)],
    ["Prompt", prompt(task) ? h("span", { class: "prewrap" }, prompt(task)) : null],
    ["Title", task.title],
    ["Created", timeEl(task.created_at)],
    ["Started", task.started_at ? timeEl(task.started_at) : null],
    ["Finished", task.finished_at ? timeEl(task.finished_at) : null],
    ["Duration", duration !== null ? formatDuration(duration) : null],
    ["Source", task.source],
    ["Output format", task.output_format],
    ["Internal status", task.internal_status],
    ["Agent version", task.agent_version],
    ["Organization", task.organization_id],
    ["Parent task", task.parent_execution],
    ["Tools used", Array.isArray(task.used_tools) && task.used_tools.length
      ? task.used_tools.join(", ") : null],
    ["Tokens", task.tokens && typeof task.tokens === "object" && task.tokens.total_tokens != null
      ? String(task.tokens.total_tokens) : null],
  ];
  return rows
    .filter(([, value]) => value !== null && value !== undefined && value !== "")
    .map(([name, value]) => [h("dt", {}, name), h("dd", {}, value)]);
}
