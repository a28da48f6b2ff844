import { test, expect } from "@playwright/test";
import { DEMO_PASSWORD } from "../support/page";

test("the Hà Nội officer signs in, signs out, and the back button shows nothing private", async ({ page }) => {
  expect(DEMO_PASSWORD, "scripts/test sets DIEUHANH_DEMO_PASSWORD").not.toBe("");
  const problems: string[] = [];
  page.on("console", (m) => { if (m.type() === "error") problems.push(m.text()); });
  page.on("pageerror", (e) => problems.push(e.message));

  await page.goto("/login");
  await page.getByLabel(/Tên đăng nhập/).fill("canbo.hanoi");
  await page.getByLabel(/Mật khẩu/).fill("sai mật khẩu");
  await page.getByRole("button", { name: "Đăng nhập", exact: true }).click();
  await expect(page.getByTestId("login-error")).toContainText("không đúng");

  await page.getByLabel(/Tên đăng nhập/).fill("canbo.hanoi");
  await page.getByLabel(/Mật khẩu/).fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Đăng nhập", exact: true }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByTestId("viewer-name")).toHaveText("Cán bộ báo cáo Hà Nội (demo)");
  const cookies = await page.context().cookies();
  const session = cookies.find((c) => c.name === "dieuhanh_session");
  expect(session?.httpOnly).toBe(true);
  expect(session?.sameSite).toBe("Lax");

  await page.getByRole("button", { name: "Đăng xuất", exact: true }).click();
  await expect(page.getByRole("link", { name: "Đăng nhập" })).toBeVisible();
  await page.goBack();
  await expect(page.getByTestId("viewer-name")).toHaveCount(0);
  expect(problems, problems.join("\n")).toEqual([]);
});
