// A real nginx (Debian's package) in front of a server of a test's own, with TLS on a
// certificate made here, with the site file the release ships (deploy/nginx/dieuhanh.conf). It reaches the server from
// 127.0.0.2, so the test can trust exactly that address and no other.
import { spawn, spawnSync, ChildProcess } from "node:child_process";
import { chmodSync, mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connect } from "node:net";
import { freePort } from "./server";

export const PROXY_ADDRESS = "127.0.0.2";

export class Nginx {
  dir = mkdtempSync(join(tmpdir(), "dieuhanh-nginx-"));
  port = 0;
  child: ChildProcess | null = null;
  log = "";

  /** The address people use: what DIEUHANH_PUBLIC_URL must say. */
  get base(): string {
    return `https://localhost:${this.port}`;
  }

  /** Picks the port and makes the certificate. */
  async prepare(): Promise<void> {
    this.port = await freePort();
    const made = spawnSync("openssl", [
      "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
      "-keyout", join(this.dir, "key.pem"), "-out", join(this.dir, "cert.pem"),
      "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost",
    ], { encoding: "utf8" });
    if (made.status !== 0) throw new Error(`openssl failed: ${made.stderr}`);
  }

  async start(upstreamPort: number): Promise<void> {
    // nginx's workers drop root: they must reach the folders they buffer bodies in.
    chmodSync(this.dir, 0o755);
    for (const d of ["body", "proxy", "fastcgi", "uwsgi", "scgi"]) mkdirSync(join(this.dir, d), { recursive: true });
    // The site file the release ships, with this test's ports, certificate and names.
    const shipped = readFileSync(join(process.env.DIEUHANH_ROOT ?? "..", "deploy/nginx/dieuhanh.conf"), "utf8");
    const replace = (text: string, from: string, to: string) => {
      if (!text.includes(from)) throw new Error(`deploy/nginx/dieuhanh.conf no longer has "${from}"`);
      return text.split(from).join(to);
    };
    let site = replace(shipped, "server 127.0.0.1:3000;", `server 127.0.0.1:${upstreamPort};`);
    site = replace(site, "listen 80;", `listen 127.0.0.1:${await freePort()};`);
    site = replace(site, "listen 443 ssl http2;", `listen 127.0.0.1:${this.port} ssl http2;\n    proxy_bind ${PROXY_ADDRESS};`);
    site = replace(site, "server_name dieuhanh.chinhphu.vn;", "server_name localhost;");
    site = replace(site, "/etc/ssl/dieuhanh/fullchain.pem", `${this.dir}/cert.pem`);
    site = replace(site, "/etc/ssl/dieuhanh/privkey.pem", `${this.dir}/key.pem`);
    writeFileSync(join(this.dir, "dieuhanh.conf"), site);
    const conf = join(this.dir, "nginx.conf");
    writeFileSync(conf, `
worker_processes 1;
pid ${this.dir}/nginx.pid;
error_log ${this.dir}/error.log;
events { worker_connections 512; }
http {
  access_log ${this.dir}/access.log;
  client_body_temp_path ${this.dir}/body;
  proxy_temp_path ${this.dir}/proxy;
  fastcgi_temp_path ${this.dir}/fastcgi;
  uwsgi_temp_path ${this.dir}/uwsgi;
  scgi_temp_path ${this.dir}/scgi;
  include ${this.dir}/dieuhanh.conf;
}
`);
    this.child = spawn(process.env.NGINX ?? "/usr/sbin/nginx", ["-c", conf, "-p", this.dir, "-g", "daemon off;"], { stdio: ["ignore", "pipe", "pipe"] });
    this.child.stdout!.on("data", (d) => (this.log += d));
    this.child.stderr!.on("data", (d) => (this.log += d));
    for (let i = 0; i < 80; i++) {
      const ok = await new Promise<boolean>((resolve) => {
        const s = connect(this.port, "127.0.0.1", () => { s.end(); resolve(true); });
        s.on("error", () => resolve(false));
      });
      if (ok) return;
      if (this.child.exitCode !== null) throw new Error(`nginx exited:\n${this.log}`);
      await new Promise((r) => setTimeout(r, 125));
    }
    throw new Error(`nginx did not listen:\n${this.log}`);
  }

  async dispose(): Promise<void> {
    if (this.child) {
      const child = this.child;
      this.child = null;
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      await exited;
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}
