// Writes a benchmark's markdown table into README.md between `<!-- name:start -->` and
// `<!-- name:end -->`, so the README always shows the numbers of the last run.
import { readFileSync, writeFileSync } from "node:fs";

export function updateReadmeSection(name: string, markdown: string, readme = "README.md") {
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const text = readFileSync(readme, "utf8");
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from < 0 || to < from) throw new Error(`README.md has no ${start} ... ${end} section`);
  writeFileSync(readme, text.slice(0, from + start.length) + "\n" + markdown.trimEnd() + "\n" + text.slice(to));
}

export const formatGas = (n: number) => n.toLocaleString("en-US");
