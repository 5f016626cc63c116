import path from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { totpCode } from "../server/src/kernel/identity/totp";
import type { ServerProcess } from "../server/test/process";
import {
  type DemoAccount,
  type DemoDistrict,
  field,
  launchChromium,
  openPage,
  SHOTS,
  signIn,
  startDemoDistrict,
} from "./harness";

const TOWER = "urn:ngsi-ld:Building:yunxi-tower";
const COUNTER = "urn:ngsi-ld:CrowdCounter:yunxi-garden-1";

/** The operations centre's twin page (数字孪生) in Chromium against the real server and its demo twin. */
describe("digital twin journey", () => {
  let district: DemoDistrict;
  let server: ServerProcess;
  let browser: Browser;
  let dispatcher: DemoAccount;
  /** The dispatcher's signed-in browser state, shared by the desktop and phone pages. */
  let session: Awaited<ReturnType<BrowserContext["storageState"]>> | null = null;

  beforeAll(async () => {
    district = await startDemoDistrict();
    server = district.server;
    dispatcher = district.account("dispatcher");
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await district?.stop();
  });

  const newPage = (width: number, height: number) =>
    openPage(browser, width, {
      height,
      ...(session ? { storageState: session } : {}),
      // A sensor without stored history answers 404.
      expected: (m) => /status of 404/.test(m.text()) && m.location().url.includes("/ngsi-ld/v1/temporal/"),
    });
  const text = (page: Page, id: string) => page.getByTestId(id).first().textContent();

  /** Waits until the map has loaded the twin and drawn some of its features. */
  async function mapDrawn(page: Page) {
    const map = page.getByTestId("twin-map");
    await expect.poll(() => map.getAttribute("data-ready"), { timeout: 60_000 }).toBe("true");
    await expect
      .poll(async () => Number(await map.getAttribute("data-rendered")), { timeout: 30_000 })
      .toBeGreaterThan(0);
    const canvas = await page.locator("canvas.maplibregl-canvas").boundingBox();
    expect(canvas?.width).toBeGreaterThan(300);
  }

  async function pick(page: Page, query: string, id: string) {
    await field(page, "twin-search").fill(query);
    await page.getByTestId(`twin-item-${id}`).click();
    await expect.poll(() => page.getByTestId("twin-drawer-body").getAttribute("data-entity-id")).toBe(id);
  }

  it("a dispatcher opens 一网统管 → 数字孪生, finds the tower and a crowd counter, and sees its count move live", async () => {
    const { page, errors } = await newPage(1440, 900);
    await page.goto(`${server.url}/login`);
    await signIn(page, dispatcher, totpCode(dispatcher.totpSecret!, Date.now()));
    await page.waitForURL(/\/operations/);
    session = await page.context().storageState();

    await page.getByTestId("operations-nav-twin").click();
    await page.waitForURL(/\/operations\/twin/);
    await mapDrawn(page);
    // The whole scenic area: 12 crowd counters summed, and the devices in fault or offline.
    await expect.poll(() => text(page, "twin-stat-people")).toMatch(/^\d{1,3}(,\d{3})*$/);
    await expect.poll(() => text(page, "twin-stat-alarms")).toMatch(/^\d+$/);
    await page.screenshot({ path: path.join(SHOTS, "twin-01-map.png") });

    // The tower from the list: the map flies there and the drawer gives its height in metres.
    await pick(page, "云溪塔", TOWER);
    await expect.poll(() => text(page, "twin-drawer-title")).toContain("云溪塔");
    await expect.poll(() => text(page, "twin-attr-height")).toBe("600 m");
    await expect.poll(() => text(page, "twin-attr-floors")).toBe("112 层");
    await page.screenshot({ path: path.join(SHOTS, "twin-02-tower.png") });

    // Its zone through the relationship: the plaza with its crowd load from its two counters.
    await page.getByTestId("twin-rel-refArea").click();
    await expect.poll(() => text(page, "twin-drawer-title")).toContain("塔下广场");
    await expect.poll(() => text(page, "twin-crowd-load")).toMatch(/^\d+%$/);

    // A click on the map picks what is drawn there: the zone's centre is the tower's foot.
    const map = page.getByTestId("twin-map");
    await expect.poll(() => map.getAttribute("data-zoom"), { timeout: 15_000 }).toBe("16.2");
    const box = (await map.boundingBox())!;
    // The flight keeps the list (340 px + margin) and the drawer (420 px) clear; the target is between.
    await page.mouse.click(box.x + 356 + (box.width - 356 - 420) / 2, box.y + box.height / 2);
    await expect.poll(() => text(page, "twin-drawer-title"), { timeout: 10_000 }).toContain("云溪塔");

    // A crowd counter: its head count, and its history (or the notice that there is none yet).
    await pick(page, "花城园林区客流计数1", COUNTER);
    await expect.poll(() => text(page, "twin-attr-peopleCount")).toMatch(/^\d{1,3}(,\d{3})* 人/);
    await expect
      .poll(
        async () =>
          (await page.locator('[data-testid="twin-history-chart"][data-ready="true"]').count()) +
          (await page.getByText("暂无历史数据").count()),
        { timeout: 30_000 },
      )
      .toBe(1);
    await page.screenshot({ path: path.join(SHOTS, "twin-03-counter.png") });

    // The counter keeps reporting (the demo's telemetry simulator): the open drawer follows without a reload.
    const before = await text(page, "twin-attr-peopleCount");
    await expect.poll(() => text(page, "twin-attr-peopleCount"), { timeout: 45_000 }).not.toBe(before);
    expect(await text(page, "twin-attr-peopleCount")).toMatch(/^\d{1,3}(,\d{3})* 人观测于/);

    // In English the same drawer names its readings in English.
    await page.getByTestId("language-switcher").click();
    await page.getByTestId("language-en").click();
    await expect.poll(() => page.getByTestId("twin-attrs").textContent()).toContain("People");
    await expect.poll(() => text(page, "twin-attr-peopleCount")).toMatch(/^\d{1,3}(,\d{3})* people/);
    await page.getByTestId("language-switcher").click();
    await page.getByTestId("language-zh-CN").click();
    expect(errors).toEqual([]);
  });

  it("on a phone the map fills the screen and the list and the drawer are bottom sheets", async () => {
    expect(session).not.toBeNull();
    const { page, errors } = await newPage(390, 844);
    await page.goto(`${server.url}/operations/twin`);
    await mapDrawn(page);
    const overflow = await page.evaluate("document.documentElement.scrollWidth - window.innerWidth");
    expect(overflow as number).toBeLessThanOrEqual(1);
    const map = (await page.getByTestId("twin-map").boundingBox())!;
    expect(map.width).toBe(390);
    // Under the 63 px header down to the bottom of the screen.
    expect(map.y + map.height).toBe(844);
    expect(map.height).toBeGreaterThan(700);
    await page.screenshot({ path: path.join(SHOTS, "twin-04-phone-map.png") });

    await page.getByTestId("twin-list-open").click();
    await expect.poll(() => page.getByTestId("twin-list-sheet").isVisible()).toBe(true);
    await pick(page, "云溪塔", TOWER);
    await expect.poll(() => page.getByTestId("twin-list-sheet").isVisible()).toBe(false);
    await expect.poll(() => text(page, "twin-attr-height")).toBe("600 m");
    const drawer = (await page.locator(".ff-twin-drawer .ant-drawer-content-wrapper").boundingBox())!;
    expect(drawer.width).toBe(390);
    expect(Math.round(drawer.y + drawer.height)).toBe(844);
    await page.screenshot({ path: path.join(SHOTS, "twin-05-phone-drawer.png") });
    expect(errors).toEqual([]);
  });
});
