import { test, expect } from "@playwright/test";
import { OwnServer, BIN } from "../support/server";
import { OWN_SERVER_PASSWORD, signedIn, hydrated } from "../support/page";

// Issue 25's path on a server of its own: a leader on a tablet opens the scorecard, sees the
// provinces off track on GRDP against their targets worst first, asks the worst one to explain;
// that province's officer finds the request on their desk and answers; the answer is marked on
// the leader's chart without a reload, the wall's count moves, and the downloaded data carries
// it; the leader accepts it.
test.skip(!BIN, "DIEUHANH_BIN is not set (scripts/test sets it)");

test("a leader asks the worst province to explain, its officer answers, the answer reaches the chart, the wall and the export", async ({ browser }) => {
  const server = new OwnServer();
  try {
    await server.prepare();
    const link = server.cli("display", "create", "--name", "Phòng điều hành", "--pages", "at_risk", "--rotate", "0");
    await server.start();

    // The leader, on a tablet.
    const leader = await signedIn(browser, server.base, "lanhdao", OWN_SERVER_PASSWORD, {
      viewport: { width: 1024, height: 768 },
      hasTouch: true,
    });
    const page = leader.page;
    await page.getByTestId("scorecard-link").click();
    await expect(page).toHaveURL(/\/scorecard/);
    const table = page.getByTestId("scorecard");
    await expect(table.locator("thead [data-code=GRDP_GROWTH]")).toBeVisible();
    const rows = table.locator("tbody tr");
    await expect(rows).toHaveCount(34);
    // Red first: the first row is off track (the demo sets some provinces' plans above their pace).
    const first = rows.first();
    await expect(first.locator("td")).toHaveAttribute("data-standing", "off_track");
    const worst = (await first.getAttribute("data-unit"))!;
    const worstName = (await first.locator("th").textContent())!.trim();
    const counts = page.getByTestId("counts");
    await expect(counts.locator("[data-count=off_track]")).toBeVisible();
    await hydrated(page);

    // The wall, open before the question.
    const screen = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
    const wall = await screen.newPage();
    const url = new URL(link, server.base);
    await wall.goto(server.base + url.pathname + url.search);
    await hydrated(wall);
    await expect(wall.getByTestId("link")).toHaveAttribute("data-state", "open");
    await expect(wall.getByTestId("wall-at-risk-row").first()).toHaveAttribute("data-unit", worst);
    await expect(wall.getByTestId("wall-explanations-open")).toHaveText("0");

    // The tap leads to the province's GRDP page; the leader asks.
    await first.locator("td a").click();
    await expect(page).toHaveURL(new RegExp(`/indicators/GRDP_GROWTH\\?unit=${worst}`));
    await hydrated(page);
    const ask = page.getByTestId("ask-form");
    await ask.locator("summary").click();
    // An empty question is refused with the reason; nothing is sent.
    await page.getByTestId("ask").click();
    await expect(ask.getByTestId("refused")).toContainText("cần nhập");
    // The refusal is the server's 422, which the browser logs: expected here, and only here.
    expect(leader.problems.splice(0)).toEqual([
      "console: Failed to load resource: the server responded with a status of 422 (Unprocessable Entity)",
    ]);
    await page.getByTestId("ask-text").fill("Đề nghị tỉnh giải trình vì sao tăng trưởng GRDP thấp hơn kế hoạch quý.");
    await page.getByTestId("ask").click();
    const card = page.getByTestId("explanation");
    await expect(card).toHaveAttribute("data-state", "open");
    const period = (await page.locator("[data-testid=chart-mark]").first().getAttribute("data-period"))!;
    await expect(wall.getByTestId("wall-explanations-open")).toHaveText("1");
    await expect(wall.locator(`[data-testid=wall-at-risk-row][data-unit="${worst}"]`)).toContainText("Đã yêu cầu giải trình");

    // The province's officer (an account the administrator makes) sees it at the top of the desk.
    const password = server.cli("user", "create", "--username", "canbo.tinh", "--name", `Cán bộ ${worstName}`, "--role", `officer:${worst}`);
    const officer = await signedIn(browser, server.base, "canbo.tinh", password);
    const desk = officer.page;
    await desk.goto(`${server.base}/entry`);
    await hydrated(desk);
    const waiting = desk.getByTestId("waiting-explanations");
    await expect(waiting.getByTestId("explanation")).toHaveAttribute("data-unit", worst);
    await waiting.getByTestId("answer-text").fill("Sản xuất công nghiệp giảm do bão; tỉnh đẩy nhanh giải ngân đầu tư công trong quý IV.");
    // With the province's report attached: uploaded when chosen, sent with the answer.
    await waiting.getByTestId("answer-attach").setInputFiles({ name: "bao-cao-giai-trinh.pdf", mimeType: "application/pdf", buffer: Buffer.from("%PDF-1.4\n% bao cao\n") });
    await expect(waiting.getByTestId("answer-files")).toContainText("bao-cao-giai-trinh.pdf");
    await waiting.getByTestId("send-answer").click();
    await expect(waiting).toHaveCount(0);

    // The leader's page marks the answer on the chart without a reload; the wall counts it.
    const mark = page.locator(`[data-testid=chart-mark][data-period="${period}"] circle`);
    await expect(mark).toHaveClass(/answered/);
    await expect(mark.locator("title")).toContainText("Sản xuất công nghiệp giảm do bão");
    await expect(card).toHaveAttribute("data-state", "answered");
    await expect(card).toContainText("đẩy nhanh giải ngân");
    await expect(card.getByTestId("answer-file")).toHaveText("bao-cao-giai-trinh.pdf");
    await expect(wall.getByTestId("wall-explanations-open")).toHaveText("0");
    await expect(wall.getByTestId("wall-explanations-on-time")).toHaveText("1");
    await expect(wall.locator(`[data-testid=wall-at-risk-row][data-unit="${worst}"]`)).toContainText("Đã giải trình");

    // The data the leader downloads carries the answer at its period.
    const csv = await (await page.request.get(`${server.base}/indicators/GRDP_GROWTH/data.csv?unit=${worst}`)).text();
    const line = csv.split("\n").find((l) => l.includes(`,${period},`));
    expect(line).toContain("Giải trình: Sản xuất công nghiệp giảm do bão");
    expect(line).toContain("— Tệp: bao-cao-giai-trinh.pdf");

    // The leader accepts; the province's page counts one answered on time.
    await card.getByTestId("accept").click();
    await expect(card).toHaveAttribute("data-state", "accepted");
    await page.goto(`${server.base}/units/${worst}`);
    await expect(page.getByTestId("unit-explanations")).toContainText("1 trả lời đúng hạn");
    expect(leader.problems).toEqual([]);
    expect(officer.problems).toEqual([]);
  } finally {
    await server.dispose();
  }
});
