import { test, expect } from "@playwright/test";
import { DEMO_PASSWORD, signIn, signedIn, watchProblems } from "../support/page";

// The administrator adds an indicator on /admin/catalogue while a leader has the overview open:
// the new indicator appears there without a reload; a formula naming an unknown indicator is
// refused with its reason next to the button and changes nothing; retiring the indicator takes
// it off the open overview again (and leaves the demo's catalogue as it was for later specs).
test("an indicator added and retired on the catalogue page reaches an open overview live", async ({ page, browser, baseURL }) => {
  const problems = watchProblems(page);
  const leader = await signedIn(browser, baseURL ?? "", "lanhdao", DEMO_PASSWORD);
  await expect(leader.page.getByTestId("indicator-card")).toHaveCount(36);
  await expect(leader.page.locator("body[data-hydrated=true]")).toHaveCount(1);

  await signIn(page, "quantri", DEMO_PASSWORD);
  await page.goto("/admin");
  await page.getByTestId("catalogue-link").click();
  await expect(page).toHaveURL(/\/admin\/catalogue$/);
  await expect(page.getByTestId("catalogue-admin")).toHaveAttribute("data-ready", "true");
  await expect(page.getByTestId("catalogue-list").locator("tbody tr[data-code]")).toHaveCount(36);

  // The filter: a field and words without diacritics.
  await page.getByLabel("Lĩnh vực").selectOption({ label: "Thương mại, dịch vụ, du lịch" });
  await page.getByLabel("Tìm theo tên hoặc mã").fill("xuat khau");
  await page.getByRole("button", { name: "Lọc" }).click();
  await expect(page).toHaveURL(/field=trade/);
  await expect(page.getByTestId("catalogue-list").locator("tbody tr[data-code]")).toHaveCount(1);

  await page.getByTestId("new-indicator").click();
  const editor = page.getByTestId("indicator-editor");
  await expect(editor).toBeVisible();
  await expect(page.getByTestId("catalogue-admin")).toHaveAttribute("data-ready", "true");
  await editor.getByTestId("code").fill("SEAFOOD_EXPORT");
  await editor.getByTestId("name_vi").fill("Kim ngạch xuất khẩu thủy sản");
  await editor.getByTestId("name_en").fill("Seafood exports");
  await editor.getByLabel("Lĩnh vực").selectOption({ label: "Thương mại, dịch vụ, du lịch" });
  await editor.getByLabel("Đơn vị tính", { exact: true }).fill("triệu USD");
  await editor.getByLabel("Đơn vị tính (tiếng Anh)").fill("million USD");
  // Selects by name where the label's words also appear in another field's options or help.
  await editor.locator('select[name="rollup"]').selectOption({ label: "cộng tổng các đơn vị" });
  await editor.getByLabel("Chiều tốt").selectOption({ label: "càng cao càng tốt" });
  await editor.locator('select[name="owner"]').selectOption({ label: "Bộ Nông nghiệp và Môi trường" });
  await editor.getByRole("checkbox", { name: "Toàn quốc" }).check();
  await editor.getByRole("checkbox", { name: "Tỉnh, thành phố" }).check();
  await editor.getByLabel("Số chữ số thập phân").selectOption("1");
  await editor.getByLabel("Giá trị nhỏ nhất").fill("0");

  // A formula over an indicator that does not exist: refused, with the reason, nothing saved.
  await editor.getByLabel("Công thức").fill("EXPORT_VALUE - NOWHERE");
  await editor.getByTestId("save").click();
  await expect(editor.getByTestId("problems")).toContainText("NOWHERE");
  await expect(editor.getByTestId("problems")).toContainText("Công thức");

  await editor.getByLabel("Công thức").fill("");
  await editor.getByTestId("save").click();
  await expect(editor.getByTestId("saved")).toContainText("Đã lưu: SEAFOOD_EXPORT");

  // The leader's overview, open all along, shows the new indicator without a reload.
  const card = leader.page.locator('[data-testid=indicator-card][data-indicator="SEAFOOD_EXPORT"]');
  await expect(card).toContainText("Kim ngạch xuất khẩu thủy sản", { timeout: 10_000 });
  await expect(leader.page.getByTestId("indicator-card")).toHaveCount(37);

  // Retired: gone from the open overview; still listed here with its state.
  await page.goto("/admin/catalogue?edit=SEAFOOD_EXPORT");
  await expect(page.getByTestId("catalogue-admin")).toHaveAttribute("data-ready", "true");
  await page.getByTestId("retire").click();
  await expect(page.getByTestId("indicator-editor").getByTestId("saved")).toContainText("SEAFOOD_EXPORT");
  await expect(card).toHaveCount(0, { timeout: 10_000 });
  await page.goto("/admin/catalogue?retired=1&q=thuy+san");
  await expect(page.locator('tr[data-code="SEAFOOD_EXPORT"]')).toContainText("Ngừng dùng từ");
  await page.screenshot({ path: "artifacts/catalogue.png", fullPage: false });

  // The audit log says it in words: the action's name and the fields that changed, no JSON.
  await page.goto("/admin?action=catalogue.indicator.create");
  const created = page.getByTestId("audit").locator('tr[data-action="catalogue.indicator.create"]').first();
  await expect(created).toContainText("Thêm chỉ tiêu");
  await expect(created).toContainText("Tên tiếng Việt: Kim ngạch xuất khẩu thủy sản");
  await expect(created).not.toContainText("{");
  await page.goto("/admin?action=catalogue.indicator.retire");
  await expect(page.getByTestId("audit").locator("tbody tr").first()).toContainText("Ngừng dùng từ");
  expect(problems, problems.join("\n")).toEqual([]);
  expect(leader.problems, leader.problems.join("\n")).toEqual([]);
  await leader.page.context().close();
});

test("an officer is refused the catalogue page by the server", async ({ page }) => {
  await signIn(page, "canbo.hanoi", DEMO_PASSWORD);
  const response = await page.goto("/admin/catalogue");
  expect(response?.status()).toBe(403);
  await expect(page.getByTestId("refused")).toContainText("không có quyền");
  await expect(page.getByTestId("catalogue-list")).toHaveCount(0);
});
