import { test, expect, Page } from "@playwright/test";
import { DEMO_PASSWORD, hydrated } from "../support/page";

// Every page runs under a Content-Security-Policy with a per-response nonce and no
// 'unsafe-inline' for scripts: the app's own scripts and lazily loaded wasm chunks run, and
// markup that reached a page could not run anything.

function watch(page: Page): { errors: string[]; violations: string[] } {
  const seen = { errors: [] as string[], violations: [] as string[] };
  page.on("console", (m) => {
    if (m.type() !== "error") return;
    (/Content Security Policy/i.test(m.text()) ? seen.violations : seen.errors).push(m.text());
  });
  page.on("pageerror", (e) => seen.errors.push(e.message));
  return seen;
}

test("pages hydrate under the nonce policy, lazy chunks included, with no violation", async ({ page }) => {
  const seen = watch(page);
  await page.goto("/login");
  await hydrated(page);
  await page.getByLabel(/Tên đăng nhập/).fill("lanhdao");
  await page.getByLabel(/Mật khẩu/).fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Đăng nhập", exact: true }).click();
  await expect(page.getByTestId("viewer-name")).toBeVisible();

  for (const path of ["/", "/units/01", "/indicators/EXPORT_VALUE?unit=01", "/tasks", "/meetings", "/search?q=ha+noi"]) {
    const res = await page.goto(path);
    const csp = res?.headers()["content-security-policy"] ?? "";
    const scripts = csp.split(";").map((d) => d.trim()).find((d) => d.startsWith("script-src")) ?? "";
    expect(scripts, path).toMatch(/^script-src 'nonce-[A-Za-z0-9_-]{16,}'/);
    expect(scripts, path).not.toContain("unsafe-inline");
    expect(res?.headers()["x-frame-options"], path).toBe("DENY");
    await hydrated(page);
  }
  // The indicator page is a lazily loaded chunk: after a client-side navigation it must work.
  await page.goto("/units/01");
  await hydrated(page);
  await page.locator('a[href^="/indicators/"]').first().click();
  await expect(page).toHaveURL(/\/indicators\//);
  await expect(page.getByTestId("history-link").first()).toBeVisible();
  expect(seen.violations, seen.violations.join("\n")).toEqual([]);
  expect(seen.errors, seen.errors.join("\n")).toEqual([]);
});

test("markup injected into a live page cannot run script", async ({ page }) => {
  const seen = watch(page);
  await page.goto("/");
  await hydrated(page);
  await page.evaluate(() => {
    document.body.insertAdjacentHTML("beforeend", '<img id="x" src="/no-such.png" onerror="window.__ran = 1">');
    const a = document.createElement("a");
    a.href = "javascript:window.__ran = 2";
    a.id = "js-link";
    a.textContent = "x";
    document.body.appendChild(a);
  });
  await page.locator("#js-link").click();
  await page.waitForTimeout(500);
  expect(await page.evaluate(() => (window as unknown as { __ran?: number }).__ran)).toBeUndefined();
  expect(seen.violations.length, "the browser reports what it refused").toBeGreaterThan(0);
});
