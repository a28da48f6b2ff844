import { test, expect, Browser, Page } from "@playwright/test";
import { OwnServer, BIN } from "../support/server";
import { Nginx, PROXY_ADDRESS } from "../support/nginx";
import { OWN_SERVER_PASSWORD, signedIn, thisMonth } from "../support/page";

// The centre as the Government runs it: behind nginx with TLS (docs/deploy.md), told its public
// address and its proxy. Everything a person does goes through the proxy; the audit log and the
// sign-in limits see the person's address, and forwarded headers from anyone else change nothing.
test.skip(!BIN, "DIEUHANH_BIN is not set (scripts/test sets it)");

async function signIn(browser: Browser, base: string, username: string): Promise<{ page: Page; problems: string[] }> {
  // The certificate is the test's own: the browser is told to accept it, nothing else changes.
  const signed = await signedIn(browser, base, username, OWN_SERVER_PASSWORD, { ignoreHTTPSErrors: true });
  const session = (await signed.page.context().cookies()).find((c) => c.name === "dieuhanh_session");
  expect(session?.secure, "the session cookie is Secure behind HTTPS").toBe(true);
  return signed;
}

test("behind nginx with TLS: sign-in, an admin write, a report, live walls and pages; the audit log has the person's address", async ({ browser }) => {
  test.setTimeout(120_000);
  const proxy = new Nginx();
  const server = new OwnServer();
  try {
    await proxy.prepare();
    server.extra = { DIEUHANH_PUBLIC_URL: proxy.base, DIEUHANH_TRUSTED_PROXIES: PROXY_ADDRESS };
    await server.start();
    await proxy.start(server.port);
    const base = proxy.base;

    // The administrator adds a wall screen (a server-function write) through the proxy, with a
    // forged X-Forwarded-For of the browser's own: nginx appends the real address after it.
    const admin = await signIn(browser, base, "quantri");
    await admin.page.setExtraHTTPHeaders({ "X-Forwarded-For": "203.0.113.7" });
    await admin.page.goto(`${base}/admin`);
    await expect(admin.page.getByTestId("admin")).toHaveAttribute("data-ready", "true");
    await admin.page.getByLabel(/Tên màn hình/).fill("Phòng họp qua proxy");
    await admin.page.getByRole("button", { name: "Thêm màn hình" }).click();
    const link = (await admin.page.getByTestId("secret").locator("code").last().textContent())!;
    expect(link.startsWith(`${base}/wall/`), `the link is the public address: ${link}`).toBe(true);

    // The wall opens from that link and listens over wss:// through the proxy.
    const screen = await browser.newContext({ ignoreHTTPSErrors: true, viewport: { width: 1920, height: 1080 } });
    const wall = await screen.newPage();
    const wallProblems: string[] = [];
    wall.on("pageerror", (e) => wallProblems.push(e.message));
    await wall.goto(link);
    await expect(wall).toHaveURL(/\/wall\/\d+$/);
    await wall.locator("body[data-hydrated=true]").waitFor({ state: "attached" });
    await expect(wall.getByTestId("link")).toHaveAttribute("data-state", "open");

    // A report form: the officer saves a draft through the proxy.
    const officer = await signIn(browser, base, "canbo.hanoi");
    await officer.page.goto(`${base}/entry/01/${thisMonth()}`);
    const form = officer.page.getByTestId("entry-form");
    await expect(form).toHaveAttribute("data-ready", "true");
    await officer.page.getByTestId("value-EXPORT_VALUE").fill("1234,5");
    await officer.page.getByTestId("save-draft").click();
    await expect(officer.page.getByTestId("entry-message")).toContainText("Đã lưu bản nháp");

    // A signed-in page's own WebSocket (its cookie, its origin) through the proxy: a snapshot.
    const snapshot = await officer.page.evaluate(async () => {
      const ws = new WebSocket(`${location.origin.replace("https", "wss")}/ws`);
      return await new Promise<string>((resolve, reject) => {
        ws.onopen = () => ws.send(JSON.stringify({ type: "subscribe", topics: ["unit:01"] }));
        ws.onmessage = (m) => { const msg = JSON.parse(m.data); if (msg.type === "snapshot") { ws.close(); resolve(msg.topic); } };
        ws.onerror = () => reject(new Error("websocket error"));
        setTimeout(() => reject(new Error("no snapshot within 10 s")), 10_000);
      });
    });
    expect(snapshot).toBe("unit:01");

    // The audit log names the person's address, never the proxy's or the forged one.
    await admin.page.goto(`${base}/admin`);
    await expect(admin.page.getByTestId("admin")).toHaveAttribute("data-ready", "true");
    const audit = admin.page.getByTestId("audit");
    const created = audit.locator('tr[data-action="display_create"]').first();
    await expect(created).toContainText("127.0.0.1");
    await expect(audit).not.toContainText("203.0.113.7");
    await expect(audit).not.toContainText(PROXY_ADDRESS);

    // Straight to the server, around the proxy: X-Forwarded-For is not believed, so sign-ins
    // with a new forged address each time are still counted under the one real address.
    let limitedAfter = 0;
    for (let i = 1; i <= 40; i++) {
      const r = await fetch(`${server.base}/login`, {
        method: "POST",
        redirect: "manual",
        headers: { origin: base, "content-type": "application/x-www-form-urlencoded", "x-forwarded-for": `198.51.100.${i}` },
        body: `username=khong-co-${i}&password=sai-mat-khau`,
      });
      expect(r.status).toBe(303);
      if ((r.headers.get("location") ?? "").includes("error=limited")) { limitedAfter = i; break; }
    }
    // 20 per address, one more every 3 s: believed, each forged address would have a fresh 20.
    expect(limitedAfter, "the one real address's allowance runs out").toBeGreaterThan(0);

    expect(admin.problems, admin.problems.join("\n")).toEqual([]);
    expect(officer.problems, officer.problems.join("\n")).toEqual([]);
    expect(wallProblems, wallProblems.join("\n")).toEqual([]);
    await screen.close();
  } finally {
    await proxy.dispose();
    await server.dispose();
  }
});
