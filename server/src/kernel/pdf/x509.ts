import { createHash, type KeyObject, randomBytes, sign, type X509Certificate } from "node:crypto";
import {
  bitString,
  boolean,
  children,
  explicit,
  integer,
  nullValue,
  octetString,
  oid,
  printableString,
  read,
  sequence,
  setOf,
  time,
  utf8String,
} from "./der";

/**
 * X.509 v3 certificates (RFC 5280) for PDF signing keys: a platform root CA and one certificate per
 * department seal. Signed with SHA-256 and RSA (or ECDSA for EC keys) through node:crypto.
 */

export interface DistinguishedName {
  commonName: string;
  organization?: string;
  organizationalUnit?: string;
  /** Two letters, e.g. "CN". */
  country?: string;
  /** X.520 serialNumber attribute: here, the id of the key the certificate stands for. */
  serialNumber?: string;
}

function name(dn: DistinguishedName): Buffer {
  const rdn = (type: string, value: Buffer) => setOf(sequence(oid(type), value));
  const parts: Buffer[] = [];
  if (dn.country) parts.push(rdn("2.5.4.6", printableString(dn.country)));
  if (dn.organization) parts.push(rdn("2.5.4.10", utf8String(dn.organization)));
  if (dn.organizationalUnit) parts.push(rdn("2.5.4.11", utf8String(dn.organizationalUnit)));
  parts.push(rdn("2.5.4.3", utf8String(dn.commonName)));
  if (dn.serialNumber) parts.push(rdn("2.5.4.5", printableString(dn.serialNumber)));
  return sequence(...parts);
}

function signatureAlgorithm(key: KeyObject): Buffer {
  if (key.asymmetricKeyType === "rsa") return sequence(oid("1.2.840.113549.1.1.11"), nullValue()); // sha256WithRSA
  if (key.asymmetricKeyType === "ec") return sequence(oid("1.2.840.10045.4.3.2")); // ecdsa-with-SHA256
  throw new Error(`unsupported key type ${key.asymmetricKeyType}`);
}

const extension = (id: string, critical: boolean, value: Buffer) =>
  sequence(oid(id), ...(critical ? [boolean(true)] : []), octetString(value));

/** RFC 5280 4.2.1.2 method 1: SHA-1 of the subjectPublicKey BIT STRING's contents. */
function keyIdentifier(spki: Buffer): Buffer {
  const bits = children(read(spki))[1];
  if (bits?.tag !== 0x03) throw new Error("SPKI: expected a BIT STRING");
  return createHash("sha1").update(bits.content.subarray(1)).digest();
}

export interface CertificateRequest {
  subject: DistinguishedName;
  publicKey: KeyObject;
  notBefore: Date;
  notAfter: Date;
  /** A CA certificate may sign others; an end-entity certificate signs documents. */
  ca: boolean;
  /** Omit for a self-signed root. */
  issuer?: { certificate: X509Certificate; privateKey: KeyObject };
  /** Signs a self-signed certificate. */
  selfSignKey?: KeyObject;
}

/** Issues a certificate; returns its DER. */
export function issueCertificate(request: CertificateRequest): Buffer {
  const signingKey = request.issuer?.privateKey ?? request.selfSignKey;
  if (!signingKey) throw new Error("a certificate needs an issuer key or a self-signing key");
  const spki = request.publicKey.export({ type: "spki", format: "der" });
  const issuerSpki = request.issuer
    ? request.issuer.certificate.publicKey.export({ type: "spki", format: "der" })
    : spki;
  const issuerName = request.issuer ? issuerNameOf(request.issuer.certificate) : name(request.subject);
  // Positive 16-byte serial (RFC 5280 4.1.2.2: at most 20 octets).
  const serial = randomBytes(16);
  serial[0] = (serial[0]! & 0x7f) | 0x01;
  const keyUsage = request.ca
    ? Buffer.from([0x03, 0x02, 0x01, 0x06]) // keyCertSign | cRLSign
    : Buffer.from([0x03, 0x02, 0x06, 0xc0]); // digitalSignature | nonRepudiation
  const extensions = [
    extension("2.5.29.19", true, request.ca ? sequence(boolean(true), integer(0)) : sequence()),
    extension("2.5.29.15", true, keyUsage),
    extension("2.5.29.14", false, octetString(keyIdentifier(spki))),
    extension(
      "2.5.29.35",
      false,
      sequence(Buffer.concat([Buffer.from([0x80, 20]), keyIdentifier(issuerSpki)])),
    ),
  ];
  const algorithm = signatureAlgorithm(signingKey);
  const tbs = sequence(
    explicit(0, integer(2)),
    integer(serial),
    algorithm,
    issuerName,
    sequence(time(request.notBefore), time(request.notAfter)),
    name(request.subject),
    spki,
    explicit(3, sequence(...extensions)),
  );
  return sequence(tbs, algorithm, bitString(sign("sha256", tbs, signingKey)));
}

/** The issuer's subject exactly as encoded in its certificate, so chains match byte for byte. */
function issuerNameOf(cert: X509Certificate): Buffer {
  const tbs = children(read(cert.raw))[0]!;
  // version [0], serial, signature, issuer, validity, subject
  return children(tbs)[5]!.raw;
}

export function toPem(der: Uint8Array): string {
  const lines =
    Buffer.from(der)
      .toString("base64")
      .match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join("\n")}\n-----END CERTIFICATE-----\n`;
}
