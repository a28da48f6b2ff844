import { test, expect } from "@playwright/test";
import { DEMO_PASSWORD, signIn, signedIn, watchProblems } from "../support/page";

// The administrator adds a reporting regime on /admin/regimes, every choice picked from a list:
// Hà Nội's officer then owes its reports (in force from two months back, so some are overdue
// whatever the day) and opens its form, which carries its indicators only. A regime without
// indicators is refused with the reason and changes nothing. The regime is retired at the end,
// so the demo is as it was for later specs.
test("a regime added on the regimes page reaches the officer's desk and its form", async ({ page, browser, baseURL }) => {
  const problems = watchProblems(page);
  await signIn(page, "quantri", DEMO_PASSWORD);
  await page.goto("/admin");
  await page.getByTestId("regimes-link").click();
  await expect(page).toHaveURL(/\/admin\/regimes$/);
  await expect(page.getByTestId("regimes-admin")).toHaveAttribute("data-ready", "true");
  const list = page.getByTestId("regime-list");
  await expect(list.locator('tr[data-code="KTXH-THANG"]')).toContainText("Báo cáo tình hình kinh tế - xã hội hằng tháng");
  await expect(list.locator('tr[data-code="GNDTC-TUAN"]')).toContainText("giải ngân vốn đầu tư công hằng tuần");

  await page.getByTestId("new-regime").click();
  const editor = page.getByTestId("regime-editor");
  await expect(editor).toBeVisible();
  await expect(page.getByTestId("regimes-admin")).toHaveAttribute("data-ready", "true");
  await editor.getByTestId("code").fill("BL-THI-DIEM");
  await editor.getByTestId("name_vi").fill("Báo cáo thí điểm bán lẻ và doanh nghiệp hằng tháng");
  await editor.getByTestId("name_en").fill("Monthly retail and enterprise pilot report");
  await editor.getByTestId("legal_basis").fill("Quyết định thí điểm của Văn phòng Chính phủ");
  await editor.getByTestId("periodicity").selectOption("monthly");
  await editor.locator('input[data-kind="province"]').check();
  await editor.locator("details.units-pick summary").click();
  await editor.locator('input[data-unit="01"]').check();
  const from = new Date(Date.now() - 62 * 24 * 3600 * 1000).toISOString().slice(0, 10);
  await editor.getByTestId("in_force_from").fill(from);

  // No indicator ticked: refused beside the button, nothing saved.
  await editor.getByTestId("save").click();
  await expect(editor.getByTestId("problems")).toContainText("ít nhất một chỉ tiêu");

  await editor.locator('input[data-indicator="RETAIL_SALES"]').check();
  await editor.locator('input[data-indicator="NEW_ENTERPRISES"]').check();
  await editor.getByTestId("save").click();
  await expect(editor.getByTestId("saved")).toContainText("Đã lưu: BL-THI-DIEM");
  await expect(page.getByTestId("regime-list").locator('tr[data-code="BL-THI-DIEM"] [data-testid="indicator-count"]')).toHaveText("2");
  await page.screenshot({ path: "artifacts/regimes.png", fullPage: false });

  // Hà Nội's officer owes its overdue months and opens one from the desk.
  const officer = await signedIn(browser, baseURL ?? "", "canbo.hanoi", DEMO_PASSWORD);
  await officer.page.goto("/entry");
  const owed = officer.page.getByTestId("owed").locator('tr[data-regime="BL-THI-DIEM"]');
  await expect(owed.first()).toContainText("Báo cáo thí điểm bán lẻ và doanh nghiệp hằng tháng");
  await owed.first().getByRole("link").click();
  await expect(officer.page).toHaveURL(/regime=BL-THI-DIEM/);
  const form = officer.page.getByTestId("entry-form");
  await expect(form).toBeVisible();
  await expect(officer.page.getByTestId("regime")).toHaveText("Báo cáo thí điểm bán lẻ và doanh nghiệp hằng tháng");
  await expect(form.locator("tbody tr[data-indicator]")).toHaveCount(2);
  expect(officer.problems, officer.problems.join("\n")).toEqual([]);

  // Retired: off the officer's desk; the audit log says both in words.
  await page.goto("/admin/regimes?edit=BL-THI-DIEM");
  await expect(page.getByTestId("regimes-admin")).toHaveAttribute("data-ready", "true");
  await page.getByTestId("regime-editor").getByTestId("retire").selectOption("1");
  await page.getByTestId("regime-editor").getByTestId("save").click();
  await expect(page.getByTestId("regime-editor").getByTestId("saved")).toContainText("BL-THI-DIEM");
  await officer.page.goto("/entry");
  await expect(officer.page.getByTestId("due").first()).toBeVisible();
  await expect(officer.page.locator('tr[data-regime="BL-THI-DIEM"]')).toHaveCount(0);
  await page.goto("/admin?action=catalogue.regime.create");
  const created = page.getByTestId("audit").locator('tr[data-action="catalogue.regime.create"]').first();
  await expect(created).toContainText("Thêm chế độ báo cáo");
  await expect(created).toContainText("Căn cứ pháp lý: Quyết định thí điểm của Văn phòng Chính phủ");
  await expect(created).not.toContainText("{");
  expect(problems, problems.join("\n")).toEqual([]);
});

