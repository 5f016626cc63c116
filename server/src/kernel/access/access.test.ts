import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bearer, buildUser } from "../../../test/factories";
import { json, startTestApp, type TestApp } from "../../../test/harness";

interface Operation {
  operationId?: string;
  security?: Record<string, string[]>[];
  "x-roles"?: string[];
}

const METHODS = ["get", "post", "put", "patch", "delete"] as const;
const SAMPLE_ID = "01900000-0000-7000-8000-000000000000";

function operations(spec: { paths: Record<string, Partial<Record<(typeof METHODS)[number], Operation>>> }) {
  return Object.entries(spec.paths).flatMap(([path, item]) =>
    METHODS.filter((m) => item[m]).map((method) => ({
      path,
      method,
      url: path.replace(/\{(\w+)\}/g, (_m, name) => (name === "year" ? "2026" : SAMPLE_ID)),
      op: item[method]!,
    })),
  );
}

/** Deny by default, proven by walking every operation the OpenAPI document lists. */
describe("authorization", () => {
  let t: TestApp;
  let spec: Parameters<typeof operations>[0];

  beforeAll(async () => {
    t = await startTestApp();
    spec = json((await t.app.inject({ url: "/openapi.json" })) as never);
  });
  afterAll(() => t.close());

  it("gives every operation an operationId and a declared security", () => {
    const ops = operations(spec);
    expect(ops.length).toBeGreaterThan(20);
    for (const { method, path, op } of ops) {
      expect(op.operationId, `${method} ${path}`).toMatch(/^[a-z][A-Za-z]+$/);
      expect(op.security, `${method} ${path}`).toBeDefined();
      expect(JSON.stringify(op.security), `${method} ${path} declares no access`).not.toContain("denied");
    }
    const ids = ops.map((o) => o.op.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    const health = spec.paths["/healthz"]!.get!;
    expect(health.security).toEqual([]);
  });

  it("answers 401 without credentials on every non-public operation", async () => {
    for (const { method, url, op } of operations(spec)) {
      if (op.security?.length === 0) continue;
      const res = await t.app.inject({
        method: method.toUpperCase() as "GET",
        url,
        payload: method === "get" ? undefined : {},
      });
      expect(res.statusCode, `${method} ${url}`).toBe(401);
    }
  });

  it("never lets a citizen reach an operation that does not admit citizens", async () => {
    const citizen = await buildUser(t.platform, { roles: ["citizen"] });
    const token = await citizen.token(t.app);
    let checked = 0;
    for (const { method, url, op } of operations(spec)) {
      const roles = op["x-roles"];
      if (op.security?.length === 0 || !roles || roles.includes("authenticated") || roles.includes("citizen"))
        continue;
      if (url === "/api/auth/logout") continue;
      const res = await t.app.inject({
        method: method.toUpperCase() as "GET",
        url,
        headers: bearer(token),
        payload: method === "get" ? undefined : {},
      });
      expect(res.statusCode, `${method} ${url}`).toBe(403);
      checked++;
    }
    expect(checked).toBeGreaterThan(10);
  });

  it("sends security headers and a request id on every answer", async () => {
    const res = await t.app.inject({ url: "/healthz" });
    expect(json(res)).toEqual({ status: "ok" });
    expect(res.headers["x-content-type-options"]).toBe("nosniff");
    expect(res.headers["content-security-policy"]).toContain("default-src 'self'");
    expect(res.headers["x-frame-options"]).toBeDefined();
    expect(res.headers["x-request-id"]).toBeTruthy();
  });
});
