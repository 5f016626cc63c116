import { createHash } from "node:crypto";
import { and, eq } from "drizzle-orm";
import type { FastifyInstance } from "fastify";
import * as oidc from "openid-client";
import { Type } from "typebox";
import { appendAudit } from "../audit/audit";
import { newId } from "../db/ids";
import { AppError } from "../http/errors";
import { problems } from "../http/schemas";
import type { Platform } from "../platform";
import { IdentityErrors } from "./errors";
import { parseCitizenId } from "./identifiers";
import { citizens, externalIdentities, users } from "./schema";
import { SESSION_COOKIE } from "./sessions";
import { openSession } from "./signin.service";

const FLOW_COOKIE = "ff_oidc";

/**
 * OpenID Connect relying party for citizens (the provincial unified identity in production):
 * authorization code flow with PKCE, state and nonce. An identity is linked by (issuer, subject);
 * a verified mainland ID number claim links it to the citizen's existing record and account.
 */
export function registerOidcRoutes(app: FastifyInstance, platform: Platform): void {
  const settings = platform.config.oidc;
  let discovered: Promise<oidc.Configuration> | null = null;
  const configuration = () => {
    if (!settings) throw new AppError(IdentityErrors.OIDC_UNAVAILABLE);
    discovered ??= oidc
      .discovery(new URL(settings.issuer), settings.clientId, settings.clientSecret, undefined, {
        execute: settings.issuer.startsWith("http:") ? [oidc.allowInsecureRequests] : [],
      })
      .catch((e) => {
        discovered = null;
        platform.log.error({ err: e }, "OIDC discovery failed");
        throw new AppError(IdentityErrors.OIDC_UNAVAILABLE, {
          message: "The identity provider cannot be reached",
        });
      });
    return discovered;
  };
  const redirectUri = `${platform.config.publicUrl}/api/auth/oidc/callback`;

  app.get(
    "/api/auth/oidc/login",
    {
      schema: {
        operationId: "startOidcSignIn",
        tags: ["identity"],
        summary: "Redirect to the unified identity provider",
        response: { 302: Type.Null(), ...problems(503) },
      },
      config: { access: { public: true } },
    },
    async (_req, reply) => {
      const config = await configuration();
      const verifier = oidc.randomPKCECodeVerifier();
      const state = oidc.randomState();
      const nonce = oidc.randomNonce();
      const url = oidc.buildAuthorizationUrl(config, {
        redirect_uri: redirectUri,
        scope: "openid profile",
        code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
        code_challenge_method: "S256",
        state,
        nonce,
      });
      reply.setCookie(FLOW_COOKIE, JSON.stringify({ verifier, state, nonce }), {
        path: "/api/auth/oidc",
        httpOnly: true,
        sameSite: "lax",
        secure: platform.config.secureCookies,
        signed: true,
        maxAge: 600,
      });
      return reply.redirect(url.href, 302);
    },
  );

  app.get(
    "/api/auth/oidc/callback",
    {
      schema: {
        operationId: "completeOidcSignIn",
        tags: ["identity"],
        querystring: Type.Object({}, { additionalProperties: true }),
        response: { 302: Type.Null(), ...problems(401, 503) },
      },
      config: { access: { public: true } },
    },
    async (req, reply) => {
      const config = await configuration();
      const raw = req.cookies[FLOW_COOKIE];
      const unsigned = raw ? req.unsignCookie(raw) : null;
      if (!unsigned?.valid || !unsigned.value) {
        throw new AppError(IdentityErrors.OIDC_FAILED, {
          message: "The sign-in round trip expired; start again",
        });
      }
      const flow = JSON.parse(unsigned.value) as { verifier: string; state: string; nonce: string };
      let claims: oidc.IDToken;
      try {
        const tokens = await oidc.authorizationCodeGrant(
          config,
          new URL(req.url, platform.config.publicUrl),
          {
            pkceCodeVerifier: flow.verifier,
            expectedState: flow.state,
            expectedNonce: flow.nonce,
          },
        );
        const c = tokens.claims();
        if (!c) throw new Error("no ID token");
        // Providers put profile claims in the ID token or only behind the userinfo endpoint.
        const info = await oidc.fetchUserInfo(config, tokens.access_token, c.sub).catch(() => ({}));
        claims = { ...info, ...c };
      } catch (e) {
        req.log.warn({ err: e }, "OIDC code exchange failed");
        throw new AppError(IdentityErrors.OIDC_FAILED);
      }
      const userId = await linkIdentity(platform, settings!.issuer, claims, {
        ip: req.ip,
        requestId: req.id,
      });
      const [user] = await platform.db.select().from(users).where(eq(users.id, userId));
      const session = await openSession(platform, user!, "cookie", {
        ip: req.ip,
        requestId: req.id,
        method: "oidc",
      });
      reply.clearCookie(FLOW_COOKIE, { path: "/api/auth/oidc" });
      reply.setCookie(SESSION_COOKIE, session.token, {
        path: "/",
        httpOnly: true,
        sameSite: "lax",
        secure: platform.config.secureCookies,
        maxAge: session.ttlSeconds,
      });
      return reply.redirect("/citizen", 302);
    },
  );
}

async function linkIdentity(
  platform: Platform,
  issuer: string,
  claims: oidc.IDToken,
  meta: { ip: string | null; requestId: string },
): Promise<string> {
  return platform.db.transaction(async (tx) => {
    const [linked] = await tx
      .select()
      .from(externalIdentities)
      .where(and(eq(externalIdentities.issuer, issuer), eq(externalIdentities.subject, claims.sub)));
    if (linked) return linked.userId;
    const idClaim = [claims.id_number, claims.idcard, claims.id_card].find((v) => typeof v === "string") as
      | string
      | undefined;
    const parsed = idClaim ? parseCitizenId(idClaim) : null;
    let userId: string | null = null;
    let citizenId: string | null = null;
    if (parsed?.ok) {
      const [citizen] = await tx
        .select()
        .from(citizens)
        .where(and(eq(citizens.idType, "resident_id"), eq(citizens.idNumber, parsed.normalized)));
      citizenId = citizen?.id ?? null;
      if (citizen) {
        const [account] = await tx
          .select({ id: users.id })
          .from(users)
          .where(eq(users.citizenId, citizen.id));
        userId = account?.id ?? null;
      }
    }
    if (!userId) {
      userId = newId();
      const digest = createHash("sha256").update(`${issuer}\n${claims.sub}`).digest("hex").slice(0, 12);
      await tx.insert(users).values({
        id: userId,
        username: `oidc-${digest}`,
        kind: "citizen",
        displayName: typeof claims.name === "string" && claims.name ? claims.name : "统一身份用户",
        roles: ["citizen"],
        citizenId,
      });
    }
    await tx.insert(externalIdentities).values({ issuer, subject: claims.sub, userId });
    await appendAudit(
      tx,
      { actor: null, ip: meta.ip, requestId: meta.requestId, clock: platform.clock },
      {
        action: "identity.external_identity.linked",
        resourceType: "user",
        resourceId: userId,
        details: { issuer, linkedToCitizen: citizenId !== null },
      },
    );
    return userId;
  });
}
