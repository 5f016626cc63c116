import { createPrivateKey, generateKeyPair, type KeyObject, X509Certificate } from "node:crypto";
import { promisify } from "node:util";
import { and, desc, eq, isNull, like, sql } from "drizzle-orm";
import { signingKeys } from "../audit/schema";
import type { Db } from "../db/db";
import { newId } from "../db/ids";
import { issueCertificate, signPdf, toPem } from "../pdf";
import { currentSigningKey } from "./keys";
import { openSecret, sealSecret } from "./sm";

/**
 * Department seals (电子印章). A seal is the department's SM2 key pair (signing_keys, purpose
 * "seal:<departmentId>") plus, because pdfsig's NSS knows no SM2, an RSA-2048 PDF-signing key whose
 * certificate the platform root CA issues for that SM2 key (purpose "seal-cert:<sm2 key id>"; the
 * certificate's serialNumber attribute names the SM2 key). Rotation retires the SM2 key; retired
 * keys and their certificates stay readable, so PDFs sealed before remain verifiable (ADR 7).
 */

const RSA = "rsa-2048";
const ROOT_PURPOSE = "pdf-root-ca";
const DAY = 86_400_000;
const ROOT_VALIDITY_DAYS = 20 * 365;
const SEAL_CERT_VALIDITY_DAYS = 5 * 365;
/** A certificate closer than this to its end is replaced before use. */
const RENEW_BEFORE_DAYS = 30;

const generateRsaKeyPair = promisify(generateKeyPair);

const sealPurpose = (departmentId: string) => `seal:${departmentId}`;
const certificatePurpose = (sealKeyId: string) => `seal-cert:${sealKeyId}`;

export interface Department {
  id: string;
  /** The seal's text and the certificate's common name, e.g. "云溪区人民政府办公室". */
  name: string;
}

export interface DepartmentSeal {
  departmentId: string;
  /** The SM2 seal key. */
  keyId: string;
  publicKeyHex: string;
  privateKeyHex: string;
  /** The PDF-signing certificate for this seal key, then the platform root (DER). */
  certificateChain: Buffer[];
  /** The private key of the PDF-signing certificate. */
  privateKey: KeyObject;
}

interface CertifiedKey {
  certificate: X509Certificate;
  privateKey: KeyObject;
}

// The row id is the AAD, so a sealed key copied onto another row does not open.
const aadOf = (id: string) => Buffer.from(`signing-key:${id}`);

