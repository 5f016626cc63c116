import { type KeyObject, sign as nodeSign, X509Certificate } from "node:crypto";
import {
  decodePDFRawStream,
  PDFArray,
  PDFDict,
  PDFDocument,
  PDFHexString,
  PDFInvalidObject,
  PDFName,
  PDFNumber,
  PDFRawStream,
  PDFString,
} from "pdf-lib";
import { sm2PublicKeyHexFromPem, sm2PublicKeyPem, sm2Sign, sm2Verify } from "../crypto/sm";
import { createDetachedSignature, verifyDetachedSignature } from "./cms";

/**
 * PDF signatures (ISO 32000-1 12.8, SubFilter adbe.pkcs7.detached) that poppler's `pdfsig` reports as
 * valid, and their verification in process. NSS, which poppler verifies with, knows neither SM2 nor
 * SM3, so the PDF signature uses an RSA certificate while the department's SM2 seal signs the content
 * the issuer hands over; that SM2 signature travels as embedded files inside the signed byte range
 * (ADR 7).
 */

/** Embedded file names of the SM2 seal (extract with `pdfdetach -saveall`). */
export const SEAL_FILES = {
  content: "sm2-seal-content.bin",
  signature: "sm2-seal-signature.der",
  publicKey: "sm2-seal-public-key.pem",
} as const;

export interface PdfSigner {
  /** The signing organisation as the signature dictionary names it (/Name). */
  name: string;
  /** Why it signs (/Reason), e.g. "用印". */
  reason: string;
  location?: string;
  contactInfo?: string;
  /** DER certificates: the signer's first, then its issuers up to the root. */
  certificateChain: Uint8Array[];
  /** The private key of the first certificate (RSA or EC P-256). */
  privateKey: KeyObject;
  /** Defaults to now. */
  signingTime?: Date;
  /** The SM2 seal: signs `content` (SM3, user ID 1234567812345678, DER). */
  sm2Seal?: { publicKeyHex: string; privateKeyHex: string; content: Uint8Array };
}

/** Room for the CMS: two RSA-2048 certificates and the signature take ~3 KB. */
const SIGNATURE_BYTES = 8192;
const BYTE_RANGE_PLACEHOLDER = "/ByteRange [0 0000000000 0000000000 0000000000]";

/** A PDF text string: UTF-16BE with BOM, so Chinese survives (ISO 32000-1 7.9.2.2). */
function textString(text: string): string {
  const utf16 = Buffer.from(text, "utf16le").swap16();
  return `<FEFF${utf16.toString("hex").toUpperCase()}>`;
}

function signatureDictionary(signer: PdfSigner, signingTime: Date): string {
  const entries = [
    "/Type /Sig",
    "/Filter /Adobe.PPKLite",
    "/SubFilter /adbe.pkcs7.detached",
    BYTE_RANGE_PLACEHOLDER,
    `/Contents <${"0".repeat(SIGNATURE_BYTES * 2)}>`,
    `/M ${PDFString.fromDate(signingTime).toString()}`,
    `/Name ${textString(signer.name)}`,
    `/Reason ${textString(signer.reason)}`,
  ];
  if (signer.location) entries.push(`/Location ${textString(signer.location)}`);
  if (signer.contactInfo) entries.push(`/ContactInfo ${textString(signer.contactInfo)}`);
  entries.push("/Prop_Build << /App << /Name /Fourfold >> >>");
  return `<<\n${entries.join("\n")}\n>>`;
}

function signatureFields(doc: PDFDocument): PDFDict[] {
  const acroForm = doc.catalog.lookupMaybe(PDFName.of("AcroForm"), PDFDict);
  const fields = acroForm?.lookupMaybe(PDFName.of("Fields"), PDFArray);
  const out: PDFDict[] = [];
  for (let i = 0; i < (fields?.size() ?? 0); i++) {
    const field = fields!.lookup(i);
    if (!(field instanceof PDFDict)) continue;
    const type = field.lookupMaybe(PDFName.of("FT"), PDFName);
    const value = field.lookupMaybe(PDFName.of("V"), PDFDict);
    if (type === PDFName.of("Sig") && value) out.push(value);
  }
  return out;
}

