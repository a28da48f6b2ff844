import { test, expect, Page } from "@playwright/test";
import { hydrated } from "../support/page";

// A leader on a tablet, by touch: from the nation down to a commune in three taps, and back up.
test.use({ viewport: { width: 1024, height: 768 }, hasTouch: true, isMobile: false });

/** Nothing wider than the screen: no sideways scrolling of the whole page. */
async function fitsWidth(page: Page) {
  const [scroll, inner] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
  expect(scroll, "the page fits the screen's width").toBeLessThanOrEqual(inner);
}

test("overview → province → indicator → commune, back up by the breadcrumb; the address restores the view", async ({ page }) => {
  const problems: string[] = [];
  page.on("pageerror", (e) => problems.push(e.message));
  await page.goto("/");
  await hydrated(page);
  await fitsWidth(page);

  // 1. A province.
  await page.getByTestId("provinces").locator('a[data-unit="01"]').tap();
  await expect(page).toHaveURL(/\/units\/01$/);
  await expect(page.getByTestId("page-title")).toHaveText("Thành phố Hà Nội");
  // 2. One of its indicators.
  await page.locator('[data-indicator="ONLINE_DOSSIERS"]').getByTestId("indicator-link").tap();
  await expect(page).toHaveURL(/\/indicators\/ONLINE_DOSSIERS\?unit=01$/);
  await expect(page.getByTestId("indicator-name")).toHaveText("Tỷ lệ hồ sơ thủ tục hành chính xử lý trực tuyến");
  await expect(page.getByTestId("chart")).toBeVisible();
  await expect(page.locator("#ranking h2")).toContainText("Xếp hạng xã, phường · Thành phố Hà Nội");
  await expect(page.getByTestId("ranking").locator("tbody tr")).toHaveCount(126);
  await fitsWidth(page);
  await page.screenshot({ path: "artifacts/indicator-province-1024x768.png" });
  // Touch targets: every link in the ranking is at least 44 px tall.
  const box = await page.getByTestId("ranking").locator('tr[data-unit="00070"] td:nth-child(2) a').boundingBox();
  expect(box!.height).toBeGreaterThanOrEqual(44);
  // 3. A commune.
  await page.getByTestId("ranking").locator('tr[data-unit="00070"] td:nth-child(2) a').tap();
  await expect(page).toHaveURL(/\/indicators\/ONLINE_DOSSIERS\?unit=00070$/);
  await expect(page.locator("nav.breadcrumb")).toContainText("Thành phố Hà Nội");
  await expect(page.getByTestId("ranking").locator("tr.here")).toHaveAttribute("data-unit", "00070");

  // The address alone restores the same view in a fresh page.
  const fresh = await page.context().newPage();
  await fresh.goto(page.url());
  await expect(fresh.getByTestId("indicator-name")).toHaveText("Tỷ lệ hồ sơ thủ tục hành chính xử lý trực tuyến");
  await expect(fresh.locator('nav.breadcrumb [aria-current="page"]')).toHaveText("Tỷ lệ hồ sơ thủ tục hành chính xử lý trực tuyến");
  await expect(fresh.getByTestId("unit-page")).toHaveText("Phường Hoàn Kiếm");
  await fresh.close();

  // Back up: the province, then the nation, keeping the indicator.
  await page.locator("nav.breadcrumb").getByRole("link", { name: "Thành phố Hà Nội" }).tap();
  await expect(page).toHaveURL(/\/indicators\/ONLINE_DOSSIERS\?unit=01$/);
  await page.locator("nav.breadcrumb").getByRole("link", { name: "Toàn quốc" }).tap();
  await expect(page).toHaveURL(/\/indicators\/ONLINE_DOSSIERS\?unit=VN$/);
  await expect(page.locator("#ranking h2")).toContainText("Xếp hạng tỉnh, thành phố");
  expect(problems, problems.join("\n")).toEqual([]);
});

