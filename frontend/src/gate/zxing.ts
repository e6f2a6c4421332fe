// The scanner's QR decoder where the browser has no BarcodeDetector of its own (iOS Safari,
// Firefox, desktop Linux): ZXing-C++ compiled to WebAssembly (zxing-wasm's reader, called
// directly with QR-only options). Loaded with import() by camera.ts only then, so no other page
// carries it. The .wasm (about 1 MB, 0.4 MB gzipped) is one of the app's own build assets: the
// package's default would fetch it from a CDN, which a door's network may not reach and which the
// app never depends on. The service worker keeps it once loaded (the runtime cache of assets/,
// vite.config.ts), so a scanner that opened online keeps decoding offline.
//
// A frame gets a cascade of looks (qr-cascade.ts), each only if the ones before read nothing:
// 1. the frame as it came, ZXing's local-average binarizer (tryHarder, tryDownscale, and inverted):
//    188 of the 240 frames of `npm run bench:web`'s decode set, in a few ms;
// 2. then prepared copies: sharpened (unsharp mask) and enlarged 2× for a missed focus or small
//    modules (+27 frames), a grey opening and closing for a crack across a finder pattern (cheap,
//    the frame's own size), a 3×3 median for cracks in the glass, a fixed threshold on a sharpened
//    or contrast-stretched copy for moiré and dim screens, a global-histogram threshold (+1 to +4
//    each).
// Together they read 230 of the 240 frames (95.8 %). In headless Chromium on the shared 2-core
// bench machine (bench:web, 2026-12-02, load average ~6-9 from other jobs): 230, median 7.8 ms a
// frame, p95 275 ms: most frames are read by the first look; a frame no look reads runs all ten.
// No look starts after FRAME_BUDGET_MS; camera.ts reads the next frame DECODE_INTERVAL_MS after a
// decode ends, so frames never queue behind a slow one.
import { prepareZXingModule, readBarcodes } from "zxing-wasm/reader";
import wasmUrl from "zxing-wasm/reader/zxing_reader.wasm?url";

import { decodeFrame, type Binarizer, type Pixels } from "./qr-cascade.js";

export type FrameSource = HTMLVideoElement | HTMLCanvasElement;

/**
 * No further look at a frame is started after this long: the next frame is on its way. On the
 * loaded bench machine all the looks took under 0.3 s for 95 % of frames; a slower or busier
 * device is cut short here rather than stalled.
 */
const FRAME_BUDGET_MS = 400;

/** ZXing's reader on one prepared image: the QR family only, at most one symbol. */
async function readQr(image: Pixels, binarizer: Binarizer, first: boolean): Promise<string | undefined> {
  const results = await readBarcodes(image instanceof ImageData ? image : new ImageData(image.data, image.width, image.height), {
    formats: ["QRCode"],
    maxNumberOfSymbols: 1,
    binarizer,
    tryHarder: true,
    tryDownscale: true,
    // Rotation does not matter to a QR code's finder; an inverted code only as the frame came.
    tryRotate: false,
    tryInvert: first,
  });
  return results.find((result) => result.isValid)?.text || undefined;
}

/**
 * Loads and compiles the .wasm from the app's origin, then returns a QR decoder for camera frames
 * (a <video>, or a canvas holding a frame). Rejects if the module cannot be loaded (camera.ts then
 * falls back to jsQR).
 */
export async function loadZxingDecoder(): Promise<(source: FrameSource) => Promise<string | undefined>> {
  await prepareZXingModule({
    overrides: { locateFile: (path: string, prefix: string) => (path.endsWith(".wasm") ? new URL(wasmUrl, location.href).href : prefix + path) },
    fireImmediately: true,
  });
  const canvas = document.createElement("canvas");
  const context = canvas.getContext("2d", { willReadFrequently: true })!;
  return async (source) => {
    const width = source instanceof HTMLVideoElement ? source.videoWidth : source.width;
    const height = source instanceof HTMLVideoElement ? source.videoHeight : source.height;
    if (!width || !height) return undefined;
    if (canvas.width !== width || canvas.height !== height) {
      canvas.width = width;
      canvas.height = height;
    }
    context.drawImage(source, 0, 0);
    return decodeFrame(context.getImageData(0, 0, width, height), readQr, { budgetMs: FRAME_BUDGET_MS });
  };
}