/**
 * Signs a PDF: embeds the SM2 seal (when given), adds an invisible signature field on the last page
 * and fills in the CMS signature over the whole file but the signature itself. The input must not be
 * signed already (the document is rewritten, which would break an earlier signature).
 */
export async function signPdf(pdf: Uint8Array, signer: PdfSigner): Promise<Uint8Array> {
  const signingTime = signer.signingTime ?? new Date();
  const doc = await PDFDocument.load(pdf, { updateMetadata: false });
  if (signatureFields(doc).length > 0) throw new Error("the PDF is already signed");
  const certificates = signer.certificateChain.map((c) => Buffer.from(c));
  if (certificates.length === 0) throw new Error("the signer needs a certificate");

  if (signer.sm2Seal) {
    const { publicKeyHex, privateKeyHex, content } = signer.sm2Seal;
    const signature = sm2Sign(privateKeyHex, content);
    const when = { creationDate: signingTime, modificationDate: signingTime };
    await doc.attach(content, SEAL_FILES.content, {
      mimeType: "application/octet-stream",
      description: "Content sealed with the SM2 seal",
      ...when,
    });
    await doc.attach(signature, SEAL_FILES.signature, {
      mimeType: "application/octet-stream",
      description: "SM2 signature (SM3, user ID 1234567812345678, DER) over sm2-seal-content.bin",
      ...when,
    });
    await doc.attach(Buffer.from(sm2PublicKeyPem(publicKeyHex)), SEAL_FILES.publicKey, {
      mimeType: "application/x-pem-file",
      description: "SM2 public key of the seal",
      ...when,
    });
  }

  // Written raw (not as a pdf-lib dictionary) so the placeholders keep their exact byte layout.
  const sigRef = doc.context.register(
    PDFInvalidObject.of(Buffer.from(signatureDictionary(signer, signingTime))),
  );
  const pages = doc.getPages();
  const page = pages[pages.length - 1]!;
  const widget = doc.context.register(
    doc.context.obj({
      Type: "Annot",
      Subtype: "Widget",
      FT: "Sig",
      Rect: [0, 0, 0, 0],
      V: sigRef,
      T: PDFHexString.fromText("用印"),
      F: 4, // print
      P: page.ref,
    }),
  );
  const annots = page.node.lookupMaybe(PDFName.of("Annots"), PDFArray) ?? doc.context.obj([]);
  annots.push(widget);
  page.node.set(PDFName.of("Annots"), annots);
  doc.catalog.set(PDFName.of("AcroForm"), doc.context.obj({ Fields: [widget], SigFlags: 3 }));

  const out = Buffer.from(await doc.save({ useObjectStreams: false }));
  const marker = out.indexOf(BYTE_RANGE_PLACEHOLDER);
  if (marker < 0 || marker !== out.lastIndexOf(BYTE_RANGE_PLACEHOLDER)) {
    throw new Error("signature placeholder not found exactly once");
  }
  const contentsStart = out.indexOf("/Contents <", marker) + "/Contents ".length;
  const contentsEnd = contentsStart + SIGNATURE_BYTES * 2 + 2;
  const byteRange = [0, contentsStart, contentsEnd, out.length - contentsEnd];
  const rangeText = `/ByteRange [${byteRange.join(" ")}]`.padEnd(BYTE_RANGE_PLACEHOLDER.length, " ");
  out.write(rangeText, marker, "latin1");

  const signed = Buffer.concat([out.subarray(0, contentsStart), out.subarray(contentsEnd)]);
  const keyType = signer.privateKey.asymmetricKeyType === "rsa" ? "rsa" : "ec";
  const cms = await createDetachedSignature(
    signed,
    { certificates, keyType, sign: (data) => nodeSign("sha256", data, signer.privateKey) },
    signingTime,
  );
  if (cms.length > SIGNATURE_BYTES) throw new Error(`signature of ${cms.length} bytes does not fit`);
  out.write(cms.toString("hex"), contentsStart + 1, "latin1");
  return new Uint8Array(out.buffer, out.byteOffset, out.length);
}

