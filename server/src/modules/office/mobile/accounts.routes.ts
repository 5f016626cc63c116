import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyInstance } from "fastify";
import { Type } from "typebox";
import { STAFF_ROLES } from "../../../kernel/access/roles";
import { requestCtx } from "../../../kernel/http/context";
import { problems, Uuid } from "../../../kernel/http/schemas";
import { runWrite } from "../../../kernel/http/write";
import type { Platform } from "../../../kernel/platform";
import { getMobileAccount, linkMobileAccount, unlinkMobileAccount } from "./accounts.service";
import type { MobileSettings } from "./push.service";

export const OpenId = Type.String({
  pattern: "^[A-Za-z0-9_-]{6,64}$",
  description: "the person's open id in the 粤政易 app",
});
const Account = Type.Object({ userId: Type.String(), openId: Type.String(), linkedAt: Type.String() });
const staff = { roles: STAFF_ROLES, scope: "own" as const };
const tags = ["office"];

/** A staff account's link to its 粤政易 account: the person's own, or any (administrators). */
export function registerAccountRoutes(
  root: FastifyInstance,
  platform: Platform,
  settings: MobileSettings | null,
): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  const params = Type.Object({ userId: Uuid });

  app.get(
    "/api/office/mobile/accounts/:userId",
    {
      schema: {
        operationId: "getMobileAccount",
        tags,
        summary: "The 粤政易 account linked to a staff account",
        params,
        response: { 200: Account, ...problems(400, 401, 403, 404) },
      },
      config: { access: staff },
    },
    async (req) => getMobileAccount(requestCtx(req, platform.db, platform.clock), req.params.userId),
  );

  app.put(
    "/api/office/mobile/accounts/:userId",
    {
      schema: {
        operationId: "linkMobileAccount",
        tags,
        summary: "Link a staff account to its 粤政易 account (replaces an earlier link)",
        params,
        body: Type.Object({ openId: OpenId }, { additionalProperties: false }),
        response: { 200: Account, ...problems(400, 401, 403, 404, 409) },
      },
      config: { access: staff },
    },
    async (req, reply) =>
      runWrite(
        req,
        reply,
        platform,
        200,
        (ctx) =>
          linkMobileAccount(ctx, { engine: platform.workflow, settings }, req.params.userId, req.body.openId),
        {
          afterCommit: async () => platform.jobs.wake(),
        },
      ),
  );

  app.delete(
    "/api/office/mobile/accounts/:userId",
    {
      schema: {
        operationId: "unlinkMobileAccount",
        tags,
        summary: "Unlink a staff account from its 粤政易 account; the app's cards are withdrawn",
        params,
        response: { 204: Type.Null(), ...problems(400, 401, 403, 404) },
      },
      config: { access: staff },
    },
    async (req, reply) =>
      runWrite(req, reply, platform, 204, (ctx) => unlinkMobileAccount(ctx, req.params.userId), {
        afterCommit: async () => platform.jobs.wake(),
      }),
  );
}