async function lockPurpose(tx: Db, purpose: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${purpose}))`);
}

/** The newest unretired certified RSA key for a purpose, if it is valid long enough. */
async function findCertifiedKey(
  db: Db,
  masterKey: Buffer,
  purpose: string,
  now: Date,
): Promise<CertifiedKey | null> {
  const [row] = await db
    .select()
    .from(signingKeys)
    .where(and(eq(signingKeys.purpose, purpose), isNull(signingKeys.retiredAt)))
    .orderBy(desc(signingKeys.createdAt))
    .limit(1);
  if (!row?.certificatePem) return null;
  const certificate = new X509Certificate(row.certificatePem);
  if (new Date(certificate.validTo).getTime() - now.getTime() < RENEW_BEFORE_DAYS * DAY) return null;
  const der = openSecret(masterKey, row.privateKeySealed, aadOf(row.id));
  return { certificate, privateKey: createPrivateKey({ key: der, format: "der", type: "pkcs8" }) };
}

async function storeCertifiedKey(
  db: Db,
  masterKey: Buffer,
  purpose: string,
  now: Date,
  certify: (publicKey: KeyObject, privateKey: KeyObject) => Buffer,
): Promise<CertifiedKey> {
  // Replaced keys are retired, not deleted: their certificates keep old signatures checkable.
  await db
    .update(signingKeys)
    .set({ retiredAt: now })
    .where(and(eq(signingKeys.purpose, purpose), isNull(signingKeys.retiredAt)));
  // Off the event loop: an RSA-2048 key takes 50–500 ms to find.
  const { publicKey, privateKey } = await generateRsaKeyPair("rsa", { modulusLength: 2048 });
  const certificate = new X509Certificate(certify(publicKey, privateKey));
  const id = newId();
  await db.insert(signingKeys).values({
    id,
    purpose,
    algorithm: RSA,
    publicKeyHex: publicKey.export({ type: "spki", format: "der" }).toString("hex"),
    privateKeySealed: sealSecret(masterKey, privateKey.export({ type: "pkcs8", format: "der" }), aadOf(id)),
    certificatePem: toPem(certificate.raw),
    createdAt: now,
  });
  return { certificate, privateKey };
}

/** The platform root CA that certifies every seal's PDF-signing key; created on first use. */
async function rootCa(db: Db, masterKey: Buffer, now: Date): Promise<CertifiedKey> {
  const found = await findCertifiedKey(db, masterKey, ROOT_PURPOSE, now);
  if (found) return found;
  await lockPurpose(db, ROOT_PURPOSE);
  return (
    (await findCertifiedKey(db, masterKey, ROOT_PURPOSE, now)) ??
    (await storeCertifiedKey(db, masterKey, ROOT_PURPOSE, now, (publicKey, privateKey) =>
      issueCertificate({
        subject: { commonName: "Fourfold Seal Root CA", organization: "Fourfold", country: "CN" },
        publicKey,
        selfSignKey: privateKey,
        notBefore: new Date(now.getTime() - DAY),
        notAfter: new Date(now.getTime() + ROOT_VALIDITY_DAYS * DAY),
        ca: true,
      }),
    ))
  );
}

/** The root certificate to publish, so verifiers (or an NSS database for pdfsig) can trust seals. */
export async function getSealRootCertificate(db: Db, masterKey: Buffer, now: Date): Promise<X509Certificate> {
  return db.transaction(async (tx) => (await rootCa(tx, masterKey, now)).certificate);
}

/**
 * The department's current seal, created on first use: its SM2 key and the certified RSA key that
 * signs PDFs for it.
 */
export async function getDepartmentSeal(
  db: Db,
  masterKey: Buffer,
  department: Department,
  now: Date,
): Promise<DepartmentSeal> {
  return db.transaction(async (tx) => {
    await lockPurpose(tx, sealPurpose(department.id));
    const sm2 = await currentSigningKey(tx, masterKey, sealPurpose(department.id));
    const purpose = certificatePurpose(sm2.id);
    let pdfKey = await findCertifiedKey(tx, masterKey, purpose, now);
    const root = await rootCa(tx, masterKey, now);
    if (!pdfKey) {
      const rootEnd = new Date(root.certificate.validTo).getTime();
      const notAfter = Math.min(now.getTime() + SEAL_CERT_VALIDITY_DAYS * DAY, rootEnd);
      pdfKey = await storeCertifiedKey(tx, masterKey, purpose, now, (publicKey) =>
        issueCertificate({
          subject: {
            commonName: department.name,
            organizationalUnit: "电子印章",
            organization: "Fourfold",
            country: "CN",
            serialNumber: sm2.id,
          },
          publicKey,
          issuer: root,
          notBefore: new Date(now.getTime() - 60_000),
          notAfter: new Date(notAfter),
          ca: false,
        }),
      );
    }
    return {
      departmentId: department.id,
      keyId: sm2.id,
      publicKeyHex: sm2.publicKeyHex,
      privateKeyHex: sm2.privateKeyHex,
      certificateChain: [Buffer.from(pdfKey.certificate.raw), Buffer.from(root.certificate.raw)],
      privateKey: pdfKey.privateKey,
    };
  });
}

/** Retires the department's seal key; the next use creates a new one. Old PDFs stay verifiable. */
export async function rotateDepartmentSeal(db: Db, departmentId: string, now: Date): Promise<void> {
  await db
    .update(signingKeys)
    .set({ retiredAt: now })
    .where(and(eq(signingKeys.purpose, sealPurpose(departmentId)), isNull(signingKeys.retiredAt)));
}

export interface SealKeyInfo {
  keyId: string;
  departmentId: string;
  publicKeyHex: string;
  createdAt: Date;
  retiredAt: Date | null;
}

/** A seal key, current or retired, by its SM2 public key (as read from a sealed PDF). */
export async function findSealKey(db: Db, publicKeyHex: string): Promise<SealKeyInfo | null> {
  const [row] = await db
    .select()
    .from(signingKeys)
    .where(
      and(eq(signingKeys.publicKeyHex, publicKeyHex.toLowerCase()), like(signingKeys.purpose, "seal:%")),
    );
  if (!row) return null;
  return {
    keyId: row.id,
    departmentId: row.purpose.slice("seal:".length),
    publicKeyHex: row.publicKeyHex,
    createdAt: row.createdAt,
    retiredAt: row.retiredAt,
  };
}

/**
 * Seals a PDF with the department's seal: the SM2 seal signs `content` (what the issuer vouches for,
 * e.g. the canonical JSON of a document's elements) and the PDF gets a signature pdfsig accepts.
 */
export async function sealPdf(
  db: Db,
  masterKey: Buffer,
  department: Department,
  pdf: Uint8Array,
  options: { content: Uint8Array; now: Date; reason?: string; location?: string },
): Promise<{ pdf: Uint8Array; keyId: string }> {
  const seal = await getDepartmentSeal(db, masterKey, department, options.now);
  const signed = await signPdf(pdf, {
    name: department.name,
    reason: options.reason ?? "用印",
    ...(options.location ? { location: options.location } : {}),
    certificateChain: seal.certificateChain,
    privateKey: seal.privateKey,
    signingTime: options.now,
    sm2Seal: { publicKeyHex: seal.publicKeyHex, privateKeyHex: seal.privateKeyHex, content: options.content },
  });
  return { pdf: signed, keyId: seal.keyId };
}
