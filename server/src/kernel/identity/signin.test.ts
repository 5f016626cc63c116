import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bearer, buildUser } from "../../../test/factories";
import { json, ManualClock, startTestApp, type TestApp } from "../../../test/harness";
import { queryRows } from "../db/db";

describe("sign-in", () => {
  let t: TestApp;
  const clock = new ManualClock();

  beforeAll(async () => {
    t = await startTestApp({ clock, env: { LOCKOUT_MAX_FAILURES: "3", TOKEN_TTL_SECONDS: "600" } });
  });
  afterAll(() => t.close());

  const token = (payload: object) => t.app.inject({ method: "POST", url: "/api/auth/token", payload });

  it("issues a bearer token to staff only with a valid TOTP code", async () => {
    const clerk = await buildUser(t.platform, { roles: ["clerk"] });
    const missing = await token({ username: clerk.username, password: clerk.password });
    expect(missing.statusCode).toBe(401);
    expect(json(missing).code).toBe("TOTP_REQUIRED");
    expect(missing.headers["content-type"]).toContain("application/problem+json");

    const wrong = await token({
      username: clerk.username,
      password: clerk.password,
      totp: clerk.totp() === "000000" ? "111111" : "000000",
    });
    expect(json(wrong).code).toBe("INVALID_TOTP");

    const ok = await token({ username: clerk.username, password: clerk.password, totp: clerk.totp() });
    expect(ok.statusCode).toBe(200);
    const body = json<{ access_token: string; token_type: string; expires_in: number }>(ok);
    expect(body.token_type).toBe("Bearer");
    expect(body.expires_in).toBe(600);

    const replayed = await token({ username: clerk.username, password: clerk.password, totp: clerk.totp() });
    expect(replayed.statusCode).toBe(401);
    expect(json(replayed).code).toBe("INVALID_TOTP");

    const me = await t.app.inject({ url: "/api/auth/me", headers: bearer(body.access_token) });
    expect(me.statusCode).toBe(200);
    expect(json(me)).toMatchObject({
      username: clerk.username,
      kind: "staff",
      roles: ["clerk"],
      portals: ["office"],
    });
  });

  it("refuses forged and expired tokens with 401", async () => {
    const citizen = await buildUser(t.platform, { roles: ["citizen"] });
    const access = await citizen.token(t.app);
    const forged = await t.app.inject({ url: "/api/auth/me", headers: bearer(`${access.slice(0, -2)}xx`) });
    expect(forged.statusCode).toBe(401);
    expect(json(forged).code).toBe("UNAUTHENTICATED");
    clock.advance(601_000);
    const expired = await t.app.inject({ url: "/api/auth/me", headers: bearer(access) });
    expect(expired.statusCode).toBe(401);
  });

  it("locks an account after repeated failures, even for the right password, and audits each attempt", async () => {
    const officer = await buildUser(t.platform, { roles: ["officer"] });
    for (let i = 0; i < 3; i++) {
      const res = await token({
        username: officer.username,
        password: "wrong-password",
        totp: officer.totp(),
      });
      expect(res.statusCode).toBe(401);
    }
    const locked = await token({
      username: officer.username,
      password: officer.password,
      totp: officer.totp(),
    });
    expect(locked.statusCode).toBe(423);
    expect(json(locked).code).toBe("ACCOUNT_LOCKED");
    const failures = await queryRows<{ n: number }>(
      t.platform.db,
      sql`select count(*)::int as n from audit.records where resource_id = ${officer.id} and action = 'identity.signin.failed'`,
    );
    expect(failures[0]!.n).toBe(4);
    clock.advance(16 * 60_000);
    const again = await token({
      username: officer.username,
      password: officer.password,
      totp: officer.totp(),
    });
    expect(again.statusCode).toBe(200);
  });

  it("answers an unknown username exactly like a wrong password", async () => {
    const res = await token({ username: "nobody-here", password: "x" });
    expect(res.statusCode).toBe(401);
    expect(json(res).code).toBe("INVALID_CREDENTIALS");
  });

  it("keeps browser sessions in an HTTP-only cookie and revokes them at sign-out", async () => {
    const citizen = await buildUser(t.platform, { roles: ["citizen"] });
    const res = await t.app.inject({
      method: "POST",
      url: "/api/auth/login",
      payload: { username: citizen.username, password: citizen.password },
    });
    expect(res.statusCode).toBe(200);
    const cookie = res.cookies.find((c) => c.name === "ff_session")!;
    expect(cookie.httpOnly).toBe(true);
    expect(cookie.sameSite).toBe("Lax");
    const cookies = { ff_session: cookie.value };
    expect((await t.app.inject({ url: "/api/auth/me", cookies })).statusCode).toBe(200);
    expect((await t.app.inject({ method: "POST", url: "/api/auth/logout", cookies })).statusCode).toBe(204);
    expect((await t.app.inject({ url: "/api/auth/me", cookies })).statusCode).toBe(401);
  });

  it("signs a citizen in with an SMS code written to the server log (demo SMS simulator)", async () => {
    const phone = `139${String(Math.floor(Math.random() * 1e8)).padStart(8, "0")}`;
    await buildUser(t.platform, { roles: ["citizen"], phone });
    const sent = await t.app.inject({ method: "POST", url: "/api/auth/sms-code", payload: { phone } });
    expect(sent.statusCode).toBe(202);
    const line = t.logs.find((l) => l.includes("登录验证码"))!;
    expect(line).not.toContain(phone);
    const code = /验证码为 (\d{6})/.exec(line)![1]!;
    const wrong = await t.app.inject({
      method: "POST",
      url: "/api/auth/sms-login",
      payload: { phone, code: code === "000000" ? "000001" : "000000" },
    });
    expect(wrong.statusCode).toBe(401);
    const ok = await t.app.inject({ method: "POST", url: "/api/auth/sms-login", payload: { phone, code } });
    expect(ok.statusCode).toBe(200);
    const reused = await t.app.inject({
      method: "POST",
      url: "/api/auth/sms-login",
      payload: { phone, code },
    });
    expect(reused.statusCode).toBe(401);
  });

  it("names the offending field for unknown fields, wrong types and NUL characters", async () => {
    const unknown = await token({ username: "a", password: "b", extra: 1 });
    expect(unknown.statusCode).toBe(400);
    expect(json<{ errors: { field: string }[] }>(unknown).errors).toContainEqual(
      expect.objectContaining({ field: "/body/extra" }),
    );
    const wrongType = await token({ username: 5, password: "b" });
    expect(json<{ errors: { field: string }[] }>(wrongType).errors[0]!.field).toBe("/body/username");
    const nul = await token({ username: "a\u0000b", password: "b" });
    expect(nul.statusCode).toBe(400);
    expect(json<{ errors: { field: string }[] }>(nul).errors[0]!.field).toBe("/body/username");
    const malformed = await t.app.inject({
      method: "POST",
      url: "/api/auth/token",
      headers: { "content-type": "application/json" },
      payload: "{not json",
    });
    expect(malformed.statusCode).toBe(400);
    expect(json(malformed).code).toBe("MALFORMED_JSON");
  });
});
