// Copies the browser tests' screenshots the README shows (test-results/e2e, written by
// test/e2e/*.test.ts) to docs/screenshots/. Run after `npm test` or the e2e tests.
import { copyFileSync, mkdirSync, readdirSync } from "node:fs";
import { join } from "node:path";

const FROM = "test-results/e2e";
const TO = "docs/screenshots";
const SHOWN = [
  "fan-event-page",
  "fan-seat-map",
  "fan-list-above-cap-refused",
  "fan-pass",
  "fan-wrong-chain",
  "fan-keepsake",
  "fan-checkout-before-connect",
  "fan-checkout-usd",
  "fan-my-tickets-rows",
  "fan-my-tickets-manage",
  "fan-pass-backup-code",
  "fan-pass-offline",
  "fan-seat-map-phone",
  "fan-time-zone-shanghai",
  "fan-resale-new-from",
  "organizer-create-event",
  "organizer-create-step-problems",
  "organizer-dashboard",
  "organizer-deny-list",
  "organizer-phone-check-ins",
  "gate-admit",
  "gate-refuse-already-used",
  "gate-offline-rpc",
  "gate-lookup-confirm",
  "gate-too-early",
  "zh-gate-sign-in-360",
];

mkdirSync(TO, { recursive: true });
const files = readdirSync(FROM);
for (const name of SHOWN) {
  const file = files.find((f) => f.replace(/^\d+-/, "") === `${name}.png`);
  if (!file) throw new Error(`no ${name}.png in ${FROM}: run the browser tests first`);
  copyFileSync(join(FROM, file), join(TO, `${name}.png`));
}
console.log(`copied ${SHOWN.length} screenshots to ${TO}`);
