import { randomBytes, X509Certificate } from "node:crypto";
import { eq } from "drizzle-orm";
import { PDFDocument } from "pdf-lib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cloneDatabase } from "../../../test/harness";
import { signingKeys } from "../audit/schema";
import type { Database } from "../db/db";
import { newId } from "../db/ids";
import { verifyPdfSignature } from "../pdf";
import {
  findSealKey,
  getDepartmentSeal,
  getSealRootCertificate,
  rotateDepartmentSeal,
  sealPdf,
} from "./seals";
import { sm2Verify } from "./sm";

const masterKey = randomBytes(16);
const now = new Date("2026-11-30T01:00:00.000Z");

async function onePagePdf(): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.addPage();
  return doc.save();
}

describe("department seals", () => {
  let database: Database;
  const department = { id: newId(), name: "云溪区人民政府办公室" };

  beforeAll(async () => {
    database = await cloneDatabase();
  });
  afterAll(async () => {
    await database?.close();
  });

  it("creates an SM2 seal key and a certified PDF-signing key on first use, then reuses them", async () => {
    const first = await getDepartmentSeal(database.db, masterKey, department, now);
    const again = await getDepartmentSeal(database.db, masterKey, department, now);
    expect(again.keyId).toBe(first.keyId);
    expect(again.publicKeyHex).toBe(first.publicKeyHex);
    expect(again.certificateChain[0]!.equals(first.certificateChain[0]!)).toBe(true);

    const rows = await database.db
      .select()
      .from(signingKeys)
      .where(eq(signingKeys.purpose, `seal-cert:${first.keyId}`));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ algorithm: "rsa-2048" });
    // The private key is stored sealed, never in clear.
    const pkcs8 = first.privateKey.export({ type: "pkcs8", format: "der" });
    expect(rows[0]!.privateKeySealed.includes(pkcs8.subarray(20, 60))).toBe(false);
  });

  it("issues the PDF certificate from the platform root, naming the department and its seal key", async () => {
    const seal = await getDepartmentSeal(database.db, masterKey, department, now);
    const root = await getSealRootCertificate(database.db, masterKey, now);
    const leaf = new X509Certificate(seal.certificateChain[0]!);
    expect(leaf.subject).toContain("CN=云溪区人民政府办公室");
    expect(leaf.subject).toContain(`serialNumber=${seal.keyId}`);
    expect(leaf.checkIssued(root)).toBe(true);
    expect(leaf.verify(root.publicKey)).toBe(true);
    expect(leaf.ca).toBe(false);
    expect(root.ca).toBe(true);
    expect(seal.certificateChain[1]!.equals(Buffer.from(root.raw))).toBe(true);
  });

  it("seals a PDF that verifies, with an SM2 signature over the issuer's content", async () => {
    const content = Buffer.from('{"number":"云府办〔2026〕5号"}');
    const { pdf, keyId } = await sealPdf(database.db, masterKey, department, await onePagePdf(), {
      content,
      now,
    });
    const root = await getSealRootCertificate(database.db, masterKey, now);
    const result = await verifyPdfSignature(pdf, { trustedRoots: [root] });
    expect(result).toMatchObject({
      valid: true,
      signer: department.name,
      reason: "用印",
      chainTrusted: true,
    });
    const found = await findSealKey(database.db, result.seal!.publicKeyHex);
    expect(found).toMatchObject({ keyId, departmentId: department.id, retiredAt: null });
    expect(sm2Verify(found!.publicKeyHex, content, result.seal!.signature)).toBe(true);
    expect(sm2Verify(found!.publicKeyHex, Buffer.from("{}"), result.seal!.signature)).toBe(false);
  });

  it("rotates: a new key seals from then on and PDFs sealed before stay verifiable", async () => {
    const content = Buffer.from("before rotation");
    const before = await sealPdf(database.db, masterKey, department, await onePagePdf(), { content, now });
    const later = new Date(now.getTime() + 3_600_000);
    await rotateDepartmentSeal(database.db, department.id, later);
    const after = await sealPdf(database.db, masterKey, department, await onePagePdf(), {
      content: Buffer.from("after rotation"),
      now: later,
    });
    expect(after.keyId).not.toBe(before.keyId);

    const root = await getSealRootCertificate(database.db, masterKey, later);
    const old = await verifyPdfSignature(before.pdf, { trustedRoots: [root] });
    expect(old).toMatchObject({ valid: true, chainTrusted: true });
    const retired = await findSealKey(database.db, old.seal!.publicKeyHex);
    expect(retired?.keyId).toBe(before.keyId);
    expect(retired?.retiredAt).not.toBeNull();
    expect(sm2Verify(retired!.publicKeyHex, content, old.seal!.signature)).toBe(true);

    const fresh = await verifyPdfSignature(after.pdf, { trustedRoots: [root] });
    expect(fresh).toMatchObject({ valid: true, chainTrusted: true });
    expect((await findSealKey(database.db, fresh.seal!.publicKeyHex))?.retiredAt).toBeNull();
    // The old key's certificate row is kept, not deleted.
    const certRows = await database.db
      .select()
      .from(signingKeys)
      .where(eq(signingKeys.purpose, `seal-cert:${before.keyId}`));
    expect(certRows).toHaveLength(1);
  });

  it("keeps departments apart and cannot open keys without the master key", async () => {
    const other = { id: newId(), name: "云溪区财政局" };
    const a = await getDepartmentSeal(database.db, masterKey, department, now);
    const b = await getDepartmentSeal(database.db, masterKey, other, now);
    expect(b.keyId).not.toBe(a.keyId);
    await expect(getDepartmentSeal(database.db, randomBytes(16), department, now)).rejects.toThrow(
      /authentication failed/,
    );
  });
});
