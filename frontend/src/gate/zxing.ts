// The scanner's QR decoder where the browser has no BarcodeDetector of its own (iOS Safari,
// Firefox, desktop Linux): the `barcode-detector` ponyfill, the same API on ZXing-C++ compiled to
// WebAssembly (zxing-wasm). Loaded with import() by camera.ts only then, so no other page carries
// it. The .wasm (about 1 MB, 0.4 MB gzipped) is one of the app's own build assets: the package's
// default would fetch it from a CDN, which a door's network may not reach and which the app never
// depends on. The service worker keeps it once loaded (the runtime cache of assets/, vite.config.ts),
// so a scanner that opened online keeps decoding offline.
//
// The path resolves to the copy of zxing-wasm that barcode-detector itself depends on (npm hoists
// it; barcode-detector pins an exact version): the .wasm and its JS glue are the same release.
import { BarcodeDetector, prepareZXingModule } from "barcode-detector/ponyfill";
import wasmUrl from "zxing-wasm/reader/zxing_reader.wasm?url";

export type FrameSource = HTMLVideoElement | HTMLCanvasElement | ImageData;

/**
 * Loads and compiles the .wasm from the app's origin, then returns a QR decoder. Rejects if the
 * module cannot be loaded (camera.ts then falls back to jsQR).
 */
export async function loadZxingDecoder(): Promise<(source: FrameSource) => Promise<string | undefined>> {
  await prepareZXingModule({
    overrides: { locateFile: (path: string, prefix: string) => (path.endsWith(".wasm") ? new URL(wasmUrl, location.href).href : prefix + path) },
    fireImmediately: true,
  });
  const detector = new BarcodeDetector({ formats: ["qr_code"] });
  return async (source) => (await detector.detect(source))[0]?.rawValue || undefined;
}
