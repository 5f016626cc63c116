import { createHash } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { Db } from "../db/db";
import type { Clock, Ctx } from "./context";
import { requestCtx } from "./context";
import { AppError, HttpErrors } from "./errors";
import { idempotencyKeys } from "./schema";

const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

/**
 * Runs a write use case in one transaction and sends its result. With an Idempotency-Key, the key is
 * claimed inside that same transaction and the response is stored with the change, so a retry either
 * waits for the first attempt and replays its response, or (if the first rolled back) acts once itself.
 */
export async function runWrite<T>(
  req: FastifyRequest,
  reply: FastifyReply,
  deps: { db: Db; clock: Clock },
  /** The success status, or a function of the result when it depends on it (e.g. 204 or 207). */
  status: number | ((result: T) => number),
  action: (ctx: Ctx) => Promise<T>,
  options: {
    /**
     * The use case writes with one statement (see auditedBatchQuery), atomic on its own: without an
     * Idempotency-Key it runs without an explicit transaction, saving two round trips.
     */
    singleStatement?: boolean;
    /** Runs after the commit and before the response goes out (e.g. refreshing an in-memory cache). */
    afterCommit?: () => Promise<void>;
  } = {},
): Promise<FastifyReply> {
  const key = req.headers["idempotency-key"];
  if (key !== undefined && (typeof key !== "string" || !KEY_PATTERN.test(key))) {
    throw new AppError(HttpErrors.VALIDATION_FAILED, {
      errors: [{ field: "/headers/idempotency-key", message: "must be 1–255 visible ASCII characters" }],
    });
  }
  if (key === undefined && options.singleStatement) {
    const body = await action({ ...requestCtx(req, deps.db, deps.clock), batchable: true });
    await options.afterCommit?.();
    const code = typeof status === "function" ? status(body) : status;
    return code === 204 ? reply.code(204).send() : reply.code(code).send(body);
  }
  const outcome = await deps.db.transaction(async (tx) => {
    const codeOf = (body: T) => (typeof status === "function" ? status(body) : status);
    if (key === undefined) {
      const body = await action(requestCtx(req, tx, deps.clock));
      return { status: codeOf(body), body, replayed: false };
    }
    const scope = req.actor ? `user:${req.actor.id}` : `anon:${req.ip}`;
    const requestHash = createHash("sha256")
      .update(`${req.method} ${req.url}\n${JSON.stringify(req.body ?? null)}`)
      .digest("hex");
    const claimed = await tx
      .insert(idempotencyKeys)
      .values({ scope, key, requestHash })
      .onConflictDoNothing()
      .returning({ key: idempotencyKeys.key });
    if (claimed.length === 0) {
      const [previous] = await tx
        .select()
        .from(idempotencyKeys)
        .where(and(eq(idempotencyKeys.scope, scope), eq(idempotencyKeys.key, key)));
      if (!previous || previous.requestHash !== requestHash)
        throw new AppError(HttpErrors.IDEMPOTENCY_KEY_REUSED);
      return {
        status: previous.statusCode ?? 200,
        body: JSON.parse(previous.body ?? "null") as T,
        replayed: true,
      };
    }
    const body = await action(requestCtx(req, tx, deps.clock));
    await tx
      .update(idempotencyKeys)
      .set({ statusCode: codeOf(body), body: JSON.stringify(body ?? null), completedAt: sql`now()` })
      .where(and(eq(idempotencyKeys.scope, scope), eq(idempotencyKeys.key, key)));
    return { status: codeOf(body), body, replayed: false };
  });
  await options.afterCommit?.();
  if (outcome.replayed) reply.header("idempotent-replayed", "true");
  if (outcome.status === 204) return reply.code(204).send();
  return reply.code(outcome.status).send(outcome.body);
}

/**
 * Runs a read use case in one transaction: a consistent view, and room for what a read records in
 * passing (a personal-data read's audit record, a read receipt).
 */
export function runRead<T>(
  req: FastifyRequest,
  deps: { db: Db; clock: Clock },
  action: (ctx: Ctx) => Promise<T>,
) {
  return deps.db.transaction((tx) => action(requestCtx(req, tx, deps.clock)));
}