// --- Verification --------------------------------------------------------------------------------

export interface SealVerification {
  valid: boolean;
  publicKeyHex: string;
  content: Buffer;
  signature: Buffer;
}

export interface PdfSignatureVerification {
  /** The CMS signature verifies over its byte ranges, and so does the SM2 seal when there is one. */
  valid: boolean;
  /** Why not valid. */
  problem: string | null;
  /** Common name of the signer's certificate. */
  signer: string | null;
  /** /Name and /Reason of the signature dictionary. */
  name: string | null;
  reason: string | null;
  signedAt: Date | null;
  /** The signed ranges reach from the first byte to the last (nothing was appended after signing). */
  coversWholeFile: boolean;
  certificate: X509Certificate | null;
  /** With `trustedRoots`: the signer's chain ends in one of them and was valid when signed. */
  chainTrusted: boolean | null;
  /** The SM2 seal, read from the signed part of the file. */
  seal: SealVerification | null;
}

function embeddedFiles(doc: PDFDocument): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  const names = doc.catalog.lookupMaybe(PDFName.of("Names"), PDFDict);
  const root = names?.lookupMaybe(PDFName.of("EmbeddedFiles"), PDFDict);
  const visit = (node: PDFDict | undefined, depth: number) => {
    if (!node || depth > 8) return;
    const pairs = node.lookupMaybe(PDFName.of("Names"), PDFArray);
    for (let i = 0; pairs && i + 1 < pairs.size(); i += 2) {
      const key = pairs.lookup(i);
      const spec = pairs.lookup(i + 1);
      if (!(spec instanceof PDFDict) || !(key instanceof PDFString || key instanceof PDFHexString)) continue;
      const stream = spec.lookupMaybe(PDFName.of("EF"), PDFDict)?.lookup(PDFName.of("F"));
      if (stream instanceof PDFRawStream)
        files.set(key.decodeText(), Buffer.from(decodePDFRawStream(stream).decode()));
    }
    const kids = node.lookupMaybe(PDFName.of("Kids"), PDFArray);
    for (let i = 0; kids && i < kids.size(); i++) visit(kids.lookupMaybe(i, PDFDict), depth + 1);
  };
  visit(root, 0);
  return files;
}

function textOf(dict: PDFDict, key: string): string | null {
  const value = dict.lookup(PDFName.of(key));
  return value instanceof PDFString || value instanceof PDFHexString ? value.decodeText() : null;
}

function chainTrusted(chain: X509Certificate[], signer: X509Certificate, roots: X509Certificate[], at: Date) {
  const validAt = (c: X509Certificate) => new Date(c.validFrom) <= at && at <= new Date(c.validTo);
  let current = signer;
  for (let depth = 0; depth < 8; depth++) {
    if (!validAt(current)) return false;
    const root = roots.find((r) => current.checkIssued(r) && current.verify(r.publicKey));
    if (root) return validAt(root);
    const issuer = chain.find((c) => c !== current && current.checkIssued(c) && current.verify(c.publicKey));
    if (!issuer) return false;
    current = issuer;
  }
  return false;
}

const failed = (
  problem: string,
  partial: Partial<PdfSignatureVerification> = {},
): PdfSignatureVerification => ({
  valid: false,
  problem,
  signer: null,
  name: null,
  reason: null,
  signedAt: null,
  coversWholeFile: false,
  certificate: null,
  chainTrusted: null,
  seal: null,
  ...partial,
});

/**
 * Verifies the (last) signature of a PDF in process: the CMS signature over the byte ranges, the
 * ranges' shape, the SM2 seal and, with `trustedRoots`, the certificate chain. Never throws.
 */
