// The page's shell: asks for the key when the emulator wants one, then routes
// #/ (tasks), #/task/<id>, #/requests and #/faults to their views.

import { api, onUnauthorized, saveKey, forgetKey, storedKey, Unauthorized } from "./api.js";
import { h, fill } from "./dom.js";
import { renderTasks } from "./tasks.js";
import { renderTask } from "./task.js";
import { renderRequests } from "./requests.js";
import { renderFaults } from "./faults.js";
import { renderClock } from "./clock.js";

const view = document.getElementById("view");
const nav = document.querySelector(".nav");
const serverInfo = document.getElementById("server-info");
const forgetButton = document.getElementById("forget-key");
const clockEl = document.getElementById("clock");
const toastEl = document.getElementById("toast");

let info = null;
let leaveView = () => {};
let leaveClock = () => {};
let toastTimer = null;

function toast(message, kind = "error") {
  toastEl.textContent = message;
  toastEl.className = `toast ${kind}`;
  toastEl.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => (toastEl.hidden = true), 6000);
}

function navigate(hash) {
  if (location.hash === hash) route();
  else location.hash = hash;
}

const context = { toast, navigate, get info() { return info; } };

function route() {
  if (!info) return;
  leaveView();
  leaveView = () => {};
  document.title = "xpander emulator";
  const hash = location.hash.replace(/^#/, "") || "/";
  const task = hash.match(/^\/task\/(.+)$/);
  let name = "tasks";
  if (task) {
    leaveView = renderTask(view, context, decodeURIComponent(task[1]));
  } else if (hash === "/requests") {
    name = "requests";
    leaveView = renderRequests(view, context);
  } else if (hash === "/faults") {
    name = "faults";
    leaveView = renderFaults(view, context);
  } else {
    leaveView = renderTasks(view, context);
  }
  for (const link of nav.querySelectorAll("a")) {
    link.classList.toggle("active", link.dataset.route === name);
    if (link.dataset.route === name) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
}

function showShell() {
  nav.hidden = false;
  nav.querySelector('[data-route="faults"]').hidden = !info.faults_enabled;
  forgetButton.hidden = !info.auth_required;
  leaveClock();
  leaveClock = renderClock(clockEl, context);
  fill(
    serverInfo,
    h("span", { class: "server-org", title: "organization_id" }, info.organization_id),
    info.version ? h("span", { class: "muted" }, ` · v${info.version}`) : null,
  );
}

function hideShell() {
  leaveClock();
  leaveClock = () => {};
  nav.hidden = true;
  forgetButton.hidden = true;
  serverInfo.replaceChildren();
}

/** The key prompt; `rejected` says a key was given and refused. */
function askForKey(rejected) {
  // Several requests in flight may each meet the 401: one prompt is enough.
  if (document.getElementById("api-key")) return;
  leaveView();
  leaveView = () => {};
  info = null;
  hideShell();
  const input = h("input", {
    id: "api-key",
    name: "api-key",
    type: "password",
    autocomplete: "off",
    required: true,
    spellcheck: "false",
  });
  const error = h("p", { class: "form-error", role: "alert" },
    rejected ? "That key was not accepted. Check the --api-key the emulator was started with." : "");
  const button = h("button", { type: "submit", class: "button primary" }, "Continue");
  const form = h(
    "form",
    { class: "card key-card", onsubmit: (event) => submit(event) },
    h("h1", {}, "API key required"),
    h("p", { class: "muted" },
      "This emulator was started with --api-key. Enter that key to continue: it is kept in this tab only and sent as the x-api-key header."),
    h("div", { class: "field" }, h("label", { for: "api-key" }, "API key"), input),
    error,
    h("div", { class: "actions" }, button),
  );

  async function submit(event) {
    event.preventDefault();
    const key = input.value.trim();
    if (!key) return;
    button.disabled = true;
    try {
      const answer = await api.infoWithKey(key);
      saveKey(key);
      start(answer);
    } catch (err) {
      error.textContent = err instanceof Unauthorized
        ? "That key was not accepted."
        : `Could not reach the emulator: ${err.message}`;
      button.disabled = false;
      input.select();
    }
  }

  fill(view, h("div", { class: "key-page" }, form));
  input.focus();
}

function start(answer) {
  info = answer;
  showShell();
  route();
}

async function boot() {
  try {
    start(await api.info());
  } catch (err) {
    if (err instanceof Unauthorized) return; // the prompt is up already
    fill(view, h("div", { class: "card notice" },
      h("h1", {}, "Cannot reach the emulator"),
      h("p", {}, err.message),
      h("button", { type: "button", class: "button", onclick: boot }, "Try again")));
  }
}

onUnauthorized(() => {
  const hadKey = storedKey() !== null;
  forgetKey();
  askForKey(hadKey);
});

forgetButton.addEventListener("click", () => {
  forgetKey();
  askForKey(false);
});

window.addEventListener("hashchange", route);
boot();
