// The emulator's clock in the top bar: its mode, its time and the waits pending; on a
// manual clock, an Advance control. (GET /_emulator/clock, POST /_emulator/clock/advance.)

import { api, every } from "./api.js";
import { h, fill, formatTime } from "./dom.js";

const POLL_MS = 1000;
const MODES = {
  real: "The wall clock.",
  manual: "Time moves only when advanced: waits of runs end when the clock reaches them.",
  auto: "Jumps to the next wait's end whenever nothing is working.",
};

/** Shows the clock in `root` until the function it returns is called. */
export function renderClock(root, ctx) {
  const stop = new AbortController();
  const mode = h("span", { class: "clock-mode" });
  const time = h("time", { class: "clock-time" });
  const pending = h("span", { class: "clock-pending muted" });
  const seconds = h("input", {
    id: "advance-seconds", name: "seconds", type: "number", min: 0, step: "any", value: 60,
    required: true, "aria-label": "Seconds to advance",
  });
  const button = h("button", { type: "submit", class: "button small" }, "Advance");
  const form = h("form", { class: "clock-advance", hidden: true, onsubmit: advance },
    seconds, h("span", { class: "muted", "aria-hidden": "true" }, "s"), button);
  fill(root, h("span", { class: "clock-face" }, mode, time, pending), form);
  root.hidden = false;

  function show(clock) {
    mode.textContent = `${clock.mode} clock`;
    mode.title = MODES[clock.mode] || "";
    mode.className = `badge clock-mode clock-${clock.mode}`;
    time.dateTime = clock.now;
    time.title = clock.now;
    time.textContent = formatTime(clock.now);
    const count = clock.pending.length;
    pending.textContent = count ? `${count} ${count === 1 ? "wait" : "waits"} pending` : "";
    pending.title = clock.pending.map((p) => `${p.task_id || "latency fault"}: ${p.due}`).join("\n");
    form.hidden = clock.mode !== "manual";
  }

  async function advance(event) {
    event.preventDefault();
    button.disabled = true;
    try {
      // The answer comes once every step that fell due is stored and streamed.
      show(await api.advanceClock(Number(seconds.value)));
    } catch (error) {
      ctx.toast(error.message);
    } finally {
      button.disabled = false;
    }
  }

  every(POLL_MS, stop.signal, async () => show(await api.clock({ signal: stop.signal })));
  return () => {
    stop.abort();
    root.hidden = true;
    root.replaceChildren();
  };
}
