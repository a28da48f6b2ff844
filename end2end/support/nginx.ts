// A real nginx (Debian's package) in front of a server of a test's own, with TLS on a
// certificate made here, configured as docs/deploy.md says. It reaches the server from
// 127.0.0.2, so the test can trust exactly that address and no other.
import { spawn, spawnSync, ChildProcess } from "node:child_process";
import { chmodSync, mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
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
  upstream dieuhanh { server 127.0.0.1:${upstreamPort}; keepalive 16; }
  map $http_upgrade $connection_upgrade { default upgrade; '' ''; }
  server {
    listen 127.0.0.1:${this.port} ssl http2;
    server_name localhost;
    ssl_certificate ${this.dir}/cert.pem;
    ssl_certificate_key ${this.dir}/key.pem;
    ssl_protocols TLSv1.2 TLSv1.3;
    client_max_body_size 21m;
    gzip off;
    proxy_bind ${PROXY_ADDRESS};
    location / {
      proxy_pass http://dieuhanh;
      proxy_http_version 1.1;
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_set_header Connection "";
      proxy_read_timeout 75s;
    }
    location = /ws {
      proxy_pass http://dieuhanh;
      proxy_http_version 1.1;
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_set_header Upgrade $http_upgrade;
      proxy_set_header Connection $connection_upgrade;
      proxy_read_timeout 3600s;
      proxy_send_timeout 3600s;
      proxy_buffering off;
    }
  }
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
