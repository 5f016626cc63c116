/**
 * What the browser tests share: the real server on a fresh demo district, headless Debian Chromium, a page
 * that collects the browser's errors, and a staff member's sign-in with password and TOTP.
 */
import { mkdirSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { type Browser, type BrowserContext, type ConsoleMessage, chromium, type Page } from "playwright-core";
import { expect } from "vitest";
import { totpCode } from "../server/src/kernel/identity/totp";
import { freePort, ROOT, type ServerProcess, startServer, waitReady } from "../server/test/process";

export const SHOTS = path.join(ROOT, "e2e/screenshots");

/** An entry of DATA_DIR/demo-accounts.json. */
export interface DemoAccount {
  role: string;
  username: string;
  password: string;
  totpSecret: string | null;
  phone?: string;
}

export interface DemoDistrict {
  server: ServerProcess;
  accounts: DemoAccount[];
  account: (role: string) => DemoAccount;
  stop: () => Promise<void>;
}

/** The real server (main.ts) on a data folder of its own, seeded with the demo district. */
export async function startDemoDistrict(env: Record<string, string> = {}): Promise<DemoDistrict> {
  mkdirSync(SHOTS, { recursive: true });
  const dataDir = mkdtempSync(path.join(tmpdir(), "fourfold-e2e-"));
  const server = startServer({
    DATA_DIR: dataDir,
    PORT: String(await freePort()),
    LOG_LEVEL: "info",
    ...env,
  });
  await waitReady(server, 120_000);
  const accounts: DemoAccount[] = JSON.parse(readFileSync(path.join(dataDir, "demo-accounts.json"), "utf8"));
  return {
    server,
    accounts,
    account: (role) => {
      const found = accounts.find((a) => a.role === role);
      if (!found) throw new Error(`no demo account for ${role}`);
      return found;
    },
    stop: async () => {
      server.child.kill("SIGTERM");
      await server.exited;
    },
  };
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
}

export interface PageOptions {
  height?: number;
  storageState?: Awaited<ReturnType<BrowserContext["storageState"]>>;
  /** Console errors the test expects (beyond the session probe's 401 before sign-in). */
  expected?: (message: ConsoleMessage) => boolean;
}

/**
 * A page in a context of its own, as a user in China sees it: "today" in a date picker is Shanghai's
 * today also when the machine's clock is in UTC and the two dates differ (16:00–24:00 UTC). `errors`
 * collects the page's uncaught errors and the console's errors.
 */
export async function openPage(
  browser: Browser,
  width: number,
  options: PageOptions = {},
): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({
    viewport: { width, height: options.height ?? 900 },
    locale: "zh-CN",
    timezoneId: "Asia/Shanghai",
    ...(options.storageState ? { storageState: options.storageState } : {}),
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => {
    if (m.type() !== "error") return;
    // The browser logs every 4xx; the app's session probe answering 401 before sign-in is expected.
    if (/status of 401/.test(m.text()) || options.expected?.(m)) return;
    errors.push(m.text());
  });
  return { page, errors };
}

/** An antd input or text area by its test id (set on the control itself or on its wrapper). */
export const field = (page: Page, id: string) =>
  page
    .locator(
      `[data-testid="${id}"] input, [data-testid="${id}"] textarea, input[data-testid="${id}"], textarea[data-testid="${id}"]`,
    )
    .first();

/**
 * TOTP codes not used yet: the server refuses a code twice, so a second sign-in of one account within the
 * same 30-second step waits for the next one.
 */
export function totpCodes(): (who: DemoAccount) => Promise<string> {
  const lastStep = new Map<string, number>();
  return async (who) => {
    let step = Math.floor(Date.now() / 30_000);
    if (lastStep.get(who.username) === step) {
      await new Promise((r) => setTimeout(r, (step + 1) * 30_000 - Date.now() + 250));
      step += 1;
    }
    lastStep.set(who.username, step);
    return totpCode(who.totpSecret!, Date.now());
  };
}

/** Signs a staff member in from the sign-in page with password and a TOTP code. */
export async function signIn(page: Page, who: DemoAccount, totp: string) {
  await field(page, "login-staff-username").fill(who.username);
  await field(page, "login-staff-password").fill(who.password);
  await field(page, "login-staff-totp").fill(totp);
  await page.getByTestId("login-staff-submit").click();
}

export async function noHorizontalOverflow(page: Page) {
  const overflow = await page.evaluate("document.documentElement.scrollWidth - window.innerWidth");
  expect(typeof overflow).toBe("number");
  expect(overflow as number).toBeLessThanOrEqual(1);
}
