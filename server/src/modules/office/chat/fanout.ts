import type { FastifyBaseLogger } from "fastify";
import { connect, type NatsConnection, type Subscription } from "nats";
import { newId } from "../../../kernel/db/ids";

/**
 * How a chat hub reaches sockets held by other server processes. Live delivery is best effort by
 * design: a client that was away loads what it missed over HTTP, so frames travel on plain NATS
 * subjects (at most once, no stream), not through the outbox, whose relay polls.
 */
export type FanoutMessage =
  /** A frame for the recipients' sockets. */
  | { kind: "frame"; origin: string; to: string[]; frame: string }
  /**
   * Users whose first socket on `origin` opened (online) or whose last one closed (offline); with
   * `roster`, `online` is everyone connected to `origin` and anyone else there is gone.
   */
  | { kind: "presence"; origin: string; online: string[]; offline: string[]; roster?: boolean };

export interface Fanout {
  /** This process's id in the messages it sends. */
  readonly origin: string;
  /** Whether other processes may hold sockets (otherwise publishing is skipped). */
  readonly shared: boolean;
  publish(message: FanoutMessage): void;
  /** Messages from other processes (never this one's own). */
  onMessage(handler: (message: FanoutMessage) => void): void;
  close(): Promise<void>;
}

/** One process: the hub delivers to its own sockets and nobody else needs to hear. */
export function inProcessFanout(): Fanout {
  return {
    origin: newId(),
    shared: false,
    publish() {},
    onMessage() {},
    async close() {},
  };
}

export const DEFAULT_SUBJECT = "fourfold.chat.fanout";

/** Several processes: every hub publishes to and listens on one NATS subject. */
export async function natsFanout(
  url: string,
  log: FastifyBaseLogger,
  subject = DEFAULT_SUBJECT,
): Promise<Fanout> {
  const nc: NatsConnection = await connect({ servers: url, name: "fourfold-chat", maxReconnectAttempts: -1 });
  const origin = newId();
  const encoder = new TextEncoder();
  const decoder = new TextDecoder();
  const handlers: ((message: FanoutMessage) => void)[] = [];
  const subscription: Subscription = nc.subscribe(subject, {
    callback: (error, msg) => {
      if (error) {
        log.warn({ err: error }, "chat fan-out subscription failed");
        return;
      }
      let message: FanoutMessage;
      try {
        message = JSON.parse(decoder.decode(msg.data)) as FanoutMessage;
      } catch {
        return;
      }
      if (message.origin === origin) return;
      for (const handler of handlers) handler(message);
    },
  });
  // The subscription is registered on the server before the first frame is published.
  await nc.flush();
  return {
    origin,
    shared: true,
    publish(message) {
      nc.publish(subject, encoder.encode(JSON.stringify(message)));
    },
    onMessage(handler) {
      handlers.push(handler);
    },
    async close() {
      subscription.unsubscribe();
      await nc.drain();
    },
  };
}
