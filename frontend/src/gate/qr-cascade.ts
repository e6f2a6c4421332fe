// The looks zxing.ts takes at a camera frame, cheapest first, until one reads the pass: pure
// pixel work on grey frames, no DOM and no WebAssembly (the caller passes ZXing's reader in), so
// the same code runs in the scanner and in Node (bench/scanner-decode-only.ts).

/** A frame's pixels, RGBA, as ImageData holds them (a plain object is enough for ZXing's reader). */
export interface Pixels {
  data: Uint8ClampedArray<ArrayBuffer>;
  width: number;
  height: number;
}

/** ZXing's binarizers (zxing-wasm ReaderOptions.binarizer) that the cascade uses. */
export type Binarizer = "LocalAverage" | "GlobalHistogram" | "FixedThreshold";

/**
 * Reads a QR code from `image` with the given binarizer; undefined if none is read. `first` is
 * set for the frame as it came (also worth trying inverted: light on dark), not for a prepared look.
 */
export type ReadQr = (image: Pixels, binarizer: Binarizer, first: boolean) => Promise<string | undefined>;

/** A grey frame, one byte per pixel. */
interface Grey {
  g: Float32Array;
  width: number;
  height: number;
}

export function toGrey({ data, width, height }: Pixels): Grey {
  const g = new Float32Array(width * height);
  for (let i = 0; i < g.length; i++) g[i] = (306 * data[4 * i] + 601 * data[4 * i + 1] + 117 * data[4 * i + 2]) / 1024;
  return { g, width, height };
}

export function toPixels({ g, width, height }: Grey): Pixels {
  const data = new Uint8ClampedArray(4 * width * height);
  for (let i = 0, o = 0; i < g.length; i++, o += 4) {
    data[o] = data[o + 1] = data[o + 2] = g[i];
    data[o + 3] = 255;
  }
  return { data, width, height };
}

function gaussianKernel(sigma: number): Float32Array {
  const radius = Math.ceil(sigma * 3);
  const kernel = new Float32Array(2 * radius + 1);
  let sum = 0;
  for (let i = -radius; i <= radius; i++) sum += kernel[i + radius] = Math.exp(-(i * i) / (2 * sigma * sigma));
  return kernel.map((v) => v / sum);
}

/** Separable Gaussian blur, edges clamped. */
export function blur({ g, width: w, height: h }: Grey, sigma: number): Float32Array {
  const kernel = gaussianKernel(sigma);
  const r = (kernel.length - 1) / 2;
  const across = new Float32Array(w * h);
  const out = new Float32Array(w * h);
  for (let y = 0; y < h; y++) {
    const row = y * w;
    for (let x = 0; x < w; x++) {
      let sum = 0;
      if (x >= r && x < w - r) for (let k = -r; k <= r; k++) sum += kernel[k + r] * g[row + x + k];
      else for (let k = -r; k <= r; k++) sum += kernel[k + r] * g[row + Math.min(w - 1, Math.max(0, x + k))];
      across[row + x] = sum;
    }
  }
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let sum = 0;
      if (y >= r && y < h - r) for (let k = -r; k <= r; k++) sum += kernel[k + r] * across[(y + k) * w + x];
      else for (let k = -r; k <= r; k++) sum += kernel[k + r] * across[Math.min(h - 1, Math.max(0, y + k)) * w + x];
      out[y * w + x] = sum;
    }
  }
  return out;
}

/** Unsharp mask: the frame plus `amount` × (frame − Gaussian blur σ). */
export function sharpen(grey: Grey, sigma: number, amount: number, blurred = blur(grey, sigma)): Grey {
  const g = new Float32Array(grey.g.length);
  for (let i = 0; i < g.length; i++) g[i] = grey.g[i] + amount * (grey.g[i] - blurred[i]);
  return { g, width: grey.width, height: grey.height };
}

