import Provider from "oidc-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildCitizen } from "../../../test/factories";
import { json, startTestApp, type TestApp } from "../../../test/harness";
import { freePort } from "../../../test/process";
import { citizenIdCheckChar } from "./identifiers";

const PUBLIC_URL = "http://fourfold.test";

/**
 * A real OpenID Connect provider (the npm oidc-provider) stands in for the provincial unified
 * identity; the browser's round trip is driven with fetch and a cookie jar.
 */
describe("citizen sign-in through OpenID Connect", () => {
  let t: TestApp;
  let issuer: string;
  let server: ReturnType<Provider["listen"]>;
  const idNumber = (() => {
    const first17 = "44012019880808123";
    return first17 + citizenIdCheckChar(first17);
  })();

  beforeAll(async () => {
    const port = await freePort();
    issuer = `http://127.0.0.1:${port}`;
    const provider = new Provider(issuer, {
      clients: [
        {
          client_id: "fourfold",
          client_secret: "fourfold-test-secret",
          redirect_uris: [`${PUBLIC_URL}/api/auth/oidc/callback`],
        },
      ],
      claims: { openid: ["sub"], profile: ["name", "id_number"] },
      async findAccount(_ctx, sub) {
        return {
          accountId: sub,
          async claims() {
            return sub === "linked-person"
              ? { sub, name: "陈统一", id_number: idNumber }
              : { sub, name: "王新用户" };
          },
        };
      },
      pkce: { required: () => true },
    });
    server = provider.listen(port, "127.0.0.1");
    await new Promise((r) => server.once("listening", r));
    t = await startTestApp({
      env: {
        PUBLIC_URL,
        OIDC_ISSUER: issuer,
        OIDC_CLIENT_ID: "fourfold",
        OIDC_CLIENT_SECRET: "fourfold-test-secret",
      },
    });
  });
  afterAll(async () => {
    await t.close();
    server.close();
  });

  /** Follows the provider's redirects, logging in as `login` and granting consent, until it sends the browser back to us. */
  async function roundTrip(login: string): Promise<{ session: string; location: string }> {
    const start = await t.app.inject({ url: "/api/auth/oidc/login" });
    expect(start.statusCode).toBe(302);
    const flowCookie = start.cookies.find((c) => c.name === "ff_oidc")!;
    const jar = new Map<string, string>();
    const cookieHeader = () => [...jar].map(([k, v]) => `${k}=${v}`).join("; ");
    let url = start.headers.location as string;
    for (let hop = 0; hop < 20; hop++) {
      if (url.startsWith(PUBLIC_URL)) {
        const back = await t.app.inject({
          url: url.slice(PUBLIC_URL.length),
          cookies: { ff_oidc: flowCookie.value },
        });
        expect(back.statusCode, back.body).toBe(302);
        const session = back.cookies.find((c) => c.name === "ff_session")!.value;
        return { session, location: back.headers.location as string };
      }
      const page = await fetch(url, { redirect: "manual", headers: { cookie: cookieHeader() } });
      for (const c of page.headers.getSetCookie()) {
        const [pair] = c.split(";");
        const [k, ...v] = pair!.split("=");
        jar.set(k!.trim(), v.join("="));
      }
      if (page.status >= 300 && page.status < 400) {
        url = new URL(page.headers.get("location")!, url).href;
        continue;
      }
      const html = await page.text();
      const prompt = /name="prompt" value="(\w+)"/.exec(html)?.[1];
      const action = /action="([^"]+)"/.exec(html)?.[1];
      expect(prompt, html).toBeDefined();
      const submit = await fetch(new URL(action!, url), {
        method: "POST",
        redirect: "manual",
        headers: { cookie: cookieHeader(), "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams(
          prompt === "login" ? { prompt, login, password: "any" } : { prompt: prompt! },
        ).toString(),
      });
      for (const c of submit.headers.getSetCookie()) {
        const [pair] = c.split(";");
        const [k, ...v] = pair!.split("=");
        jar.set(k!.trim(), v.join("="));
      }
      url = new URL(submit.headers.get("location")!, url).href;
    }
    throw new Error("too many redirects");
  }

  it("announces the provider to the sign-in page", async () => {
    expect(json(await t.app.inject({ url: "/api/auth/providers" }))).toMatchObject({ oidc: true });
  });

  it("creates a citizen account on first sign-in and reuses it the next time", async () => {
    const first = await roundTrip("new-person");
    expect(first.location).toBe("/citizen");
    const me = json(await t.app.inject({ url: "/api/auth/me", cookies: { ff_session: first.session } }));
    expect(me).toMatchObject({ kind: "citizen", displayName: "王新用户", roles: ["citizen"] });
    const second = await roundTrip("new-person");
    const again = json(await t.app.inject({ url: "/api/auth/me", cookies: { ff_session: second.session } }));
    expect(again.id).toBe(me.id);
  });

  it("links a verified ID number to the citizen's existing record", async () => {
    const citizen = await buildCitizen(t.platform, { idNumber, name: "陈统一" });
    const { session } = await roundTrip("linked-person");
    const profile = await t.app.inject({ url: "/api/me/profile", cookies: { ff_session: session } });
    expect(profile.statusCode).toBe(200);
    expect(json(profile)).toMatchObject({ id: citizen.id, idNumber });
  });

  it("refuses a callback whose state does not match", async () => {
    const start = await t.app.inject({ url: "/api/auth/oidc/login" });
    const flowCookie = start.cookies.find((c) => c.name === "ff_oidc")!;
    const res = await t.app.inject({
      url: "/api/auth/oidc/callback?code=forged&state=forged",
      cookies: { ff_oidc: flowCookie.value },
    });
    expect(res.statusCode).toBe(401);
    expect(json(res).code).toBe("OIDC_FAILED");
  });
});
