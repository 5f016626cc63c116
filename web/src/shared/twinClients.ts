/**
 * The devices and systems registered to call the digital twin with their own credentials
 * (/api/operations/twin-clients, server/src/modules/operations/twin/clients.routes.ts): HTTP Basic on the
 * NGSI-LD API and username/password on the MQTT broker. A device reads and updates only its entities; a
 * system reads the whole twin and updates attributes only when it may write.
 */
import { api } from "./api";

const BASE = "/api/operations/twin-clients";
const enc = encodeURIComponent;

export const TWIN_CLIENT_KINDS = ["device", "system"] as const;
export type TwinClientKind = (typeof TWIN_CLIENT_KINDS)[number];

export interface TwinClient {
  id: string;
  name: string;
  kind: TwinClientKind;
  /** A device's entities (NGSI-LD ids); empty for a system. */
  entityIds: string[];
  /** Always true for a device (its own entities); a system's permission to update attributes. */
  mayWrite: boolean;
  disabled: boolean;
  createdAt: string;
  modifiedAt: string;
}

/** The secret comes back once, on registering and on rotating, and never again. */
export interface TwinClientWithSecret extends TwinClient {
  secret: string;
}

export interface TwinClientInput {
  name: string;
  kind: TwinClientKind;
  entityIds?: string[];
  mayWrite?: boolean;
}

export type TwinClientChange = Partial<Pick<TwinClient, "name" | "entityIds" | "mayWrite" | "disabled">>;

export const listTwinClients = (signal?: AbortSignal) => api.get<TwinClient[]>(BASE, undefined, signal);

export const registerTwinClient = (input: TwinClientInput) => api.post<TwinClientWithSecret>(BASE, input);

export const updateTwinClient = (id: string, change: TwinClientChange) =>
  api.patch<TwinClient>(`${BASE}/${enc(id)}`, change);

/** A new secret, shown this once; the old one stops working at once. */
export const rotateTwinClientSecret = (id: string) =>
  api.post<TwinClientWithSecret>(`${BASE}/${enc(id)}/secret`);
