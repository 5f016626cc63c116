import { createHash, type KeyObject, verify as nodeVerify, X509Certificate } from "node:crypto";
import {
  children,
  expectTag,
  explicit,
  implicitConstructed,
  integer,
  type Node,
  nullValue,
  octetString,
  oid,
  read,
  readOid,
  readTime,
  sequence,
  setOf,
  time,
} from "./der";

/**
 * CMS SignedData (RFC 5652), detached, one signer — the `/Contents` of a PDF signature
 * (ISO 32000 12.8.3.3, SubFilter adbe.pkcs7.detached). Built and checked in process.
 */

const OID = {
  data: "1.2.840.113549.1.7.1",
  signedData: "1.2.840.113549.1.7.2",
  contentType: "1.2.840.113549.1.9.3",
  messageDigest: "1.2.840.113549.1.9.4",
  signingTime: "1.2.840.113549.1.9.5",
  signingCertificateV2: "1.2.840.113549.1.9.16.2.47",
  sha256: "2.16.840.1.101.3.4.2.1",
  rsaEncryption: "1.2.840.113549.1.1.1",
  sha256WithRsa: "1.2.840.113549.1.1.11",
  ecdsaWithSha256: "1.2.840.10045.4.3.2",
} as const;

const algorithm = (id: string, withNull: boolean): Buffer =>
  withNull ? sequence(oid(id), nullValue()) : sequence(oid(id));

export interface CmsSigner {
  /** DER certificates: the signer's first, then the chain up to (and including) the root. */
  certificates: Buffer[];
  /** Produces the signature over the DER of the signed attributes (SHA-256 digest). */
  sign(data: Buffer): Buffer | Promise<Buffer>;
  keyType: "rsa" | "ec";
}

/** The parts of a certificate that identify it as a CMS signer (IssuerAndSerialNumber). */
function issuerAndSerial(certDer: Buffer): { issuer: Buffer; serial: Buffer } {
  const tbs = children(expectTag(read(certDer), 0x30, "Certificate"))[0];
  const fields = children(expectTag(tbs, 0x30, "TBSCertificate"));
  // version [0] is optional; serial, signature, issuer follow.
  const start = fields[0]?.tag === 0xa0 ? 1 : 0;
  const serial = expectTag(fields[start], 0x02, "serialNumber");
  const issuer = expectTag(fields[start + 2], 0x30, "issuer");
  return { issuer: issuer.raw, serial: serial.raw };
}

function signedAttributes(digest: Buffer, signingTime: Date, signerCert: Buffer): Buffer[] {
  const attribute = (type: string, value: Buffer) => sequence(oid(type), setOf(value));
  // ESS signing-certificate-v2 (RFC 5035) binds the signer's certificate into the signature.
  const essCertId = sequence(octetString(createHash("sha256").update(signerCert).digest()));
  return [
    attribute(OID.contentType, oid(OID.data)),
    attribute(OID.signingTime, time(signingTime)),
    attribute(OID.messageDigest, octetString(digest)),
    attribute(OID.signingCertificateV2, sequence(sequence(essCertId))),
  ];
}

/** A detached SignedData over `content` (the PDF's signed byte ranges). */
export async function createDetachedSignature(
  content: Uint8Array,
  signer: CmsSigner,
  signingTime: Date,
): Promise<Buffer> {
  const [signerCert] = signer.certificates;
  if (!signerCert) throw new Error("CMS: the signer needs a certificate");
  const digest = createHash("sha256").update(content).digest();
  const attrs = signedAttributes(digest, signingTime, signerCert);
  // The signature covers the attributes as a SET OF (tag 0x31); they are stored as [0] IMPLICIT.
  const signedSet = setOf(...attrs);
  const signature = await signer.sign(signedSet);
  const { issuer, serial } = issuerAndSerial(signerCert);
  const signatureAlgorithm =
    signer.keyType === "rsa" ? algorithm(OID.rsaEncryption, true) : algorithm(OID.ecdsaWithSha256, false);
  const signerInfo = sequence(
    integer(1),
    sequence(issuer, serial),
    algorithm(OID.sha256, true),
    implicitConstructed(0, read(signedSet).content),
    signatureAlgorithm,
    octetString(signature),
  );
  const signedData = sequence(
    integer(1),
    setOf(algorithm(OID.sha256, true)),
    sequence(oid(OID.data)),
    implicitConstructed(0, Buffer.concat(signer.certificates)),
    setOf(signerInfo),
  );
  return sequence(oid(OID.signedData), explicit(0, signedData));
}