/** Scaled by `scale` (bilinear), as RGBA pixels for ZXing's reader. */
export function enlarge({ g, width: w, height: h }: Grey, scale: number): Pixels {
  const W = Math.round(w * scale);
  const H = Math.round(h * scale);
  const data = new Uint8ClampedArray(4 * W * H);
  const us = new Int32Array(W);
  const fus = new Float32Array(W);
  for (let x = 0; x < W; x++) {
    const u = Math.min(w - 1.001, Math.max(0, (x + 0.5) / scale - 0.5));
    us[x] = Math.floor(u);
    fus[x] = u - us[x];
  }
  for (let y = 0; y < H; y++) {
    const v = Math.min(h - 1.001, Math.max(0, (y + 0.5) / scale - 0.5));
    const vi = Math.floor(v);
    const fv = v - vi;
    for (let x = 0, o = 4 * y * W; x < W; x++, o += 4) {
      const i = vi * w + us[x];
      const fu = fus[x];
      data[o] = data[o + 1] = data[o + 2] = (g[i] * (1 - fu) + g[i + 1] * fu) * (1 - fv) + (g[i + w] * (1 - fu) + g[i + w + 1] * fu) * fv;
      data[o + 3] = 255;
    }
  }
  return { data, width: W, height: H };
}

/** The 1st to 99th percentile of the frame stretched to 0–255 (for the fixed threshold at 127). */
export function stretch(grey: Grey): Grey {
  const histogram = new Uint32Array(256);
  for (const v of grey.g) histogram[Math.max(0, Math.min(255, Math.round(v)))]++;
  const at = (share: number) => {
    let seen = 0;
    for (let v = 0; v < 256; v++) if ((seen += histogram[v]) >= share * grey.g.length) return v;
    return 255;
  };
  const lo = at(0.01);
  const span = Math.max(1, at(0.99) - lo);
  const g = new Float32Array(grey.g.length);
  for (let i = 0; i < g.length; i++) g[i] = ((grey.g[i] - lo) * 255) / span;
  return { g, width: grey.width, height: grey.height };
}

/** 3×3 median: takes out lines a pixel wide (a crack in the glass) and speckle. */
export function median3({ g, width: w, height: h }: Grey): Grey {
  const out = new Float32Array(w * h);
  // Each column of three sorted (lo ≤ mid ≤ hi); the median of nine is then the median of
  // (the largest lo, the median of the mids, the smallest hi).
  const lo = new Float32Array(w * h);
  const mid = new Float32Array(w * h);
  const hi = new Float32Array(w * h);
  for (let y = 0; y < h; y++) {
    const up = (y > 0 ? y - 1 : y) * w;
    const down = (y < h - 1 ? y + 1 : y) * w;
    const row = y * w;
    for (let x = 0; x < w; x++) {
      const a = g[up + x];
      const b = g[row + x];
      const c = g[down + x];
      const min = a < b ? a : b;
      const max = a < b ? b : a;
      lo[row + x] = min < c ? min : c;
      hi[row + x] = max > c ? max : c;
      mid[row + x] = c < min ? min : c > max ? max : c;
    }
  }
  const med = (a: number, b: number, c: number) => (a > b ? (b > c ? b : a > c ? c : a) : a > c ? a : b > c ? c : b);
  for (let y = 0; y < h; y++) {
    const row = y * w;
    for (let x = 0; x < w; x++) {
      const l = row + (x > 0 ? x - 1 : x);
      const r = row + (x < w - 1 ? x + 1 : x);
      const i = row + x;
      const maxLo = Math.max(lo[l], lo[i], lo[r]);
      const minHi = Math.min(hi[l], hi[i], hi[r]);
      out[i] = med(maxLo, med(mid[l], mid[i], mid[r]), minHi);
    }
  }
  return { g: out, width: w, height: h };
}

/** Grey opening (3×3 min then max: thin bright lines go) or closing (max then min: thin dark lines go). */
export function morphology(grey: Grey, kind: "open" | "close"): Grey {
  const pass = ({ g, width: w, height: h }: Grey, min: boolean): Grey => {
    const across = new Float32Array(w * h);
    const out = new Float32Array(w * h);
    const sign = min ? 1 : -1; // min of v = −max of −v: one loop for both
    for (let y = 0; y < h; y++) {
      const row = y * w;
      for (let x = 0; x < w; x++) {
        const a = sign * g[row + (x > 0 ? x - 1 : x)];
        const b = sign * g[row + x];
        const c = sign * g[row + (x < w - 1 ? x + 1 : x)];
        across[row + x] = sign * (a < b ? (a < c ? a : c) : b < c ? b : c);
      }
    }
    for (let y = 0; y < h; y++) {
      const up = (y > 0 ? y - 1 : y) * w;
      const down = (y < h - 1 ? y + 1 : y) * w;
      const row = y * w;
      for (let x = 0; x < w; x++) {
        const a = sign * across[up + x];
        const b = sign * across[row + x];
        const c = sign * across[down + x];
        out[row + x] = sign * (a < b ? (a < c ? a : c) : b < c ? b : c);
      }
    }
    return { g: out, width: w, height: h };
  };
  return kind === "open" ? pass(pass(grey, true), false) : pass(pass(grey, false), true);
}

