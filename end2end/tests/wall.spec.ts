import { test, expect } from "@playwright/test";
import { DEMO_PASSWORD } from "../support/page";

test("a wall screen opened once with its link stays in, without the token in its address", async ({ page, browser }) => {
  await page.goto("/login");
  await page.getByLabel(/Tên đăng nhập/).fill("quantri");
  await page.getByLabel(/Mật khẩu/).fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Đăng nhập", exact: true }).click();
  await page.goto("/admin");
  await expect(page.getByTestId("admin")).toHaveAttribute("data-ready", "true");
  const name = `Phòng họp ${Date.now()}`;
  await page.getByLabel(/Tên màn hình/).fill(name);
  await page.getByRole("button", { name: "Thêm màn hình" }).click();
  const link = await page.getByTestId("secret").locator("code").last().textContent();
  // The whole address to type on the screen: this site's, with the display token.
  expect(link).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/wall\/\d+\?token=dh_/);

  // The screen: a browser with no session at all.
  const screen = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
  const wall = await screen.newPage();
  const problems: string[] = [];
  wall.on("console", (m) => { if (m.type() === "error") problems.push(m.text()); });
  wall.on("pageerror", (e) => problems.push(e.message));
  await wall.goto(link!);
  await expect(wall).toHaveURL(/\/wall\/\d+$/);
  await expect(wall.getByTestId("display-name")).toHaveText(name);
  await expect(wall.getByTestId("tile")).toHaveCount(12);
  await expect(wall.locator("header.topbar")).toBeHidden();
  await wall.reload();
  await expect(wall.getByTestId("display-name")).toHaveText(name);
  await expect(wall.locator("input[type=password]")).toHaveCount(0);
  await wall.locator("body[data-hydrated=true]").waitFor({ state: "attached" });
  await wall.screenshot({ path: "artifacts/wall-first-open.png" });
  expect(problems, problems.join("\n")).toEqual([]);
  await screen.close();
});