// A pilot reported by a few communes: the communes are found by name (3,321 are no list of
// ticks), kept by the saved regime and named again when it is opened. Retired at the end.
test("a regime names the communes that report it, found by name", async ({ page }) => {
  const problems = watchProblems(page);
  await signIn(page, "quantri", DEMO_PASSWORD);
  await page.goto("/admin/regimes?edit=new");
  await expect(page.getByTestId("regimes-admin")).toHaveAttribute("data-ready", "true");
  const editor = page.getByTestId("regime-editor");
  await editor.getByTestId("code").fill("HS-XA-THI-DIEM");
  await editor.getByTestId("name_vi").fill("Báo cáo thí điểm hồ sơ trực tuyến cấp xã");
  await editor.getByTestId("name_en").fill("Commune online dossiers pilot report");
  await editor.getByTestId("legal_basis").fill("Quyết định thí điểm của Văn phòng Chính phủ");
  await editor.getByTestId("periodicity").selectOption("monthly");
  await editor.locator('input[data-kind="commune"]').check();
  await editor.locator("details.units-pick summary").click();
  const communes = editor.getByTestId("regime-communes");
  await communes.getByRole("searchbox").fill("ba dinh");
  await communes.locator('button.pick[data-code="00004"]').click();
  await communes.getByRole("searchbox").fill("xa ba dinh");
  await communes.locator("button.pick").first().click();
  await expect(communes.locator(".chip")).toHaveCount(2);
  await expect(communes.locator(".chip").nth(1)).toContainText("Xã Ba Đình (Thanh Hóa)");
  await editor.locator('input[data-indicator="ONLINE_DOSSIERS"]').check();
  await editor.getByTestId("save").click();
  await expect(editor.getByTestId("saved")).toContainText("Đã lưu: HS-XA-THI-DIEM");
  await expect(page.getByTestId("regime-list").locator('tr[data-code="HS-XA-THI-DIEM"]')).toContainText("2 đơn vị");

  // Opened again, the communes are named, and one taken off stays off once saved.
  await page.goto("/admin/regimes?edit=HS-XA-THI-DIEM");
  await expect(page.getByTestId("regimes-admin")).toHaveAttribute("data-ready", "true");
  const again = page.getByTestId("regime-editor").getByTestId("regime-communes");
  await expect(again.locator(".chip")).toHaveCount(2);
  await expect(again.locator('.chip[data-code="00004"]')).toContainText("Phường Ba Đình (Thành phố Hà Nội)");
  await again.locator('.chip[data-code="00004"]').getByRole("button", { name: "Bỏ" }).click();
  await page.getByTestId("regime-editor").getByTestId("retire").selectOption("1");
  await page.getByTestId("regime-editor").getByTestId("save").click();
  await expect(page.getByTestId("regime-editor").getByTestId("saved")).toContainText("HS-XA-THI-DIEM");
  await expect(page.getByTestId("regime-list").locator('tr[data-code="HS-XA-THI-DIEM"]')).toContainText("1 đơn vị");
  expect(problems, problems.join("\n")).toEqual([]);
});
