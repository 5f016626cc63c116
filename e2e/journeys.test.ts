import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ServerProcess } from "../server/test/process";
import {
  type DemoAccount,
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

/** Each audience's main journey in Chromium against the real server with the demo district. */
describe("browser journeys", () => {
  let district: DemoDistrict;
  let server: ServerProcess;
  let browser: Browser;

  beforeAll(async () => {
    // These journeys are about services, office work and data sharing; the twin's simulator (and the
    // load of its first 48 hours of history) is exercised by twin.test.ts on a server of its own.
    district = await startDemoDistrict({ TELEMETRY_SIMULATOR: "false" });
    server = district.server;
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await district?.stop();
  });

  const account = (role: string) => district.account(role);
  const newPage = (width: number, height = 900) => openPage(browser, width, { height });
  const freshTotp = totpCodes();

  /** Signs a demo staff member in with password and TOTP from the sign-in page. */
  async function signInStaff(page: Page, role: string, next: string) {
    const who = account(role);
    await page.goto(`${server.url}${next}`);
    await page.waitForURL(/\/login/);
    await signIn(page, who, await freshTotp(who));
  }

  it("an administrator signs in with password and TOTP, browses the organisation and verifies the audit log", async () => {
    const { page, errors } = await newPage(1440);
    const admin = account("admin");
    await page.goto(`${server.url}/admin`);
    await page.waitForURL(/\/login/);
    await field(page, "login-staff-username").fill(admin.username);
    await field(page, "login-staff-password").fill(admin.password);
    await field(page, "login-staff-totp").fill(await freshTotp(admin));
    await page.screenshot({ path: path.join(SHOTS, "01-login-staff.png") });
    await page.getByTestId("login-staff-submit").click();
    await page.waitForURL(/\/admin/);
    await page.getByTestId("admin-nav-departments").click();
    await expect.poll(() => page.getByTestId("dept-tree").textContent()).toContain("云溪区人民政府");
    await page.screenshot({ path: path.join(SHOTS, "02-admin-departments.png") });
    await page.getByTestId("admin-nav-audit").click();
    await page.getByTestId("audit-verify").click();
    await expect
      .poll(() => page.getByTestId("audit-status").textContent(), { timeout: 20_000 })
      .toMatch(/校验通过/);
    await page.screenshot({ path: path.join(SHOTS, "03-admin-audit-verified.png"), fullPage: true });
    await page.getByTestId("language-switcher").click();
    await page.getByTestId("language-en").click();
    await expect.poll(() => page.locator("html").getAttribute("lang")).toBe("en");
    await page.screenshot({ path: path.join(SHOTS, "04-admin-audit-en.png") });
    expect(errors).toEqual([]);
  });

  it("a citizen on a phone signs in with an SMS code and sees their portal", async () => {
    const { page, errors } = await newPage(390, 844);
    const citizen = account("citizen");
    await page.goto(`${server.url}/login`);
    await page.getByTestId("login-tab-public").click();
    await page.getByTestId("login-mode-sms").click();
    await field(page, "login-phone").fill(citizen.phone!);
    await page.getByTestId("login-sms-send").click();
    const code = await expect
      .poll(() => /验证码为 (\d{6})/.exec(server.stdout())?.[1], { timeout: 10_000 })
      .toMatch(/^\d{6}$/)
      .then(() => /验证码为 (\d{6})/.exec(server.stdout())![1]!);
    expect(server.stdout()).not.toContain(citizen.phone!);
    await field(page, "login-sms-code").fill(code);
    await page.screenshot({ path: path.join(SHOTS, "05-citizen-login-sms-phone.png") });
    await page.getByTestId("login-sms-submit").click();
    await page.waitForURL(/\/citizen/);
    await expect.poll(() => page.getByTestId("citizen-home").isVisible()).toBe(true);
    await noHorizontalOverflow(page);
    await page.screenshot({ path: path.join(SHOTS, "06-citizen-home-phone.png"), fullPage: true });
    expect(errors).toEqual([]);
  });

  it("a dispatcher lands in the operations portal and cannot open administration", async () => {
    const { page } = await newPage(1024);
    const dispatcher = account("dispatcher");
    await page.goto(`${server.url}/login`);
    await signIn(page, dispatcher, await freshTotp(dispatcher));
    await page.waitForURL(/\/operations/);
    await page.goto(`${server.url}/admin`);
    await expect.poll(() => page.getByTestId("forbidden").isVisible()).toBe(true);
    await page.screenshot({ path: path.join(SHOTS, "07-dispatcher-forbidden.png") });
  });

  it("an approver finds a leave request in the inbox, sees where it stands, and approves it with its form", async () => {
    const { page, errors } = await newPage(1440);
    await signInStaff(page, "approver", "/office/tasks");
    await page.waitForURL(/\/office\/tasks/);
    const row = page.locator('[data-testid^="inbox-row-"]', { hasText: "QJ-2026-0002" });
    await expect.poll(() => row.count(), { timeout: 15_000 }).toBe(1);
    await page.screenshot({ path: path.join(SHOTS, "08-inbox-approver.png") });
    await row.click();
    await expect.poll(() => page.getByTestId("task-drawer").isVisible()).toBe(true);
    // The diagram marks where the instance stands.
    await expect.poll(() => page.locator(".ff-active").count(), { timeout: 15_000 }).toBeGreaterThan(0);
    await page.getByTestId("task-claim").click();
    await expect.poll(() => page.getByTestId("task-assignee").textContent()).toBeTruthy();
    await page.screenshot({ path: path.join(SHOTS, "09-task-drawer-diagram.png") });
    await page.getByTestId("task-complete").click();
    await page.getByTestId("task-field-approved").click();
    await page.getByTestId("task-form-submit").click();
    await expect.poll(() => row.count(), { timeout: 15_000 }).toBe(0);
    await page.getByTestId("inbox-tab-done").click();
    await expect
      .poll(() => page.locator('[data-testid^="inbox-row-"]', { hasText: "QJ-2026-0002" }).count(), {
        timeout: 15_000,
      })
      .toBe(1);
    await page.screenshot({ path: path.join(SHOTS, "10-inbox-done.png") });
    // 转办: the parallel review's finance check goes to a colleague, and leaves this inbox.
    await page.getByTestId("inbox-tab-todo").click();
    const review = page.locator('[data-testid^="inbox-row-"]', { hasText: "BW-2026-0007" });
    await expect.poll(() => review.count(), { timeout: 15_000 }).toBe(1);
    await review.click();
    await page.getByTestId("task-delegate").click();
    await field(page, "task-delegate-username").fill(account("officer").username);
    await page.getByTestId("task-delegate-submit").click();
    await expect.poll(() => review.count(), { timeout: 15_000 }).toBe(0);
    expect(errors).toEqual([]);
  });

  it("a clerk starts a leave request from the work portal and follows it", async () => {
    const { page, errors } = await newPage(1280);
    await signInStaff(page, "clerk", "/office/start");
    await page.waitForURL(/\/office\/start/);
    await page.getByTestId("start-process-leave-request").click();
    await expect.poll(() => page.getByTestId("start-drawer").isVisible(), { timeout: 15_000 }).toBe(true);
    await field(page, "start-business-key").fill("QJ-E2E-0001");
    await field(page, "start-field-days").fill("3");
    await field(page, "start-field-reason").fill("参加培训");
    await page.screenshot({ path: path.join(SHOTS, "11a-start-leave-request.png") });
    await page.getByTestId("start-submit").click();
    await page.waitForURL(/\/office\/instances\//, { timeout: 15_000 });
    await expect.poll(() => page.getByTestId("instance-variables").textContent()).toContain("参加培训");
    await expect.poll(() => page.locator(".ff-active").count(), { timeout: 15_000 }).toBeGreaterThan(0);
    await page.screenshot({ path: path.join(SHOTS, "11b-instance-started.png"), fullPage: true });
    expect(errors).toEqual([]);
  });

  it("a clerk on a phone finds the approval sent back for correction", async () => {
    const { page, errors } = await newPage(390, 844);
    await signInStaff(page, "clerk", "/office/tasks");
    await page.waitForURL(/\/office\/tasks/);
    const row = page.locator('[data-testid^="inbox-row-"]', { hasText: "补正材料" });
    await expect.poll(() => row.count(), { timeout: 15_000 }).toBe(1);
    await noHorizontalOverflow(page);
    await page.screenshot({ path: path.join(SHOTS, "11-inbox-clerk-phone.png"), fullPage: true });
    await row.click();
    await expect.poll(() => page.getByTestId("task-drawer").isVisible()).toBe(true);
    await page.screenshot({ path: path.join(SHOTS, "12-task-drawer-phone.png") });
    expect(errors).toEqual([]);
  });

  it("an administrator opens a process in the modeler, validates it and deploys it", async () => {
    const { page, errors } = await newPage(1440);
    await signInStaff(page, "admin", "/admin/processes");
    await page.waitForURL(/\/admin\/processes/);
    await expect
      .poll(() => page.getByTestId("process-row-leave-request").count(), { timeout: 15_000 })
      .toBe(1);
    await page.screenshot({ path: path.join(SHOTS, "13-admin-processes.png") });
    await page.getByTestId("process-edit-leave-request").click();
    await expect.poll(() => page.locator(".djs-element").count(), { timeout: 20_000 }).toBeGreaterThan(5);
    await page.getByTestId("modeler-validate").click();
    await expect.poll(() => page.getByTestId("modeler-valid").isVisible(), { timeout: 15_000 }).toBe(true);
    await page.getByTestId("modeler-deploy").click();
    await expect
      .poll(() => page.locator(".ant-message").textContent(), { timeout: 15_000 })
      .toContain("leave-request");
    await page.screenshot({ path: path.join(SHOTS, "14-modeler.png") });
    expect(errors).toEqual([]);
  });

  it("two staff members chat: the message arrives live and the sender sees it read", async () => {
    const a = await newPage(1280);
    const b = await newPage(390, 844);
    await signInStaff(b.page, "officer", "/office/chat");
    await b.page.waitForURL(/\/office\/chat/);
    await expect.poll(() => b.page.getByTestId("chat-room-list").isVisible(), { timeout: 15_000 }).toBe(true);
    await signInStaff(a.page, "approver", "/office/chat");
    await a.page.waitForURL(/\/office\/chat/);
    // 发起聊天: the officer, found in the directory by name.
    const officer = account("officer") as DemoAccount & { displayName: string };
    await a.page.getByTestId("chat-new").click();
    await field(a.page, "chat-new-search").fill(officer.displayName);
    const person = a.page
      .locator('[data-testid^="chat-new-staff-"]', { hasText: officer.displayName })
      .first();
    await expect.poll(() => person.count(), { timeout: 15_000 }).toBe(1);
    await person.click();
    await a.page.screenshot({ path: path.join(SHOTS, "15-chat-new.png") });
    await a.page.getByTestId("chat-new-submit").click();
    await a.page.waitForURL(/\/office\/chat\/[0-9a-f-]{36}/, { timeout: 15_000 });
    const say = async (text: string) => {
      await a.page.getByTestId("chat-input").fill(text);
      await a.page.getByTestId("chat-send").click();
      await expect
        .poll(() => a.page.locator(".ff-chat-row-mine").last().textContent(), { timeout: 15_000 })
        .toContain(text);
    };
    await say("您好，企业开办专场的材料清单请今天下班前发我。");
    // The officer's phone shows the new conversation, live, with one unread message.
    const room = b.page.locator('button[data-testid^="chat-room-"]', { hasText: "企业开办专场" });
    await expect.poll(() => room.count(), { timeout: 15_000 }).toBe(1);
    await expect.poll(() => room.locator(".ant-badge-count").textContent()).toBe("1");
    await noHorizontalOverflow(b.page);
    await b.page.screenshot({ path: path.join(SHOTS, "16-chat-list-phone.png") });
    await room.click();
    await expect
      .poll(() => b.page.getByTestId("chat-messages").textContent(), { timeout: 15_000 })
      .toContain("企业开办专场");
    // A message sent now appears in the open conversation without reloading.
    await say("另外，周五上午九点开会。");
    await expect
      .poll(() => b.page.getByTestId("chat-messages").textContent(), { timeout: 15_000 })
      .toContain("周五上午九点开会");
    await noHorizontalOverflow(b.page);
    await b.page.screenshot({ path: path.join(SHOTS, "17-chat-conversation-phone.png") });
    // The officer has it on screen: the approver sees 已读 under it.
    const receipt = a.page.locator('.ff-chat-row-mine [data-testid^="chat-receipt-"]').last();
    await expect.poll(() => receipt.textContent(), { timeout: 15_000 }).toBe("已读");
    await a.page.screenshot({ path: path.join(SHOTS, "18-chat-read-receipt.png") });
    expect(a.errors).toEqual([]);
    expect(b.errors).toEqual([]);
  });

  it("an officer drafts a document and submits it; the approver approves 核稿 on a phone in a few taps", async () => {
    const drafter = await newPage(1280);
    await signInStaff(drafter.page, "officer", "/office/documents/new");
    await drafter.page.waitForURL(/\/office\/documents\/new/);
    const title = "关于做好2027年度机关值班工作的通知";
    await field(drafter.page, "doc-field-title").fill(title);
    await field(drafter.page, "doc-field-mainRecipients").fill("各街道办事处");
    await drafter.page.keyboard.press("Enter");
    await field(drafter.page, "doc-field-body").fill(
      "为做好2027年度机关值班工作，现将有关事项通知如下。\n一、严格执行24小时值班和领导带班制度。\n二、请于12月20日前报送值班安排表。",
    );
    await drafter.page.screenshot({ path: path.join(SHOTS, "19-document-draft.png"), fullPage: true });
    await drafter.page.getByTestId("doc-save").click();
    await drafter.page.waitForURL(/\/office\/documents\/[0-9a-f-]{36}$/, { timeout: 15_000 });
    const documentId = drafter.page.url().split("/").pop()!;
    await expect.poll(() => drafter.page.getByTestId("doc-paper-title").textContent()).toBe(title);
    // 送审, naming the approver for 核稿.
    await drafter.page.getByTestId("doc-submit").click();
    await field(drafter.page, "doc-submit-reviewer").fill(account("approver").username);
    await drafter.page.getByTestId("doc-submit-confirm").click();
    await expect
      .poll(() => drafter.page.getByTestId("doc-status").textContent(), { timeout: 15_000 })
      .toBe("核稿中");
    await drafter.page.screenshot({ path: path.join(SHOTS, "20-document-submitted.png"), fullPage: true });

    // The approver's phone: the inbox, the task, its document, 通过 — four taps and a remark.
    const approver = await newPage(390, 844);
    await signInStaff(approver.page, "approver", "/office/tasks");
    await approver.page.waitForURL(/\/office\/tasks/);
    // The task says what it is about: the document's title.
    const row = approver.page.locator('[data-testid^="inbox-row-"]', { hasText: title });
    await expect.poll(() => row.count(), { timeout: 15_000 }).toBe(1);
    await row.click();
    await approver.page.getByTestId("task-open-document").click();
    await approver.page.waitForURL(new RegExp(`/office/documents/${documentId}$`));
    const review = approver.page.getByTestId("doc-step-review");
    await expect.poll(() => review.isVisible(), { timeout: 15_000 }).toBe(true);
    await expect.poll(() => approver.page.getByTestId("doc-paper-title").textContent()).toBe(title);
    await field(approver.page, "doc-step-field-opinion").fill("文字已核，同意。");
    await noHorizontalOverflow(approver.page);
    await approver.page.screenshot({
      path: path.join(SHOTS, "21-document-review-phone.png"),
      fullPage: true,
    });
    await approver.page.getByTestId("doc-step-yes").click();
    await expect.poll(() => review.count(), { timeout: 15_000 }).toBe(0);
    // The flow moved on to 签发, which the approver does not hold.
    await expect
      .poll(() => approver.page.getByTestId("doc-steps-others").textContent(), { timeout: 15_000 })
      .toContain("签发");
    await noHorizontalOverflow(approver.page);
    await approver.page.screenshot({
      path: path.join(SHOTS, "22-document-reviewed-phone.png"),
      fullPage: true,
    });
    expect(drafter.errors).toEqual([]);
    expect(approver.errors).toEqual([]);
  });
  it("a data officer finds population data in the catalog in Chinese and asks to share it; the data bureau gets the check", async () => {
    const officer = await newPage(1440);
    const { page } = officer;
    await signInStaff(page, "dataofficer", "/datahub/catalog");
    await page.waitForURL(/\/datahub\/catalog/);
    const search = field(page, "catalog-search");
    await search.fill("人口 基本");
    await search.press("Enter");
    await page.waitForURL(/[?&]q=/);
    // The search narrows the catalog: a resource that mentions neither word leaves the list.
    await page
      .locator('[data-testid^="catalog-result-"]', { hasText: "婚姻登记信息" })
      .first()
      .waitFor({ state: "detached", timeout: 15_000 });
    const hit = page.locator('[data-testid^="catalog-result-"]', { hasText: "人口基本信息" }).first();
    await hit.waitFor({ timeout: 15_000 });
    await page.screenshot({ path: path.join(SHOTS, "datahub-catalog.png") });
    await hit.click();
    await page.getByTestId("resource-detail").waitFor();
    expect(await page.getByTestId("resource-items").first().textContent()).toContain("公民身份号码");
    await page.getByTestId("resource-request").click();
    const form = page.getByTestId("request-form");
    await form.waitFor();
    await page.getByTestId("request-field-name").click();
    await page.getByTestId("request-field-birthDate").click();
    await field(page, "request-purpose-code").fill("elderly-allowance");
    await field(page, "request-purpose").fill("核验高龄津贴申请人出生日期");
    await field(page, "request-legal-basis").fill("《广东省高龄老人津贴制度》");
    await page.locator('[data-testid="request-period"] input').first().click();
    await page.locator(".ant-picker-dropdown .ant-picker-cell-today").first().click();
    await page
      .locator(".ant-picker-dropdown td.ant-picker-cell-in-view:not(.ant-picker-cell-disabled)")
      .last()
      .click();
    await page.getByTestId("request-submit").click();
    await page.waitForURL(/\/datahub\/requests\/[0-9a-f-]{36}/);
    await page.getByTestId("request-status").first().waitFor();
    expect(await page.getByTestId("request-status").first().getAttribute("data-status")).toBe("checking");
    const requestUrl = new URL(page.url()).pathname;
    expect(officer.errors).toEqual([]);

    const bureau = await newPage(1440);
    await signInStaff(bureau.page, "databureau", requestUrl);
    await bureau.page.waitForURL(new RegExp(requestUrl));
    await bureau.page.getByTestId("request-task-link").click();
    await bureau.page.getByTestId("task-drawer").waitFor({ timeout: 15_000 });
    await bureau.page.screenshot({ path: path.join(SHOTS, "datahub-check-task.png") });
    expect(bureau.errors).toEqual([]);
  });
});
