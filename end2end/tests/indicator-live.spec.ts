import { test, expect } from "@playwright/test";
import { OwnServer, BIN } from "../support/server";
import { OWN_SERVER_PASSWORD, signIn, thisMonth } from "../support/page";

// A server of its own: the test needs an API token made before the server starts.
test.skip(!BIN, "DIEUHANH_BIN is not set (scripts/test sets it)");
test.use({ viewport: { width: 1024, height: 768 }, hasTouch: true });

test("a value ingested while an indicator page is open shows up on it without a reload", async ({ page }) => {
  const server = new OwnServer();
  try {
    await server.prepare();
    const token = server.cli("token", "create", "--unit", "01", "--name", "Cổng báo cáo Hà Nội");
    await server.start();
    const problems: string[] = [];
    page.on("pageerror", (e) => problems.push(e.message));
    // The live stream is for people with an account.
    await signIn(page, "lanhdao", OWN_SERVER_PASSWORD, server.base);

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
