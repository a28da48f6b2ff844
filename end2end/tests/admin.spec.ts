import { test, expect, Page } from "@playwright/test";

const PASSWORD = process.env.DIEUHANH_DEMO_PASSWORD ?? "";

async function signIn(page: Page, username: string) {
  await page.goto("/login");
  await page.getByLabel(/Tên đăng nhập/).fill(username);
  await page.getByLabel(/Mật khẩu/).fill(PASSWORD);
  await page.getByRole("button", { name: "Đăng nhập", exact: true }).click();
  await expect(page.getByTestId("viewer-name")).toBeVisible();
}

test("the admin issues an API token, sees it once, revokes it and finds both in the audit log", async ({ page }) => {
  const problems: string[] = [];
  page.on("console", (m) => { if (m.type() === "error") problems.push(m.text()); });
  page.on("pageerror", (e) => problems.push(e.message));

  await signIn(page, "quantri");
  await page.getByRole("link", { name: "Quản trị", exact: true }).click();
  await expect(page).toHaveURL(/\/admin$/);
  await expect(page.getByTestId("users").locator("tbody tr")).toHaveCount(7);
  await page.locator("body[data-hydrated=true]").waitFor({ state: "attached" });

  await page.getByLabel(/Tên hệ thống/).fill("Hệ thống báo cáo Hà Nội (thử)");
  await page.getByLabel(/Đơn vị được ghi/).fill("01");
  await page.getByRole("button", { name: "Cấp token" }).click();
  await expect(page.getByTestId("secret").locator("code")).toHaveText(/^dh_[A-Za-z0-9_-]{43}$/);
  const row = page.getByTestId("tokens").locator("tr", { hasText: "Hệ thống báo cáo Hà Nội (thử)" });
  await expect(row).toContainText("đang hiệu lực");
  await row.getByRole("button", { name: "Thu hồi" }).click();
  await expect(row).toContainText("đã thu hồi");

  await page.goto("/admin?actor=quantri&action=token_revoke");
  await expect(page.getByTestId("audit").locator("tbody tr")).toHaveCount(1);
  await page.screenshot({ path: "artifacts/admin.png", fullPage: false });
  expect(problems, problems.join("\n")).toEqual([]);
});

test("an officer is refused the admin page by the server and sees no admin link", async ({ page }) => {
  await signIn(page, "canbo.hanoi");
  await expect(page.getByRole("link", { name: "Quản trị", exact: true })).toHaveCount(0);
  const response = await page.goto("/admin");
  await expect(page.getByTestId("refused")).toContainText("không có quyền");
  await expect(page.getByTestId("users")).toHaveCount(0);
  expect(response?.status()).toBe(403);
});
