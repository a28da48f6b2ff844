import { test, expect } from "@playwright/test";
import { OwnServer, BIN } from "../support/server";
import { OWN_SERVER_PASSWORD, signedIn, hydrated } from "../support/page";

// Notes on the record: a leader on a tablet notes a storm on the nation's consumer prices from
// the indicator page; the note appears as a band on the chart (its text when pointed at) and in
// the list under it without a reload; a range that ends before it starts is refused with the
// reason; the leader takes the note away and the band goes. On a server of its own.
test.skip(!BIN, "DIEUHANH_BIN is not set (scripts/test sets it)");

test("a leader notes a storm on a chart, sees it drawn, and takes it away", async ({ browser }) => {
  const server = new OwnServer();
  try {
    await server.start();
    const { page, problems } = await signedIn(browser, server.base, "lanhdao", OWN_SERVER_PASSWORD, {
      viewport: { width: 1024, height: 768 },
      hasTouch: true,
    });
    await page.goto(`${server.base}/indicators/CPI_YOY?unit=VN`);
    await hydrated(page);
    const chart = page.getByTestId("chart");
    await expect(chart).toBeVisible();
    await expect(chart.getByTestId("chart-note")).toHaveCount(0);
    const notes = page.getByTestId("notes");
    await notes.getByTestId("note-new").click();
    const form = notes.locator("details.note-new form");

    // The wrong way round: refused, nothing drawn.
    await form.getByTestId("note-from").fill("2026-09-09");
    await form.getByTestId("note-to").fill("2026-09-06");
    await form.getByTestId("note-text").fill("Bão Yagi");
    await form.getByTestId("note-units").selectOption({ label: "Chỉ Toàn quốc" });
    await form.getByTestId("note-save").click();
    await expect(notes.getByTestId("note-error")).toContainText("Ngày kết thúc trước ngày bắt đầu");
    await expect(chart.getByTestId("chart-note")).toHaveCount(0);

    await form.getByTestId("note-from").fill("2026-09-06");
    await form.getByTestId("note-to").fill("2026-09-09");
    await form.getByTestId("note-save").click();
    const band = chart.getByTestId("chart-note");
    await expect(band).toHaveCount(1);
    await expect(band.locator("title")).toHaveText("Ghi chú: Bão Yagi (06/09/2026 – 09/09/2026)");
    await expect(notes.getByTestId("note")).toContainText("06/09/2026 – 09/09/2026: Bão Yagi");
    // The band sits over September, inside the plot.
    const box = (await band.locator("rect").boundingBox())!;
    const plot = (await chart.boundingBox())!;
    expect(box.width).toBeGreaterThan(2);
    expect(box.x).toBeGreaterThanOrEqual(plot.x);
    expect(box.x + box.width).toBeLessThanOrEqual(plot.x + plot.width);

    await notes.getByTestId("note-remove").click();
    await expect(chart.getByTestId("chart-note")).toHaveCount(0);
    await expect(notes.getByTestId("note")).toHaveCount(0);
    // The refusal above is the server's 422, which the browser logs as a failed request; any
    // other problem fails the test.
    expect(problems.filter((p) => !p.includes("status of 422"))).toEqual([]);
    expect(problems.filter((p) => p.includes("status of 422"))).toHaveLength(1);
  } finally {
    await server.stop();
  }
});
