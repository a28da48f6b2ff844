import { test, expect, Page } from "@playwright/test";
import { OwnServer, BIN } from "../support/server";
import { OWN_SERVER_PASSWORD, signedIn, vnDay } from "../support/page";

// A server of its own: the tasks counted on the wall are this test's alone.
test.skip(!BIN, "DIEUHANH_BIN is not set (scripts/test sets it)");

async function count(page: Page, testid: string): Promise<number> {
  return Number((await page.getByTestId(testid).textContent())!.trim());
}

test("the secretariat holds a meeting and assigns BTC a task due in 3 days; BTC reports it done; the open wall counts it without a reload", async ({ browser }) => {
  const server = new OwnServer();
  try {
    await server.prepare();
    const link = server.cli("display", "create", "--name", "Phòng theo dõi nhiệm vụ", "--pages", "tasks", "--rotate", "0");
    await server.start();

    // The wall, open before the meeting.
    const screen = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
    const wall = await screen.newPage();
    const wallProblems: string[] = [];
    wall.on("pageerror", (e) => wallProblems.push(e.message));
    const url = new URL(link, server.base);
    await wall.goto(server.base + url.pathname + url.search);
    await wall.locator("body[data-hydrated=true]").waitFor({ state: "attached" });
    await expect(wall.getByTestId("link")).toHaveAttribute("data-state", "open");
    await expect(wall.getByTestId("wall-tasks")).toBeVisible();
    const inProgress = await count(wall, "wall-tasks-in-progress");
    const onTime = await count(wall, "wall-tasks-on-time");

    // The secretariat schedules the meeting: two agenda items, a document attached to the first.
    const vp = await signedIn(browser, server.base, "vanphong", OWN_SERVER_PASSWORD);
    const page = vp.page;
    await page.goto(`${server.base}/meetings/new`);
    const form = page.getByTestId("meeting-form");
    await expect(form).toHaveAttribute("data-ready", "true");
    // An empty title and markup are refused beside their fields; nothing is stored.
    await page.getByTestId("meeting-chair").fill("<b>Thủ tướng</b>");
    await page.getByTestId("save-meeting").click();
    await expect(form.locator("[data-field=title]")).toContainText("cần nhập");
    await expect(form.locator("[data-field=chair]")).toContainText("HTML");
    await page.getByTestId("meeting-title").fill("Phiên họp Chính phủ thường kỳ tháng 11 năm 2026");
    await page.getByTestId("meeting-starts_at").fill(`${vnDay(0)}T08:30`);
    await page.getByTestId("meeting-place").fill("Trụ sở Chính phủ, 1 Hoàng Hoa Thám, Hà Nội");
    await page.getByTestId("meeting-chair").fill("Thủ tướng Chính phủ");
    const rows = page.getByTestId("agenda-row");
    await rows.nth(0).getByTestId("agenda-title").fill("Tình hình kinh tế - xã hội tháng 11");
    await rows.nth(0).getByTestId("agenda-presenter").selectOption("BTC");
    await rows.nth(0).getByTestId("agenda-doc-file").setInputFiles({ name: "Báo cáo KT-XH.pdf", mimeType: "application/pdf", buffer: Buffer.from("%PDF-1.7 bao cao") });
    await expect(rows.nth(0).locator(".attach-ok")).toContainText("Báo cáo KT-XH.pdf");
    // A program is refused in the browser before any byte is sent.
    await page.getByTestId("add-agenda").click();
    await rows.nth(1).getByTestId("agenda-doc-file").setInputFiles({ name: "setup.exe", mimeType: "application/octet-stream", buffer: Buffer.from("MZ") });
    await expect(rows.nth(1).locator(".field-error").last()).toContainText("Không nhận tệp");
    await rows.nth(1).getByTestId("agenda-title").fill("Giải ngân vốn đầu tư công");
    await rows.nth(1).getByTestId("agenda-presenter").selectOption("01");
    await page.getByTestId("save-meeting").click();
    await expect(page).toHaveURL(/\/meetings\/\d+$/);
    await expect(page.getByTestId("meeting-heading")).toHaveText("Phiên họp Chính phủ thường kỳ tháng 11 năm 2026");
    await expect(page.getByTestId("agenda-item")).toHaveCount(2);
    await expect(page.getByTestId("agenda-item").first().getByRole("link", { name: "Báo cáo KT-XH.pdf" })).toHaveAttribute("href", /\/attachments\/\d+/);

    // The conclusion assigns BTC a task due in 3 days.
    const conclusion = page.getByTestId("conclusion-form");
    await expect(conclusion).toHaveAttribute("data-ready", "true");
    await page.getByTestId("conclusion-number").fill("123/TB-VPCP");
    await page.getByTestId("conclusion-date").fill(vnDay(0));
    await page.getByTestId("conclusion-summary").fill("Kết luận của Thủ tướng Chính phủ tại phiên họp thường kỳ tháng 11.");
    await page.getByTestId("task-content").fill("Hoàn thiện báo cáo đánh giá thu ngân sách nhà nước năm 2026");
    await page.getByTestId("task-lead").selectOption("BTC");
    await page.getByTestId("task-deadline").fill(vnDay(3));
    await page.getByTestId("save-conclusion").click();
    const line = page.getByTestId("conclusion").getByTestId("task-line");
    await expect(line).toHaveCount(1);
    await expect(line).toContainText("Bộ Tài chính");
    await expect(line).toContainText("còn 3 ngày");
    await page.screenshot({ path: "artifacts/meeting.png", fullPage: true });
    const href = (await line.getByRole("link").getAttribute("href"))!;

    // The wall counts the new task, live.
    await expect(wall.getByTestId("wall-tasks-in-progress")).toHaveText(String(inProgress + 1), { timeout: 5_000 });

    // Hà Nội's officer cannot report on BTC's task.
    const hanoi = await signedIn(browser, server.base, "canbo.hanoi", OWN_SERVER_PASSWORD);
    await hanoi.page.goto(server.base + href);
    await expect(hanoi.page.getByTestId("task")).toHaveAttribute("data-ready", "true");
    await expect(hanoi.page.getByTestId("progress-form")).toHaveCount(0);

    // BTC's officer reports it done: with nothing to show for it, it is refused; with the
    // reporting document's number and date, it waits for the Government Office.
    const btc = await signedIn(browser, server.base, "canbo.btc", OWN_SERVER_PASSWORD);
    await btc.page.goto(server.base + href);
    await expect(btc.page.getByTestId("task")).toHaveAttribute("data-ready", "true");
    await btc.page.getByTestId("progress-kind").selectOption("done");
    await btc.page.getByTestId("progress-note").fill("Đã trình Thủ tướng báo cáo đánh giá.");
    await btc.page.getByTestId("send-progress").click();
    await expect(btc.page.getByTestId("progress-form")).toContainText("Cần minh chứng hoàn thành");
    await btc.page.getByTestId("progress-document").fill("1234/BTC-NSNN ngày hôm nay");
    await btc.page.getByTestId("send-progress").click();
    await expect(btc.page.getByTestId("saved")).toContainText("Đã gửi báo cáo nhiệm vụ");
    await expect(btc.page.getByTestId("awaiting")).toContainText("chờ Văn phòng Chính phủ xác nhận");
    await expect(btc.page.getByTestId("task-class")).toHaveText("Chưa đến hạn, đang thực hiện");
    await expect(btc.page.getByTestId("history-item").first()).toContainText("Báo cáo hoàn thành");
    await expect(btc.page.getByTestId("history-item").first()).toContainText("1234/BTC-NSNN");
    await expect(wall.getByTestId("wall-tasks-in-progress")).toHaveText(String(inProgress + 1));

    // The secretariat confirms it: now it is done.
    await vp.page.goto(server.base + href);
    await expect(vp.page.getByTestId("task")).toHaveAttribute("data-ready", "true");
    await vp.page.getByTestId("confirm-done").click();
    await expect(vp.page.getByTestId("saved")).toContainText("Đã ghi ý kiến về báo cáo hoàn thành");
    await expect(vp.page.getByTestId("task-class")).toHaveText("Chưa đến hạn, đã hoàn thành");
    await expect(vp.page.getByTestId("history-item").first()).toContainText("xác nhận hoàn thành");

    // The wall moves the task from in progress to done, without a reload.
    await expect(wall.getByTestId("wall-tasks-in-progress")).toHaveText(String(inProgress), { timeout: 5_000 });
    await expect(wall.getByTestId("wall-tasks-on-time")).toHaveText(String(onTime + 1));
    await wall.screenshot({ path: "artifacts/wall-tasks.png" });

    expect(vp.problems, vp.problems.join("\n")).toEqual([]);
    expect(btc.problems, btc.problems.join("\n")).toEqual([]);
    expect(wallProblems, wallProblems.join("\n")).toEqual([]);
    await screen.close();
  } finally {
    await server.dispose();
  }
});
