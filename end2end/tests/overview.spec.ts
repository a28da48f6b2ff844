import { test, expect } from "@playwright/test";
import { hydrated, watchProblems } from "../support/page";

test("the national overview renders, hydrates and shows the whole country", async ({ page }) => {
  const problems = watchProblems(page);
  await page.setViewportSize({ width: 1920, height: 1080 });
  const response = await page.goto("/");
  expect(response?.status()).toBe(200);

  await expect(page).toHaveTitle(/Tổng quan quốc gia/);
  await expect(page.getByTestId("page-title")).toHaveText("Tổng quan quốc gia");
  await expect(page.getByTestId("indicator-card")).toHaveCount(36);
  await expect(page.getByTestId("provinces").locator("a[data-unit]")).toHaveCount(34);
  await expect(page.getByTestId("ministries").locator("a[data-unit]")).toHaveCount(17);
  await expect(page.getByTestId("simulated-banner")).toBeVisible();

  // A value is written the Vietnamese way and its change is coloured by its good direction.
  const cpi = page.locator('[data-indicator="CPI_YOY"]');
  await expect(cpi.getByTestId("value")).toHaveText(/^−?\d+,\d{2}$/);
  await expect(cpi.getByTestId("change")).toHaveAttribute("data-tone", /good|bad|neutral/);
  await expect(cpi.locator("svg.sparkline polyline")).toHaveCount(1);

  // By field, with a summary line; a filter by name, with or without the marks.
  await expect(page.getByTestId("overview-summary")).toContainText("36 chỉ tiêu trong");
  await expect(page.getByTestId("field-group").first()).toHaveAttribute("data-field", "macro");
  await hydrated(page);
  await page.screenshot({ path: "artifacts/overview-1920x1080.png", fullPage: false });
  await page.getByTestId("card-filter").fill("xuat khau");
  await expect(page.locator('[data-indicator="EXPORT_VALUE"]')).toBeVisible();
  await expect(cpi).toBeHidden();
  await expect(page.locator('[data-testid=field-group][data-field="macro"]')).toBeHidden();
  await page.getByTestId("card-filter").fill("");
  await expect(cpi).toBeVisible();
  expect(problems, problems.join("\n")).toEqual([]);
});

test("a province link leads to the province and the breadcrumb back to the nation", async ({ page }) => {
  const problems = watchProblems(page);
  await page.goto("/");
  await hydrated(page);
  await page.getByTestId("provinces").locator('a[data-unit="01"]').click();
  await expect(page).toHaveURL(/\/units\/01$/);
  await expect(page.getByTestId("page-title")).toHaveText("Thành phố Hà Nội");
  await expect(page.getByTestId("communes").locator("a[data-unit]")).toHaveCount(126);
  await page.getByRole("navigation", { name: "Đường dẫn" }).getByRole("link", { name: "Toàn quốc" }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByTestId("indicator-card")).toHaveCount(36);
  expect(problems, problems.join("\n")).toEqual([]);
});

test("an unknown unit answers 404 with a clear message", async ({ page }) => {
  const response = await page.goto("/units/98765");
  expect(response?.status()).toBe(404);
  await expect(page.getByTestId("error")).toContainText("Không có đơn vị");
});
