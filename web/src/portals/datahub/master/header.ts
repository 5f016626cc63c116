/**
 * A sample file's column names, read in the browser to fill a source's mapping, and a guess of the base
 * field each column carries. Only the start of the file is read.
 */
import type { Base } from "../../../shared/datahub";

/** Column names (lower case, no spaces) that mean a base field, besides the field's own name. */
const SYNONYMS: Record<Base, Record<string, readonly string[]>> = {
  population: {
    name: ["姓名", "名字", "xm"],
    idNumber: ["公民身份号码", "身份证号", "身份证号码", "身份证", "证件号码", "sfzh", "idno", "idcard"],
    gender: ["性别", "xb", "sex"],
    birthDate: ["出生日期", "生日", "出生年月日", "csrq", "birthday", "birth"],
    phone: ["联系电话", "手机", "手机号", "手机号码", "电话", "lxdh", "mobile", "tel"],
    address: ["现住址", "现居住地址", "居住地址", "住址", "地址", "addr"],
    householdAddress: ["户籍地址", "户籍地", "户口所在地", "hjdz"],
    ethnicity: ["民族", "mz"],
    maritalStatus: ["婚姻状况", "婚姻"],
    education: ["学历", "文化程度"],
    employer: ["工作单位", "就业单位", "单位"],
  },
  legalPerson: {
    name: ["名称", "企业名称", "单位名称", "机构名称"],
    uscc: ["统一社会信用代码", "信用代码", "社会信用代码", "tyshxydm"],
    legalRepresentative: ["法定代表人", "法人代表", "负责人"],
    registeredCapital: ["注册资本", "注册资本（万元）", "注册资本(万元)"],
    establishedDate: ["成立日期", "注册日期"],
    address: ["住所", "地址", "注册地址", "经营场所"],
    industry: ["行业", "所属行业", "行业门类"],
    status: ["登记状态", "经营状态", "状态"],
    phone: ["联系电话", "电话", "手机"],
  },
};

const normal = (s: string) => s.replace(/\s+/g, "").toLowerCase();

/** The base field a column probably carries, or null. */
export function guessField(base: Base, column: string, fields: readonly string[]): string | null {
  const c = normal(column);
  for (const field of fields) {
    if (normal(field) === c) return field;
    if ((SYNONYMS[base][field] ?? []).some((s) => normal(s) === c)) return field;
  }
  return null;
}

/** The key column's likely name among the columns: a record number, else the first unmapped column. */
export function guessKeyColumn(columns: string[], mapped: Set<string>): string | undefined {
  return (
    columns.find((c) => /编号|档案号|记录号|序号|^id$|_id$|^no$/i.test(c.trim())) ??
    columns.find((c) => !mapped.has(c)) ??
    columns[0]
  );
}

/** One CSV line split into cells, quotes honoured. */
function splitCsvLine(line: string): string[] {
  const cells: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      cells.push(cell);
      cell = "";
    } else cell += ch;
  }
  cells.push(cell);
  return cells.map((c) => c.trim()).filter(Boolean);
}

/** The first line as text: UTF-8, or GBK (GB 18030) when it is not UTF-8. */
function decodeLine(bytes: Uint8Array): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder("gb18030").decode(bytes);
  }
}

/** The column names of a CSV, JSON lines or (small) JSON file; empty when none can be read. */
export async function readColumns(file: File): Promise<string[]> {
  const lower = file.name.toLowerCase();
  if (lower.endsWith(".json")) {
    if (file.size > 5_000_000) return [];
    try {
      const parsed: unknown = JSON.parse(await file.text());
      const rows = Array.isArray(parsed) ? parsed : (parsed as { records?: unknown[] })?.records;
      const first = Array.isArray(rows) ? rows[0] : null;
      return first && typeof first === "object" ? Object.keys(first) : [];
    } catch {
      return [];
    }
  }
  const bytes = new Uint8Array(await file.slice(0, 65_536).arrayBuffer());
  const end = bytes.indexOf(0x0a);
  const line = decodeLine(end >= 0 ? bytes.subarray(0, end) : bytes)
    .replace(/^\uFEFF/, "")
    .replace(/\r$/, "");
  if (lower.endsWith(".ndjson") || lower.endsWith(".jsonl")) {
    try {
      const first: unknown = JSON.parse(line);
      return first && typeof first === "object" && !Array.isArray(first) ? Object.keys(first) : [];
    } catch {
      return [];
    }
  }
  return splitCsvLine(line);
}
