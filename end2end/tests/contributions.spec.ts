import { test, expect } from "@playwright/test";
import { hydrated, watchProblems } from "../support/page";

// What moved the number: a leader on a tablet taps the national change of exports on the
// overview and lands on the provinces' parts of it, largest first, each a bar either side of
// zero and a way to that province's figure; the parts add up to the change the page states.
test("a national change is one tap from the provinces that made it", async ({ page }) => {
  const problems = watchProblems(page);
  await page.setViewportSize({ width: 1024, height: 768 });
  await page.goto("/");
  await hydrated(page);
  const card = page.locator('[data-testid="indicator-card"][data-indicator="EXPORT_VALUE"]');
  await card.getByTestId("change-parts").click();
  await expect(page).toHaveURL(/\/indicators\/EXPORT_VALUE\?unit=VN#contributions/);
  const section = page.getByTestId("contributions");
  await expect(section).toBeInViewport();
  await expect(section.locator("h2")).toContainText("Đóng góp vào thay đổi");
  const rows = section.locator("tbody tr[data-unit]");
  await expect(rows).toHaveCount(34);

  // The parts as shown (Vietnamese numbers: "." groups thousands, "," is the decimal mark)
  // add up to the change the summary states, to the last shown decimal.
  const number = (s: string) => Number(s.replace(/[^\d,−+-]/g, "").replace("−", "-").replace(",", "."));
  const parts = await rows.locator("td.strong").allInnerTexts();
  const summary = await section.getByTestId("contributions-summary").innerText();
  const change = number(summary.match(/thay đổi ([−+-]?[\d.,]+)/)![1]);
  const sum = parts.map(number).reduce((a, b) => a + b, 0);
  expect(Math.abs(sum - change)).toBeLessThan(0.05 * parts.length);
  // Largest first.
  const sizes = parts.map((p) => Math.abs(number(p)));
  expect(sizes[0]).toBeGreaterThanOrEqual(sizes[sizes.length - 1]);
  // Each bar is drawn, on the side of its sign.
  const bar = rows.first().locator(".bar");
  await expect(bar).toBeVisible();

  // A province's name leads to its own figure.
  const first = rows.first();
  const unit = await first.getAttribute("data-unit");
  await first.locator("a").click();
  await expect(page).toHaveURL(new RegExp(`/indicators/EXPORT_VALUE\\?unit=${unit}`));
  expect(problems).toEqual([]);
});

// A weighted mean: the share of dossiers handled online. Each province's part is shown in its
// two pieces, of its own value and of its share of the dossiers, which add up to the part; the
// section names the weight and leads to it.
test("a weighted mean's parts show the value and the weight apart", async ({ page }) => {
  const problems = watchProblems(page);
  await page.setViewportSize({ width: 1024, height: 768 });
  await page.goto("/");
  await hydrated(page);
  const card = page.locator('[data-testid="indicator-card"][data-indicator="ONLINE_DOSSIERS"]');
  await card.getByTestId("change-parts").click();
  await expect(page).toHaveURL(/\/indicators\/ONLINE_DOSSIERS\?unit=VN#contributions/);
  const section = page.getByTestId("contributions");
  await expect(section).toBeInViewport();
  await expect(section.locator("thead")).toContainText("Do giá trị");
  await expect(section.locator("thead")).toContainText("Do tỷ trọng");
  const rows = section.locator("tbody tr[data-unit]");
  await expect(rows).toHaveCount(34 + 17);
  const number = (s: string) => Number(s.replace(/[^\d,−+-]/g, "").replace("−", "-").replace(",", "."));
  // Shown to one decimal, the two pieces make the part within a rounding.
  for (const row of await rows.all()) {
    const value = number(await row.getByTestId("value-part").innerText());
    const weight = number(await row.getByTestId("weight-part").innerText());
    const part = number(await row.locator("td.strong").innerText());
    expect(Math.abs(value + weight - part)).toBeLessThanOrEqual(0.1 + 1e-9);
  }
  const how = section.getByTestId("contributions-weight");
  await expect(how).toContainText("Số hồ sơ thủ tục hành chính tiếp nhận");
  await how.getByRole("link").click();
  await expect(page).toHaveURL(/\/indicators\/DOSSIERS_RECEIVED\?unit=VN/);
  await expect(page.locator("h1")).toContainText("Số hồ sơ thủ tục hành chính tiếp nhận");
  expect(problems).toEqual([]);
});
