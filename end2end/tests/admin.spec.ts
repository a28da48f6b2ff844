import { test, expect } from "@playwright/test";
import { DEMO_PASSWORD, signIn, watchProblems } from "../support/page";

test("the admin issues an API token, sees it once, revokes it and finds both in the audit log", async ({ page }) => {
  const problems = watchProblems(page);

  await signIn(page, "quantri", DEMO_PASSWORD);
  await page.getByRole("link", { name: "Quản trị", exact: true }).click();
  await expect(page).toHaveURL(/\/admin$/);
  await expect(page.getByTestId("users").locator("tbody tr")).toHaveCount(7);
  await expect(page.getByTestId("admin")).toHaveAttribute("data-ready", "true");

  // The units a token may write are ticked by name, never typed as codes.
  await page.getByLabel(/Tên hệ thống/).fill("Hệ thống báo cáo Hà Nội (thử)");
  await page.getByTestId("token-units").getByLabel("Thành phố Hà Nội", { exact: true }).check();
  await page.getByRole("button", { name: "Cấp token" }).click();
  await expect(page.getByTestId("secret").locator("code")).toHaveText(/^dh_[A-Za-z0-9_-]{43}$/);
  const row = page.getByTestId("tokens").locator("tr", { hasText: "Hệ thống báo cáo Hà Nội (thử)" });
  await expect(row).toContainText("đang hiệu lực");
  await expect(row.locator("td").nth(3)).toHaveText("Thành phố Hà Nội (01)");
  await row.getByRole("button", { name: "Thu hồi" }).click();
  await expect(row).toContainText("đã thu hồi");

  // The audit log's filter offers the actions by name.
  await page.getByLabel(/Người thực hiện/).fill("quantri");
  await page.getByTestId("audit-action").selectOption({ label: "Thu hồi token" });
  await page.getByRole("button", { name: "Lọc" }).click();
  await expect(page).toHaveURL(/action=token_revoke/);
  await expect(page.getByTestId("audit").locator("tbody tr")).toHaveCount(1);
  await page.screenshot({ path: "artifacts/admin.png", fullPage: false });
  expect(problems, problems.join("\n")).toEqual([]);
});

test("a commune is found by name, without the marks, for an officer's account and for a token", async ({ page }) => {
  const problems = watchProblems(page);
  await signIn(page, "quantri", DEMO_PASSWORD);
  await page.goto("/admin");
  await expect(page.getByTestId("admin")).toHaveAttribute("data-ready", "true");

  // 3,321 communes are no list: typed without marks, "ba dinh" finds the three (Ba Đình in Hà Nội
  // and in Thanh Hóa, Ba Dinh in Quảng Ngãi), each with its province.
  await page.getByLabel("Tên đăng nhập", { exact: true }).fill("canbo.badinh");
  await page.getByLabel("Họ tên", { exact: true }).fill("Cán bộ Phường Ba Đình");
  await page.locator("select[name=role]").selectOption({ label: "Cán bộ báo cáo" });
  const picker = page.getByTestId("account-commune");
  await picker.getByRole("searchbox").fill("ba dinh");
  await expect(picker.locator("button.pick")).toHaveCount(3);
  await expect(picker.locator("button.pick").nth(2)).toContainText("Xã Ba Dinh (Quảng Ngãi)");
  await expect(picker.locator("button.pick").first()).toContainText("Phường Ba Đình (Thành phố Hà Nội)");
  await picker.locator('button.pick[data-code="00004"]').click();
  await expect(picker.locator(".chip")).toHaveText(/Phường Ba Đình \(Thành phố Hà Nội\)/);
  await expect(picker.getByRole("searchbox")).toHaveValue("");
  await expect(page.getByTestId("account-unit")).toHaveValue("");
  await page.getByRole("button", { name: "Tạo tài khoản", exact: true }).click();
  await expect(page.getByTestId("secret").first().locator("code")).toHaveText(/\S{20}/);
  await expect(page.getByTestId("users").locator("tr", { hasText: "canbo.badinh" })).toContainText("Cán bộ báo cáo (00004)");

  // A token for a ward: a ticked province and a ward found by name, sent together.
  await page.getByLabel(/Tên hệ thống/).fill("Một cửa Phường Ba Đình (thử)");
  await page.getByTestId("token-units").getByLabel("Thành phố Hà Nội", { exact: true }).check();
  const communes = page.getByTestId("token-communes");
  await communes.getByRole("searchbox").fill("phuong ba dinh");
  await expect(communes.locator("button.pick")).toHaveCount(1);
  await communes.getByRole("searchbox").press("Enter");
  await expect(communes.locator(".chip")).toHaveCount(1);
  // Nothing found says so.
  await communes.getByRole("searchbox").fill("khong co xa nay");
  await expect(communes.getByTestId("picker-none")).toBeVisible();
  await communes.getByRole("searchbox").fill("");
  await page.getByRole("button", { name: "Cấp token" }).click();
  const row = page.getByTestId("tokens").locator("tr", { hasText: "Một cửa Phường Ba Đình (thử)" });
  await expect(row.locator("td").nth(3)).toHaveText("Phường Ba Đình (00004), Thành phố Hà Nội (01)");
  expect(problems, problems.join("\n")).toEqual([]);
});

