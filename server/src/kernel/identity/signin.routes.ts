import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { Type } from "typebox";
import { problems, Text } from "../http/schemas";
import type { Platform } from "../platform";
import { SESSION_COOKIE } from "./sessions";
import {
  changePassword,
  checkCredentials,
  checkSmsCode,
  describeUser,
  openSession,
  requestSmsCode,
  revokeSession,
} from "./signin.service";

const MeSchema = Type.Object({
  id: Type.String(),
  username: Type.String(),
  kind: Type.Union([Type.Literal("staff"), Type.Literal("citizen"), Type.Literal("enterprise")]),
  displayName: Type.String(),
  roles: Type.Array(Type.String()),
  department: Type.Union([
    Type.Object({ id: Type.String(), code: Type.String(), name: Type.String() }),
    Type.Null(),
  ]),
  portals: Type.Array(Type.String()),
  mustChangePassword: Type.Boolean(),
});

const CredentialsBody = Type.Object(
  {
    username: Text(64),
    password: Type.String({ minLength: 1, maxLength: 256 }),
    totp: Type.Optional(Type.String({ pattern: "^[0-9]{6}$", description: "TOTP code (staff accounts)" })),
  },
  { additionalProperties: false },
);

const Phone = Type.String({ pattern: "^1[3-9][0-9]{9}$", description: "Mainland mobile number" });

export function registerSignInRoutes(root: FastifyInstance, platform: Platform): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  const limit = {
    max: platform.config.signInRateLimit.max,
    timeWindow: platform.config.signInRateLimit.windowSeconds * 1000,
  };
  const meta = (req: FastifyRequest) => ({ ip: req.ip, requestId: req.id });

  const setCookie = (reply: FastifyReply, token: string, ttlSeconds: number) =>
    reply.setCookie(SESSION_COOKIE, token, {
      path: "/",
      httpOnly: true,
      sameSite: "lax",
      secure: platform.config.secureCookies,
      maxAge: ttlSeconds,
    });

  app.post(
    "/api/auth/login",
    {
      schema: {
        operationId: "signIn",
        tags: ["identity"],
        summary: "Sign in with username, password and (staff) TOTP; sets the session cookie",
        body: CredentialsBody,
        response: { 200: Type.Object({ user: MeSchema }), ...problems(400, 401, 403, 423, 429) },
      },
      config: { access: { public: true }, rateLimit: limit },
    },
    async (req, reply) => {
      const user = await checkCredentials(platform, req.body, meta(req));
      const session = await openSession(platform, user, "cookie", { ...meta(req), method: "password" });
      setCookie(reply, session.token, session.ttlSeconds);
      return { user: await describeUser(platform, user.id) };
    },
  );

  app.post(
    "/api/auth/token",
    {
      schema: {
        operationId: "createToken",
        tags: ["identity"],
        summary: "Issue a bearer token for scripts (username, password, TOTP for staff)",
        body: CredentialsBody,
        response: {
          200: Type.Object({
            access_token: Type.String(),
            token_type: Type.Literal("Bearer"),
            expires_in: Type.Integer(),
          }),
          ...problems(400, 401, 403, 423, 429),
        },
      },
      config: { access: { public: true }, rateLimit: limit },
    },
    async (req, reply) => {
      const user = await checkCredentials(platform, req.body, meta(req));
      const session = await openSession(platform, user, "bearer", { ...meta(req), method: "password" });
      reply.header("cache-control", "no-store");
      return { access_token: session.token, token_type: "Bearer" as const, expires_in: session.ttlSeconds };
    },
  );

  app.post(
    "/api/auth/sms-code",
    {
      schema: {
        operationId: "requestSmsCode",
        tags: ["identity"],
        summary: "Send a one-time sign-in code to a citizen's or enterprise agent's phone",
        body: Type.Object({ phone: Phone }, { additionalProperties: false }),
        response: { 202: Type.Object({ expiresIn: Type.Integer() }), ...problems(400, 429, 503) },
      },
      config: { access: { public: true }, rateLimit: { max: 5, timeWindow: 60_000 } },
    },
    async (req, reply) => {
      const expiresIn = await requestSmsCode(platform, req.body.phone, meta(req));
      return reply.code(202).send({ expiresIn });
    },
  );

  app.post(
    "/api/auth/sms-login",
    {
      schema: {
        operationId: "signInWithSmsCode",
        tags: ["identity"],
        body: Type.Object(
          { phone: Phone, code: Type.String({ pattern: "^[0-9]{6}$" }) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ user: MeSchema }), ...problems(400, 401, 423, 429, 503) },
      },
      config: { access: { public: true }, rateLimit: limit },
    },
    async (req, reply) => {
      const user = await checkSmsCode(platform, req.body.phone, req.body.code, meta(req));
      const session = await openSession(platform, user, "cookie", { ...meta(req), method: "sms" });
      setCookie(reply, session.token, session.ttlSeconds);
      return { user: await describeUser(platform, user.id) };
    },
  );

  app.post(
    "/api/auth/logout",
    {
      schema: {
        operationId: "signOut",
        tags: ["identity"],
        response: { 204: Type.Null(), ...problems(401) },
      },
      config: { access: { roles: "authenticated", beforePasswordChange: true } },
    },
    async (req, reply) => {
      const token = bearerOrCookie(req);
      if (token) await revokeSession(platform, token, req.actor, meta(req));
      reply.clearCookie(SESSION_COOKIE, { path: "/" });
      return reply.code(204).send(null);
    },
  );

  app.get(
    "/api/auth/me",
    {
      schema: { operationId: "getMe", tags: ["identity"], response: { 200: MeSchema, ...problems(401) } },
      config: { access: { roles: "authenticated", beforePasswordChange: true } },
    },
    async (req) => describeUser(platform, req.actor!.id),
  );

  app.post(
    "/api/auth/password",
    {
      schema: {
        operationId: "changePassword",
        tags: ["identity"],
        summary: "Replace the account's password (required after a one-time password)",
        body: Type.Object(
          {
            currentPassword: Type.String({ minLength: 1, maxLength: 256 }),
            newPassword: Type.String({ minLength: 10, maxLength: 256 }),
          },
          { additionalProperties: false },
        ),
        response: { 204: Type.Null(), ...problems(400, 401, 422, 429) },
      },
      config: { access: { roles: "authenticated", beforePasswordChange: true }, rateLimit: limit },
    },
    async (req, reply) => {
      await changePassword(platform, req.actor!, req.body.currentPassword, req.body.newPassword, meta(req));
      return reply.code(204).send(null);
    },
  );

  app.get(
    "/api/auth/providers",
    {
      schema: {
        operationId: "listSignInProviders",
        tags: ["identity"],
        response: {
          200: Type.Object({
            password: Type.Boolean(),
            sms: Type.Boolean(),
            oidc: Type.Boolean(),
            oidcLabel: Type.Union([Type.String(), Type.Null()]),
            demo: Type.Boolean({ description: "Demo mode: SMS codes are written to the server log" }),
          }),
        },
      },
      config: { access: { public: true } },
    },
    async () => ({
      password: true,
      sms: platform.sms.available,
      oidc: platform.config.oidc !== null,
      oidcLabel: platform.config.oidc?.label ?? null,
      demo: platform.config.demo,
    }),
  );
}

export function bearerOrCookie(req: FastifyRequest): string | null {
  const header = req.headers.authorization;
  if (header?.startsWith("Bearer ")) return header.slice(7).trim();
  return req.cookies?.[SESSION_COOKIE] ?? null;
}
