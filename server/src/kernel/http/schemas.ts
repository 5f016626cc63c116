import { type TSchema, Type } from "typebox";
import { UUID_PATTERN } from "../db/ids";

/** Schema pieces shared by every route file of the kernel and the modules. */
export const Uuid = Type.String({ pattern: UUID_PATTERN, description: "UUIDv7" });

export const Problem = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    code: Type.String(),
    detail: Type.Optional(Type.String()),
    instance: Type.Optional(Type.String()),
    requestId: Type.Optional(Type.String()),
    errors: Type.Optional(Type.Array(Type.Object({ field: Type.String(), message: Type.String() }))),
  },
  { additionalProperties: true, description: "RFC 9457 problem document" },
);

export function Page<T extends TSchema>(item: T) {
  return Type.Object({ items: Type.Array(item), total: Type.Integer() });
}

export const PageQuery = {
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000, default: 1 })),
  pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 20 })),
};

/** Error responses a route can return, for the OpenAPI document (the handler writes them). */
export function problems(...statuses: number[]): Record<number, typeof Problem> {
  return Object.fromEntries(statuses.map((s) => [s, Problem]));
}

/** A short text that must carry something: trimmed length ≥ 1. */
export function Text(maxLength: number, options: { minLength?: number; description?: string } = {}) {
  return Type.String({ minLength: options.minLength ?? 1, maxLength, pattern: "\\S", ...options });
}

/** A string from a fixed list, typed as that union (an `enum` in the OpenAPI document). */
export function StringEnum<const T extends readonly string[]>(
  values: T,
  options: { description?: string } = {},
) {
  return Type.Unsafe<T[number]>({ type: "string", enum: [...values], ...options });
}
