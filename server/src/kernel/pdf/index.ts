/**
 * PDF facility of the kernel: CJK fonts from npm packages (embedded, subset), text and line
 * breaking, the vector seal image, PDF signatures that `pdfsig` accepts, and their verification in
 * process. Module-specific layouts (e.g. the 公文 of the office module) build on this.
 */

export { extractText } from "./extract";
export { DocumentFonts, type FontFace } from "./fonts";
export { breakLines, breakOpportunities, characters, type Line } from "./linebreak";
export { drawSeal, SEAL_RED, type SealImage } from "./seal";
export {
  type PdfSignatureVerification,
  type PdfSigner,
  SEAL_FILES,
  type SealVerification,
  signPdf,
  verifyPdfSignature,
} from "./sign";
export { BLACK, drawText, mm, type TextStyle, textWidth } from "./text";
export { type CertificateRequest, type DistinguishedName, issueCertificate, toPem } from "./x509";
