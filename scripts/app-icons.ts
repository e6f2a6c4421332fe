// The installable app's PNG icons (frontend/vite.config.ts, the web app manifest), drawn from
// frontend/public/favicon.svg in headless Chromium: `npx tsx scripts/app-icons.ts`. Run it again
// when the favicon changes and commit the PNGs. icon-192 and icon-512 are the favicon as it is
// (transparent corners); the maskable icon and the Apple touch icon fill the square with the
// brand colour (the platform cuts its own shape; the ticket stays inside the safe zone).
import { readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";

import { chromium } from "playwright-core";

import { CHROMIUM_ARGS, findChromium, missingChromiumMessage } from "./lib/chromium.mjs";

const PUBLIC = resolve(import.meta.dirname, "../frontend/public");
const favicon = readFileSync(join(PUBLIC, "favicon.svg"), "utf8");
// The full-bleed variant: the rounded square's corners filled too.
const fullBleed = favicon.replace(/ rx="[\d.]+"/, "");
if (fullBleed === favicon) throw new Error("favicon.svg has no rounded rect (rx) to fill: update scripts/app-icons.ts");

const ICONS: { file: string; size: number; svg: string }[] = [
  { file: "icon-192.png", size: 192, svg: favicon },
  { file: "icon-512.png", size: 512, svg: favicon },
  { file: "icon-maskable-512.png", size: 512, svg: fullBleed },
  { file: "apple-touch-icon.png", size: 180, svg: fullBleed },
];

const executablePath = findChromium();
if (!executablePath) throw new Error(missingChromiumMessage());
const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
try {
  for (const { file, size, svg } of ICONS) {
    const page = await browser.newPage({ viewport: { width: size, height: size }, deviceScaleFactor: 1 });
    const sized = svg.replace("<svg ", `<svg width="${size}" height="${size}" `);
    await page.setContent(`<!doctype html><style>html,body{margin:0;background:transparent}svg{display:block}</style>${sized}`);
    writeFileSync(join(PUBLIC, file), await page.screenshot({ omitBackground: true, clip: { x: 0, y: 0, width: size, height: size } }));
    await page.close();
    console.log(`frontend/public/${file} (${size}×${size})`);
  }
} finally {
  await browser.close();
}
