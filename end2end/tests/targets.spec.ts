import { test, expect } from "@playwright/test";
import { hydrated, watchProblems } from "../support/page";

// The demo's GRDP targets: a leader opening Hà Nội on a tablet sees, on its GRDP card, where the
// province stands against the plan of the latest quarter, in words on a coloured badge; the
// indicator page says the same above the chart, whose target line is the province's own; the
// nation, which has no GRDP figure, shows no standing for it.
test("a province's GRDP card and page say where it stands against its plan", async ({ page }) => {
  const problems = watchProblems(page);
  await page.setViewportSize({ width: 1024, height: 768 });
  await page.goto("/units/01");
  await hydrated(page);
  const card = page.locator('[data-testid="indicator-card"][data-indicator="GRDP_GROWTH"]');
  const standing = card.getByTestId("standing");
  await expect(standing).toBeVisible();
  const word = await standing.getAttribute("data-standing");
  expect(["on_track", "at_risk", "off_track"]).toContain(word);
  // Hà Nội's demo target is 8 % with a plan of 7.4, 7.6, 7.8 and 8 by quarter; the latest
  // quarter depends on today's date.
  await expect(standing).toContainText(/Kế hoạch Quý (I|II|III|IV)\/\d{4}: (7,4|7,6|7,8|8)/);
  await expect(standing.locator(".standing-badge")).toHaveText(
    { on_track: "Đúng tiến độ", at_risk: "Có nguy cơ chậm", off_track: "Chậm, không đạt" }[word!]!,
  );
  // The badge is drawn whole on the card, not cut off.
  const box = await standing.boundingBox();
  const cardBox = await card.boundingBox();
  expect(box!.x + box!.width).toBeLessThanOrEqual(cardBox!.x + cardBox!.width + 0.5);

  await card.getByTestId("indicator-link").click();
  await expect(page).toHaveURL(/\/indicators\/GRDP_GROWTH\?unit=01/);
  const panel = page.locator(".standing-panel").getByTestId("standing");
  await expect(panel).toHaveAttribute("data-standing", word!);
  await expect(page.locator("svg.chart .target-label")).toContainText("Mục tiêu 8");

  await page.goto("/units/VN");
  const national = page.locator('[data-testid="indicator-card"][data-indicator="GRDP_GROWTH"]');
  await expect(national).toBeVisible();
  await expect(national.getByTestId("standing")).toHaveCount(0);
  expect(problems).toEqual([]);
});
