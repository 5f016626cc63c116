import { execFileSync, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { canonicalJson } from "../server/src/kernel/crypto/canonical-json";
import { getSealRootCertificate, sealPdf } from "../server/src/kernel/crypto/seals";
import { type Database, migrateDatabase, openDatabase } from "../server/src/kernel/db/db";
import { newId } from "../server/src/kernel/db/ids";
import { verifyPdfSignature } from "../server/src/kernel/pdf";
import { read } from "../server/src/kernel/pdf/der";
import { renderOfficialDocument } from "../server/src/modules/office/pdf/render";
import { sampleDocument } from "../server/src/modules/office/pdf/sample";
import { ROOT } from "../server/test/process";

/**
 * Sealed 公文 PDFs checked with poppler-utils (pdfsig with NSS, pdftotext, pdfdetach, pdffonts,
 * pdftoppm) and OpenSSL 3 — the tools a recipient outside the platform would use. `.ci/run`
 * installs poppler-utils before this suite.
 */

const SHOTS = path.join(ROOT, "e2e/screenshots");
const dir = mkdtempSync(path.join(tmpdir(), "fourfold-pdf-"));
const file = (name: string) => path.join(dir, name);

/** Runs a tool; its stdout and stderr together (pdfsig reports some results on stderr). */
function run(tool: string, args: string[]): { status: number | null; output: string } {
  const result = spawnSync(tool, args, { encoding: "utf8" });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

const compact = (text: string) => text.replace(/\s+/g, "");

describe("sealed 公文 PDF with poppler and OpenSSL", () => {
  let database: Database;
  const doc = sampleDocument(1);
  const content = Buffer.from(canonicalJson({ number: doc.number, title: doc.title, body: doc.body }));
  let sealed: Uint8Array;

  beforeAll(async () => {
    database = await openDatabase({ databaseUrl: null, pgliteDir: null });
    await migrateDatabase(database);
    const masterKey = randomBytes(16);
    const now = new Date();
    const department = { id: newId(), name: "云溪区人民政府" };
    const rendered = await renderOfficialDocument(doc);
    ({ pdf: sealed } = await sealPdf(database.db, masterKey, department, rendered, { content, now }));
    writeFileSync(file("sealed.pdf"), sealed);
    writeFileSync(file("root.pem"), (await getSealRootCertificate(database.db, masterKey, now)).toString());
    mkdirSync(SHOTS, { recursive: true });
    writeFileSync(path.join(SHOTS, "gongwen-sealed.pdf"), sealed);
    execFileSync("pdftoppm", ["-png", "-r", "60", file("sealed.pdf"), path.join(SHOTS, "gongwen")]);
  });
  afterAll(async () => {
    await database?.close();
  });

  it("pdfsig reports the seal's signature valid, covering the whole document", () => {
    const { output } = run("pdfsig", [file("sealed.pdf")]);
    expect(output).toContain("Signature Validation: Signature is Valid.");
    expect(output).toContain("Signer Certificate Common Name: 云溪区人民政府");
    expect(output).toContain("Total document signed");
    expect(output).toContain("Signing Hash Algorithm: SHA-256");
    expect(output).toMatch(/Signing Time: \w+ \d+ \d{4}/);
    // Our own root CA is not in the machine's NSS database: pdfsig says so, and that is expected.
    expect(output).toContain("Certificate Validation: Certificate issuer isn't Trusted.");
  });

  it("pdfsig and verifyPdfSignature both report a one-byte change as invalid", async () => {
    const text = Buffer.from(sealed).toString("latin1");
    // A byte in the middle of the first signed range (page content and fonts live there).
    const position = Math.floor(text.indexOf("/Contents <") / 2);
    const tampered = Buffer.from(sealed);
    tampered[position] = tampered[position]! ^ 0x20;
    writeFileSync(file("tampered.pdf"), tampered);
    const { output } = run("pdfsig", [file("tampered.pdf")]);
    expect(output).not.toContain("Signature is Valid.");
    expect(output).toContain("Digest Mismatch");
    expect((await verifyPdfSignature(tampered)).valid).toBe(false);
    expect((await verifyPdfSignature(sealed)).valid).toBe(true);
  });

  it("pdftotext extracts the Chinese organ mark, title, body and dates", () => {
    const { status, output } = run("pdftotext", ["-enc", "UTF-8", file("sealed.pdf"), "-"]);
    expect(status).toBe(0);
    // Without the page numbers, paragraphs that run over a page read on.
    const text = compact(output.replace(/—\s*\d+\s*—/g, ""));
    expect(text).toContain("云溪区人民政府文件");
    expect(text).toContain("云府〔2026〕12号");
    expect(text).toContain(compact(doc.title));
    for (const paragraph of doc.body.split("\n")) expect(text).toContain(compact(paragraph));
    expect(text).toContain("2026年11月29日印发");
  });

  it("embeds subset fonts with Unicode maps only", () => {
    const { output } = run("pdffonts", [file("sealed.pdf")]);
    const fonts = output.split("\n").slice(2).filter(Boolean);
    expect(fonts.length).toBeGreaterThan(3);
    for (const line of fonts)
      expect(line).toMatch(/^[A-Z]{6}\+\S+\s+CID TrueType\s+Identity-H\s+yes yes yes/);
  });

  it("carries an SM2 seal signature that OpenSSL verifies with distid 1234567812345678", () => {
    const out = file("detached");
    mkdirSync(out, { recursive: true });
    execFileSync("pdfdetach", ["-saveall", "-o", out, file("sealed.pdf")]);
    const sealContent = readFileSync(path.join(out, "sm2-seal-content.bin"));
    expect(sealContent.equals(content)).toBe(true);
    const verify = (data: string) =>
      run("openssl", [
        "dgst",
        "-sm3",
        "-verify",
        path.join(out, "sm2-seal-public-key.pem"),
        "-sigopt",
        "distid:1234567812345678",
        "-signature",
        path.join(out, "sm2-seal-signature.der"),
        data,
      ]);
    const good = verify(path.join(out, "sm2-seal-content.bin"));
    expect(good.output).toContain("Verified OK");
    expect(good.status).toBe(0);
    writeFileSync(file("other.bin"), Buffer.concat([content, Buffer.from(" ")]));
    const bad = verify(file("other.bin"));
    expect(bad.status).not.toBe(0);
    expect(bad.output).toContain("Verification failure");
  });

  it("chains the signing certificate to the platform root (openssl verify)", () => {
    // The CMS carries the signer's certificate and the root; the zero padding after it is dropped.
    const pdf = Buffer.from(sealed).toString("latin1");
    const start = pdf.indexOf("/Contents <") + "/Contents <".length;
    const padded = Buffer.from(pdf.slice(start, pdf.indexOf(">", start)), "hex");
    writeFileSync(file("signature.p7s"), read(padded).raw);
    const certs = run("openssl", ["pkcs7", "-inform", "DER", "-in", file("signature.p7s"), "-print_certs"]);
    expect(certs.output).toContain("subject=");
    writeFileSync(file("certs.pem"), certs.output);
    const verified = run("openssl", ["verify", "-CAfile", file("root.pem"), file("certs.pem")]);
    expect(verified.output).toContain("OK");
    expect(verified.status).toBe(0);
  });
});
