// Screenshots of the browser journeys, numbered in the order a run takes them:
// test-results/e2e/<nn>-<name>.png; test-results/ is ignored by git. A run takes the ones the README
// shows (scripts/lib/readme-screenshots.ts), and every one with CHAINPASS_E2E_SHOTS=all: each full
// page costs Chromium about half a second of CPU, and the tests call for 159 of them on a machine
// whose two cores the test lanes keep busy.
import { mkdirSync, readdirSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";

import type { Locator, Page } from "playwright-core";

import { README_SCREENSHOTS } from "../../../scripts/lib/readme-screenshots.js";

export const SHOTS_DIR = resolve("test-results/e2e");
const EVERY_SHOT = process.env.CHAINPASS_E2E_SHOTS === "all";

let taken = 0;

/** A file-name-safe version of `name`: lower case, words joined by dashes. */
export function shotName(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "") || "shot";
}

/**
 * Saves a PNG of `page` (or of one element) as test-results/e2e/<nn>-<name>.png and returns its
 * path; undefined, taking none, for a shot the README does not show unless CHAINPASS_E2E_SHOTS=all.
 * An older shot with the same name (another number, from an earlier run) is removed, so the folder
 * holds one file per name. `fullPage` defaults to true for pages.
 */
export async function screenshot(target: Page | Locator, name: string, opts: { fullPage?: boolean } = {}): Promise<string | undefined> {
  const base = shotName(name);
  if (!EVERY_SHOT && !README_SCREENSHOTS.includes(base)) return undefined;
  mkdirSync(SHOTS_DIR, { recursive: true });
  for (const file of readdirSync(SHOTS_DIR)) {
    if (/^\d+-/.test(file) && file.replace(/^\d+-/, "") === `${base}.png`) rmSync(join(SHOTS_DIR, file), { force: true });
  }
  const path = join(SHOTS_DIR, `${String(++taken).padStart(2, "0")}-${base}.png`);
  if ("goto" in target) await target.screenshot({ path, fullPage: opts.fullPage ?? true, animations: "disabled" });
  else await target.screenshot({ path, animations: "disabled" });
  return path;
}
