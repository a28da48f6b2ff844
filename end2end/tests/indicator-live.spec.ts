import { test, expect } from "@playwright/test";
import { OwnServer, BIN } from "../support/server";

// A server of its own: the test needs an API token made before the server starts.
test.skip(!BIN, "DIEUHANH_BIN is not set (scripts/test sets it)");
test.use({ viewport: { width: 1024, height: 768 }, hasTouch: true });

/** The newest monthly period that has started, in Vietnam. */
function thisMonth(): string {
  const d = new Date(Date.now() + 7 * 3600 * 1000);
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, "0")}`;
}

test("a value ingested while an indicator page is open shows up on it without a reload", async ({ page }) => {
  const server = new OwnServer();
  try {
    await server.prepare();
    const token = server.cli("token", "create", "--unit", "01", "--name", "Cổng báo cáo Hà Nội");
    await server.start();
    const problems: string[] = [];
    page.on("pageerror", (e) => problems.push(e.message));
    // The live stream is for people with an account.
    await page.goto(`${server.base}/login`);
    await page.getByLabel(/Tên đăng nhập/).fill("lanhdao");
    await page.getByLabel(/Mật khẩu/).fill("e2e-own-server-pass");
    await page.getByRole("button", { name: "Đăng nhập", exact: true }).click();
    await expect(page.getByTestId("viewer-name")).toBeVisible();

    await page.goto(`${server.base}/indicators/EXPORT_VALUE?unit=01`);
    await page.locator("body[data-hydrated=true]").waitFor({ state: "attached" });
    await page.evaluate(() => ((window as any).__notReloaded = true));
    const period = thisMonth();
    await expect(page.locator(`tr[data-period="${period}"]`)).toHaveCount(0);
    // The page listens from the seq it was rendered at, so even a value sent before it has
    // subscribed reaches it.
    await server.ingest(token, [{ indicator: "EXPORT_VALUE", unit: "01", period, value: 98765.4 }]);
    await expect(page.getByTestId("periods").locator(`tr[data-period="${period}"]`)).toContainText("98.765,4", { timeout: 5_000 });
    expect(await page.evaluate(() => (window as any).__notReloaded)).toBe(true);
    expect(problems, problems.join("\n")).toEqual([]);
  } finally {
    await server.dispose();
  }
});
