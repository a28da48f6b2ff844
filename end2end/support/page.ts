// What the specs share about pages: signing in through the form, watching for errors, waiting
// for hydration, and the numbers and dates as the screens write them.
import { expect, Browser, BrowserContextOptions, Page } from "@playwright/test";

/** The demo accounts' password of the server scripts/test starts (the specs' `baseURL`). */
export const DEMO_PASSWORD = process.env.DIEUHANH_DEMO_PASSWORD ?? "";
/** The demo accounts' password of an `OwnServer` (support/server.ts). */
export const OWN_SERVER_PASSWORD = "e2e-own-server-pass";

/** Collects console errors and uncaught exceptions of `page`; a spec expects it empty. */
export function watchProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on("console", (m) => { if (m.type() === "error") problems.push(`console: ${m.text()}`); });
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  return problems;
}

/** The wasm entry point marks <body data-hydrated="true"> once the page is live. */
export async function hydrated(page: Page, timeout = 30_000) {
  await page.locator("body[data-hydrated=true]").waitFor({ state: "attached", timeout });
}

/** Signs `username` in through the form at `base` (the specs' baseURL when empty). */
export async function signIn(page: Page, username: string, password: string, base = "") {
  await page.goto(`${base}/login`);
  await page.getByLabel(/Tên đăng nhập/).fill(username);
  await page.getByLabel(/Mật khẩu/).fill(password);
  await page.getByRole("button", { name: "Đăng nhập", exact: true }).click();
  await expect(page.getByTestId("viewer-name")).toBeVisible();
}

/** A new browser context (a person's own computer) signed in as `username` at `base`, with
 *  its problems watched. */
export async function signedIn(
  browser: Browser,
  base: string,
  username: string,
  password: string,
  options: BrowserContextOptions = {},
): Promise<{ page: Page; problems: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, ...options });
  const page = await context.newPage();
  const problems = watchProblems(page);
  await signIn(page, username, password, base);
  await expect(page).toHaveURL(`${base}/`);
  return { page, problems };
}

/** 1234.5 → "1.234,5", as the screens write numbers. */
export function vi(value: number, decimals: number): string {
  const [int, frac] = value.toFixed(decimals).split(".");
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ".");
  return frac ? `${grouped},${frac}` : grouped;
}

/** "1.234,5" → 1234.5 */
export function parseVi(text: string): number {
  return Number(text.trim().replace(/\./g, "").replace(",", "."));
}

/** Viet Nam's date `days` from today (UTC+7, no daylight saving), as YYYY-MM-DD: the servers
 *  these specs start run on the real clock. */
export function vnDay(days = 0): string {
  return new Date(Date.now() + 7 * 3600 * 1000 + days * 86400 * 1000).toISOString().slice(0, 10);
}

/** The newest monthly period that has started in Viet Nam: the one the wall shows. */
export function thisMonth(): string {
  return vnDay().slice(0, 7);
}