// --- Verification --------------------------------------------------------------------------------

export interface CmsVerification {
  /** The signature over the attributes verifies with the signer's certificate and the digest matches. */
  valid: boolean;
  /** Why not valid, for logs and tests. */
  problem: string | null;
  signer: X509Certificate | null;
  certificates: X509Certificate[];
  signingTime: Date | null;
}

const invalid = (problem: string, partial: Partial<CmsVerification> = {}): CmsVerification => ({
  valid: false,
  problem,
  signer: null,
  certificates: [],
  signingTime: null,
  ...partial,
});

function attributeValue(attrs: Node[], type: string): Node | null {
  for (const attr of attrs) {
    const [typeNode, values] = children(attr);
    if (typeNode && readOid(typeNode) === type && values) return children(values)[0] ?? null;
  }
  return null;
}

function verifySignatureBytes(
  algorithmOid: string,
  publicKey: KeyObject,
  data: Buffer,
  signature: Buffer,
): boolean {
  switch (algorithmOid) {
    case OID.rsaEncryption:
    case OID.sha256WithRsa:
    case OID.ecdsaWithSha256:
      return nodeVerify("sha256", data, publicKey, signature);
    default:
      return false;
  }
}

/** Checks a detached SignedData against the content it claims to sign. Never throws. */
export function verifyDetachedSignature(cms: Buffer, content: Uint8Array): CmsVerification {
  try {
    const info = children(expectTag(read(cms), 0x30, "ContentInfo"));
    if (!info[0] || readOid(info[0]) !== OID.signedData) return invalid("not a SignedData");
    const signedDataNode = children(expectTag(info[1], 0xa0, "[0] content"))[0];
    const fields = children(expectTag(signedDataNode, 0x30, "SignedData"));
    const certSet = fields.find((f) => f.tag === 0xa0);
    const certificates = certSet ? children(certSet).map((c) => new X509Certificate(c.raw)) : [];
    const signerInfos = children(expectTag(fields[fields.length - 1], 0x31, "signerInfos"));
    if (signerInfos.length !== 1) return invalid("expected exactly one signer", { certificates });
    const [version, sid, digestAlg, attrsNode, sigAlg, sigValue] = children(signerInfos[0]!);
    if (!version || !sid || !digestAlg || !attrsNode || !sigAlg || !sigValue) {
      return invalid("incomplete SignerInfo", { certificates });
    }
    if (attrsNode.tag !== 0xa0) return invalid("signed attributes are required", { certificates });
    const [issuer, serial] = children(expectTag(sid, 0x30, "IssuerAndSerialNumber"));
    const signer =
      certSet &&
      children(certSet)
        .map((c, i) => ({ c, i }))
        .find(({ c }) => {
          const ids = issuerAndSerial(c.raw);
          return ids.issuer.equals(issuer!.raw) && ids.serial.equals(serial!.raw);
        });
    const signerCert = signer ? certificates[signer.i]! : null;
    if (!signerCert) return invalid("the signer's certificate is not included", { certificates });
    const digestOid = readOid(children(digestAlg)[0]!);
    if (digestOid !== OID.sha256) return invalid(`unsupported digest ${digestOid}`, { certificates });
    const attrs = children(attrsNode);
    const messageDigest = attributeValue(attrs, OID.messageDigest);
    const signingTimeNode = attributeValue(attrs, OID.signingTime);
    const signingTime = signingTimeNode ? readTime(signingTimeNode) : null;
    const partial = { certificates, signer: signerCert, signingTime };
    const digest = createHash("sha256").update(content).digest();
    if (!messageDigest || !expectTag(messageDigest, 0x04, "messageDigest").content.equals(digest)) {
      return invalid("the content does not match the signed digest", partial);
    }
    // The signature was made over the attributes re-tagged as a SET OF.
    const signedSet = Buffer.concat([Buffer.from([0x31]), attrsNode.raw.subarray(1)]);
    const algorithmOid = readOid(children(sigAlg)[0]!);
    const signature = expectTag(sigValue, 0x04, "signature").content;
    if (!verifySignatureBytes(algorithmOid, signerCert.publicKey, signedSet, signature)) {
      return invalid("the signature does not verify with the signer's certificate", partial);
    }
    return { valid: true, problem: null, ...partial };
  } catch (e) {
    return invalid(`malformed signature: ${(e as Error).message}`);
  }
}
