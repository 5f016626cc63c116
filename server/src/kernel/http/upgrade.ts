/**
 * WebSocket upgrades on the app's HTTP server, by path: upgrades bypass Fastify's routing, so one
 * listener dispatches them to the module that owns the path (chat, MQTT over WebSocket) and refuses
 * any other path with a problem document instead of leaving the socket hanging.
 */
import { type IncomingMessage, STATUS_CODES } from "node:http";
import type { Duplex } from "node:stream";
import type { FastifyInstance } from "fastify";
import { newId } from "../db/ids";
import { AppError, HttpErrors, problemFor } from "./errors";

export type UpgradeHandler = (req: IncomingMessage, socket: Duplex, head: Buffer, requestId: string) => void;

const handlers = new WeakMap<object, Map<string, UpgradeHandler>>();

/** Answers an upgrade request with an HTTP error and closes the socket. */
export function refuseUpgrade(socket: Duplex, error: AppError, path: string, requestId: string): void {
  const body = JSON.stringify(problemFor(error, path, requestId));
  socket.once("finish", () => socket.destroy());
  socket.end(
    `HTTP/1.1 ${error.status} ${STATUS_CODES[error.status] ?? ""}\r\n` +
      "Content-Type: application/problem+json\r\n" +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      `X-Request-Id: ${requestId}\r\n` +
      "Connection: close\r\n\r\n" +
      body,
  );
}

/** Routes upgrades of `path` to `handler`; the first call installs the server's one upgrade listener. */
export function onUpgrade(app: FastifyInstance, path: string, handler: UpgradeHandler): void {
  let routes = handlers.get(app.server);
  if (!routes) {
    const table = new Map<string, UpgradeHandler>();
    routes = table;
    handlers.set(app.server, table);
    app.server.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      const requestId = newId();
      const pathname = (req.url ?? "").split("?")[0] ?? "";
      socket.on("error", () => socket.destroy());
      const route = table.get(pathname);
      if (!route) {
        refuseUpgrade(
          socket,
          new AppError(HttpErrors.NOT_FOUND, { message: `No socket at ${pathname}` }),
          pathname,
          requestId,
        );
        return;
      }
      route(req, socket, head, requestId);
    });
  }
  if (routes.has(path)) throw new Error(`Upgrades of ${path} are handled already`);
  routes.set(path, handler);
}
