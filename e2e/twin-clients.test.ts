import path from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
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

const MINE = "urn:ngsi-ld:CrowdCounter:yunxi-garden-1";
const OTHER = "urn:ngsi-ld:CrowdCounter:yunxi-garden-2";

/** 系统管理 → 设备与系统接入: an administrator registers a device and the credentials it gets do what they say. */
describe("twin clients journey", () => {
  let district: DemoDistrict;
  let browser: Browser;
  let session: Awaited<ReturnType<BrowserContext["storageState"]>> | null = null;
  const totp = totpCodes();

  beforeAll(async () => {
    district = await startDemoDistrict({ TELEMETRY_SIMULATOR: "false" });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await district?.stop();
  });

  /** A device's call on the NGSI-LD API: sets a crowd counter's head count with HTTP Basic. */
  const setCount = (entityId: string, client: { id: string; secret: string }) =>
    fetch(`${district.server.url}/ngsi-ld/v1/entities/${encodeURIComponent(entityId)}/attrs/peopleCount`, {
      method: "PATCH",
      headers: {
        authorization: `Basic ${Buffer.from(`${client.id}:${client.secret}`).toString("base64")}`,
        "content-type": "application/json",
      },
      body: JSON.stringify({ value: 812 }),
    }).then((res) => res.status);

  const rows = (page: Page) => page.locator('[data-testid^="twin-client-row-"]');
  /** No spinner turning and no dialog opening or closing: the screenshot shows what stays. */
  const settled = async (page: Page) => {
    await expect
      .poll(() => page.locator(".ant-spin-spinning, .ant-zoom-leave, .ant-zoom-appear").count())
      .toBe(0);
    await page.waitForTimeout(300);
  };

  it("an administrator registers a device for one crowd counter; its secret updates that counter only, until it is disabled", async () => {
    const admin = district.account("admin");
    const { page, errors } = await openPage(browser, 1440);
    await page.goto(`${district.server.url}/admin`);
    await page.waitForURL(/\/login/);
    await signIn(page, admin, await totp(admin));
    await page.waitForURL(/\/admin/);
    session = await page.context().storageState();
    await page.getByTestId("admin-nav-twin-clients").click();
    await page.waitForURL(/\/admin\/twin-clients/);
    // The demo district's gateway and big screen.
    await expect.poll(() => rows(page).count(), { timeout: 15_000 }).toBe(2);
    await expect.poll(() => page.getByTestId("twin-clients-table").textContent()).toContain("城市运行大屏");
    await settled(page);
    await page.screenshot({ path: path.join(SHOTS, "twin-clients-01-list.png"), fullPage: true });

    // Register: a device needs at least one entity; it is found by part of its name.
    await page.getByTestId("twin-client-register").click();
    await field(page, "twin-client-name").fill("花城园林区客流计数器1号");
    await page.getByTestId("twin-client-register-submit").click();
    await expect
      .poll(() => page.getByTestId("twin-client-register-form").textContent())
      .toContain("请至少选择一个实体");
    await page.getByTestId("twin-entity-picker").click();
    await page.keyboard.type("花城园林区客流计数1");
    await page.getByTestId(`twin-entity-picker-option-${MINE}`).click();
    await page.locator(".ant-modal-title").click();
    await expect
      .poll(() => page.getByTestId("twin-entity-picker").textContent())
      .toContain("花城园林区客流计数1");
    await expect
      .poll(() => page.getByTestId("twin-client-register-form").textContent())
      .not.toContain("请至少选择一个实体");
    await settled(page);
    await page.screenshot({ path: path.join(SHOTS, "twin-clients-02-register.png") });
    await page.getByTestId("twin-client-register-submit").click();

    // The secret, this once.
    const secret = page.getByTestId("twin-client-secret");
    await expect.poll(() => secret.textContent(), { timeout: 15_000 }).toMatch(/^fft_/);
    const device = {
      id: (await page.getByTestId("twin-client-created-id").textContent())!,
      secret: (await secret.textContent())!,
    };
    await settled(page);
    await page.screenshot({ path: path.join(SHOTS, "twin-clients-03-secret.png") });
    await page.getByTestId("twin-client-secret-done").click();
    await expect.poll(() => page.getByTestId("twin-client-secret").count()).toBe(0);
    await expect.poll(() => rows(page).count()).toBe(3);
    expect(await page.content()).not.toContain(device.secret);
    await expect.poll(() => page.getByTestId(`twin-client-status-${device.id}`).textContent()).toBe("启用");

    // The device updates its counter, and no other.
    expect(await setCount(MINE, device)).toBe(204);
    expect(await setCount(OTHER, device)).toBe(403);

    // Disabled from the page, its credentials stop working at once.
    await page.getByTestId(`twin-client-toggle-${device.id}`).click();
    await page.getByTestId("twin-client-toggle-confirm").click();
    await expect.poll(() => page.getByTestId(`twin-client-status-${device.id}`).textContent()).toBe("停用");
    expect(await setCount(MINE, device)).toBe(401);
    await settled(page);
    await page.screenshot({ path: path.join(SHOTS, "twin-clients-04-disabled.png"), fullPage: true });

    // Enabled again it works; a new secret, shown once, replaces the old one at once.
    await page.getByTestId(`twin-client-toggle-${device.id}`).click();
    await page.getByTestId("twin-client-toggle-confirm").click();
    await expect.poll(() => page.getByTestId(`twin-client-status-${device.id}`).textContent()).toBe("启用");
    expect(await setCount(MINE, device)).toBe(204);
    await page.getByTestId(`twin-client-rotate-${device.id}`).click();
    await page.getByTestId("twin-client-rotate-confirm").click();
    await expect.poll(() => secret.textContent(), { timeout: 15_000 }).toMatch(/^fft_/);
    const rotated = { id: device.id, secret: (await secret.textContent())! };
    expect(rotated.secret).not.toBe(device.secret);
    await page.getByTestId("twin-client-secret-done").click();
    expect(await setCount(MINE, device)).toBe(401);
    expect(await setCount(MINE, rotated)).toBe(204);

    // Edited: the bound counter keeps its name; the new name shows in the list.
    await page.getByTestId(`twin-client-edit-${device.id}`).click();
    await expect
      .poll(() => page.getByTestId("twin-entity-picker").textContent())
      .toContain("花城园林区客流计数1");
    await field(page, "twin-client-name").fill("花城园林区客流网关");
    await settled(page);
    await page.screenshot({ path: path.join(SHOTS, "twin-clients-05-edit.png") });
    await page.getByTestId("twin-client-edit-submit").click();
    await expect
      .poll(() => page.getByTestId(`twin-client-row-${device.id}`).textContent())
      .toContain("花城园林区客流网关");
    expect(errors).toEqual([]);
  });

  it("on a phone the clients are cards and the page fits the screen", async () => {
    expect(session).not.toBeNull();
    const { page, errors } = await openPage(browser, 390, { height: 844, storageState: session! });
    await page.goto(`${district.server.url}/admin/twin-clients`);
    await expect.poll(() => rows(page).count(), { timeout: 15_000 }).toBe(3);
    await expect.poll(() => page.getByTestId("twin-clients-list").isVisible()).toBe(true);
    await noHorizontalOverflow(page);
    await settled(page);
    await page.screenshot({ path: path.join(SHOTS, "twin-clients-06-phone.png"), fullPage: true });
    expect(errors).toEqual([]);
  });
});
