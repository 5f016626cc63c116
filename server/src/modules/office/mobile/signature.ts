import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * The signature scheme both directions use (docs/integrations/yuezhengyi.md): HMAC-SM3 with the
 * shared secret over `timestamp + "\n" + body`, the timestamp in Unix seconds. A request whose
 * timestamp is more than five minutes from the receiver's clock is refused.
 */
export const SIGNATURE_HEADERS = {
  appId: "x-fourfold-app-id",
  timestamp: "x-fourfold-timestamp",
  signature: "x-fourfold-signature",
  deliveryId: "x-fourfold-delivery-id",
} as const;

export const MAX_SKEW_SECONDS = 300;
const SCHEME = "hmac-sm3";
const SIGNATURE_FORMAT = /^hmac-sm3=([0-9a-f]{64})$/;

export function hmacSm3(secret: string, timestamp: number, body: string | Buffer): string {
  return createHmac("sm3", secret).update(`${timestamp}\n`).update(body).digest("hex");
}

/** The headers of a signed request (the delivery id only on webhooks). */
export function signedHeaders(
  options: { appId: string; secret: string; now: Date; deliveryId?: string },
  body: string,
): Record<string, string> {
  const timestamp = Math.floor(options.now.getTime() / 1000);
  return {
    "content-type": "application/json",
    [SIGNATURE_HEADERS.appId]: options.appId,
    [SIGNATURE_HEADERS.timestamp]: String(timestamp),
    [SIGNATURE_HEADERS.signature]: `${SCHEME}=${hmacSm3(options.secret, timestamp, body)}`,
    ...(options.deliveryId ? { [SIGNATURE_HEADERS.deliveryId]: options.deliveryId } : {}),
  };
}

export type SignatureProblem = { reason: "app_id" | "timestamp" | "stale" | "signature"; header: string };

/** Checks a received request's app id, timestamp and signature; returns what is wrong, or null. */
export function checkSignature(
  options: { appId: string; secret: string; now: Date },
  headers: Record<string, string | string[] | undefined>,
  body: Buffer | string,
): SignatureProblem | null {
  const header = (name: string) => {
    const value = headers[name];
    return typeof value === "string" ? value : undefined;
  };
  if (header(SIGNATURE_HEADERS.appId) !== options.appId)
    return { reason: "app_id", header: SIGNATURE_HEADERS.appId };
  const raw = header(SIGNATURE_HEADERS.timestamp);
  if (!raw || !/^\d{1,12}$/.test(raw)) return { reason: "timestamp", header: SIGNATURE_HEADERS.timestamp };
  const timestamp = Number(raw);
  if (Math.abs(options.now.getTime() / 1000 - timestamp) > MAX_SKEW_SECONDS)
    return { reason: "stale", header: SIGNATURE_HEADERS.timestamp };
  const given = SIGNATURE_FORMAT.exec(header(SIGNATURE_HEADERS.signature) ?? "")?.[1];
  const expected = hmacSm3(options.secret, timestamp, body);
  if (!given || !timingSafeEqual(Buffer.from(given, "hex"), Buffer.from(expected, "hex")))
    return { reason: "signature", header: SIGNATURE_HEADERS.signature };
  return null;
}