test("a chart point drills into its period; units compare on one chart and leave it; history on request", async ({ page }) => {
  await page.goto("/indicators/EXPORT_VALUE?unit=01");
  await hydrated(page);
  // A point of the chart: the ranking of that period.
  const point = page.getByTestId("chart").locator("a[data-period]").first();
  const period = await point.getAttribute("data-period");
  await point.tap();
  await expect(page).toHaveURL(new RegExp(`period=${period}`));
  await expect(page.getByTestId("ranking").locator("tbody tr")).toHaveCount(34);
  // Compare with two more provinces, then take one away.
  await page.getByTestId("ranking").locator('tr[data-unit="79"]').getByTestId("compare-add").tap();
  await expect(page).toHaveURL(/compare=79/);
  await page.getByTestId("ranking").locator('tr[data-unit="48"]').getByTestId("compare-add").tap();
  await expect(page).toHaveURL(/compare=79,48/);
  await expect(page.getByTestId("compared").locator("li")).toHaveCount(3);
  await expect(page.getByTestId("chart").locator("path.cmp-2")).toHaveCount(1);
  await page.screenshot({ path: "artifacts/indicator-compare-1024x768.png" });
  await page.getByTestId("compared").locator('li[data-unit="79"] a.remove').tap();
  await expect(page).toHaveURL(/compare=48(&|$)/);
  await expect(page.getByTestId("compared").locator("li")).toHaveCount(2);
  // The history of one value.
  await page.getByTestId("periods").locator("tbody tr").first().getByTestId("history-link").tap();
  await expect(page.getByTestId("history")).toBeVisible();
  await expect(page.getByTestId("history")).toContainText("Lịch sử mô phỏng");
  // Exports of what is on screen.
  const csv = await page.request.get(await page.getByTestId("export-csv").getAttribute("href") as string);
  expect(csv.ok()).toBe(true);
  expect(await csv.text()).toContain("Thành phố Đà Nẵng");
  const svg = await page.request.get(await page.getByTestId("export-chart").getAttribute("href") as string);
  expect(svg.headers()["content-type"]).toBe("image/svg+xml");
});

test("search by name without diacritics jumps to the unit", async ({ page }) => {
  await page.goto("/");
  await hydrated(page);
  await page.getByTestId("search-input").fill("ha noi");
  await page.getByTestId("search-input").press("Enter");
  await expect(page).toHaveURL(/\/search\?q=ha\+noi/);
  const first = page.getByTestId("hits").locator("a.hit").first();
  await expect(first).toHaveAttribute("data-code", "01");
  await first.tap();
  await expect(page).toHaveURL(/\/units\/01$/);
});

test("English stays chosen across pages and reloads, with English numbers; Vietnamese comes back", async ({ page }) => {
  await page.goto("/indicators/EXPORT_VALUE?unit=VN");
  await hydrated(page);
  await page.getByTestId("lang-switch").tap();
  await expect(page).toHaveURL(/\/indicators\/EXPORT_VALUE\?unit=VN$/);
  await expect(page.getByTestId("indicator-name")).toHaveText("Merchandise exports");
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  const value = await page.getByTestId("ranking").locator("tbody tr").first().locator("td.num").nth(1).textContent();
  expect(value).toMatch(/^\d{1,3}(,\d{3})*\.\d$/);
  await hydrated(page);
  await page.goto("/");
  await expect(page.getByTestId("page-title")).toHaveText("National overview");
  await page.reload();
  await expect(page.getByTestId("page-title")).toHaveText("National overview");
  await page.getByTestId("lang-switch").tap();
  await expect(page.getByTestId("page-title")).toHaveText("Tổng quan quốc gia");
});

for (const width of [768, 1366]) {
  test(`pages fit a ${width} px wide tablet`, async ({ page }) => {
    await page.setViewportSize({ width, height: width === 768 ? 1024 : 1024 });
    for (const path of ["/", "/units/01", "/indicators/ONLINE_DOSSIERS?unit=01&compare=79", "/search?q=ha+noi"]) {
      await page.goto(path);
      await hydrated(page);
      await fitsWidth(page);
    }
    await page.screenshot({ path: `artifacts/search-${width}.png` });
  });
}
