/**
 * Devices and systems that call the twin with their own credentials instead of a person's token:
 * over HTTP Basic on the NGSI-LD API, as MQTT username and password on the embedded broker. A
 * device reads and updates the attributes of the entities it reports for; a system reads the whole
 * twin and, when registered so, updates attributes of any entity. Neither creates, replaces or
 * deletes entities, nor manages subscriptions: those stay with the command centre's staff.
 */
import { timingSafeEqual } from "node:crypto";
import { eq } from "drizzle-orm";
import type { FastifyRequest } from "fastify";
import type { Actor, ClientAuth } from "../../../kernel/access/actor";
import type { Db } from "../../../kernel/db/db";
import { UUID_PATTERN } from "../../../kernel/db/ids";
import { AppError, HttpErrors } from "../../../kernel/http/errors";
import { tokenHash } from "../../../kernel/identity/sessions";
import { twinClients } from "../schema";

export interface TwinClient {
  id: string;
  name: string;
  kind: "device" | "system";
  /** A device's entities; empty for a system. */
  entityIds: ReadonlySet<string>;
  mayWrite: boolean;
}

const UUID = new RegExp(UUID_PATTERN);

/** The twin's registered clients: authentication (cached for a few seconds) and what each may do. */
export class TwinClients implements ClientAuth {
  readonly scheme = "twin-client";
  /** By id: the enabled client and its secret's hash (null: unknown or disabled), and when read. */
  private readonly cache = new Map<
    string,
    { entry: { client: TwinClient; secretHash: Buffer } | null; at: number }
  >();
  private readonly callers = new WeakMap<FastifyRequest, TwinClient>();
  private static readonly CACHE_MS = 5000;
  private static readonly MAX_ENTRIES = 10_000;

  constructor(private readonly db: Db) {}

  /** The enabled client with these credentials, or null. */
  verify(id: string, secret: string): Promise<TwinClient | null> {
    if (secret.length === 0 || secret.length > 200) return Promise.resolve(null);
    return this.verifyHash(id, secretHash(secret));
  }

  /** As verify, with the secret's hash (a long-lived MQTT connection keeps the hash, not the secret). */
  async verifyHash(id: string, hash: Buffer): Promise<TwinClient | null> {
    if (!UUID.test(id)) return null;
    const entry = await this.load(id);
    if (!entry) return null;
    return hash.length === entry.secretHash.length && timingSafeEqual(hash, entry.secretHash)
      ? entry.client
      : null;
  }

  /** Drops what is remembered of a client (after it changed), or of all. */
  forget(id?: string): void {
    if (id) this.cache.delete(id);
    else this.cache.clear();
  }

  private async load(id: string) {
    const now = Date.now();
    const cached = this.cache.get(id);
    if (cached && now - cached.at < TwinClients.CACHE_MS) return cached.entry;
    const [row] = await this.db.select().from(twinClients).where(eq(twinClients.id, id));
    const entry =
      row && !row.disabled
        ? {
            client: {
              id: row.id,
              name: row.name,
              kind: row.kind,
              entityIds: new Set(row.entityIds),
              mayWrite: row.kind === "device" || row.mayWrite,
            },
            secretHash: Buffer.from(row.secretHash, "hex"),
          }
        : null;
    if (this.cache.size >= TwinClients.MAX_ENTRIES) this.cache.clear();
    this.cache.set(id, { entry, at: now });
    return entry;
  }

  /** ClientAuth: HTTP Basic with the client's id and secret. */
  readonly authenticate = async (req: FastifyRequest): Promise<boolean> => {
    const header = req.headers.authorization;
    if (!header?.startsWith("Basic ")) return false;
    const decoded = Buffer.from(header.slice(6).trim(), "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    const client = colon > 0 ? await this.verify(decoded.slice(0, colon), decoded.slice(colon + 1)) : null;
    if (!client) {
      throw new AppError(HttpErrors.UNAUTHENTICATED, {
        message: "The twin client's id or secret is not valid, or the client is disabled",
      });
    }
    this.callers.set(req, client);
    req.actor = clientActor(client);
    return true;
  };

  /** The client making the request, or null when a person makes it. */
  callerOf(req: FastifyRequest): TwinClient | null {
    return this.callers.get(req) ?? null;
  }

  /** Refuses a client what it may not do with an entity; a person was already checked by role. */
  check(req: FastifyRequest, need: "read" | "write", entityId: string): void {
    const client = this.callerOf(req);
    if (client && !permits(client, need, entityId)) {
      throw new AppError(HttpErrors.FORBIDDEN, {
        message:
          client.kind === "device"
            ? `Device ${client.name} reports for other entities than ${entityId}`
            : `System ${client.name} may read the twin but not change it`,
      });
    }
  }

  /**
   * The ids a query may look at: those asked for (null: any), narrowed for a device to its own
   * entities.
   */
  readableIds(req: FastifyRequest, asked: string[] | null): string[] | null {
    const client = this.callerOf(req);
    if (client?.kind !== "device") return asked;
    return asked ? asked.filter((id) => client.entityIds.has(id)) : [...client.entityIds];
  }

  /** Refuses devices a route that reads across the twin (types, counts). */
  requireSystemOrPerson(req: FastifyRequest): void {
    const client = this.callerOf(req);
    if (client?.kind === "device")
      throw new AppError(HttpErrors.FORBIDDEN, {
        message: `Device ${client.name} reads only its own entities`,
      });
  }
}

export function secretHash(secret: string): Buffer {
  return Buffer.from(tokenHash(secret), "hex");
}

export function permits(client: TwinClient, need: "read" | "write", entityId: string): boolean {
  if (client.kind === "device") return client.entityIds.has(entityId);
  return need === "read" || client.mayWrite;
}

/** How a client appears to services and in the audit trail. */
function clientActor(client: TwinClient): Actor {
  return {
    id: client.id,
    username: client.id,
    kind: "system",
    displayName: client.name,
    roles: [],
    departmentId: null,
    departmentPath: null,
    citizenId: null,
    enterpriseId: null,
  };
}