export async function verifyPdfSignature(
  pdf: Uint8Array,
  options: { trustedRoots?: (X509Certificate | Uint8Array)[] } = {},
): Promise<PdfSignatureVerification> {
  const bytes = Buffer.from(pdf.buffer, pdf.byteOffset, pdf.length);
  let doc: PDFDocument;
  try {
    doc = await PDFDocument.load(bytes, { updateMetadata: false, throwOnInvalidObject: true });
  } catch (e) {
    return failed(`not a readable PDF: ${(e as Error).message}`);
  }
  const dicts = signatureFields(doc);
  const sig = dicts[dicts.length - 1];
  if (!sig) return failed("no signature");
  const range = sig.lookupMaybe(PDFName.of("ByteRange"), PDFArray);
  const numbers = range?.asArray().map((n) => (n instanceof PDFNumber ? n.asNumber() : Number.NaN)) ?? [];
  const [s1, l1, s2, l2] = numbers;
  if (numbers.length !== 4 || s1 !== 0 || !numbers.every((n) => Number.isSafeInteger(n) && n >= 0)) {
    return failed("malformed /ByteRange");
  }
  if (s2! < l1! + 2 || s2! + l2! > bytes.length || bytes[l1!] !== 0x3c || bytes[s2! - 1] !== 0x3e) {
    return failed("the unsigned gap is not the /Contents string");
  }
  const contentsValue = sig.lookup(PDFName.of("Contents"));
  const gapHex = bytes.subarray(l1! + 1, s2! - 1).toString("latin1");
  if (
    !(contentsValue instanceof PDFHexString) ||
    contentsValue.asString().toLowerCase() !== gapHex.toLowerCase()
  ) {
    return failed("the unsigned gap is not the /Contents string");
  }
  const cmsBytes = Buffer.from(gapHex, "hex");
  const signed = Buffer.concat([bytes.subarray(0, l1!), bytes.subarray(s2!, s2! + l2!)]);
  const cms = verifyDetachedSignature(cmsBytes, signed);
  const coversWholeFile = s2! + l2! === bytes.length;
  const certificate = cms.signer;
  const signedAt = cms.signingTime;
  const roots = options.trustedRoots?.map((r) => (r instanceof X509Certificate ? r : new X509Certificate(r)));
  const partial: Partial<PdfSignatureVerification> = {
    signer: certificate ? commonName(certificate) : null,
    name: textOf(sig, "Name"),
    reason: textOf(sig, "Reason"),
    signedAt,
    coversWholeFile,
    certificate,
    chainTrusted:
      roots && certificate
        ? chainTrusted(cms.certificates, certificate, roots, signedAt ?? new Date())
        : null,
  };
  if (!cms.valid) return failed(cms.problem ?? "invalid signature", partial);

  // Embedded files are only trustworthy when nothing follows the signed part.
  const files = coversWholeFile ? embeddedFiles(doc) : new Map<string, Buffer>();
  const sealSignature = files.get(SEAL_FILES.signature);
  const sealContent = files.get(SEAL_FILES.content);
  const sealKey = files.get(SEAL_FILES.publicKey);
  let seal: SealVerification | null = null;
  if (sealSignature && sealContent && sealKey) {
    let publicKeyHex = "";
    try {
      publicKeyHex = sm2PublicKeyHexFromPem(sealKey.toString("utf8"));
    } catch {
      // An unreadable key makes the seal invalid below.
    }
    seal = {
      valid: sm2Verify(publicKeyHex, sealContent, sealSignature),
      publicKeyHex,
      content: sealContent,
      signature: sealSignature,
    };
  }
  if (seal && !seal.valid) return failed("the SM2 seal does not verify", { ...partial, seal });
  return { ...failed("", partial), valid: true, problem: null, seal };
}

function commonName(cert: X509Certificate): string | null {
  for (const line of cert.subject.split("\n")) if (line.startsWith("CN=")) return line.slice(3);
  return null;
}
