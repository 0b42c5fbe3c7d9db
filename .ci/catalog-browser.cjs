// The catalog page in headless Chromium, as a person would use it, over the DevTools protocol
// (Node's WebSocket: no npm package, no download):
//
//   node [--experimental-websocket] .ci/catalog-browser.cjs SITE_DIR [SCREENSHOT_DIR]
//
// SITE_DIR holds what `governance-lint catalog --out SITE_DIR` wrote. Opens index.html from
// file:// in a fresh profile and checks: no console error and no uncaught exception; no
// request leaves the page (anything but file:, data: and about: fails); the numbers of every
// domain row of the overview equal catalog.json's; the search box filters (a product's name
// finds it, a field name finds exactly the fields catalog.json has, nonsense finds nothing).
// With SCREENSHOT_DIR, writes catalog-overview.png and catalog-product.png there.
// Chromium is $CHROMIUM, else `chromium`. Exit code 1 on any failure.
"use strict";
const { spawn } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");

const [site, shots] = process.argv.slice(2);
if (!site) {
  console.error("usage: catalog-browser.cjs SITE_DIR [SCREENSHOT_DIR]");
  process.exit(2);
}
const catalog = JSON.parse(fs.readFileSync(path.join(site, "catalog.json"), "utf8"));
const page = "file://" + path.resolve(site, "index.html");
const profile = fs.mkdtempSync(path.join(os.tmpdir(), "catalog-chromium-"));
const failures = [];
const fail = (message) => failures.push(message);

const chrome = spawn(process.env.CHROMIUM || "chromium", [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
  "--no-first-run", "--no-default-browser-check", "--disable-extensions",
  "--user-data-dir=" + profile, "--remote-debugging-port=0", "--window-size=1280,900",
  "about:blank",
], { stdio: ["ignore", "ignore", "pipe"] });

