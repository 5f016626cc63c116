import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { Type } from "typebox";
import { sm3 } from "../../../kernel/crypto/sm";
import { requestCtx } from "../../../kernel/http/context";
import { AppError } from "../../../kernel/http/errors";
import { problems, StringEnum, Text, Uuid } from "../../../kernel/http/schemas";
import type { Platform } from "../../../kernel/platform";
import { OpenId } from "./accounts.routes";
import {
  ACTION_TYPES,
  ACTIONS_PATH,
  type ActionInput,
  applyAction,
  auditUnsignedRequest,
  checkActionFields,
} from "./actions.service";
import { MobileErrors } from "./errors";
import type { MobileSettings } from "./push.service";
import { checkSignature, SIGNATURE_HEADERS } from "./signature";

const Variables = Type.Record(Type.String({ pattern: "^[A-Za-z_][\\w]{0,63}$" }), Type.Unknown(), {
  maxProperties: 200,
  description: "task variables, as the web inbox sends them",
});
const ActionBody = Type.Object(
  {
    actionId: Type.String({
      pattern: "^[A-Za-z0-9_.:-]{8,128}$",
      description: "the app's id of this action; a repeat returns the first outcome",
    }),
    openId: OpenId,
    type: StringEnum(ACTION_TYPES),
    taskId: Type.Optional(Uuid),
    noticeId: Type.Optional(Uuid),
    variables: Type.Optional(Variables),
    comment: Type.Optional(Text(500)),
  },
  { additionalProperties: false },
);
const Applied = Type.Object({
  actionId: Type.String(),
  type: Type.String(),
  outcome: Type.Literal("applied"),
  task: Type.Optional(
    Type.Object({
      id: Type.String(),
      name: Type.String(),
      state: Type.String(),
      assignee: Type.Union([Type.String(), Type.Null()]),
    }),
  ),
  notice: Type.Optional(Type.Object({ id: Type.String(), readAt: Type.Union([Type.String(), Type.Null()]) })),
});

/**
 * `POST /api/office/mobile/actions`: actions taken in 粤政易. No user session: the app signs each
 * request (signature.ts), and the body names the open id whose linked account the action runs as.
 */
export function registerActionRoutes(
  root: FastifyInstance,
  platform: Platform,
  settings: MobileSettings | null,
): void {
  const rawBodies = new WeakMap<FastifyRequest, Buffer>();
  root.register(async (scope) => {
    // The signature covers the exact bytes sent, so this route keeps them beside the parsed body.
    scope.addContentTypeParser("application/json", { parseAs: "buffer" }, (req, body, done) => {
      rawBodies.set(req, body as Buffer);
      try {
        done(null, JSON.parse((body as Buffer).toString("utf8")));
      } catch (e) {
        done(e as Error, undefined);
      }
    });
    const app = scope.withTypeProvider<TypeBoxTypeProvider>();
    app.post(
      ACTIONS_PATH,
      {
        schema: {
          operationId: "receiveMobileAction",
          tags: ["office"],
          summary: "An action taken in 粤政易, signed by the app (docs/integrations/yuezhengyi.md)",
          headers: Type.Object({
            [SIGNATURE_HEADERS.appId]: Type.String(),
            [SIGNATURE_HEADERS.timestamp]: Type.String({ description: "Unix seconds" }),
            [SIGNATURE_HEADERS.signature]: Type.String({ description: 'HMAC-SM3: "hmac-sm3=<hex>"' }),
          }),
          body: ActionBody,
          response: { 200: Applied, ...problems(400, 401, 403, 404, 409, 415, 422, 429, 503) },
        },
        // Every refused call is audited: a flood of unsigned calls must not flood the audit log.
        config: { access: { public: true }, rateLimit: { max: 1200, timeWindow: 60_000 } },
        preValidation: async (req) => {
          if (!settings) throw new AppError(MobileErrors.MOBILE_APP_DISABLED);
          const problem = checkSignature(
            { appId: settings.appId, secret: settings.secret, now: platform.clock.now() },
            req.headers,
            rawBodies.get(req) ?? Buffer.alloc(0),
          );
          if (!problem) return;
          await platform.db.transaction((tx) =>
            auditUnsignedRequest(requestCtx(req, tx, platform.clock), problem.reason),
          );
          throw new AppError(
            problem.reason === "stale"
              ? MobileErrors.MOBILE_TIMESTAMP_STALE
              : MobileErrors.MOBILE_SIGNATURE_INVALID,
            {
              errors: [{ field: `/headers/${problem.header}`, message: `is not valid (${problem.reason})` }],
            },
          );
        },
      },
      async (req, reply) => {
        const input = req.body as ActionInput;
        checkActionFields(input);
        const requestHash = sm3(rawBodies.get(req)!).toString("hex");
        const outcome = await platform.db.transaction((tx) =>
          applyAction(requestCtx(req, tx, platform.clock), platform.workflow, input, requestHash),
        );
        platform.jobs.wake();
        if (outcome.replayed) reply.header("idempotent-replayed", "true");
        // The stored outcome may be a problem document: sent as it was first answered.
        return (reply as FastifyReply)
          .code(outcome.status)
          .type(outcome.status >= 400 ? "application/problem+json" : "application/json")
          .send(outcome.body);
      },
    );
  });
}
