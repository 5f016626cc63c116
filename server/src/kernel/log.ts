import type { FastifyBaseLogger } from "fastify";
import pino from "pino";
import { maskDeep, maskText } from "./http/mask";

/**
 * Structured JSON logs with personal data masked: ID numbers and phone numbers anywhere, names in
 * name-like fields, in both the merged object and the message.
 */
export function createLogger(level: string, destination?: pino.DestinationStream): FastifyBaseLogger {
  return pino(
    {
      level,
      base: { service: "fourfold" },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { log: (object) => maskDeep(object) },
      hooks: {
        logMethod(args, method) {
          const masked = args.map((a) => (typeof a === "string" ? maskText(a) : a)) as Parameters<
            typeof method
          >;
          return method.apply(this, masked);
        },
      },
    },
    destination,
  ) as unknown as FastifyBaseLogger;
}