async function cleanup() {
  if (chrome.exitCode === null && chrome.signalCode === null) {
    const exited = new Promise((resolve) => chrome.once("exit", resolve));
    chrome.kill("SIGKILL");
    await exited;
  }
  try {
    fs.rmSync(profile, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
  } catch (error) {
    console.error("note: could not remove the profile " + profile + ": " + error.message);
  }
}

const endpoint = new Promise((resolve, reject) => {
  let seen = "";
  chrome.stderr.on("data", (chunk) => {
    seen += chunk;
    const m = /DevTools listening on (ws:\/\/\S+)/.exec(seen);
    if (m) resolve(m[1]);
  });
  chrome.once("exit", (code) => reject(new Error("chromium exited (" + code + "): " + seen.slice(-2000))));
  setTimeout(() => reject(new Error("chromium did not start in 30 s: " + seen.slice(-2000))), 30000);
});

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

(async () => {
  const ws = new WebSocket(await endpoint);
  await new Promise((resolve, reject) => { ws.onopen = resolve; ws.onerror = reject; });
  let next = 0;
  const pending = new Map();
  const listeners = [];
  ws.onmessage = (message) => {
    const data = JSON.parse(message.data);
    if (data.id !== undefined && pending.has(data.id)) {
      const { resolve, reject, method } = pending.get(data.id);
      pending.delete(data.id);
      if (data.error) reject(new Error(method + ": " + data.error.message));
      else resolve(data.result);
    } else if (data.method) {
      listeners.forEach((l) => l(data));
    }
  };
  const send = (method, params, sessionId) => new Promise((resolve, reject) => {
    const id = ++next;
    pending.set(id, { resolve, reject, method });
    ws.send(JSON.stringify({ id, method, params: params || {}, sessionId }));
  });

  const { targetId } = await send("Target.createTarget", { url: "about:blank" });
  const { sessionId } = await send("Target.attachToTarget", { targetId, flatten: true });
  const call = (method, params) => send(method, params, sessionId);
  const requests = [];
  listeners.push((event) => {
    if (event.sessionId !== sessionId) return;
    const p = event.params;
    if (event.method === "Runtime.exceptionThrown") {
      fail("uncaught exception: " + (p.exceptionDetails.exception?.description || p.exceptionDetails.text));
    } else if (event.method === "Runtime.consoleAPICalled" && ["error", "assert"].includes(p.type)) {
      fail("console." + p.type + ": " + p.args.map((a) => a.value ?? a.description).join(" "));
    } else if (event.method === "Log.entryAdded" && p.entry.level === "error") {
      fail("browser error: " + p.entry.text + (p.entry.url ? " (" + p.entry.url + ")" : ""));
    } else if (event.method === "Network.requestWillBeSent") {
      requests.push(p.request.url);
    }
  });
  for (const domain of ["Page", "Runtime", "Log", "Network"]) await call(domain + ".enable");

  const evaluate = async (expression) => {
    const r = await call("Runtime.evaluate", { expression, returnByValue: true, awaitPromise: true });
    if (r.exceptionDetails) throw new Error("evaluate: " + r.exceptionDetails.text + " in " + expression);
    return r.result.value;
  };
  const until = async (expression, what) => {
    let last = null;
    for (let i = 0; i < 200; i++) {
      // While a page loads, its context may not exist yet: try again.
      try {
        if (await evaluate(expression)) return;
      } catch (error) {
        last = error;
      }
      await sleep(50);
    }
    throw new Error("timed out waiting for " + what + (last ? " (" + last.message + ")" : ""));
  };

  const loaded = new Promise((resolve) => listeners.push((e) => {
    if (e.sessionId === sessionId && e.method === "Page.loadEventFired") resolve();
  }));
  const started = Date.now();
  await call("Page.navigate", { url: page });
  await loaded;
  await until("document.documentElement.getAttribute('data-ready') === 'true'", "the page to be ready");
  console.log(`ready in ${Date.now() - started} ms (${catalog.products.length} products)`);

  // The overview: one row per domain, with catalog.json's numbers.
  const rows = await evaluate(`Array.from(document.querySelectorAll("tr[data-domain-index]")).map((tr) => {
    const n = (m) => { const e = tr.querySelector('[data-metric="' + m + '"]'); return e ? Number(e.textContent) : null; };
    return { index: Number(tr.getAttribute("data-domain-index")), products: n("products"), owners: n("owners"),
      without_errors: n("without_errors"), errors: n("errors"), warnings: n("warnings"), expiring: n("expiring"),
      expired: n("expired"), unprotected_pii: n("unprotected_pii") };
  })`);
  if (rows.length !== catalog.domains.length) {
    fail(`the overview shows ${rows.length} domain rows, catalog.json has ${catalog.domains.length} domains`);
  }
  for (const row of rows) {
    const d = catalog.domains[row.index];
    if (!d) { fail("a domain row with no domain in catalog.json: " + row.index); continue; }
    const want = { products: d.products, owners: d.owners.length, without_errors: d.without_errors,
      errors: d.errors, warnings: d.warnings, expiring: d.waivers.expiring, expired: d.waivers.expired,
      unprotected_pii: d.unprotected_pii_fields };
    for (const [metric, value] of Object.entries(want)) {
      if (row[metric] !== value) fail(`domain ${d.domain}: ${metric} is ${row[metric]} on the page, ${value} in catalog.json`);
    }
  }
  console.log(`overview: ${rows.length} domain rows, numbers checked against catalog.json`);
  if (shots) {
    fs.mkdirSync(shots, { recursive: true });
    const { data } = await call("Page.captureScreenshot", { format: "png", captureBeyondViewport: false });
    fs.writeFileSync(path.join(shots, "catalog-overview.png"), Buffer.from(data, "base64"));
  }

  // The search box, typed into as a person would.
  const search = async (text) => {
    await evaluate(`(() => { const s = document.getElementById("search"); s.focus(); s.value = ${JSON.stringify(text)};
      s.dispatchEvent(new Event("input", { bubbles: true })); return true; })()`);
    await until(`location.hash === "#/search/" + encodeURIComponent(${JSON.stringify(text)}) && !!document.querySelector('[data-results="fields"]')`, "search results for " + text);
    return evaluate(`({ products: Number(document.querySelector('[data-results="products"]').getAttribute("data-count")),
      fields: Number(document.querySelector('[data-results="fields"]').getAttribute("data-count")),
      rows: Array.from(document.querySelectorAll("#product-results tbody tr")).map((tr) => tr.textContent) })`);
  };
  const named = catalog.products.find((p) => p.name) || catalog.products[0];
  const byName = await search(named.name);
  if (!(byName.products >= 1 && byName.products < catalog.products.length)) {
    fail(`searching "${named.name}" found ${byName.products} of ${catalog.products.length} products`);
  }
  if (!byName.rows.some((row) => row.includes(named.name))) fail(`searching "${named.name}" does not list it`);
  const word = "email";
  const want = catalog.products.reduce((n, p) => n + p.fields.filter((f) =>
    [f.path, f.type || "", f.classification || "", (f.tags || []).join(" "), f.pii ? "pii" : ""].join(" ").toLowerCase().includes(word)).length, 0);
  const byField = await search(word);
  if (byField.fields !== want) fail(`searching "${word}" found ${byField.fields} fields, catalog.json has ${want}`);
  const nothing = await search("no-such-thing-zq");
  if (nothing.products !== 0 || nothing.fields !== 0) fail(`a search for nonsense found ${nothing.products} products, ${nothing.fields} fields`);
  console.log(`search: "${named.name}" → ${byName.products} product(s); "${word}" → ${byField.fields} field(s); nonsense → nothing`);

  // A product page: the one with fields that has the most findings.
  const worst = catalog.products
    .map((p, i) => [i, (p.fields.length > 0 ? 1e6 : 0) + p.compliance.errors + p.compliance.warnings])
    .sort((a, b) => b[1] - a[1])[0][0];
  await evaluate(`(() => { location.hash = "#/product/${worst}"; return true; })()`);
  await until(`!!document.querySelector("[data-compliance]")`, "the product page");
  const fieldRows = await evaluate(`document.querySelectorAll("tr[data-field]").length`);
  if (fieldRows === 0 && catalog.products[worst].fields.length > 0) fail("the product page shows no field");
  // Each finding is shown where it is: its own file (the contract's, or one it refers to).
  const places = await evaluate(`Array.from(document.querySelectorAll("#findings .finding > .muted")).map((d) => d.textContent)`);
  catalog.products[worst].compliance.findings.forEach((f, i) => {
    const where = `${f.file}:${f.line}:${f.column}`;
    if (!(places[i] || "").startsWith(where)) fail(`finding ${i} (${f.rule}) is shown at "${places[i]}", not at ${where}`);
  });
  if (shots) {
    const { data } = await call("Page.captureScreenshot", { format: "png" });
    fs.writeFileSync(path.join(shots, "catalog-product.png"), Buffer.from(data, "base64"));
  }
  console.log(`product page: ${catalog.products[worst].name || catalog.products[worst].key}, ${fieldRows} field rows, ${places.length} findings where they are`);

  const outside = requests.filter((url) => !/^(file|data|about|blob):/.test(url));
  for (const url of outside) fail("a request left the page: " + url);
  console.log(`requests: ${requests.length}, none outside the page` + (outside.length ? " (FAILED)" : ""));
  ws.close();
})().then(async () => {
  await cleanup();
  if (failures.length) {
    failures.forEach((f) => console.error("FAIL: " + f));
    process.exit(1);
  }
  console.log("catalog page: passed in headless Chromium");
}, async (error) => {
  await cleanup();
  console.error("FAIL: " + error.message);
  failures.forEach((f) => console.error("FAIL: " + f));
  process.exit(1);
});
