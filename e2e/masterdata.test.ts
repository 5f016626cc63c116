import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { citizenIdCheckChar } from "../server/src/kernel/identity/identifiers";
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

const CODE = "ca-e2e-survey";
const NAME = "网格入户调查（测试）";

/** A valid citizen ID number born on `birth` (YYYYMMDD) with this sequence. */
const idOf = (birth: string, seq: string) => {
  const first = `440120${birth}${seq}`;
  return first + citizenIdCheckChar(first);
};
/** The same with its check character wrong: kept, flagged invalid, matched by similarity only. */
const mistyped = (birth: string, seq: string) => {
  const good = idOf(birth, seq);
  return good.slice(0, 17) + (good[17] === "1" ? "2" : "1");
};

// Ten rows of the civil affairs bureau's survey; line 9 (E8) lacks columns, and E9 is E1 again without an
// ID number and with another phone and address: close enough to be queued for review, maybe.
const CSV = [
  "档案号,姓名,身份证号,性别,出生日期,手机,现住址",
  `E1,端木晓彤,${idOf("19910412", "821")},女,1991-04-12,13912340001,广州市云溪区花城街道花城大道18号3栋702房`,
  `E2,端木建华,${idOf("19680930", "833")},男,1968-09-30,13912340002,广州市云溪区江畔街道滨江路21号`,
  `E3,端木明远,${idOf("19850101", "845")},男,1985-01-01,13912340003,广州市云溪区北岭街道岭南路5号`,
  `E4,端木秀兰,${idOf("19520716", "862")},女,1952-07-16,,广州市云溪区老城街道中山路9号`,
  `E5,端木国强,${idOf("19791123", "873")},男,1979-11-23,13912340005,广州市云溪区花城街道花城大道66号`,
  `E6,端木丽娜,${idOf("20010305", "884")},女,2001-03-05,13912340006,广州市云溪区江畔街道滨江路7号`,
  `E7,端木志刚,${idOf("19930818", "895")},男,1993-08-18,13912340007,广州市云溪区北岭街道岭南路30号`,
  "E8,端木缺列",
  "E9,端木晓彤,,女,1991-04-12,13111112222,广州市云溪区老城街道解放路200号",
  `E10,端木无号,${mistyped("19870214", "906")},男,1987-02-14,13912340010,广州市云溪区花城街道花城大道99号`,
].join("\n");

