import type { FastifyBaseLogger, FastifyReply, FastifyRequest } from "fastify";
import type { Actor } from "../access/actor";
import type { Db } from "../db/db";
import { AppError, HttpErrors } from "./errors";

export interface Clock {
  now(): Date;
}
export const systemClock: Clock = { now: () => new Date() };

/** What every use case receives: who acts, on which connection or transaction, and when. */
export interface Ctx {
  actor: Actor | null;
  requestId: string;
  ip: string | null;
  tx: Db;
  clock: Clock;
  log: FastifyBaseLogger;
  /**
   * Set when the use case runs outside a transaction as a single statement (runWrite's fast path):
   * it may then be grouped with concurrent requests of the same kind into one statement.
   */
  batchable?: boolean;
}

/** A ctx for work that no request started (jobs, seeding, CLI). */
export function systemCtx(tx: Db, clock: Clock, log: FastifyBaseLogger, requestId: string): Ctx {
  return { actor: null, requestId, ip: null, tx, clock, log };
}

declare module "fastify" {
  interface FastifyRequest {
    actor: Actor | null;
  }
  interface FastifyContextConfig {
    access?: import("../access/actor").Access;
  }
}

/** The authenticated actor of a use case that needs one (routes admit only signed-in callers to it). */
export function actorOf(ctx: Ctx): Actor {
  if (!ctx.actor) throw new AppError(HttpErrors.UNAUTHENTICATED);
  return ctx.actor;
}

export function requestCtx(req: FastifyRequest, tx: Db, clock: Clock): Ctx {
  return { actor: req.actor, requestId: req.id, ip: req.ip, tx, clock, log: req.log };
}

export type Reply = FastifyReply;
