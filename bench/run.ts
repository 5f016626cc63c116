import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { apply } from "./apply.bench";
import { auditedWrite } from "./audited-write.bench";
import { coldStart } from "./cold-start.bench";
import { exchange } from "./exchange.bench";
import { fusion } from "./fusion.bench";
import { type Benchmark, machine } from "./harness";
import { office } from "./office.bench";
import { telemetry } from "./telemetry.bench";
import { workflow } from "./workflow.bench";

const benchmarks: Benchmark[] = [
  auditedWrite,
  coldStart,
  workflow,
  office,
  exchange,
  telemetry,
  fusion,
  apply,
];
const RESULTS = path.join(path.dirname(fileURLToPath(import.meta.url)), "results");

const wanted = process.argv.slice(2).filter((a) => !a.startsWith("-"));
const unknown = wanted.filter((w) => !benchmarks.some((b) => b.name === w));
if (unknown.length > 0) {
  console.error(
    `Unknown benchmark(s): ${unknown.join(", ")}. Known: ${benchmarks.map((b) => b.name).join(", ")}`,
  );
  process.exit(2);
}
mkdirSync(RESULTS, { recursive: true });
let failed = false;
for (const bench of benchmarks.filter((b) => wanted.length === 0 || wanted.includes(b.name))) {
  console.log(`\n▶ ${bench.name}: ${bench.description}`);
  const figures = await bench.run();
  const result = {
    name: bench.name,
    description: bench.description,
    date: new Date().toISOString(),
    machine: machine(),
    figures,
  };
  // The embedded database is the default; figures against PostgreSQL are kept beside them.
  const file = `${bench.name}${process.env.DATABASE_URL ? "-postgresql" : ""}`;
  writeFileSync(path.join(RESULTS, `${file}.json`), `${JSON.stringify(result, null, 2)}\n`);
  const lines = [
    `# ${bench.name}`,
    "",
    bench.description,
    "",
    `Machine: ${result.machine.cpus} × ${result.machine.cpuModel}, Node ${result.machine.node}, ${result.machine.database}; ${result.date}`,
    "",
    "| metric | value | baseline | ratio | target | met |",
    "|---|---|---|---|---|---|",
    ...figures.map(
      (f) =>
        `| ${f.metric} | ${f.value} ${f.unit} | ${f.baseline ? `${f.baseline.metric}: ${f.baseline.value} ${f.baseline.unit}` : "—"} | ${f.ratio ?? "—"} | ${f.target ?? "—"} | ${f.met === null ? "—" : f.met ? "yes" : "**no**"} |`,
    ),
    "",
  ];
  writeFileSync(path.join(RESULTS, `${file}.md`), lines.join("\n"));
  console.log(lines.slice(6).join("\n"));
  if (figures.some((f) => f.met === false)) failed = true;
}
process.exitCode = failed ? 1 : 0;