/** 一网共享 → 主数据: a data officer registers a source, loads a file, reviews a pair and traces a record. */
describe("master data journey", () => {
  let district: DemoDistrict;
  let browser: Browser;
  let session: Awaited<ReturnType<BrowserContext["storageState"]>> | null = null;
  let csvPath: string;
  const totp = totpCodes();
  const shot = (page: Page, name: string, fullPage = false) =>
    page.screenshot({ path: path.join(SHOTS, `masterdata-${name}.png`), fullPage });

  beforeAll(async () => {
    district = await startDemoDistrict({ TELEMETRY_SIMULATOR: "false" });
    browser = await launchChromium();
    csvPath = path.join(mkdtempSync(path.join(tmpdir(), "fourfold-master-")), "survey.csv");
    writeFileSync(csvPath, CSV);
  });
  afterAll(async () => {
    await browser?.close();
    await district?.stop();
  });

  /** No spinner turning, no toast, and no dialog or drawer moving: the screenshot shows what stays. */
  const settled = async (page: Page) => {
    await expect
      .poll(() =>
        page
          .locator(
            '.ant-spin-spinning, .ant-message-notice, .ant-zoom-leave, .ant-zoom-appear, [class*="drawer-panel-motion"], [class*="drawer-mask-motion"]',
          )
          .count(),
      )
      .toBe(0);
    await page.waitForTimeout(400);
  };

  it("a data officer registers a source from a sample file, loads it, reviews a pair and traces a person", async () => {
    const officer = district.account("dataofficer");
    const { page, errors } = await openPage(browser, 1440);
    await page.goto(`${district.server.url}/datahub/master`);
    await page.waitForURL(/\/login/);
    await signIn(page, officer, await totp(officer));
    await page.waitForURL(/\/datahub\/master/);
    session = await page.context().storageState();
    await expect
      .poll(() => page.getByTestId("master-sources-table").isVisible(), { timeout: 15_000 })
      .toBe(true);
    await settled(page);
    await shot(page, "01-sources", true);

    // 登记数据源: the sample file's header fills the mapping and names the key column.
    await page.getByTestId("master-source-register").click();
    await field(page, "master-source-field-name").fill(NAME);
    await field(page, "master-source-field-code").fill(CODE);
    await page.getByTestId("master-source-sample-file").setInputFiles(csvPath);
    await expect
      .poll(() => page.locator('[data-testid^="master-mapping-"][data-testid$="-column"]').count())
      .toBe(7);
    await expect.poll(() => field(page, "master-source-field-keyColumn").inputValue()).toBe("档案号");
    await expect.poll(() => page.getByTestId("master-mapping-1-field").textContent()).toContain("姓名");
    await expect
      .poll(() => page.getByTestId("master-mapping-2-field").textContent())
      .toContain("公民身份号码");
    await settled(page);
    await shot(page, "02-register");
    await page.getByTestId("master-source-submit").click();

    // The new source opens; its file loads and the report names the bad row by its line.
    const detail = page.getByTestId(`master-source-detail-${CODE}`);
    await expect.poll(() => detail.isVisible(), { timeout: 15_000 }).toBe(true);
    await expect.poll(() => page.getByTestId("master-source-mapping").textContent()).toContain("现住址");
    await page.getByTestId("master-import-file").setInputFiles(csvPath);
    await expect
      .poll(() => page.getByTestId("master-import-file-name").textContent())
      .toContain("survey.csv");
    await page.getByTestId("master-import-submit").click();
    const report = page.getByTestId("master-report");
    await expect.poll(() => report.getAttribute("data-status"), { timeout: 30_000 }).toBe("completed");
    const count = (name: string) => page.getByTestId(`master-report-${name}`).getAttribute("data-value");
    expect(await count("rowsRead")).toBe("10");
    expect(await count("rowsRejected")).toBe("1");
    expect(await count("inserted")).toBe("9");
    expect(Number(await count("invalidValues"))).toBeGreaterThanOrEqual(1);
    await expect.poll(() => page.getByTestId("master-report-problem-9").textContent()).toMatch(/9.*列/);
    const toReview = Number(await count("toReview"));
    await expect
      .poll(() => page.locator('[data-testid^="master-load-row-"]').count())
      .toBeGreaterThanOrEqual(1);
    await report.scrollIntoViewIfNeeded();
    await settled(page);
    await shot(page, "03-report");

    // The source is in the list with its records and a quality score.
    await page.getByTestId("master-source-drawer").locator(".ant-drawer-close").click();
    await expect.poll(() => page.getByTestId(`master-source-row-${CODE}`).textContent()).toMatch(/9[\s\S]*%/);

    // 待核对: a pair of this source, if the load queued one, is compared and decided.
    await page.getByTestId("datahub-nav-master-reviews").click();
    await page.waitForURL(/\/datahub\/master\/reviews/);
    await expect.poll(() => page.getByTestId("master-reviews-table").isVisible()).toBe(true);
    await settled(page);
    const mine = page.locator('[data-testid^="master-review-row-"]', { hasText: NAME });
    await expect.poll(() => mine.count()).toBe(toReview);
    if (toReview > 0) {
      await mine.first().click();
      await expect.poll(() => page.getByTestId("master-review-compare").isVisible()).toBe(true);
      await expect
        .poll(() => page.getByTestId("master-review-field-name").textContent())
        .toContain("端木晓彤");
      await expect
        .poll(() => page.getByTestId("master-review-field-phone").getAttribute("data-differs"))
        .toBe("true");
      await settled(page);
      await shot(page, "04-review");
      await page.getByTestId("master-review-match").click();
      await page.getByTestId("master-review-confirm").click();
      await expect
        .poll(() => page.locator('[data-testid^="master-review-detail-"]').getAttribute("data-status"))
        .toBe("match");
      await expect.poll(() => page.getByTestId("master-review-undo").isVisible()).toBe(true);
      await page.getByTestId("master-review-drawer").locator(".ant-drawer-close").click();
      await page.getByTestId("master-reviews-tab-decided").click();
      await expect.poll(() => mine.count()).toBe(1);
      await settled(page);
      await shot(page, "05-decided");
    }

    // 人口库: the person is found by name; the name is masked for civil affairs (the police are its source).
    await page.getByTestId("datahub-nav-master-records").click();
    await page.waitForURL(/\/datahub\/master\/records/);
    await field(page, "master-records-search").fill("端木晓彤");
    await page.keyboard.press("Enter");
    const rows = page.locator('[data-testid^="master-record-row-"]');
    await expect.poll(() => rows.count()).toBeGreaterThanOrEqual(1);
    await rows.first().click();
    await expect.poll(() => page.getByTestId("master-record-fields").isVisible()).toBe(true);
    await expect.poll(() => page.getByTestId("master-record-masked-name").textContent()).toMatch(/^\s*端\*/);
    await expect.poll(() => page.getByTestId("master-record-field-phone").textContent()).toContain("13");
    // Matched by the reviewer, the survey's second 端木晓彤 (E9) is part of the same person.
    if (toReview > 0)
      await expect.poll(() => page.getByTestId("master-record-sources").textContent()).toBe("2");
    await settled(page);
    await shot(page, "06-record");

    // 溯源: every source's value per field, the one chosen and why.
    await page.getByTestId("master-record-tab-explain").click();
    await expect.poll(() => page.getByTestId("master-record-explanation").isVisible()).toBe(true);
    await expect.poll(() => page.getByTestId("master-explain-birthDate").textContent()).toContain(NAME);
    await expect.poll(() => page.getByTestId("master-explain-why-birthDate").isVisible()).toBe(true);
    await settled(page);
    await shot(page, "07-explain");
    await page.getByTestId("master-record-tab-history").click();
    await expect.poll(() => page.getByTestId("master-record-history").textContent()).toContain(NAME);
    await settled(page);
    await shot(page, "08-history");
    await page.getByTestId("master-record-drawer").locator(".ant-drawer-close").click();

    // 数据质量: the source's fields by rule; a cell lists the records failing it.
    await page.getByTestId("datahub-nav-master-quality").click();
    await page.waitForURL(/\/datahub\/master\/quality/);
    await expect
      .poll(() => page.getByTestId("master-quality-chart-source").getAttribute("data-ready"), {
        timeout: 15_000,
      })
      .toBe("true");
    await page.getByTestId("master-quality-source").click();
    await page.keyboard.type("测试");
    await page.keyboard.press("Enter");
    await page.getByTestId("master-quality-cell-idNumber-completeness").click();
    await expect.poll(() => page.getByTestId("master-failures-total").getAttribute("data-total")).toBe("1");
    await expect.poll(() => page.getByTestId("master-failure-E9").isVisible()).toBe(true);
    await settled(page);
    await shot(page, "09-failures");
    await page.getByTestId("master-failures-drawer").locator(".ant-drawer-close").click();
    await page.evaluate("window.scrollTo(0, 0)");
    await settled(page);
    await shot(page, "10-quality", true);
    expect(errors).toEqual([]);
  });

  it("on a phone the sources are cards, the page fits the screen, and a report reads as a list", async () => {
    expect(session).not.toBeNull();
    const { page, errors } = await openPage(browser, 390, { height: 844, storageState: session! });
    await page.goto(`${district.server.url}/datahub/master`);
    await expect
      .poll(() => page.getByTestId("master-sources-list").isVisible(), { timeout: 15_000 })
      .toBe(true);
    await expect.poll(() => page.getByTestId(`master-source-row-${CODE}`).isVisible()).toBe(true);
    await noHorizontalOverflow(page);
    await settled(page);
    await shot(page, "11-phone-sources");

    await page.getByTestId(`master-source-import-${CODE}`).click();
    const load = page.locator('[data-testid^="master-load-row-"]').first();
    await expect.poll(() => load.isVisible(), { timeout: 15_000 }).toBe(true);
    await load.click();
    await expect.poll(() => page.getByTestId("master-load-report-problem-9").isVisible()).toBe(true);
    await noHorizontalOverflow(page);
    await settled(page);
    await shot(page, "12-phone-report");
    await page.goto(`${district.server.url}/datahub/master/quality`);
    await expect
      .poll(() => page.getByTestId("master-quality-chart-source").getAttribute("data-ready"), {
        timeout: 15_000,
      })
      .toBe("true");
    await noHorizontalOverflow(page);
    await settled(page);
    await shot(page, "13-phone-quality", true);
    expect(errors).toEqual([]);
  });
});
