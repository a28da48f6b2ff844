import { test, expect, Page } from "@playwright/test";

// Fails the test on any console error or uncaught exception in the page.
function watchConsole(page: Page): string[] {
  const problems: string[] = [];
  page.on("console", (msg) => {
    if (msg.type() === "error") problems.push(`console: ${msg.text()}`);
  });
  page.on("pageerror", (err) => problems.push(`page error: ${err.message}`));
  return problems;
}

// The wasm entry point marks <body data-hydrated="true"> once the page is live.
async function waitForHydration(page: Page) {
  await page.locator("body[data-hydrated=true]").waitFor({ state: "attached", timeout: 30_000 });
}

test("the national overview renders, hydrates and shows the whole country", async ({ page }) => {
  const problems = watchConsole(page);
  await page.setViewportSize({ width: 1920, height: 1080 });
  const response = await page.goto("/");
  expect(response?.status()).toBe(200);

  await expect(page).toHaveTitle(/Tổng quan quốc gia/);
  await expect(page.getByTestId("page-title")).toHaveText("Tổng quan quốc gia");
  await expect(page.getByTestId("indicator-card")).toHaveCount(31);
  await expect(page.getByTestId("provinces").locator("a[data-unit]")).toHaveCount(34);
  await expect(page.getByTestId("ministries").locator("a[data-unit]")).toHaveCount(17);
  await expect(page.getByTestId("simulated-banner")).toBeVisible();

  // A value is written the Vietnamese way and its change is coloured by its good direction.
  const cpi = page.locator('[data-indicator="CPI_YOY"]');
  await expect(cpi.getByTestId("value")).toHaveText(/^−?\d+,\d{2}$/);
  await expect(cpi.getByTestId("change")).toHaveAttribute("data-tone", /good|bad|neutral/);
  await expect(cpi.locator("svg.sparkline polyline")).toHaveCount(1);

  await waitForHydration(page);
  await page.screenshot({ path: "artifacts/overview-1920x1080.png", fullPage: false });
  expect(problems, problems.join("\n")).toEqual([]);
});

test("a province link leads to the province and the breadcrumb back to the nation", async ({ page }) => {
  const problems = watchConsole(page);
  await page.goto("/");
  await waitForHydration(page);
  await page.getByTestId("provinces").locator('a[data-unit="01"]').click();
  await expect(page).toHaveURL(/\/units\/01$/);
  await expect(page.getByTestId("page-title")).toHaveText("Thành phố Hà Nội");
  await expect(page.getByTestId("communes").locator("a[data-unit]")).toHaveCount(126);
  await page.getByRole("navigation", { name: "Đường dẫn" }).getByRole("link", { name: "Toàn quốc" }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByTestId("indicator-card")).toHaveCount(31);
  expect(problems, problems.join("\n")).toEqual([]);
});

test("an unknown unit answers 404 with a clear message", async ({ page }) => {
  const response = await page.goto("/units/98765");
  expect(response?.status()).toBe(404);
  await expect(page.getByTestId("error")).toContainText("Không có đơn vị");
});
