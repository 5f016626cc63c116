import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { and, eq } from "drizzle-orm";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { Type } from "typebox";
import { departmentInScope, scopeOf } from "../access/actor";
import type { Role } from "../access/roles";
import { appendAudit } from "../audit/audit";
import { AppError } from "../http/errors";
import { problems, StringEnum, Uuid } from "../http/schemas";
import type { Platform } from "../platform";
import { IdentityErrors } from "./errors";
import { IDENTITY_DOCUMENT_TYPES, type IdentityDocumentType, validateIdentityDocument } from "./identifiers";
import { citizens, departments } from "./schema";

const CitizenSchema = Type.Object({
  id: Type.String(),
  idType: Type.String(),
  idNumber: Type.String(),
  name: Type.String(),
  gender: Type.Union([Type.String(), Type.Null()]),
  birthDate: Type.Union([Type.String(), Type.Null()]),
  phone: Type.Union([Type.String(), Type.Null()]),
  address: Type.Union([Type.String(), Type.Null()]),
  departmentId: Type.Union([Type.String(), Type.Null()]),
});

const READERS: Role[] = ["admin", "databureau", "leader", "officer", "gridworker"];

/** Reads of citizens' personal data: each one, allowed or refused, is written to the audit trail. */
export function registerPeopleRoutes(root: FastifyInstance, platform: Platform): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();

  const auditRead = (
    req: FastifyRequest,
    citizenId: string | null,
    outcome: "success" | "denied",
    how: string,
  ) =>
    platform.db.transaction((tx) =>
      appendAudit(
        tx,
        { actor: req.actor, ip: req.ip, requestId: req.id, clock: platform.clock },
        {
          action: "identity.citizen.read",
          resourceType: "citizen",
          resourceId: citizenId,
          outcome,
          details: { how },
        },
      ),
    );

  const load = async (where: ReturnType<typeof eq>) => {
    const [row] = await platform.db
      .select({ citizen: citizens, path: departments.path })
      .from(citizens)
      .leftJoin(departments, eq(departments.id, citizens.departmentId))
      .where(where);
    return row;
  };

  const reveal = async (req: FastifyRequest, row: Awaited<ReturnType<typeof load>>, how: string) => {
    if (!row) throw new AppError(IdentityErrors.CITIZEN_NOT_FOUND);
    const actor = req.actor!;
    const scope = scopeOf(actor, READERS);
    if (!departmentInScope(actor, scope === "own" ? "department" : scope, row.path ?? null)) {
      await auditRead(req, row.citizen.id, "denied", how);
      // Outside the caller's scope a record is reported as absent, so scopes cannot be probed.
      throw new AppError(IdentityErrors.CITIZEN_NOT_FOUND);
    }
    await auditRead(req, row.citizen.id, "success", how);
    const { createdAt: _created, ...citizen } = row.citizen;
    return citizen;
  };

  app.get(
    "/api/people/citizens/:id",
    {
      schema: {
        operationId: "getCitizen",
        tags: ["people"],
        summary: "A citizen's record (personal data: audited, limited to the caller's area)",
        params: Type.Object({ id: Uuid }),
        response: { 200: CitizenSchema, ...problems(401, 403, 404) },
      },
      config: { access: { roles: READERS, scope: "subtree" } },
    },
    async (req) => reveal(req, await load(eq(citizens.id, req.params.id)), "id"),
  );

  app.get(
    "/api/people/citizens",
    {
      schema: {
        operationId: "findCitizenByDocument",
        tags: ["people"],
        querystring: Type.Object(
          {
            idType: Type.Optional(StringEnum(IDENTITY_DOCUMENT_TYPES)),
            idNumber: Type.String({ minLength: 5, maxLength: 30 }),
          },
          { additionalProperties: false },
        ),
        response: { 200: CitizenSchema, ...problems(400, 401, 403, 404) },
      },
      config: { access: { roles: READERS, scope: "subtree" } },
    },
    async (req) => {
      const idType: IdentityDocumentType = req.query.idType ?? "resident_id";
      const checked = validateIdentityDocument(idType, req.query.idNumber);
      if (!checked.ok) {
        throw new AppError("VALIDATION_FAILED", {
          errors: [{ field: "/query/idNumber", message: checked.reason }],
        });
      }
      return reveal(
        req,
        await load(and(eq(citizens.idType, idType), eq(citizens.idNumber, checked.normalized))!),
        "document",
      );
    },
  );

  app.get(
    "/api/me/profile",
    {
      schema: {
        operationId: "getMyProfile",
        tags: ["people"],
        summary: "The signed-in citizen's own record",
        response: { 200: CitizenSchema, ...problems(401, 403, 404) },
      },
      config: { access: { roles: ["citizen", "enterprise"], scope: "own" } },
    },
    async (req) => {
      const citizenId = req.actor!.citizenId;
      if (!citizenId) throw new AppError(IdentityErrors.CITIZEN_NOT_FOUND);
      const row = await load(eq(citizens.id, citizenId));
      if (!row) throw new AppError(IdentityErrors.CITIZEN_NOT_FOUND);
      await auditRead(req, citizenId, "success", "self");
      const { createdAt: _created, ...citizen } = row.citizen;
      return citizen;
    },
  );
}
