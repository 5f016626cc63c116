import { createHash } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { quickActions } from "./push.service";
import { checkSignature, hmacSm3, SIGNATURE_HEADERS, signedHeaders } from "./signature";

/** HMAC (RFC 2104) written out over SM3, to check node:crypto's "sm3" HMAC independently. */
function referenceHmacSm3(key: Buffer, message: Buffer): string {
  const block = 64;
  const k = key.length > block ? createHash("sm3").update(key).digest() : key;
  const padded = Buffer.concat([k, Buffer.alloc(block - k.length)]);
  const xor = (byte: number) => Buffer.from(padded.map((b) => b ^ byte));
  const inner = createHash("sm3").update(xor(0x36)).update(message).digest();
  return createHash("sm3").update(xor(0x5c)).update(inner).digest("hex");
}

const options = {
  appId: "yzy-test",
  secret: "a-shared-secret-of-some-length",
  now: new Date("2026-12-01T02:00:00Z"),
};

describe("the webhook and action signature (HMAC-SM3 over timestamp \\n body)", () => {
  it("is HMAC over SM3 as RFC 2104 defines it", () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 100 }),
        fc.string(),
        fc.nat(2_000_000_000),
        (secret, body, ts) => {
          expect(hmacSm3(secret, ts, body)).toBe(
            referenceHmacSm3(Buffer.from(secret), Buffer.from(`${ts}\n${body}`)),
          );
        },
      ),
    );
  });

  it("matches the worked example of the contract, which OpenSSL reproduces", () => {
    // printf '%s\n%s' 1796090400 "$BODY" | openssl dgst -sm3 -hmac example-shared-secret-0123456789
    const body =
      '{"actionId":"a-20261201-0001","openId":"yzy-approver","type":"complete_task",' +
      '"taskId":"01a226bb-cc9d-7798-9f53-57f009365fc2","variables":{"approved":true},"comment":"同意"}';
    expect(hmacSm3("example-shared-secret-0123456789", 1796090400, body)).toBe(
      "7a0db710dc4c4f254bfd603c8fb8a0af36f85a17e7856de2ee89b2ccd15d4631",
    );
  });

  it("accepts what it signed and refuses any changed byte, another secret or another app id", () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 300, unit: "grapheme" }), fc.nat(), (text, at) => {
        const headers = signedHeaders(options, text);
        const body = Buffer.from(text, "utf8");
        expect(checkSignature(options, headers, body)).toBeNull();
        const changed = Buffer.from(body);
        const i = at % changed.length;
        changed[i] = changed[i]! ^ 0x01;
        expect(checkSignature(options, headers, changed)).toMatchObject({ reason: "signature" });
        expect(checkSignature({ ...options, secret: `${options.secret}x` }, headers, body)).toMatchObject({
          reason: "signature",
        });
        expect(checkSignature({ ...options, appId: "other" }, headers, body)).toMatchObject({
          reason: "app_id",
        });
      }),
      { numRuns: 50 },
    );
  });

  it("refuses a timestamp more than five minutes off either way, and a malformed one", () => {
    const body = '{"a":1}';
    const at = (seconds: number) =>
      signedHeaders({ ...options, now: new Date(options.now.getTime() + seconds * 1000) }, body);
    expect(checkSignature(options, at(-299), body)).toBeNull();
    expect(checkSignature(options, at(299), body)).toBeNull();
    expect(checkSignature(options, at(-301), body)).toMatchObject({ reason: "stale" });
    expect(checkSignature(options, at(301), body)).toMatchObject({ reason: "stale" });
    const headers = { ...at(0), [SIGNATURE_HEADERS.timestamp]: "1e9" };
    expect(checkSignature(options, headers, body)).toMatchObject({ reason: "timestamp" });
    const noScheme = {
      ...at(0),
      [SIGNATURE_HEADERS.signature]: at(0)[SIGNATURE_HEADERS.signature]!.slice(9),
    };
    expect(checkSignature(options, noScheme, body)).toMatchObject({ reason: "signature" });
  });
});

describe("the buttons a task card offers", () => {
  it("turns a yes/no form into 同意/退回 and an approve/correct choice into its own labels", () => {
    const yesNo = {
      type: "object" as const,
      properties: { approved: { type: "boolean", title: "同意" } },
      required: ["approved"],
    };
    expect(quickActions(yesNo, false)).toEqual([
      { key: "approve", label: "同意", variables: { approved: true } },
      { key: "reject", label: "退回", variables: { approved: false } },
    ]);
    const decision = {
      type: "object" as const,
      properties: {
        decision: {
          type: "string",
          enum: ["approve", "correct", "deny"],
          "x-enumNames": ["通过", "补正", "不予通过"],
        },
      },
      required: ["decision"],
    };
    expect(quickActions(decision, false)).toEqual([
      { key: "approve", label: "通过", variables: { decision: "approve" } },
      { key: "reject", label: "补正", variables: { decision: "correct" } },
    ]);
  });

  it("offers nothing when the form needs typing, 办结 for a task without a form, 同意/退回 in a countersign", () => {
    const typed = {
      type: "object" as const,
      properties: { plate: { type: "string" }, approved: { type: "boolean" } },
      required: ["plate", "approved"],
    };
    expect(quickActions(typed, false)).toEqual([]);
    expect(quickActions(undefined, false)).toEqual([{ key: "approve", label: "办结", variables: {} }]);
    expect(quickActions(undefined, true).map((a) => a.variables)).toEqual([
      { approved: true },
      { approved: false },
    ]);
  });
});
