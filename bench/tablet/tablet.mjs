// What a tablet on a poor link receives: the first visit (empty cache) and the repeat visit of
// the overview, an indicator page and a wall screen, in Debian's Chromium with the network
// emulated (1.6 Mbit/s down, 750 kbit/s up, 150 ms round trip), against the release build
// serving the full 10-year demo. For each: bytes on the wire, first contentful paint, and the
// time until the page is interactive (hydrated: <body data-hydrated>), beside the link's
// floor (bytes ÷ bandwidth + one round trip per wave of requests: the page, then its files).
//
//   node bench/tablet/tablet.mjs [--server target/release/dieuhanh] [--runs 3]
//
// Uses the Playwright of end2end/ and /usr/bin/chromium (`scripts/setup --browser`, which
// scripts/test runs, installs both).
import { createRequire } from "node:module";
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { createServer } from "node:net";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const require = createRequire(join(ROOT, "end2end/package.json"));
const { chromium } = require("@playwright/test");

const DOWN_BPS = 1_600_000;
const UP_BPS = 750_000;
const RTT_MS = 150;

const args = process.argv.slice(2);
const arg = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const TARGET = process.env.CARGO_TARGET_DIR ?? join(process.env.HOME, ".cache/dieuhanh/target");
const BIN = arg("--server", join(TARGET, "release/dieuhanh"));
const RUNS = Number(arg("--runs", "3"));

function freePort() {
  return new Promise((ok) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const port = s.address().port;
      s.close(() => ok(port));
    });
  });
}

const dir = mkdtempSync(join(tmpdir(), "dieuhanh-tablet-"));
const port = await freePort();
const env = {
  ...process.env,
  DATABASE_URL: `sqlite://${join(dir, "d.db")}`,
  DIEUHANH_LISTEN: `127.0.0.1:${port}`,
  DIEUHANH_DEMO: "1",
  DIEUHANH_SIMULATOR: "0",
  DIEUHANH_DEMO_PASSWORD: "tablet-bench-password",
  LEPTOS_SITE_ROOT: process.env.LEPTOS_SITE_ROOT ?? join(ROOT, "target/site"),
};
const base = `http://127.0.0.1:${port}`;
const server = spawn(BIN, ["serve"], { env, cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
let out = "";
server.stdout.on("data", (d) => (out += d));
server.stderr.on("data", (d) => (out += d));

try {
  let wall = "";
  for (let i = 0; i < 600 && !wall; i++) {
    const m = out.match(/demo wall screen\): (\S+)/);
    if (m) wall = new URL(m[1]).pathname + new URL(m[1]).search;
    else await new Promise((r) => setTimeout(r, 200));
    if (server.exitCode !== null) throw new Error(`server exited:\n${out}`);
  }
  for (let i = 0; i < 600; i++) {
    try {
      if ((await fetch(`${base}/readyz`)).ok) break;
    } catch {}
    await new Promise((r) => setTimeout(r, 200));
  }

  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  const pages = [
    ["/ (overview)", "/", { width: 1024, height: 768 }],
    ["/indicators/EXPORT_VALUE", "/indicators/EXPORT_VALUE", { width: 1024, height: 768 }],
    ["wall screen", wall, { width: 1920, height: 1080 }],
  ];
  const rows = [];
  for (const [label, path, viewport] of pages) {
    const runs = { first: [], repeat: [] };
    for (let r = 0; r < RUNS; r++) {
      const context = await browser.newContext({ viewport });
      const page = await context.newPage();
      await page.addInitScript(() => {
        // The moment the app marks the page live (hydrated), in page time.
        new MutationObserver((_, obs) => {
          if (document.body?.dataset.hydrated === "true") {
            window.__hydratedAt = performance.now();
            obs.disconnect();
          }
        }).observe(document, { attributes: true, subtree: true, attributeFilter: ["data-hydrated"] });
      });
      const cdp = await context.newCDPSession(page);
      await cdp.send("Network.enable");
      await cdp.send("Network.emulateNetworkConditions", {
        offline: false,
        latency: RTT_MS,
        downloadThroughput: DOWN_BPS / 8,
        uploadThroughput: UP_BPS / 8,
      });
      for (const visit of ["first", "repeat"]) {
        let bytes = 0;
        let requests = 0;
        const done = (e) => { bytes += e.encodedDataLength; requests += 1; };
        cdp.on("Network.loadingFinished", done);
        // The repeat visit opens the page the first one ended on (a wall's token link redirects).
        await page.goto(visit === "first" ? base + path : page.url(), { waitUntil: "load" });
        await page.waitForFunction(() => window.__hydratedAt !== undefined, null, { timeout: 60_000 });
        // Lazy chunks and fonts that come after hydration count too.
        await page.waitForLoadState("networkidle");
        const t = await page.evaluate(() => ({
          fcp: performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? NaN,
          tti: window.__hydratedAt,
        }));
        cdp.off("Network.loadingFinished", done);
        runs[visit].push({ bytes, requests, fcp: t.fcp, tti: t.tti });
      }
      await context.close();
    }
    for (const visit of ["first", "repeat"]) {
      const list = runs[visit].sort((a, b) => a.tti - b.tti);
      const m = list[Math.floor(list.length / 2)];
      // One round trip for the page, one for the files it names (loaded in parallel).
      const waves = visit === "first" ? 2 : 1;
      const floor = (m.bytes * 8) / DOWN_BPS * 1000 + waves * RTT_MS;
      rows.push([label, visit, m.bytes, m.requests, m.fcp, m.tti, floor]);
    }
  }
  await browser.close();
  const ms = (x) => `${(x / 1000).toFixed(2)} s`;
  console.log(`tablet link: ${DOWN_BPS / 1e6} Mbit/s down, ${UP_BPS / 1e3} kbit/s up, ${RTT_MS} ms RTT; median of ${RUNS}`);
  console.log("| page | visit | bytes on the wire | requests | first contentful paint | interactive (hydrated) | floor of the link |");
  console.log("| --- | --- | ---: | ---: | ---: | ---: | ---: |");
  for (const [label, visit, bytes, requests, fcp, tti, floor] of rows) {
    console.log(`| ${label} | ${visit} | ${bytes.toLocaleString("en")} | ${requests} | ${ms(fcp)} | ${ms(tti)} | ${ms(floor)} |`);
  }
} finally {
  server.kill("SIGTERM");
  await new Promise((r) => server.once("exit", r));
  rmSync(dir, { recursive: true, force: true });
}
