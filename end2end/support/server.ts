// A dieuhanh server of a test's own (its own SQLite file and port), for tests that stop and
// start the server. The binary is the release build scripts/test made (DIEUHANH_BIN).
import { spawn, spawnSync, ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createServer } from "node:net";
import { OWN_SERVER_PASSWORD } from "./page";

export const BIN = process.env.DIEUHANH_BIN ?? "";

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export class OwnServer {
  dir = mkdtempSync(join(tmpdir(), "dieuhanh-e2e-"));
  port = 0;
  child: ChildProcess | null = null;
  log = "";
  /** Settings added to (or replacing) the defaults below. */
  extra: NodeJS.ProcessEnv = {};

  env(): NodeJS.ProcessEnv {
    return {
      ...process.env,
      DIEUHANH_LISTEN: `127.0.0.1:${this.port}`,
      DATABASE_URL: `sqlite://${join(this.dir, "d.db")}`,
      DIEUHANH_DEMO: "1",
      DIEUHANH_DEMO_YEARS: "2",
      DIEUHANH_SIMULATOR: "0",
      DIEUHANH_HEARTBEAT_SECS: "1",
      DIEUHANH_DEMO_PASSWORD: OWN_SERVER_PASSWORD,
      ...this.extra,
    };
  }

  get base(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Picks the port and seeds the database, before any command line work. */
  async prepare(): Promise<void> {
    if (!this.port) this.port = await freePort();
    this.cli("migrate");
  }

  async start(): Promise<void> {
    if (!this.port) await this.prepare();
    this.child = spawn(BIN, ["serve"], { env: this.env(), cwd: process.env.DIEUHANH_ROOT, stdio: ["ignore", "pipe", "pipe"] });
    this.child.stdout!.on("data", (d) => (this.log += d));
    this.child.stderr!.on("data", (d) => (this.log += d));
    for (let i = 0; i < 240; i++) {
      try {
        const r = await fetch(`${this.base}/readyz`);
        if (r.ok) return;
      } catch {}
      if (this.child.exitCode !== null) throw new Error(`server exited:\n${this.log}`);
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`server not ready:\n${this.log}`);
  }

  async stop(): Promise<void> {
    if (!this.child) return;
    const child = this.child;
    this.child = null;
    const exited = new Promise((r) => child.once("exit", r));
    child.kill("SIGTERM");
    await exited;
  }

  /** Runs a subcommand against this server's database, while it runs or not (`migrate`: only
   * while it is stopped); answers its last line. */
  cli(...args: string[]): string {
    const r = spawnSync(BIN, args, { env: this.env(), cwd: process.env.DIEUHANH_ROOT, encoding: "utf8" });
    if (r.status !== 0) throw new Error(`${args.join(" ")} failed:\n${r.stdout}\n${r.stderr}`);
    return r.stdout.trim().split("\n").pop()!;
  }

  async ingest(token: string, rows: object[]): Promise<number> {
    const r = await fetch(`${this.base}/api/v1/observations`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ observations: rows }),
    });
    if (!r.ok) throw new Error(`ingest answered ${r.status}: ${await r.text()}`);
    return (await r.json()).last_seq;
  }

  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
