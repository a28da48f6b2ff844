import { test, expect } from "@playwright/test";

// A leader on a tablet: from the nation to an indicator, to a province, and back up.
test.use({ viewport: { width: 1024, height: 768 }, hasTouch: true, isMobile: false });

test("from the nation to an indicator, down to a province by its ranking row, and back up by the breadcrumb", async ({ page }) => {
  const problems: string[] = [];
  page.on("pageerror", (e) => problems.push(e.message));
  await page.goto("/");
  await page.locator("body[data-hydrated=true]").waitFor({ state: "attached" });
  await page.locator('[data-indicator="EXPORT_VALUE"]').getByTestId("indicator-link").tap();
  await expect(page).toHaveURL(/\/indicators\/EXPORT_VALUE\?unit=VN$/);
  await expect(page.getByTestId("indicator-name")).toHaveText("Kim ngạch xuất khẩu hàng hóa");
  await expect(page.getByTestId("chart")).toBeVisible();
  await expect(page.getByTestId("ranking").locator("tbody tr")).toHaveCount(34);
  await page.getByTestId("ranking").locator('tr[data-unit="01"] a').tap();
  await expect(page).toHaveURL(/\/indicators\/EXPORT_VALUE\?unit=01$/);
  await expect(page.locator("nav.breadcrumb")).toContainText("Toàn quốc");
  await page.screenshot({ path: "artifacts/indicator-1024x768.png", fullPage: false });
  // The address alone restores the same view in a fresh page.
  const url = page.url();
  const fresh = await page.context().newPage();
  await fresh.goto(url);
  await expect(fresh.getByTestId("indicator-name")).toHaveText("Kim ngạch xuất khẩu hàng hóa");
  await expect(fresh.locator("nav.breadcrumb")).toContainText("Thành phố Hà Nội");
  await page.locator("nav.breadcrumb").getByRole("link", { name: "Toàn quốc" }).tap();
  await expect(page).toHaveURL(/\/indicators\/EXPORT_VALUE\?unit=VN$/);
  expect(problems, problems.join("\n")).toEqual([]);
});