test("the admin page in English: every heading, list and audit line in English", async ({ page }) => {
  const problems = watchProblems(page);
  await signIn(page, "quantri", DEMO_PASSWORD);
  await page.goto("/admin");
  await expect(page.getByTestId("admin")).toHaveAttribute("data-ready", "true");
  await page.getByTestId("lang-switch").click();
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await expect(page.getByTestId("admin")).toHaveAttribute("data-ready", "true");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Administration");
  await expect(page.getByRole("heading", { name: "New API token" })).toBeVisible();
  await expect(page.getByTestId("token-units")).toContainText("Ministry of Finance");
  await expect(page.getByTestId("audit").locator("thead")).toContainText("Action");
  await page.goto("/admin?actor=quantri&action=sign_in");
  await expect(page.getByTestId("admin")).toHaveAttribute("data-ready", "true");
  await expect(page.getByTestId("audit").locator("tbody tr").first()).toContainText("Signed in");
  // No Vietnamese left in the page's own words (names of people and places aside).
  const text = await page.locator("main").innerText();
  for (const word of ["Tài khoản", "Nhật ký", "Thu hồi", "Lưu bố cục", "Ngày nghỉ"]) {
    expect(text).not.toContain(word);
  }
  expect(problems, problems.join("\n")).toEqual([]);
});

test("an officer is refused the admin page by the server and sees no admin link", async ({ page }) => {
  await signIn(page, "canbo.hanoi", DEMO_PASSWORD);
  await expect(page.getByRole("link", { name: "Quản trị", exact: true })).toHaveCount(0);
  const response = await page.goto("/admin");
  await expect(page.getByTestId("refused")).toContainText("không có quyền");
  await expect(page.getByTestId("users")).toHaveCount(0);
  expect(response?.status()).toBe(403);
});

test("the admin keeps the holidays: one added and removed; each regime's rules are on the regimes page", async ({ page }) => {
  const problems: string[] = [];
  page.on("pageerror", (e) => problems.push(e.message));
  await signIn(page, "quantri", DEMO_PASSWORD);
  await page.goto("/admin");
  await expect(page.getByTestId("admin")).toHaveAttribute("data-ready", "true");
  const panel = page.getByTestId("reporting");
  await panel.locator('input[name=day][type=date]').fill("2026-09-02");
  await panel.getByLabel(/Tên ngày nghỉ/).fill("Quốc khánh");
  await panel.getByRole("button", { name: "Thêm ngày nghỉ" }).click();
  const row = page.getByTestId("holidays").locator('tr[data-day="2026-09-02"]');
  await expect(row).toContainText("02/09/2026");
  await expect(row).toContainText("Quốc khánh");

  await expect(panel.getByTestId("regimes-link")).toHaveAttribute("href", "/admin/regimes");

  await row.getByRole("button", { name: "Xóa" }).click();
  await expect(page.getByTestId("holidays").locator("tbody tr")).toHaveCount(0);
  expect(problems, problems.join("\n")).toEqual([]);
});

test("a reporting officer finds what Hà Nội owes this week from the top bar", async ({ page }) => {
  await signIn(page, "canbo.hanoi", DEMO_PASSWORD);
  await page.getByTestId("entry-link").click();
  await expect(page).toHaveURL(/\/entry$/);
  const section = page.locator('[data-testid=due][data-unit="01"]');
  await expect(section.locator("h2")).toHaveText("Thành phố Hà Nội");
});
