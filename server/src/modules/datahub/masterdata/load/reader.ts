import { Readable } from "node:stream";
import { parse } from "csv-parse";

/** A dataset's format: CSV with a header row, JSON lines, or one JSON array (what a pulled API answers). */
export type DatasetFormat = "csv" | "ndjson" | "json";

/** A row of a dataset by its line number, or the reason it could not be read. */
export type DatasetRow =
  | { line: number; row: Record<string, unknown> }
  | { line: number; problem: string; column?: string };

export interface DatasetReader {
  /** The encoding detected from the first bytes: utf-8 or gb18030 (GBK's superset). */
  encoding(): string | null;
  /** The header's columns (CSV), once known. */
  columns(): string[] | null;
  rows: AsyncIterable<DatasetRow>;
}

const SAMPLE_BYTES = 64 * 1024;

/**
 * Decodes a byte stream as UTF-8, or as GB18030 when its first 64 KB are not valid UTF-8 (files exported
 * by older Chinese systems are GBK). A UTF-8 byte-order mark is dropped.
 */
async function* decode(
  input: AsyncIterable<Buffer>,
  detected: (encoding: string) => void,
): AsyncGenerator<string> {
  let head = Buffer.alloc(0);
  const iterator = input[Symbol.asyncIterator]();
  let done = false;
  while (head.length < SAMPLE_BYTES) {
    const next = await iterator.next();
    if (next.done) {
      done = true;
      break;
    }
    head = Buffer.concat([head, Buffer.from(next.value)]);
  }
  const encoding = looksUtf8(head, done) ? "utf-8" : "gb18030";
  detected(encoding);
  const decoder = new TextDecoder(encoding, { ignoreBOM: false });
  yield decoder.decode(head, { stream: true });
  while (!done) {
    const next = await iterator.next();
    if (next.done) break;
    yield decoder.decode(Buffer.from(next.value), { stream: true });
  }
  const rest = decoder.decode();
  if (rest) yield rest;
}

/** Whether bytes decode as UTF-8; a sample cut inside a character at its end still counts. */
function looksUtf8(bytes: Buffer, complete: boolean): boolean {
  let end = bytes.length;
  if (!complete) {
    // Drop an incomplete trailing sequence: up to three continuation bytes after a lead byte.
    let i = end - 1;
    while (i >= 0 && end - i <= 3 && (bytes[i]! & 0xc0) === 0x80) i--;
    if (i >= 0 && bytes[i]! >= 0xc0) end = i;
  }
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(0, end));
    return true;
  } catch {
    return false;
  }
}

/** Splits decoded text into lines, with their numbers (1-based), keeping memory to one line. */
async function* lines(text: AsyncIterable<string>): AsyncGenerator<{ line: number; text: string }> {
  let buffered = "";
  let line = 0;
  for await (const chunk of text) {
    buffered += chunk;
    let at = buffered.indexOf("\n");
    while (at >= 0) {
      line++;
      yield { line, text: buffered.slice(0, at).replace(/\r$/, "") };
      buffered = buffered.slice(at + 1);
      at = buffered.indexOf("\n");
    }
  }
  if (buffered.length > 0) yield { line: line + 1, text: buffered.replace(/\r$/, "") };
}

async function* ndjsonRows(text: AsyncIterable<string>): AsyncGenerator<DatasetRow> {
  for await (const { line, text: source } of lines(text)) {
    if (source.trim() === "") continue;
    let value: unknown;
    try {
      value = JSON.parse(source);
    } catch {
      yield { line, problem: "not valid JSON" };
      continue;
    }
    if (value === null || typeof value !== "object" || Array.isArray(value))
      yield { line, problem: "not a JSON object" };
    else yield { line, row: value as Record<string, unknown> };
  }
}

/** A whole JSON array (a pulled API's answer): buffered, as such answers are bounded by the API. */
async function* jsonArrayRows(text: AsyncIterable<string>): AsyncGenerator<DatasetRow> {
  let whole = "";
  for await (const chunk of text) whole += chunk;
  let value: unknown;
  try {
    value = JSON.parse(whole);
  } catch {
    yield { line: 1, problem: "not valid JSON" };
    return;
  }
  const items = Array.isArray(value)
    ? value
    : Array.isArray((value as { records?: unknown })?.records)
      ? (value as { records: unknown[] }).records
      : null;
  if (!items) {
    yield { line: 1, problem: "not a JSON array (nor an object with a records array)" };
    return;
  }
  for (const [i, item] of items.entries()) {
    if (item === null || typeof item !== "object" || Array.isArray(item))
      yield { line: i + 1, problem: "not a JSON object" };
    else yield { line: i + 1, row: item as Record<string, unknown> };
  }
}

async function* csvRows(
  text: AsyncIterable<string>,
  header: (columns: string[]) => void,
): AsyncGenerator<DatasetRow> {
  const parser = parse({
    bom: true,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    info: true,
  });
  const source = Readable.from(text);
  source.on("error", (e) => parser.destroy(e));
  source.pipe(parser);
  let columns: string[] | null = null;
  try {
    for await (const item of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      const { record, info } = item;
      if (!columns) {
        columns = record.map((c) => c.trim());
        header(columns);
        continue;
      }
      if (record.length !== columns.length) {
        yield {
          line: info.lines,
          problem: `has ${record.length} columns, the header has ${columns.length}`,
        };
        continue;
      }
      const row: Record<string, unknown> = {};
      columns.forEach((c, i) => {
        row[c] = record[i];
      });
      yield { line: info.lines, row };
    }
  } catch (e) {
    const lines = (e as { lines?: number }).lines;
    yield { line: lines ?? 0, problem: `cannot be read as CSV: ${(e as Error).message.split("\n")[0]}` };
  }
}

/** Reads a dataset from its bytes as they arrive, row by row, without holding the whole file. */
export function readDataset(input: AsyncIterable<Buffer>, format: DatasetFormat): DatasetReader {
  let encoding: string | null = null;
  let columns: string[] | null = null;
  const text = decode(input, (e) => {
    encoding = e;
  });
  const rows =
    format === "csv"
      ? csvRows(text, (c) => {
          columns = c;
        })
      : format === "ndjson"
        ? ndjsonRows(text)
        : jsonArrayRows(text);
  return { encoding: () => encoding, columns: () => columns, rows };
}
