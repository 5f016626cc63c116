import type { FastifyBaseLogger } from "fastify";
import { maskPhone } from "../http/mask";

/** Where one-time codes go. Production plugs in a carrier's gateway behind this interface. */
export interface SmsGateway {
  readonly available: boolean;
  send(phone: string, text: string): Promise<void>;
}

/**
 * Demo-mode gateway: an SMS simulator that writes the message to the server log (the only place a
 * demo user can read it), with the phone number masked like every log line.
 */
export function logSmsGateway(log: FastifyBaseLogger): SmsGateway {
  return {
    available: true,
    async send(phone, text) {
      log.info({ sms: { to: maskPhone(phone), text } }, `SMS to ${maskPhone(phone)}: ${text}`);
    },
  };
}

export const noSmsGateway: SmsGateway = {
  available: false,
  async send() {
    throw new Error("No SMS gateway is configured");
  },
};
