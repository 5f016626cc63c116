import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type DemoDistrict,
  field,
  launchChromium,
  noHorizontalOverflow,
  openPage,
  SHOTS,
  signIn,
  startDemoDistrict,
  totpCodes,
} from "./harness";

const ITEM = "个体工商户设立登记";

/** A file whose magic bytes make it a PDF: enough for the server's content check. */
const PDF = {
  name: "经营场所使用证明.pdf",
  mimeType: "application/pdf",
  buffer: Buffer.from(
    "%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n",
  ),
};

/** 一网通办 end to end: a citizen applies, the window accepts, the department decides, the window delivers. */
describe("service handling journey", () => {
  let district: DemoDistrict;
  let browser: Browser;
  const totp = totpCodes();
  /** A full-page screenshot from the top, so the fixed header stays at the top of the picture. */
  const shot = async (page: Page, name: string, fullPage = true) => {
    if (fullPage) await page.evaluate("window.scrollTo(0, 0)");
    await page.screenshot({ path: path.join(SHOTS, `services-${name}.png`), fullPage });
  };

  beforeAll(async () => {
    district = await startDemoDistrict({ TELEMETRY_SIMULATOR: "false" });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await district?.stop();
  });

  const url = (p: string) => `${district.server.url}${p}`;

  /** No spinner, skeleton, toast or dialog in motion: the screenshot shows what stays. */
  const settled = async (page: Page) => {
    await expect
      .poll(() =>
        page
          .locator(
            '.ant-spin-spinning, .ant-skeleton, .ant-message-notice, .ant-zoom-leave, .ant-zoom-appear, [class*="modal-mask-motion"]',
          )
          .count(),
      )
      .toBe(0);
    await page.waitForTimeout(400);
  };

  /** Citizens sign in with their password on the public tab. */
  async function signInCitizen(page: Page) {
    const citizen = district.account("citizen");
    await page.getByTestId("login-tab-public").click();
    await page.getByTestId("login-mode-password").click();
    await field(page, "login-public-username").fill(citizen.username);
    await field(page, "login-public-password").fill(citizen.password);
    await page.getByTestId("login-public-submit").click();
  }

  async function signInStaff(page: Page, role: string, next: string) {
    const who = district.account(role);
    await page.goto(url(next));
    await page.waitForURL(/\/login/);
    await signIn(page, who, await totp(who));
    await page.waitForURL((u) => u.pathname.startsWith(next.split("?")[0]!));
  }

  /** My applications, counted by the API in the page's own session. */
  const myTotal = (page: Page) =>
    page.evaluate(async () => {
      const r = await fetch("/api/services/applications?pageSize=1");
      return ((await r.json()) as { total: number }).total;
    });

  /** Finds the item by full-text search in the hall (or the kiosk) and opens its guide. */
  async function findItem(page: Page, search: string) {
    await field(page, search).fill("个体工商户");
    await page.keyboard.press("Enter");
    const card = page.locator(`[data-testid^="services-card-"][data-name="${ITEM}"]`);
    await expect.poll(() => card.count(), { timeout: 15_000 }).toBe(1);
    await card.click();
  }

  /** Fills what the registries could not, uploads the materials and checks the prefill tags. */
  async function fillApplication(page: Page) {
    const form = page.getByTestId("services-form");
    await expect.poll(() => form.isVisible(), { timeout: 15_000 }).toBe(true);
    // Pre-filled from the population base, each with the department that supplied it; the name is read-only.
    await expect
      .poll(() => page.getByTestId("services-prefill-applicantName").textContent())
      .toMatch(/由.+提供/);
    await expect.poll(() => page.getByTestId("services-prefill-idNumber").isVisible()).toBe(true);
    expect(await page.locator("#root_applicantName").inputValue()).not.toBe("");
    expect(await page.locator("#root_applicantName").isEditable()).toBe(false);
    expect(await page.locator("#root_phone").isEditable()).toBe(true);
    await page.locator("#root_premises").fill("广州市云溪区青竹街道青年路88号首层");
    await page.locator("#root_premisesArea").fill("36");
    await page.locator("#root_businessScope").fill("日用百货零售；文具用品零售");
    await form.getByText("个人经营", { exact: true }).click();
    await page.locator("#root_employees").fill("2");
    await page.locator("#root_capital").fill("5");
    await form.getByText("电子营业执照", { exact: true }).click();
    for (const code of ["application-form", "premises-proof"]) {
      await page.getByTestId(`services-material-input-${code}`).setInputFiles(PDF);
      await expect
        .poll(() => page.getByTestId(`services-material-${code}`).getAttribute("data-uploaded"), {
          timeout: 15_000,
        })
        .toBe("true");
    }
    await expect
      .poll(() =>
        page.getByTestId("services-material-premises-proof").getByTestId("services-file-hash").textContent(),
      )
      .toMatch(/^[0-9a-f]{12}/);
  }

  it("a citizen applies online, the window accepts, the department approves, the window delivers, the citizen rates", async () => {
    // ─── the citizen finds the item and applies ───────────────────────────────────────────────
    const { page, errors } = await openPage(browser, 1440);
    await page.goto(url("/citizen/services"));
    await page.waitForURL(/\/login/);
    await signInCitizen(page);
    await page.waitForURL(/\/citizen\/services/);
    await expect.poll(() => page.getByTestId("services-results").isVisible(), { timeout: 15_000 }).toBe(true);
    await settled(page);
    await shot(page, "01-hall");
    await findItem(page, "services-search");
    await expect.poll(() => page.getByTestId("services-guide-materials").isVisible()).toBe(true);
    await expect.poll(() => page.getByTestId("services-guide-shared").count()).toBeGreaterThan(0);
    await expect.poll(() => page.getByTestId("services-guide-legal-list").textContent()).toContain("条例");
    await settled(page);
    await shot(page, "02-guide");
    const before = await myTotal(page);
    await page.getByTestId("services-guide-apply").first().click();
    await page.waitForURL(/\/apply$/);

    // The form refuses to submit empty fields, in Chinese.
    await expect.poll(() => page.getByTestId("services-form").isVisible(), { timeout: 15_000 }).toBe(true);
    await page.getByTestId("services-apply-submit").click();
    await expect.poll(() => page.getByTestId("services-form").textContent()).toContain("必填");
    await fillApplication(page);
    await settled(page);
    await shot(page, "03-apply");

    // A double click submits once: one key per intent, and the button waits for the answer.
    await page.getByTestId("services-apply-submit").dblclick();
    await page.waitForURL(/\/citizen\/applications\/[^/]+\?submitted=1/, { timeout: 20_000 });
    const applicationId = new URL(page.url()).pathname.split("/").pop()!;
    expect(await myTotal(page)).toBe(before + 1);
    await expect.poll(() => page.getByTestId("services-submitted").isVisible()).toBe(true);
    await expect
      .poll(() => page.getByTestId("services-status").getAttribute("data-status"))
      .toBe("submitted");
    const receiptNo = (await page.getByTestId("services-receipt-no").textContent())!.trim();
    expect(receiptNo).toMatch(/^\d{20}$/);
    const qr = await page.getByTestId("services-receipt-qr").getAttribute("data-value");
    expect(qr).toContain(`/track/${receiptNo}?code=`);
    await settled(page);
    await shot(page, "04-submitted");

    // ─── the window accepts (受理) ───────────────────────────────────────────────────────────
    const clerk = await openPage(browser, 1440);
    await signInStaff(clerk.page, "clerk", "/office/services/desk");
    await clerk.page.getByTestId("services-desk-tab-accept").click();
    const row = clerk.page.getByTestId(`services-desk-row-${applicationId}`);
    await expect.poll(() => row.count(), { timeout: 15_000 }).toBe(1);
    await expect.poll(() => row.textContent()).toContain(receiptNo);
    await settled(clerk.page);
    await shot(clerk.page, "05-desk");
    await row.click();
    const detail = clerk.page.getByTestId("services-desk-application");
    await expect.poll(() => detail.getAttribute("data-status"), { timeout: 15_000 }).toBe("submitted");
    await expect.poll(() => clerk.page.getByTestId("services-files").textContent()).toContain(PDF.name);
    await clerk.page.getByTestId("services-action-accept").click();
    await clerk.page.getByTestId("services-action-ok").click();
    await expect.poll(() => detail.getAttribute("data-status"), { timeout: 15_000 }).toBe("accepted");
    await settled(clerk.page);
    await shot(clerk.page, "06-accepted");

    // ─── the market regulation bureau approves (审查决定) ───────────────────────────────────────
    const approver = await openPage(browser, 1440);
    await signInStaff(approver.page, "approver", "/office/services/desk");
    await approver.page.goto(url("/office/services/desk?box=review"));
    const review = approver.page.getByTestId(`services-desk-row-${applicationId}`);
    await expect.poll(() => review.count(), { timeout: 15_000 }).toBe(1);
    await review.click();
    await expect
      .poll(() => approver.page.getByTestId("services-desk-application").getAttribute("data-status"))
      .toBe("accepted");
    await approver.page.getByTestId("services-action-decide").click();
    await approver.page.getByTestId("services-action-approve").click();
    await field(approver.page, "services-action-opinion").fill("材料齐全，符合法定形式，准予登记。");
    await settled(approver.page);
    await shot(approver.page, "07-decide", false);
    await approver.page.getByTestId("services-action-ok").click();
    await expect
      .poll(() => approver.page.getByTestId("services-desk-application").getAttribute("data-status"), {
        timeout: 15_000,
      })
      .toBe("approved");
    expect(approver.errors).toEqual([]);

    // ─── the window delivers (送达) ───────────────────────────────────────────────────────────
    await clerk.page.goto(url("/office/services/desk?box=deliver"));
    const deliver = clerk.page.getByTestId(`services-desk-row-${applicationId}`);
    await expect.poll(() => deliver.count(), { timeout: 15_000 }).toBe(1);
    await deliver.click();
    await clerk.page.getByTestId("services-action-deliver").click();
    await clerk.page.getByTestId("services-action-method-online").click();
    await clerk.page.getByTestId("services-action-ok").click();
    await expect
      .poll(() => clerk.page.getByTestId("services-desk-application").getAttribute("data-status"), {
        timeout: 15_000,
      })
      .toBe("delivered");
    expect(clerk.errors).toEqual([]);

    // ─── the citizen sees the result and rates it (好差评) ───────────────────────────────────
    await page.goto(url(`/citizen/applications/${applicationId}`));
    await expect.poll(() => page.getByTestId("services-decision").getAttribute("data-approved")).toBe("true");
    await expect.poll(() => page.getByTestId("services-steps").getAttribute("data-status")).toBe("finish");
    await page.getByTestId("services-rating-5").click();
    for (const key of ["overall", "efficiency", "guide", "convenience", "usability"])
      await page.getByTestId(`services-indicator-${key}`).locator("li").nth(4).click();
    await field(page, "services-evaluation-comment").fill("全程网上办，一天就拿到了电子营业执照。");
    await page.getByTestId("services-evaluation-submit").click();
    await expect.poll(() => page.getByTestId("services-evaluation-done").textContent()).toContain("非常满意");
    await settled(page);
    await shot(page, "08-rated");

    // The receipt's QR code opens the public tracking page, signed in or not.
    const anonymous = await openPage(browser, 390, { height: 844 });
    await anonymous.page.goto(qr!);
    await expect
      .poll(() => anonymous.page.getByTestId("services-status").getAttribute("data-status"))
      .toBe("delivered");
    await noHorizontalOverflow(anonymous.page);
    await settled(anonymous.page);
    await shot(anonymous.page, "09-track-phone");
    expect(anonymous.errors).toEqual([]);

    // 电子监察 shows the district's board.
    await clerk.page.getByTestId("office-nav-services-supervision").click();
    await expect.poll(() => clerk.page.getByTestId("services-sup-departments").isVisible()).toBe(true);
    await expect
      .poll(() => clerk.page.getByTestId("services-sup-metrics-chart").getAttribute("data-ready"))
      .toBe("true");
    await settled(clerk.page);
    await shot(clerk.page, "10-supervision");
    expect(errors).toEqual([]);
  });

  it("a citizen applies on a 390 px phone", async () => {
    const { page, errors } = await openPage(browser, 390, { height: 844 });
    await page.goto(url("/citizen/services"));
    await page.waitForURL(/\/login/);
    await signInCitizen(page);
    await page.waitForURL(/\/citizen\/services/);
    await expect.poll(() => page.getByTestId("services-results").isVisible(), { timeout: 15_000 }).toBe(true);
    await noHorizontalOverflow(page);
    await settled(page);
    await shot(page, "11-hall-phone");
    await findItem(page, "services-search");
    await expect.poll(() => page.getByTestId("services-guide").isVisible()).toBe(true);
    await noHorizontalOverflow(page);
    await page.getByTestId("services-guide-apply").first().click();
    await page.waitForURL(/\/apply$/);
    await fillApplication(page);
    await noHorizontalOverflow(page);
    await settled(page);
    await shot(page, "12-apply-phone");
    await page.getByTestId("services-apply-submit").click();
    await page.waitForURL(/\/citizen\/applications\/[^/]+\?submitted=1/, { timeout: 20_000 });
    await expect.poll(() => page.getByTestId("services-receipt-qr").isVisible()).toBe(true);
    await noHorizontalOverflow(page);
    await settled(page);
    await shot(page, "13-submitted-phone");
    await page.goto(url("/citizen/applications"));
    await expect.poll(() => page.getByTestId("services-my-list").isVisible()).toBe(true);
    await noHorizontalOverflow(page);
    await settled(page);
    await shot(page, "14-my-phone");
    expect(errors).toEqual([]);
  });

  it("a citizen applies at the self-service kiosk and prints the receipt", async () => {
    const { page, errors } = await openPage(browser, 1080, { height: 1600 });
    await page.goto(url("/kiosk"));
    await expect.poll(() => page.getByTestId("kiosk-tiles").isVisible(), { timeout: 15_000 }).toBe(true);
    // Large type and touch-sized controls.
    const fontSize = Number(
      await page.evaluate(
        "parseFloat(getComputedStyle(document.querySelector('[data-testid=kiosk]')).fontSize)",
      ),
    );
    expect(fontSize).toBeGreaterThanOrEqual(20);
    const searchBox = await page.getByTestId("kiosk-search").locator("input").boundingBox();
    expect(searchBox!.height).toBeGreaterThanOrEqual(56);
    const tile = await page.locator('[data-testid^="kiosk-tile-"]').first().boundingBox();
    expect(tile!.height).toBeGreaterThanOrEqual(56);
    await settled(page);
    await shot(page, "15-kiosk-home");

    await findItem(page, "kiosk-search");
    await expect.poll(() => page.getByTestId("kiosk-guide").isVisible()).toBe(true);
    await page.getByTestId("kiosk-apply").click();
    // Applying needs a sign-in: the sign-in page brings the citizen back to the kiosk.
    await page.getByTestId("kiosk-sign-in").click();
    await page.waitForURL(/\/login/);
    await signInCitizen(page);
    await page.waitForURL(/\/kiosk\/services\/[^/]+\/apply$/, { timeout: 15_000 });
    await fillApplication(page);
    const submit = await page.getByTestId("services-apply-submit").boundingBox();
    expect(submit!.height).toBeGreaterThanOrEqual(56);
    const input = await page.locator("#root_premises").boundingBox();
    expect(input!.height).toBeGreaterThanOrEqual(56);
    await settled(page);
    await shot(page, "16-kiosk-apply");
    await page.getByTestId("services-apply-submit").click();
    await page.waitForURL(/\/kiosk\/receipt\//, { timeout: 20_000 });
    await expect.poll(() => page.getByTestId("services-receipt-qr").isVisible()).toBe(true);
    expect(await page.getByTestId("services-receipt-qr").getAttribute("data-value")).toMatch(
      /\/track\/\d{20}\?code=/,
    );
    await settled(page);
    await shot(page, "17-kiosk-receipt");
    // Printed, the receipt stands alone.
    await page.emulateMedia({ media: "print" });
    expect(await page.getByTestId("kiosk-home-button").isVisible()).toBe(false);
    await shot(page, "18-kiosk-receipt-print", false);
    await page.emulateMedia({ media: "screen" });
    expect(errors).toEqual([]);
  });

  it("the kiosk signs an idle user out after a minute, with a countdown first", async () => {
    const { page, errors } = await openPage(browser, 1080, { height: 1600 });
    await page.clock.install();
    await page.goto(url("/login"));
    await signInCitizen(page);
    await page.waitForURL(/\/citizen/);
    await page.goto(url("/kiosk"));
    await expect.poll(() => page.getByTestId("kiosk-sign-out").isVisible(), { timeout: 15_000 }).toBe(true);
    await page.clock.fastForward(51_000);
    await expect.poll(() => page.getByTestId("kiosk-idle-countdown").isVisible()).toBe(true);
    const seconds = Number(await page.getByTestId("kiosk-idle-countdown").getAttribute("data-seconds"));
    expect(seconds).toBeGreaterThan(0);
    expect(seconds).toBeLessThanOrEqual(10);
    await page.waitForTimeout(800);
    await shot(page, "19-kiosk-idle", false);
    await page.clock.fastForward(11_000);
    await expect.poll(() => page.getByTestId("kiosk-sign-out").count(), { timeout: 15_000 }).toBe(0);
    expect(new URL(page.url()).pathname).toBe("/kiosk");
    const me = await page.evaluate(async () => (await fetch("/api/auth/me")).status);
    expect(me).toBe(401);
    expect(errors.filter((e) => !/status of 401/.test(e))).toEqual([]);
  });
});
