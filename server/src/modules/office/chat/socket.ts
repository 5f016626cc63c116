import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import type { FastifyInstance } from "fastify";
import { WebSocketServer } from "ws";
import { type Actor, hasAnyRole } from "../../../kernel/access/actor";
import { STAFF_ROLES } from "../../../kernel/access/roles";
import { appendAudit } from "../../../kernel/audit/audit";
import { AppError, HttpErrors } from "../../../kernel/http/errors";
import { onUpgrade, refuseUpgrade } from "../../../kernel/http/upgrade";
import { SESSION_COOKIE } from "../../../kernel/identity/sessions";
import type { Platform } from "../../../kernel/platform";
import type { ChatHub } from "./hub";

export const SOCKET_PATH = "/api/office/chat/ws";
/** The subprotocol the server speaks; a browser offers it together with `bearer.<token>` when it has no cookie. */
export const SOCKET_PROTOCOL = "fourfold.chat";
const BEARER_PROTOCOL = "bearer.";
const ROUTE = `GET ${SOCKET_PATH}`;

/**
 * The token of an upgrade request, from where a client can put one: `Authorization: Bearer` (scripts),
 * the `bearer.<token>` subprotocol (browsers cannot set headers on a WebSocket), or the session cookie
 * (the web app, same origin).
 */
function tokenOf(app: FastifyInstance, req: IncomingMessage): string | null {
  const header = req.headers.authorization;
  if (header?.startsWith("Bearer ")) return header.slice(7).trim();
  const offered = (req.headers["sec-websocket-protocol"] ?? "").split(",").map((p) => p.trim());
  const bearer = offered.find((p) => p.startsWith(BEARER_PROTOCOL));
  if (bearer) return bearer.slice(BEARER_PROTOCOL.length);
  const cookies = req.headers.cookie;
  return cookies ? (app.parseCookie(cookies)[SESSION_COOKIE] ?? null) : null;
}

/** A browser page of another site must not ride on the user's cookie (cross-site WebSocket hijacking). */
function originAllowed(req: IncomingMessage, publicUrl: string): boolean {
  const origin = req.headers.origin;
  if (!origin) return true;
  try {
    const url = new URL(origin);
    return url.host === req.headers.host || url.origin === new URL(publicUrl).origin;
  } catch {
    return false;
  }
}

type Admission =
  | { actor: Actor; token: string }
  /** `denied`: refused for a reason the audit trail records (an account without access, a foreign page). */
  | { error: AppError; denied?: { actor: Actor; reason: string } };

/** The same checks as any route declaring `access: { roles: STAFF_ROLES }`, for the upgrade request. */
async function admit(app: FastifyInstance, platform: Platform, req: IncomingMessage): Promise<Admission> {
  const token = tokenOf(app, req);
  const actor = token ? await platform.sessions.resolve(token) : null;
  if (!actor || !token) return { error: new AppError(HttpErrors.UNAUTHENTICATED) };
  if (actor.mustChangePassword) return { error: new AppError(HttpErrors.PASSWORD_CHANGE_REQUIRED) };
  if (!hasAnyRole(actor, STAFF_ROLES)) {
    return {
      error: new AppError(HttpErrors.FORBIDDEN, { message: "Chat is for staff accounts" }),
      denied: { actor, reason: "role" },
    };
  }
  if (!originAllowed(req, platform.config.publicUrl)) {
    return {
      error: new AppError(HttpErrors.FORBIDDEN, { message: "The page's origin may not open this socket" }),
      denied: { actor, reason: "origin" },
    };
  }
  return { actor, token };
}

function refuse(socket: Duplex, error: AppError, requestId: string): void {
  refuseUpgrade(socket, error, SOCKET_PATH, requestId);
}

/**
 * Accepts WebSocket upgrades at SOCKET_PATH on the app's HTTP server and hands authenticated staff
 * sockets to the hub. Upgrades bypass Fastify's routing, so the route's checks are applied here:
 * 401 without a valid session, 403 (audited like any refused route) for other accounts and for pages
 * of another origin.
 */
export function acceptChatSockets(app: FastifyInstance, platform: Platform, hub: ChatHub): void {
  const wss = new WebSocketServer({
    noServer: true,
    clientTracking: false,
    perMessageDeflate: false,
    maxPayload: 16 * 1024,
    // Never echo the bearer token back: the server answers with its own protocol name only.
    handleProtocols: (protocols) => (protocols.has(SOCKET_PROTOCOL) ? SOCKET_PROTOCOL : false),
  });
  onUpgrade(app, SOCKET_PATH, (req, socket, head, requestId) => {
    admit(app, platform, req)
      .then(async (admission) => {
        if ("error" in admission) {
          if (admission.denied) await auditRefusal(platform, req, requestId, admission.denied);
          refuse(socket, admission.error, requestId);
          return;
        }
        wss.handleUpgrade(req, socket, head, (ws) => hub.attach(ws, admission.actor, admission.token));
      })
      .catch((e: unknown) => {
        platform.log.error({ err: e, requestId }, "chat socket upgrade failed");
        refuse(socket, new AppError(HttpErrors.INTERNAL), requestId);
      });
  });
}

/** The record the platform writes for any refused route (`access.denied`), in its own transaction. */
async function auditRefusal(
  platform: Platform,
  req: IncomingMessage,
  requestId: string,
  denied: { actor: Actor; reason: string },
): Promise<void> {
  await platform.db.transaction((tx) =>
    appendAudit(
      tx,
      { actor: denied.actor, ip: req.socket.remoteAddress ?? null, requestId, clock: platform.clock },
      {
        action: "access.denied",
        resourceType: "route",
        resourceId: ROUTE,
        outcome: "denied",
        details: { reason: denied.reason },
      },
    ),
  );
}
