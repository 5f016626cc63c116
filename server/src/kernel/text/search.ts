/**
 * Chinese text search without a dictionary: the text is cut into runs of letters and digits (a CJK
 * character is a letter), each run into overlapping two-character pieces (bigrams), so "预算调整"
 * gives 预算, 算调, 调整. A query matches a text whose terms contain all of the query's bigrams;
 * the candidates are then checked for the query's runs as real substrings, since bigrams can also
 * occur apart. Latin text works the same way ("budget" gives bu, ud, dg, ge, et), so a word is found
 * by any part of it.
 */

const RUN = /[\p{L}\p{N}]+/gu;

/** The text lower-cased and cut into its runs of letters and digits. */
export function runsOf(text: string): string[] {
  return (text.toLowerCase().match(RUN) ?? []).map((run) => run.normalize("NFC"));
}

function bigramsOf(run: string, into: Set<string>): void {
  const chars = Array.from(run);
  for (let i = 0; i + 1 < chars.length; i++) into.add(chars[i]! + chars[i + 1]!);
}

/** What a text is indexed by: the bigrams of its runs, and each one-character run as itself. */
export function searchTerms(text: string): string[] {
  const terms = new Set<string>();
  for (const run of runsOf(text)) {
    if (Array.from(run).length === 1) terms.add(run);
    else bigramsOf(run, terms);
  }
  return [...terms];
}

export interface SearchQuery {
  /** Every one of these must be among a text's terms (empty: the index cannot narrow the search). */
  terms: string[];
  /** Every one of these must occur in the lower-cased text. */
  runs: string[];
}

/** The query's bigrams and runs; null when the query has no letters or digits at all. */
export function parseQuery(q: string): SearchQuery | null {
  const runs = [...new Set(runsOf(q))];
  if (runs.length === 0) return null;
  const terms = new Set<string>();
  for (const run of runs) bigramsOf(run, terms);
  return { terms: [...terms], runs };
}

/** Whether a text really contains the query (the index only proposes candidates). */
export function matchesQuery(text: string, query: SearchQuery): boolean {
  const haystack = runsOf(text).join(" ");
  return query.runs.every((run) => haystack.includes(run));
}

/**
 * The query's words: Intl.Segmenter cuts Chinese into words (人口基础信息 → 人口, 基础, 信息), so a
 * text matches when it holds every word anywhere, not only the query as one phrase.
 */
const segmenter = new Intl.Segmenter("zh-CN", { granularity: "word" });
export function queryWords(q: string): string[] {
  const words = new Set<string>();
  for (const run of runsOf(q)) {
    for (const part of segmenter.segment(run)) if (part.isWordLike) words.add(part.segment);
  }
  return [...words];
}
