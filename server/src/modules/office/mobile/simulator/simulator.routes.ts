import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { Type } from "typebox";
import { STAFF_ROLES } from "../../../../kernel/access/roles";
import { AppError, HttpErrors } from "../../../../kernel/http/errors";
import { problems, StringEnum, Uuid } from "../../../../kernel/http/schemas";
import { pickLocale, renderCards, renderNotLinked, renderSignIn } from "./page";
import type { MobileAppSimulator, WebhookBody } from "./simulator";

export const SIMULATOR_PATH = "/simulator/mobile-app";

const Card = Type.Object({
  kind: Type.String(),
  id: Type.String(),
  title: Type.String(),
  subtitle: Type.Union([Type.String(), Type.Null()]),
  dueAt: Type.Union([Type.String(), Type.Null()]),
  link: Type.String(),
  claimable: Type.Boolean(),
  actions: Type.Array(
    Type.Object({
      key: Type.String(),
      label: Type.String(),
      variables: Type.Record(Type.String(), Type.Unknown()),
    }),
  ),
  receivedAt: Type.String(),
  state: Type.String(),
  note: Type.Union([Type.String(), Type.Null()]),
});
const Lang = Type.Optional(StringEnum(["zh-CN", "zh-HK", "en"] as const));
const tags = ["simulator"];

/**
 * The simulated app on this server, under /simulator/mobile-app: the webhook receiver the platform
 * pushes to, and the phone screen. The screen stands in for the app's own sign-in with the
 * platform session: it shows the signed-in person's cards only and acts only as them.
 */
export function registerSimulatorRoutes(
  root: FastifyInstance,
  simulator: MobileAppSimulator,
  openIdOf: (userId: string) => Promise<string | null>,
): void {
  const rawBodies = new WeakMap<FastifyRequest, Buffer>();
  root.register(async (scope) => {
    scope.addContentTypeParser("application/json", { parseAs: "buffer" }, (req, body, done) => {
      rawBodies.set(req, body as Buffer);
      try {
        done(null, JSON.parse((body as Buffer).toString("utf8")));
      } catch (e) {
        done(e as Error, undefined);
      }
    });
    scope.addContentTypeParser(
      "application/x-www-form-urlencoded",
      { parseAs: "string", bodyLimit: 4096 },
      (_req, body, done) => done(null, Object.fromEntries(new URLSearchParams(body as string))),
    );
    const app = scope.withTypeProvider<TypeBoxTypeProvider>();

    app.post(
      `${SIMULATOR_PATH}/webhook`,
      {
        schema: {
          operationId: "simulatorReceiveWebhook",
          tags,
          summary: "The simulated app's webhook receiver (signed like the real one must check)",
          body: Type.Object(
            {
              deliveryId: Uuid,
              appId: Type.String({ maxLength: 100 }),
              event: Type.String({ maxLength: 50 }),
              occurredAt: Type.String({ maxLength: 40 }),
              openId: Type.String({ maxLength: 64 }),
              task: Type.Optional(Type.Object({ id: Uuid }, { additionalProperties: true })),
              notice: Type.Optional(Type.Object({ id: Uuid }, { additionalProperties: true })),
              reason: Type.Optional(Type.String({ maxLength: 50 })),
            },
            { additionalProperties: false },
          ),
          response: {
            200: Type.Object({ received: Type.Boolean(), duplicate: Type.Boolean() }),
            ...problems(400, 401),
          },
        },
        config: { access: { public: true } },
        preValidation: async (req) => {
          const problem = simulator.verify(req.headers, rawBodies.get(req) ?? Buffer.alloc(0));
          if (problem)
            throw new AppError(HttpErrors.UNAUTHENTICATED, {
              message: `Webhook refused: ${problem.reason}`,
              errors: [{ field: `/headers/${problem.header}`, message: `is not valid (${problem.reason})` }],
            });
        },
      },
      async (req) => simulator.receive(req.body as WebhookBody),
    );

    app.get(
      SIMULATOR_PATH,
      {
        schema: {
          operationId: "simulatorPhone",
          tags,
          summary: "The simulated phone screen of the signed-in staff member (HTML)",
          querystring: Type.Object({ lang: Lang }, { additionalProperties: false }),
          produces: ["text/html"],
        },
        config: { access: { public: true } },
      },
      async (req, reply) => {
        const locale = pickLocale(req.query.lang, req.headers["accept-language"]);
        reply.type("text/html; charset=utf-8").header("cache-control", "no-store");
        const actor = req.actor;
        if (actor?.kind !== "staff") return renderSignIn(locale);
        const openId = await openIdOf(actor.id);
        if (!openId) return renderNotLinked(locale, actor.displayName);
        return renderCards(locale, actor.displayName, openId, simulator.cardsOf(openId), SIMULATOR_PATH);
      },
    );

    app.get(
      `${SIMULATOR_PATH}/api/cards`,
      {
        schema: {
          operationId: "simulatorCards",
          tags,
          summary: "The cards the signed-in staff member's simulated app shows",
          response: {
            200: Type.Object({ openId: Type.String(), cards: Type.Array(Card) }),
            ...problems(401, 403, 404),
          },
        },
        config: { access: { roles: STAFF_ROLES } },
      },
      async (req) => {
        const openId = await openIdOf(req.actor!.id);
        if (!openId) throw new AppError(HttpErrors.NOT_FOUND, { message: "No 粤政易 account is linked" });
        return { openId, cards: simulator.cardsOf(openId) };
      },
    );

    app.post(
      `${SIMULATOR_PATH}/cards/:kind/:id`,
      {
        schema: {
          operationId: "simulatorTap",
          tags,
          summary: "A tap on a card's button: the app sends the action, signed, and shows the answer",
          consumes: ["application/x-www-form-urlencoded", "application/json"],
          params: Type.Object({ kind: StringEnum(["task", "notice"] as const), id: Uuid }),
          querystring: Type.Object({ lang: Lang }, { additionalProperties: false }),
          body: Type.Object(
            {
              choice: StringEnum(["approve", "reject", "claim", "read"] as const),
              comment: Type.Optional(Type.String({ maxLength: 200 })),
            },
            { additionalProperties: false },
          ),
          response: {
            303: Type.Null(),
            200: Type.Object({ status: Type.Integer(), body: Type.Unknown() }),
            ...problems(400, 401, 403, 404),
          },
        },
        config: { access: { roles: STAFF_ROLES } },
      },
      async (req, reply) => {
        sameOrigin(req);
        const openId = await openIdOf(req.actor!.id);
        if (!openId) throw new AppError(HttpErrors.NOT_FOUND, { message: "No 粤政易 account is linked" });
        const comment = req.body.comment?.trim() || undefined;
        const result = await simulator.tap(openId, req.params.kind, req.params.id, req.body.choice, comment);
        if (req.headers["content-type"]?.startsWith("application/json")) return result;
        const lang = req.query.lang ? `?lang=${req.query.lang}` : "";
        return reply.code(303).header("location", `${SIMULATOR_PATH}${lang}`).send(null);
      },
    );
  });
}

/** Form posts ride on the session cookie, so one from another site is refused. */
function sameOrigin(req: FastifyRequest): void {
  const origin = req.headers.origin;
  if (origin === undefined) return;
  let same = false;
  try {
    const from = new URL(origin);
    // Parsed with the origin's scheme, so a default port (":80", ":443") compares equal to none.
    same = from.host === new URL(`${from.protocol}//${req.headers.host ?? ""}`).host;
  } catch {
    same = false;
  }
  if (!same) throw new AppError(HttpErrors.FORBIDDEN, { message: "Cross-site request refused" });
}
