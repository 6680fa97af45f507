"use strict";
// The demo pages' script. CONFIG (set by the page) holds the three
// origins: api, client and denied.

// probe fetches and reports what this page may see: whether the browser let
// it read the answer and, if so, the status, the body and the headers it can
// read. A CORS refusal is a TypeError with no detail, on purpose: the
// details are in the browser's console and in the server's log.
async function probe(url, init) {
  try {
    const r = await fetch(url, init);
    if (r.type === "opaque") return {ok: true, opaque: true, status: 0, statusText: "", body: "", headers: [], get: () => null};
    const body = await r.text();
    const headers = [];
    r.headers.forEach((v, k) => headers.push([k, v]));
    return {ok: true, status: r.status, statusText: r.statusText, body, headers,
            get: name => r.headers.get(name)};
  } catch (e) {
    return {ok: false, error: String(e)};
  }
}

const api = path => CONFIG.api + path;
const putJSON = (extra) => ({
  method: "PUT",
  headers: Object.assign({"Content-Type": "application/json", "X-Requested-With": "corskit-demo"}, extra),
  body: JSON.stringify({title: "Edited at " + new Date().toLocaleTimeString()}),
});

// The scenarios, by data-scenario name. note, if set, adds a line about the
// result.
const scenarios = {
  simple: {run: () => probe(api("/api/posts"))},
  create: {run: () => probe(api("/api/posts"), {
    method: "POST", body: new URLSearchParams({title: "Posted from " + location.origin}),
  })},
  put: {run: () => probe(api("/api/posts/1"), putJSON())},
  delete: {run: () => probe(api("/api/posts/2"), {method: "DELETE"})},
  cookies: {run: async () => {
    const login = await probe(api("/api/login"), {method: "POST", credentials: "include"});
    if (!login.ok) return login;
    return probe(api("/api/me"), {credentials: "include"});
  }},
  exposed: {
    run: () => probe(api("/api/posts")),
    note: r => r.ok && `r.headers.get("X-Total-Count") = ${JSON.stringify(r.get("X-Total-Count"))}; ` +
      `r.headers.get("ETag") = ${JSON.stringify(r.get("ETag"))}`,
  },
  refused: {run: () => probe(api("/api/posts/1"), putJSON({"X-Debug": "1"}))},
  public: {run: () => probe(api("/api/public/stats"))},
  forged: {
    run: () => probe(api("/api/posts"), {
      method: "POST", mode: "no-cors", credentials: "include",
      body: new URLSearchParams({title: "Forged by " + location.origin}),
    }),
    note: () => "no-cors: the page never sees the answer (status 0); the server's side shows whether the handler ran",
  },
  denied: {run: () => askDenied("simple")},
  "denied-public": {run: () => askDenied("public")},
  "denied-forged": {
    run: () => askDenied("forged"),
    note: () => "no-cors: the denied page never sees the answer; below, what the server did with the forged POST",
  },
};

// serverLog reads the API's journal after sequence number after. Only the
// client page may: the policy does not allow the denied origin to read it.
async function serverLog(after) {
  if (location.origin !== CONFIG.client) {
    return {last: after, entries: null, error: "only the client page may read the server's log"};
  }
  try {
    const r = await fetch(api("/debug/log?after=" + after));
    return await r.json();
  } catch (e) {
    return {last: after, entries: null, error: "this page cannot read the server's log: " + e};
  }
}

async function run(section) {
  const s = scenarios[section.dataset.scenario];
  const out = section.querySelector(".result");
  const button = section.querySelector("button");
  button.disabled = true;
  out.dataset.state = "running";
  delete out.dataset.outcome;
  out.textContent = "running…";
  const before = (await serverLog(Number.MAX_SAFE_INTEGER)).last;
  const res = await s.run();
  const log = await serverLog(before);
  render(out, res, s.note && s.note(res), log);
  out.dataset.outcome = res.opaque ? "opaque" : res.ok ? "allowed" : "blocked";
  out.dataset.state = "done";
  button.disabled = false;
  return res;
}

// el makes an element with text and children.
function el(tag, cls, ...kids) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  for (const k of kids) e.append(k);
  return e;
}

function render(out, res, note, log) {
  out.replaceChildren();
  if (res.opaque) {
    out.append(el("p", "outcome opaque", "◌ Sent without CORS (no-cors): the browser gives this page an opaque answer it cannot read"));
  } else if (res.ok) {
    out.append(el("p", "outcome allowed", `✔ The browser let this page read the answer: ${res.status} ${res.statusText}`));
  } else {
    out.append(el("p", "outcome blocked", `✘ Blocked by CORS: ${res.error}`));
  }
  if (note) out.append(el("p", "note", note));
  if (res.ok && !res.opaque) {
    if (res.body) out.append(el("pre", "body", res.body.length > 300 ? res.body.slice(0, 300) + "…" : res.body));
    const rows = res.headers.map(([k, v]) => el("tr", "", el("td", "", k), el("td", "", v)));
    out.append(el("h3", "", "Response headers this page can read"), el("table", "", ...rows));
  }
  out.append(el("h3", "", "What the server saw and answered"));
  if (!log.entries) {
    out.append(el("p", "muted", log.error));
    return;
  }
  const requests = log.entries.filter(e => e.kind === "request");
  const lines = log.entries.filter(e => e.kind === "log");
  const list = el("ul", "requests");
  for (const e of requests) {
    const h = el("div", "headers");
    for (const [k, v] of e.headers || []) h.append(el("div", "", k + ": " + v));
    if (!(e.headers || []).some(([k]) => k.startsWith("Access-Control-Allow-Origin"))) {
      h.append(el("div", "muted", "(no Access-Control-Allow-Origin)"));
    }
    list.append(el("li", "", el("code", "", e.line), h));
  }
  if (!requests.length) list.append(el("li", "muted", "(nothing: the browser answered from its cache or sent nothing)"));
  out.append(list);
  out.append(el("h3", "", "corskit's log"));
  if (!lines.length) out.append(el("p", "muted", "(no refusal logged)"));
  for (const e of lines) out.append(el("pre", "log", e.line));
}

// The denied origin's page runs in a frame of the client page. The client
// asks it to run one of its scenarios (the simple request to the private
// API, or the public one) and gets the result by postMessage.
let deniedFrame = null;
const deniedReady = new Promise(resolve => {
  addEventListener("message", ev => {
    if (ev.origin === CONFIG.denied && ev.data === "ready") resolve();
  });
});

async function askDenied(name) {
  await deniedReady;
  return new Promise(resolve => {
    addEventListener("message", function got(ev) {
      if (ev.origin !== CONFIG.denied || typeof ev.data !== "object") return;
      removeEventListener("message", got);
      resolve(ev.data);
    });
    deniedFrame.contentWindow.postMessage({run: name}, CONFIG.denied);
  });
}

addEventListener("DOMContentLoaded", () => {
  for (const section of document.querySelectorAll(".scenario")) {
    section.querySelector("button").addEventListener("click", () => run(section));
  }
  deniedFrame = document.querySelector("iframe");
  if (location.origin === CONFIG.denied && parent !== window) {
    // In the client's frame: run on request, answer with the result.
    addEventListener("message", async ev => {
      if (ev.origin !== CONFIG.client || !ev.data || !["simple", "public", "forged"].includes(ev.data.run)) return;
      const res = await run(document.querySelector(`[data-scenario="${ev.data.run}"]`));
      delete res.get;
      parent.postMessage(res, CONFIG.client);
    });
    parent.postMessage("ready", CONFIG.client);
  }
});
