import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  sign,
  verify,
} from "node:crypto";
import { and, desc, eq, isNull } from "drizzle-orm";
import { signingKeys } from "../../../kernel/audit/schema";
import { openSecret, sealSecret } from "../../../kernel/crypto/sm";
import type { Db } from "../../../kernel/db/db";
import { newId } from "../../../kernel/db/ids";

/**
 * Access tokens of the exchange gateway: JWTs (RFC 9068 profile) signed ES256 by the platform, so a
 * calling system can check them against the published JWKS. The key pair is kept sealed among the
 * platform's signing keys; a verified token is remembered until it expires, so the gateway's hot path
 * verifies each token once.
 */
const PURPOSE = "exchange-token";
const ALGORITHM = "ec-p256";

export interface TokenClaims {
  /** client id */
  sub: string;
  /** the client's department */
  dept: string;
  iat: number;
  exp: number;
  jti: string;
}

interface TokenKey {
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
}

const b64url = (data: Buffer | string) => Buffer.from(data).toString("base64url");

export class TokenService {
  private key: TokenKey | null = null;
  private readonly publicKeys = new Map<string, KeyObject>();
  private readonly verified = new Map<string, TokenClaims>();
  private static readonly MAX_CACHED = 50_000;

  constructor(
    private readonly db: Db,
    private readonly masterKey: Buffer,
    private readonly issuer: string,
  ) {}

  /** The current key, created on first use. */
  private async currentKey(): Promise<TokenKey> {
    if (this.key) return this.key;
    const [row] = await this.db
      .select()
      .from(signingKeys)
      .where(and(eq(signingKeys.purpose, PURPOSE), isNull(signingKeys.retiredAt)))
      .orderBy(desc(signingKeys.createdAt))
      .limit(1);
    if (row) {
      const privateKey = createPrivateKey(openSecret(this.masterKey, row.privateKeySealed).toString("utf8"));
      this.key = { kid: row.id, privateKey, publicKey: createPublicKey(privateKey) };
    } else {
      const pair = generateKeyPairSync("ec", { namedCurve: "P-256" });
      const id = newId();
      await this.db.insert(signingKeys).values({
        id,
        purpose: PURPOSE,
        algorithm: ALGORITHM,
        publicKeyHex: pair.publicKey.export({ type: "spki", format: "der" }).toString("hex"),
        privateKeySealed: sealSecret(
          this.masterKey,
          Buffer.from(pair.privateKey.export({ type: "pkcs8", format: "pem" }) as string, "utf8"),
        ),
      });
      this.key = { kid: id, privateKey: pair.privateKey, publicKey: pair.publicKey };
    }
    this.publicKeys.set(this.key.kid, this.key.publicKey);
    return this.key;
  }

  private async publicKey(kid: string): Promise<KeyObject | null> {
    const known = this.publicKeys.get(kid);
    if (known) return known;
    if (!/^[0-9a-f-]{36}$/.test(kid)) return null;
    const [row] = await this.db
      .select({ publicKeyHex: signingKeys.publicKeyHex })
      .from(signingKeys)
      .where(and(eq(signingKeys.id, kid), eq(signingKeys.purpose, PURPOSE)));
    if (!row) return null;
    const key = createPublicKey({ key: Buffer.from(row.publicKeyHex, "hex"), format: "der", type: "spki" });
    this.publicKeys.set(kid, key);
    return key;
  }

  async issue(clientId: string, departmentId: string, ttlSeconds: number, now: Date) {
    const key = await this.currentKey();
    const iat = Math.floor(now.getTime() / 1000);
    const claims = {
      iss: this.issuer,
      aud: `${this.issuer}/exchange/v1`,
      sub: clientId,
      client_id: clientId,
      dept: departmentId,
      iat,
      exp: iat + ttlSeconds,
      jti: newId(),
    };
    const header = b64url(JSON.stringify({ alg: "ES256", typ: "at+jwt", kid: key.kid }));
    const payload = b64url(JSON.stringify(claims));
    const signature = sign("sha256", Buffer.from(`${header}.${payload}`), {
      key: key.privateKey,
      dsaEncoding: "ieee-p1363",
    });
    return { accessToken: `${header}.${payload}.${b64url(signature)}`, expiresIn: ttlSeconds };
  }

  /** The token's claims when it is genuine and unexpired; null otherwise. */
  async verify(token: string, now: Date): Promise<TokenClaims | null> {
    const nowSeconds = now.getTime() / 1000;
    const cached = this.verified.get(token);
    if (cached) return cached.exp > nowSeconds ? cached : null;
    if (token.length > 2048) return null;
    const parts = token.split(".");
    if (parts.length !== 3) return null;
    try {
      const header = JSON.parse(Buffer.from(parts[0]!, "base64url").toString("utf8")) as {
        alg?: string;
        kid?: string;
      };
      if (header.alg !== "ES256" || typeof header.kid !== "string") return null;
      const key = await this.publicKey(header.kid);
      if (!key) return null;
      const ok = verify(
        "sha256",
        Buffer.from(`${parts[0]}.${parts[1]}`),
        { key, dsaEncoding: "ieee-p1363" },
        Buffer.from(parts[2]!, "base64url"),
      );
      if (!ok) return null;
      const claims = JSON.parse(Buffer.from(parts[1]!, "base64url").toString("utf8")) as TokenClaims & {
        iss?: string;
      };
      if (claims.iss !== this.issuer || typeof claims.sub !== "string" || typeof claims.exp !== "number")
        return null;
      if (claims.exp <= nowSeconds) return null;
      if (this.verified.size >= TokenService.MAX_CACHED) this.verified.clear();
      this.verified.set(token, claims);
      return claims;
    } catch {
      return null;
    }
  }

  /** The JSON Web Key Set a caller verifies our tokens with. */
  async jwks() {
    const key = await this.currentKey();
    const jwk = key.publicKey.export({ format: "jwk" });
    return { keys: [{ ...jwk, kid: key.kid, alg: "ES256", use: "sig" }] };
  }
}
