import { generateKeyPairSync, X509Certificate } from "node:crypto";
import { PDFDocument } from "pdf-lib";
import { beforeAll, describe, expect, it } from "vitest";
import { generateSm2KeyPair, sm2Verify } from "../crypto/sm";
import { DocumentFonts } from "./fonts";
import { type PdfSigner, SEAL_FILES, signPdf, verifyPdfSignature } from "./sign";
import { drawText, mm } from "./text";
import { issueCertificate } from "./x509";

const DAY = 86_400_000;
const signingTime = new Date("2026-11-30T02:03:04.000Z");

function certificateAuthority(name: string) {
  const keys = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const certificate = new X509Certificate(
    issueCertificate({
      subject: { commonName: name, organization: "Fourfold", country: "CN" },
      publicKey: keys.publicKey,
      selfSignKey: keys.privateKey,
      notBefore: new Date(signingTime.getTime() - DAY),
      notAfter: new Date(signingTime.getTime() + 3650 * DAY),
      ca: true,
    }),
  );
  return { certificate, privateKey: keys.privateKey };
}

async function smallPdf(): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const fonts = new DocumentFonts(doc);
  const page = doc.addPage([mm(210), mm(297)]);
  await fonts.load("kai", "受理通知书");
  drawText(page, fonts, "受理通知书", mm(28), mm(250), { face: "kai", size: 22 });
  return doc.save();
}

describe("signPdf and verifyPdfSignature", () => {
  const root = certificateAuthority("Test Seal Root");
  const leafKeys = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const leaf = new X509Certificate(
    issueCertificate({
      subject: { commonName: "云溪区市场监督管理局", organizationalUnit: "电子印章", country: "CN" },
      publicKey: leafKeys.publicKey,
      issuer: root,
      notBefore: new Date(signingTime.getTime() - DAY),
      notAfter: new Date(signingTime.getTime() + 365 * DAY),
      ca: false,
    }),
  );
  const sm2 = generateSm2KeyPair();
  const content = Buffer.from(JSON.stringify({ document: "云市监〔2026〕8号", sm3: "ab".repeat(32) }));
  const signer: PdfSigner = {
    name: "云溪区市场监督管理局",
    reason: "用印",
    certificateChain: [leaf.raw, root.certificate.raw],
    privateKey: leafKeys.privateKey,
    signingTime,
    sm2Seal: { ...sm2, content },
  };
  let unsigned: Uint8Array;
  let signed: Uint8Array;

  beforeAll(async () => {
    unsigned = await smallPdf();
    signed = await signPdf(unsigned, signer);
  });

  it("verifies a signed PDF: signer, reason, time, whole file, SM2 seal", async () => {
    const result = await verifyPdfSignature(signed);
    expect(result).toMatchObject({
      valid: true,
      problem: null,
      signer: "云溪区市场监督管理局",
      name: "云溪区市场监督管理局",
      reason: "用印",
      coversWholeFile: true,
      chainTrusted: null,
    });
    expect(result.signedAt?.toISOString()).toBe(signingTime.toISOString());
    expect(result.seal).toMatchObject({ valid: true, publicKeyHex: sm2.publicKeyHex });
    expect(result.seal!.content.equals(content)).toBe(true);
  });

  it("embeds an SM2 signature that sm2Verify accepts for the content and refuses for other content", async () => {
    const { seal } = await verifyPdfSignature(signed);
    expect(sm2Verify(sm2.publicKeyHex, content, seal!.signature)).toBe(true);
    const other = Buffer.from(content);
    other[other.length - 2] = other[other.length - 2]! ^ 1;
    expect(sm2Verify(sm2.publicKeyHex, other, seal!.signature)).toBe(false);
    expect(sm2Verify(generateSm2KeyPair().publicKeyHex, content, seal!.signature)).toBe(false);
  });

  it("reports invalid when any one byte of the signed ranges changes", async () => {
    const bytes = Buffer.from(signed);
    const gapStart = bytes.indexOf("/Contents <") + "/Contents ".length;
    const gapEnd = bytes.indexOf(">", gapStart) + 1;
    // Near the start, in the middle of the first range (page content, fonts), in the second range.
    const positions = [20, Math.floor(gapStart / 2), gapStart - 40, gapEnd + 10, bytes.length - 30];
    for (const position of positions) {
      const tampered = Buffer.from(bytes);
      tampered[position] = tampered[position]! ^ 0x01;
      const result = await verifyPdfSignature(tampered);
      expect(result.valid, `byte ${position}`).toBe(false);
    }
  });

  it("reports invalid when the signature itself is altered", async () => {
    const bytes = Buffer.from(signed);
    const at = bytes.indexOf("/Contents <") + "/Contents <".length + 600;
    bytes[at] = bytes[at] === 0x61 ? 0x62 : 0x61; // another hex digit
    const result = await verifyPdfSignature(bytes);
    expect(result.valid).toBe(false);
    expect(result.problem).toMatch(/signature|malformed/);
  });

  it("tells when bytes were appended after the signed part", async () => {
    const appended = Buffer.concat([Buffer.from(signed), Buffer.from("\n% appended after signing\n")]);
    const result = await verifyPdfSignature(appended);
    expect(result.coversWholeFile).toBe(false);
    // The appended part is unsigned, so the embedded seal is not read from it.
    expect(result.seal).toBeNull();
  });

  it("checks the certificate chain against trusted roots", async () => {
    expect((await verifyPdfSignature(signed, { trustedRoots: [root.certificate] })).chainTrusted).toBe(true);
    const stranger = certificateAuthority("Some Other Root");
    expect(
      (await verifyPdfSignature(signed, { trustedRoots: [stranger.certificate.raw] })).chainTrusted,
    ).toBe(false);
  });

  it("refuses to sign twice and reports unsigned or broken files without throwing", async () => {
    await expect(signPdf(signed, signer)).rejects.toThrow(/already signed/);
    expect(await verifyPdfSignature(unsigned)).toMatchObject({ valid: false, problem: "no signature" });
    expect((await verifyPdfSignature(Buffer.from("not a pdf"))).valid).toBe(false);
  });

  it("keeps the seal's files as attachments inside the signed range", async () => {
    const doc = await PDFDocument.load(signed);
    const text = Buffer.from(signed).toString("latin1");
    const gap = text.indexOf("/Contents <");
    for (const name of Object.values(SEAL_FILES)) {
      const at = text.indexOf(`(${name})`);
      expect(at, name).toBeGreaterThan(0);
      expect(at < gap || at > gap + 16_000).toBe(true);
    }
    expect(doc.getPageCount()).toBe(1);
  });

  it("signs without an SM2 seal too", async () => {
    const { sm2Seal: _omit, ...plain } = signer;
    const result = await verifyPdfSignature(await signPdf(unsigned, plain));
    expect(result).toMatchObject({ valid: true, seal: null, coversWholeFile: true });
  });
});
