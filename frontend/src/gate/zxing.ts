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

export type FrameSource = HTMLVideoElement | HTMLCanvasElement;

/**
 * A frame where ZXing finds nothing is read once more, enlarged and sharpened: an unsharp mask
 * (Gaussian σ 1.5 px, amount 1.5) undoes some of a missed focus or a moving hand, and scaling a
 * small frame up (shorter side to 720 px, at most 1.5×) gives ZXing's binarizer more pixels per
 * module. On the decode set of `npm run bench:web` this second look reads about one frame in
 * ten more (see the README); it costs time only on frames the first look could not read.
 */
const RETRY_SHORT_SIDE = 720;
const RETRY_MAX_SCALE = 1.5;
const SHARPEN_SIGMA = 1.5;
const SHARPEN_AMOUNT = 1.5;

function gaussianKernel(sigma: number): Float32Array {
  const radius = Math.ceil(sigma * 3);
  const kernel = new Float32Array(2 * radius + 1);
  let sum = 0;
  for (let i = -radius; i <= radius; i++) sum += kernel[i + radius] = Math.exp(-(i * i) / (2 * sigma * sigma));
  return kernel.map((v) => v / sum);
}
const KERNEL = gaussianKernel(SHARPEN_SIGMA);

/** The frame in grey, unsharp-masked, then scaled up (bilinear) for the second look. */
export function sharpenedAndEnlarged(image: ImageData): ImageData {
  const { width: w, height: h, data } = image;
  const grey = new Float32Array(w * h);
  for (let i = 0; i < grey.length; i++) grey[i] = (306 * data[4 * i] + 601 * data[4 * i + 1] + 117 * data[4 * i + 2]) / 1024;
  const r = (KERNEL.length - 1) / 2;
  const across = new Float32Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let sum = 0;
      for (let k = -r; k <= r; k++) sum += KERNEL[k + r] * grey[y * w + Math.min(w - 1, Math.max(0, x + k))];
      across[y * w + x] = sum;
    }
  }
  const sharp = new Uint8ClampedArray(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let blurred = 0;
      for (let k = -r; k <= r; k++) blurred += KERNEL[k + r] * across[Math.min(h - 1, Math.max(0, y + k)) * w + x];
      const v = grey[y * w + x];
      sharp[y * w + x] = Math.round(v + SHARPEN_AMOUNT * (v - blurred));
    }
  }
  const scale = Math.min(RETRY_MAX_SCALE, Math.max(1, RETRY_SHORT_SIDE / Math.min(w, h)));
  const W = Math.round(w * scale);
  const H = Math.round(h * scale);
  const out = new ImageData(W, H);
  for (let y = 0; y < H; y++) {
    const v = Math.min(h - 1.001, Math.max(0, (y + 0.5) / scale - 0.5));
    const vi = Math.floor(v);
    const fv = v - vi;
    for (let x = 0; x < W; x++) {
      const u = Math.min(w - 1.001, Math.max(0, (x + 0.5) / scale - 0.5));
      const ui = Math.floor(u);
      const fu = u - ui;
      const i = vi * w + ui;
      const value = (sharp[i] * (1 - fu) + sharp[i + 1] * fu) * (1 - fv) + (sharp[i + w] * (1 - fu) + sharp[i + w + 1] * fu) * fv;
      const o = 4 * (y * W + x);
      out.data[o] = out.data[o + 1] = out.data[o + 2] = value;
      out.data[o + 3] = 255;
    }
  }
  return out;
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
  const detector = new BarcodeDetector({ formats: ["qr_code"] });
  const read = async (image: ImageData) => (await detector.detect(image))[0]?.rawValue || undefined;
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
    const image = context.getImageData(0, 0, width, height);
    return (await read(image)) ?? (await read(sharpenedAndEnlarged(image)));
  };
}