/** The frame in grey, and what several looks share (each computed once, when first needed). */
export class Frame {
  private readonly memo = new Map<string, Float32Array>();
  constructor(readonly grey: Grey) {}
  /** The frame blurred with σ (for the unsharp masks). */
  blurred(sigma: number): Float32Array {
    const key = `blur ${sigma}`;
    let value = this.memo.get(key);
    if (!value) this.memo.set(key, (value = blur(this.grey, sigma)));
    return value;
  }
  sharpened(sigma: number, amount: number): Grey {
    return sharpen(this.grey, sigma, amount, this.blurred(sigma));
  }
}

/** One look: the frame prepared (as RGBA pixels), and the binarizer ZXing reads it with. */
export interface Look {
  name: string;
  prepare: (frame: Frame) => Pixels;
  binarizer: Binarizer;
}

export const LOOKS: Look[] = [
  // A missed focus or a moving hand, small modules: sharpened and enlarged twice.
  { name: "sharpen σ2 ×2, enlarge 2×", prepare: (f) => enlarge(f.sharpened(2, 2), 2), binarizer: "LocalAverage" },
  // A crack across a finder pattern: thin bright lines taken out, then thin dark ones (cheap:
  // the frame's own size, so early).
  { name: "opening 3×3", prepare: (f) => toPixels(morphology(f.grey, "open")), binarizer: "LocalAverage" },
  { name: "closing 3×3", prepare: (f) => toPixels(morphology(f.grey, "close")), binarizer: "LocalAverage" },
  // Cracks and speckle.
  { name: "median 3×3, enlarge 1.5×", prepare: (f) => enlarge(median3(f.grey), 1.5), binarizer: "LocalAverage" },
  // Moiré: a fixed threshold is not fooled by the stripes as a local average is.
  { name: "sharpen σ1.5 ×1.5, enlarge 1.5×, fixed threshold", prepare: (f) => enlarge(f.sharpened(1.5, 1.5), 1.5), binarizer: "FixedThreshold" },
  { name: "sharpen σ1.5 ×2.5, enlarge 1.5×", prepare: (f) => enlarge(f.sharpened(1.5, 2.5), 1.5), binarizer: "LocalAverage" },
  // Moiré on a dim screen: the contrast stretched first.
  { name: "stretch, enlarge 2×, fixed threshold", prepare: (f) => enlarge(stretch(f.grey), 2), binarizer: "FixedThreshold" },
  { name: "sharpen σ2 ×3, enlarge 2×", prepare: (f) => enlarge(f.sharpened(2, 3), 2), binarizer: "LocalAverage" },
  { name: "enlarge 2×, global histogram", prepare: (f) => enlarge(f.grey, 2), binarizer: "GlobalHistogram" },
];

/**
 * Reads the pass from a frame: first as it is, then with each of `looks` in turn until one reads
 * it or `budgetMs` has passed (a look is not started after that; the next frame comes soon).
 */
export async function decodeFrame(image: Pixels, read: ReadQr, opts: { budgetMs?: number; looks?: Look[]; now?: () => number } = {}): Promise<string | undefined> {
  const now = opts.now ?? (() => performance.now());
  const started = now();
  const first = await read(image, "LocalAverage", true);
  if (first) return first;
  const frame = new Frame(toGrey(image));
  for (const look of opts.looks ?? LOOKS) {
    if (opts.budgetMs !== undefined && now() - started > opts.budgetMs) return undefined;
    const text = await read(look.prepare(frame), look.binarizer, false);
    if (text) return text;
  }
  return undefined;
}
