// Reading a task's event stream with fetch(), since EventSource cannot send x-api-key.
//
// The parser follows the SSE rules the emulator relies on: blocks end at a blank line,
// `data:` lines join with "\n", `id:` sets the id to resume from, `:` lines are comments.

import { authHeaders, Unauthorized, ApiError } from "./api.js";

/** Feeds text in; calls `onBlock({id, event, data})` for each complete event block. */
export class SSEParser {
  constructor(onBlock) {
    this.onBlock = onBlock;
    this.buffer = "";
    this.reset();
  }

  reset() {
    this.data = [];
    this.id = null;
    this.event = null;
  }

  feed(text) {
    this.buffer += text;
    let newline;
    while ((newline = this.buffer.search(/\r\n|\r|\n/)) !== -1) {
      const width = this.buffer.startsWith("\r\n", newline) ? 2 : 1;
      // A lone "\r" at the end may be the first half of "\r\n": wait for more.
      if (this.buffer[newline] === "\r" && width === 1 && newline === this.buffer.length - 1) break;
      const line = this.buffer.slice(0, newline);
      this.buffer = this.buffer.slice(newline + width);
      this.line(line);
    }
  }

  line(line) {
    if (line === "") {
      if (this.data.length) {
        this.onBlock({ id: this.id, event: this.event, data: this.data.join("\n") });
      }
      this.reset();
      return;
    }
    if (line.startsWith(":")) return;
    const colon = line.indexOf(":");
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (field === "data") this.data.push(value);
    else if (field === "id") this.id = value;
    else if (field === "event") this.event = value;
  }
}

/**
 * Follows a task's events until `task_finished` or `signal` aborts, resuming with
 * Last-Event-ID after a dropped connection. `onEvent(event)` gets each parsed event once;
 * `onState(text)` hears "live", "reconnecting" and "ended".
 */
export async function followEvents(path, { signal, onEvent, onState = () => {} }) {
  let lastId = null;
  let delay = 500;
  while (!signal.aborted) {
    let finished = false;
    try {
      const headers = { ...authHeaders(), accept: "text/event-stream" };
      if (lastId !== null) headers["last-event-id"] = lastId;
      const response = await fetch(path, { headers, signal, cache: "no-store" });
      if (response.status === 401) throw new Unauthorized();
      if (!response.ok) throw new ApiError(response.status, await response.text());
      onState("live");
      delay = 500;
      const parser = new SSEParser((block) => {
        if (block.id !== null) lastId = block.id;
        let event;
        try {
          event = JSON.parse(block.data);
        } catch {
          return; // not an event this page knows how to show
        }
        onEvent(event);
        if (event.type === "task_finished") finished = true;
      });
      const reader = response.body.getReader();
      const decoder = new TextDecoder();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        parser.feed(decoder.decode(value, { stream: true }));
        if (finished) {
          reader.cancel().catch(() => {});
          break;
        }
      }
    } catch (error) {
      if (signal.aborted) return;
      if (error instanceof Unauthorized || (error instanceof ApiError && error.status < 500)) {
        throw error;
      }
    }
    if (finished) {
      onState("ended");
      return;
    }
    if (signal.aborted) return;
    onState("reconnecting");
    await sleep(delay, signal);
    delay = Math.min(delay * 2, 5000);
  }
}

function sleep(ms, signal) {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });
}
