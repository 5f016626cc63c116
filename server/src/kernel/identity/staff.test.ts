import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bearer, buildAdmin, buildUser, type TestDepartment } from "../../../test/factories";
import { json, startTestApp, type TestApp } from "../../../test/harness";
import { totpCode } from "./totp";

describe("administration of departments and staff", () => {
  let t: TestApp;
  let admin: string;
  let root: TestDepartment;

  beforeAll(async () => {
    t = await startTestApp();
    ({ root, token: admin } = await buildAdmin(t.platform, t.app));
  });
  afterAll(() => t.close());

  const post = (url: string, payload: object, token = admin) =>
    t.app.inject({ method: "POST", url, headers: bearer(token), payload });

  it("builds the organisation tree and refuses impossible nesting", async () => {
    const subdistrict = json<{ id: string }>(
      await post("/api/admin/departments", {
        code: "SD-1",
        name: "江湾街道",
        kind: "subdistrict",
        parentId: root.id,
      }),
    );
    const community = await post("/api/admin/departments", {
      code: "CM-1",
      name: "滨江社区",
      kind: "community",
      parentId: subdistrict.id,
    });
    expect(community.statusCode).toBe(201);
    const topLevel = await post("/api/admin/departments", {
      code: "GOV-2",
      name: "另一区政府",
      kind: "government",
      parentId: null,
    });
    expect(topLevel.statusCode).toBe(201);
    const orphan = await post("/api/admin/departments", {
      code: "BU-0",
      name: "无上级局",
      kind: "bureau",
      parentId: null,
    });
    expect(json(orphan)).toMatchObject({ status: 422, code: "DEPARTMENT_NESTING_INVALID" });
    const wrong = await post("/api/admin/departments", {
      code: "GR-1",
      name: "错位网格",
      kind: "grid",
      parentId: subdistrict.id,
    });
    expect(wrong.statusCode).toBe(422);
    expect(json(wrong)).toMatchObject({
      code: "DEPARTMENT_NESTING_INVALID",
      errors: [{ field: "/body/parentId" }],
    });
    const list = json<{ items: { code: string; parentId: string | null }[] }>(
      await t.app.inject({ url: "/api/admin/departments", headers: bearer(admin) }),
    );
    expect(list.items.find((d) => d.code === "CM-1")!.parentId).toBe(subdistrict.id);
    const renamed = await t.app.inject({
      method: "PATCH",
      url: `/api/admin/departments/${subdistrict.id}`,
      headers: bearer(admin),
      payload: { name: "江湾街道办事处" },
    });
    expect(json(renamed)).toMatchObject({ name: "江湾街道办事处", code: "SD-1" });
  });

  it("creates staff with a one-time password that must be replaced before anything else", async () => {
    const created = await post("/api/admin/staff", {
      username: "new.admin",
      displayName: "周新",
      departmentId: root.id,
      position: "科员",
      roles: ["admin"],
    });
    expect(created.statusCode).toBe(201);
    expect(created.headers["cache-control"]).toBe("no-store");
    const { initialPassword, totpSecret, totpUri, staff } = json<{
      initialPassword: string;
      totpSecret: string;
      totpUri: string;
      staff: { id: string; roles: string[] };
    }>(created);
    expect(totpUri).toContain(`secret=${totpSecret}`);
    const tokenRes = await post("/api/auth/token", {
      username: "new.admin",
      password: initialPassword,
      totp: totpCode(totpSecret, t.platform.clock.now().getTime()),
    });
    const token = json<{ access_token: string }>(tokenRes).access_token;
    const blocked = await t.app.inject({ url: "/api/admin/departments", headers: bearer(token) });
    expect(blocked.statusCode).toBe(403);
    expect(json(blocked).code).toBe("PASSWORD_CHANGE_REQUIRED");
    const me = json<{ mustChangePassword: boolean }>(
      await t.app.inject({ url: "/api/auth/me", headers: bearer(token) }),
    );
    expect(me.mustChangePassword).toBe(true);
    const weak = await post(
      "/api/auth/password",
      { currentPassword: initialPassword, newPassword: "aaaaaaaaaaaa" },
      token,
    );
    expect(weak.statusCode).toBe(422);
    const changed = await post(
      "/api/auth/password",
      { currentPassword: initialPassword, newPassword: "Yunxi-2026-secure" },
      token,
    );
    expect(changed.statusCode).toBe(204);
    expect((await t.app.inject({ url: "/api/admin/departments", headers: bearer(token) })).statusCode).toBe(
      200,
    );

    const duplicate = await post("/api/admin/staff", {
      username: "new.admin",
      displayName: "重名",
      departmentId: root.id,
      position: "科员",
      roles: ["clerk"],
    });
    expect(duplicate.statusCode).toBe(409);
    expect(json(duplicate)).toMatchObject({ code: "USERNAME_TAKEN", errors: [{ field: "/body/username" }] });
    const notStaff = await post("/api/admin/staff", {
      username: "c.x",
      displayName: "某",
      departmentId: root.id,
      position: "科员",
      roles: ["citizen"],
    });
    expect(notStaff.statusCode).toBe(400);

    const roles = await t.app.inject({
      method: "PUT",
      url: `/api/admin/staff/${staff.id}/roles`,
      headers: bearer(admin),
      payload: { roles: ["clerk"] },
    });
    expect(json(roles)).toMatchObject({ roles: ["clerk"] });
    // The change applies to the running session at once.
    expect((await t.app.inject({ url: "/api/admin/departments", headers: bearer(token) })).statusCode).toBe(
      403,
    );
  });

  it("finds staff by name and department, and unlocks a locked account", async () => {
    const clerk = await buildUser(t.platform, { roles: ["clerk"], department: root });
    for (let i = 0; i < 5; i++)
      await post("/api/auth/token", { username: clerk.username, password: "nope", totp: clerk.totp() });
    const found = json<{ items: { id: string; locked: boolean }[]; total: number }>(
      await t.app.inject({ url: `/api/admin/staff?q=${clerk.username}`, headers: bearer(admin) }),
    );
    expect(found.total).toBe(1);
    expect(found.items[0]!.locked).toBe(true);
    const unlocked = await post(`/api/admin/staff/${clerk.id}/unlock`, {});
    expect(json(unlocked)).toMatchObject({ locked: false });
    expect(
      (
        await post("/api/auth/token", {
          username: clerk.username,
          password: clerk.password,
          totp: clerk.totp(),
        })
      ).statusCode,
    ).toBe(200);
  });
});
