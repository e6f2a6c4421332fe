// Copies the browser tests' screenshots the README shows (test-results/e2e, written by
// test/e2e/*.test.ts) to docs/screenshots/. Run after `npm test` or the e2e tests (which take these
// ones whatever CHAINPASS_E2E_SHOTS says).
import { copyFileSync, mkdirSync, readdirSync } from "node:fs";
import { join } from "node:path";

import { README_SCREENSHOTS as SHOWN } from "./lib/readme-screenshots.js";

const FROM = "test-results/e2e";
const TO = "docs/screenshots";

mkdirSync(TO, { recursive: true });
const files = readdirSync(FROM);
for (const name of SHOWN) {
  const file = files.find((f) => f.replace(/^\d+-/, "") === `${name}.png`);
  if (!file) throw new Error(`no ${name}.png in ${FROM}: run the browser tests first`);
  copyFileSync(join(FROM, file), join(TO, `${name}.png`));
}
console.log(`copied ${SHOWN.length} screenshots to ${TO}`);
