// A fake camera for Chromium: a YUV4MPEG2 (Y4M) file showing one QR code, black on white with a
// quiet zone. Chromium loops the file's frames when launched with
// --use-file-for-fake-video-capture=<file>.y4m (see browser.ts), so a page's getUserMedia sees a
// steady picture of the code, as a phone held still in front of a gate camera would.
//
// Format (https://wiki.multimedia.cx/index.php/YUV4MPEG2): one header line
// `YUV4MPEG2 W<w> H<h> F<num>:<den> Ip A1:1 C420jpeg`, then per frame `FRAME\n` followed by the
// planes Y (w*h bytes), U and V ((w/2)*(h/2) bytes each). Grey chroma (128) gives a black and
// white picture, so only the luma plane carries the code.
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

import QRCode from "qrcode";

export interface QrFrameOptions {
  /** Frame width in pixels (even). Default 640, what getUserMedia({video: true}) asks for. */
  width?: number;
  /** Frame height in pixels (even). Default 480. */
  height?: number;
  /** Pixels per QR module; default: the largest that fits the code and its quiet zone in 85% of the shorter side. */
  moduleSize?: number;
  /** Quiet zone in modules on each side (the QR standard asks for 4). Default 4. */
  quietZone?: number;
  /** Error correction level. Default "M". */
  errorCorrectionLevel?: "L" | "M" | "Q" | "H";
}

export interface QrY4mOptions extends QrFrameOptions {
  /** Number of frames in the file (Chromium loops them). Default 5. */
  frames?: number;
  /** Frames per second written in the header. Default 10. */
  fps?: number;
}

export interface LumaFrame {
  width: number;
  height: number;
  /** One byte per pixel, row by row: 0 black, 255 white. */
  luma: Uint8Array;
}

const BLACK = 16; // studio-swing black and white survive Chromium's YUV->RGB conversion
const WHITE = 235; // without clipping; jsqr binarises either way

/** The luma plane of a frame showing `text` as a QR code centred on a white background. */
export function qrLumaFrame(text: string, opts: QrFrameOptions = {}): LumaFrame {
  const width = opts.width ?? 640;
  const height = opts.height ?? 480;
  if (width % 2 || height % 2) throw new Error(`Y4M 4:2:0 frames need even dimensions, got ${width}x${height}`);
  const quiet = opts.quietZone ?? 4;
  const { modules } = QRCode.create(text, { errorCorrectionLevel: opts.errorCorrectionLevel ?? "M" });
  const size = modules.size;
  const span = size + 2 * quiet;
  const moduleSize = opts.moduleSize ?? Math.floor((Math.min(width, height) * 0.85) / span);
  if (moduleSize < 2 || span * moduleSize > Math.min(width, height)) {
    throw new Error(`a ${size}x${size} QR code (${text.length} characters) does not fit a ${width}x${height} frame at ${moduleSize} px per module`);
  }
  const luma = new Uint8Array(width * height).fill(WHITE);
  const left = Math.floor((width - size * moduleSize) / 2);
  const top = Math.floor((height - size * moduleSize) / 2);
  for (let row = 0; row < size; row++) {
    for (let col = 0; col < size; col++) {
      if (!modules.get(row, col)) continue;
      for (let y = 0; y < moduleSize; y++) {
        const start = (top + row * moduleSize + y) * width + left + col * moduleSize;
        luma.fill(BLACK, start, start + moduleSize);
      }
    }
  }
  return { width, height, luma };
}

/** A Y4M file (C420jpeg) whose every frame shows `text` as a QR code. */
export function qrY4m(text: string, opts: QrY4mOptions = {}): Buffer {
  const { width, height, luma } = qrLumaFrame(text, opts);
  const frames = opts.frames ?? 5;
  const fps = opts.fps ?? 10;
  const chroma = Buffer.alloc((width / 2) * (height / 2), 128);
  const frame = Buffer.concat([Buffer.from("FRAME\n"), luma, chroma, chroma]);
  const header = Buffer.from(`YUV4MPEG2 W${width} H${height} F${fps}:1 Ip A1:1 C420jpeg\n`);
  return Buffer.concat([header, ...Array.from({ length: frames }, () => frame)]);
}

/** Writes `qrY4m(text, opts)` to `path` (creating its directory) and returns the path. */
export function writeQrY4m(path: string, text: string, opts: QrY4mOptions = {}): string {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, qrY4m(text, opts));
  return path;
}

/** The luma plane of frame `index` of a Y4M file (4:2:0 only), for checking what a file shows. */
export function readY4mLuma(file: Uint8Array, index = 0): LumaFrame {
  const bytes = Buffer.from(file.buffer, file.byteOffset, file.byteLength);
  const headerEnd = bytes.indexOf(0x0a);
  const header = bytes.subarray(0, headerEnd).toString("latin1").split(" ");
  if (header[0] !== "YUV4MPEG2") throw new Error("not a YUV4MPEG2 file");
  const tag = (letter: string) => header.find((t) => t.startsWith(letter))?.slice(1);
  const width = Number(tag("W"));
  const height = Number(tag("H"));
  const colour = tag("C") ?? "420jpeg";
  if (!colour.startsWith("420")) throw new Error(`only 4:2:0 Y4M files are supported, got C${colour}`);
  const frameBytes = width * height + 2 * (width / 2) * (height / 2);
  let offset = headerEnd + 1;
  for (let i = 0; ; i++) {
    const lineEnd = bytes.indexOf(0x0a, offset);
    if (lineEnd < 0 || !bytes.subarray(offset, lineEnd).toString("latin1").startsWith("FRAME")) throw new Error(`no frame ${index}`);
    if (i === index) return { width, height, luma: new Uint8Array(bytes.subarray(lineEnd + 1, lineEnd + 1 + width * height)) };
    offset = lineEnd + 1 + frameBytes;
  }
}

/** Grey pixels as RGBA, the input jsqr and canvas ImageData take. */
export function lumaToRgba({ width, height, luma }: LumaFrame): Uint8ClampedArray {
  const rgba = new Uint8ClampedArray(width * height * 4);
  for (let i = 0; i < luma.length; i++) {
    rgba[4 * i] = rgba[4 * i + 1] = rgba[4 * i + 2] = luma[i];
    rgba[4 * i + 3] = 255;
  }
  return rgba;
}
