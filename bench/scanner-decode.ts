// The scanner's decode set for `npm run bench:web`: camera frames (640×480, 8-bit luma) of real
// passes shown on a phone at a door, generated deterministically from a seed.
//
// The passes are real: lib/pass's makePass with Ed25519 frame signatures and EIP-712 delegations
// signed by the local test accounts (ECDSA per RFC 6979, so the same bytes every run): ordinary
// wallets' passes (345 characters, QR version 11) and smart accounts' with a registered signature
// (L = 0, 248 characters, version 9). Each is drawn as the fan's pass page draws it (qrcode,
// error correction M, a 4-module quiet zone) on a phone screen (white page, black bezel), and
// that screen is photographed: a pinhole camera (focal length 600 px, ~56° across) sees it at a
// distance, angle and rotation, over a background, through a lens and a noisy sensor.
//
// Every frame has the baseline of an ordinary scan; its category adds one door condition, and
// the combined frames two or three of them with the same ranges. The parameters (uniform in
// each range unless said otherwise):
//
// | condition      | parameters |
// |----------------|------------|
// | baseline       | code with quiet zone 45–80 % of the frame's height (3.1–5.6 px per module at version 11), anywhere in the frame but whole (made smaller when rotated or tilted out of it, as staff move the phone until the code is on screen); in-plane rotation ±10°, tilt ±10° about each screen axis; screen white 190–240, black 15–40 (luma); lens blur σ 0.5–0.9 px; sensor noise σ 2–5; background 40–170 with soft shading |
// | blur           | half the frames defocus, Gaussian σ 1.0–2.0 px; half a moving hand, a 3–8 px line at any angle (on top of the lens blur) |
// | tilt           | the phone tilted 20–45° about a random axis in the screen's plane (perspective) |
// | rotation       | in-plane rotation 0–360° |
// | low contrast   | a dim or washed-out screen: white 100–150, black 45–75 (contrast 1.4–3.3 : 1), noise σ 3–6 |
// | glare          | 1–2 reflections of a light on the glass: elliptical, radius 20–70 px (other axis 40–100 % of it), adding 100–220 at the centre (saturating), centred on the code |
// | moiré          | the screen's pixel grid beating with the sensor's: luminance × (1 + a·sin(…)), a 0.12–0.30, period 4–14 px, any angle, slightly curved, and a second pattern at half the amplitude |
// | occlusion      | half the frames a thumb over an edge of the screen (skin luma 120–170), centred in the middle half of that edge and reaching 12–22 % of the code's width into it; half a cracked screen: 3–6 cracks from an impact near a corner, each 50–120 % of the code's width long, 0.25 module wide, dark or bright |
// | combined       | two or three of the above at once |
import QRCode from "qrcode";
import type { Address, Hex } from "viem";

import { makePass, passKeyFromSecret, signDelegation, type PassDelegation } from "../lib/pass/index.js";
import { localAccount } from "../scripts/lib/local-chain.js";
import { prng } from "../test/helpers/prng.js";

export const FRAME_WIDTH = 640;
export const FRAME_HEIGHT = 480;

export const CATEGORIES = ["blur", "tilt", "rotation", "low-contrast", "glare", "moire", "occlusion", "combined"] as const;
export type Category = (typeof CATEGORIES)[number];
type Condition = Exclude<Category, "combined">;

export interface DecodeFrame {
  index: number;
  category: Category;
  /** The conditions applied (one, or two or three for "combined"). */
  conditions: Condition[];
  /** The pass text the QR code holds: a decode counts only if it reads exactly this. */
  text: string;
  qrVersion: number;
  width: number;
  height: number;
  /** One byte per pixel, row by row. */
  luma: Uint8Array;
}

type Rng = ReturnType<typeof prng>;

// ---------------------------------------------------------------- the passes

/** An event address and a time for the passes (fixed, so the texts are the same every run). */
const EVENT: Address = "0x9a676e781a523b5d0c0e43731313a708cb607508";
const NOW = 1_780_000_000;

/**
 * Real pass texts: `wallets` ordinary wallets' (the local test accounts sign the delegation,
 * 65-byte signatures in the frame) and `registered` smart accounts' whose ERC-1271 signature the
 * gate holds (L = 0).
 */
export async function benchPasses(wallets = 6, registered = 2): Promise<{ eoa: string[]; registered: string[] }> {
  const eoa: string[] = [];
  const short: string[] = [];
  for (let i = 0; i < wallets + registered; i++) {
    const passKey = passKeyFromSecret(`0x${(0x41 + i).toString(16).repeat(32)}` as Hex);
    const delegation: PassDelegation = { chainId: 31337n, ticket: EVENT, tokenId: 0n, passKey: passKey.publicKey, validUntil: NOW + 30 * 86_400 };
    const tokenId = BigInt((1 + (i % 4)) * 1_000_000 + 1 + i * 37);
    if (i < wallets) {
      const account = localAccount(5 + (i % 4));
      const walletSignature = await signDelegation(account, delegation);
      eoa.push(await makePass({ passKey, delegation, holder: account.address, walletSignature, tokenId, now: NOW + 15 * i }));
    } else {
      const holder = `0x${(0xc0 + i).toString(16).repeat(20)}` as Address;
      short.push(await makePass({ passKey, delegation, holder, walletSignature: "0x", tokenId, now: NOW + 15 * i }));
    }
  }
  return { eoa, registered: short };
}

/** The QR version the fan's pass page draws `text` at (qrcode, error correction M). */
export const qrVersionOf = (text: string) => QRCode.create(text, { errorCorrectionLevel: "M" }).version;

// ---------------------------------------------------------------- the phone's screen

/** Source pixels per QR module on the screen raster (the warp samples it bilinearly). */
const PX = 6;
const QUIET = 4;
/** The pass page's white around the quiet zone, and the phone's bezel, in modules. */
const PAGE = 3;
const BEZEL = 3;

interface Screen {
  side: number;
  pixels: Float32Array;
  /** Where the code with its quiet zone sits on the raster: [from, to) on both axes. */
  codeFrom: number;
  codeTo: number;
  modules: number;
}

function drawScreen(text: string, white: number, black: number): Screen {
  const qr = QRCode.create(text, { errorCorrectionLevel: "M" }).modules;
  const n = qr.size;
  const total = n + 2 * (QUIET + PAGE + BEZEL);
  const side = total * PX;
  const pixels = new Float32Array(side * side).fill(white);
  const bezel = BEZEL * PX;
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      if (x < bezel || y < bezel || x >= side - bezel || y >= side - bezel) pixels[y * side + x] = 8;
    }
  }
  const origin = (BEZEL + PAGE + QUIET) * PX;
  for (let row = 0; row < n; row++) {
    for (let col = 0; col < n; col++) {
      if (!qr.get(row, col)) continue;
      for (let y = 0; y < PX; y++) pixels.fill(black, (origin + row * PX + y) * side + origin + col * PX, (origin + row * PX + y) * side + origin + (col + 1) * PX);
    }
  }
  return { side, pixels, codeFrom: (BEZEL + PAGE) * PX, codeTo: side - (BEZEL + PAGE) * PX, modules: n };
}

/** A thumb over one edge of the screen, in the middle half of that edge. */
function thumb(screen: Screen, rng: Rng) {
  const { side, pixels, codeFrom, codeTo } = screen;
  const code = codeTo - codeFrom;
  const edge = Math.floor(rng.next() * 4);
  const along = codeFrom + code * rng.uniform(0.25, 0.75);
  const reach = code * rng.uniform(0.12, 0.22);
  const rx = reach * rng.uniform(1.1, 1.5);
  // The ellipse's centre sits on the code's edge line; it reaches `reach` into the code.
  const [cx, cy] = edge === 0 ? [along, codeFrom] : edge === 1 ? [codeTo, along] : edge === 2 ? [along, codeTo] : [codeFrom, along];
  const [ax, ay] = edge === 0 || edge === 2 ? [rx, reach] : [reach, rx];
  const skin = rng.uniform(120, 170);
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      const d = ((x - cx) / ax) ** 2 + ((y - cy) / ay) ** 2;
      if (d < 1) pixels[y * side + x] = skin * (0.75 + 0.25 * (1 - d));
    }
  }
}

/** Cracks from an impact near a corner: random walks, 0.25 module wide, dark or bright. */
function cracks(screen: Screen, rng: Rng) {
  const { side, pixels, codeFrom, codeTo } = screen;
  const code = codeTo - codeFrom;
  const corner = Math.floor(rng.next() * 4);
  const ix = corner & 1 ? codeTo - code * rng.uniform(0, 0.2) : codeFrom + code * rng.uniform(0, 0.2);
  const iy = corner & 2 ? codeTo - code * rng.uniform(0, 0.2) : codeFrom + code * rng.uniform(0, 0.2);
  const toCentre = Math.atan2(side / 2 - iy, side / 2 - ix);
  const count = 3 + Math.floor(rng.next() * 4);
  const half = (0.25 * PX) / 2;
  for (let c = 0; c < count; c++) {
    const value = rng.next() < 0.5 ? rng.uniform(20, 50) : rng.uniform(200, 240);
    let angle = toCentre + rng.uniform(-1.2, 1.2);
    let [x, y] = [ix, iy];
    const length = code * rng.uniform(0.5, 1.2);
    for (let walked = 0; walked < length; walked += 1) {
      angle += rng.gaussian() * 0.05;
      x += Math.cos(angle);
      y += Math.sin(angle);
      for (let dy = Math.floor(y - half); dy <= Math.ceil(y + half); dy++) {
        for (let dx = Math.floor(x - half); dx <= Math.ceil(x + half); dx++) {
          if (dx >= 0 && dy >= 0 && dx < side && dy < side && Math.hypot(dx - x, dy - y) <= half + 0.5) pixels[dy * side + dx] = value;
        }
      }
    }
  }
}

// ---------------------------------------------------------------- the camera

/** The 3×3 homography taking the four `from` points to the four `to` points (row-major, h33 = 1). */
function homography(from: [number, number][], to: [number, number][]): number[] {
  const a: number[][] = [];
  for (let i = 0; i < 4; i++) {
    const [x, y] = from[i];
    const [u, v] = to[i];
    a.push([x, y, 1, 0, 0, 0, -u * x, -u * y, u]);
    a.push([0, 0, 0, x, y, 1, -v * x, -v * y, v]);
  }
  for (let col = 0; col < 8; col++) {
    let pivot = col;
    for (let row = col + 1; row < 8; row++) if (Math.abs(a[row][col]) > Math.abs(a[pivot][col])) pivot = row;
    [a[col], a[pivot]] = [a[pivot], a[col]];
    for (let row = 0; row < 8; row++) {
      if (row === col) continue;
      const f = a[row][col] / a[col][col];
      for (let k = col; k < 9; k++) a[row][k] -= f * a[col][k];
    }
  }
  return [...a.map((row, i) => row[8] / row[i]), 1];
}

interface Pose {
  /** Code with quiet zone, frontal, as a fraction of the frame's height. */
  size: number;
  /** In-plane rotation and tilts about the screen's x and y axes, radians. */
  roll: number;
  tiltX: number;
  tiltY: number;
  /** The picture's shift from the frame's centre, px. */
  shiftX: number;
  shiftY: number;
}

const FOCAL = 600;

/** Screen raster → frame pixels: a pinhole camera looking at the rotated screen. */
function project(screen: Screen, pose: Pose): (x: number, y: number) => [number, number] {
  const codeSide = screen.codeTo - screen.codeFrom;
  const distance = (FOCAL * codeSide) / (pose.size * FRAME_HEIGHT);
  const [cr, sr, cx, sx, cy, sy] = [Math.cos(pose.roll), Math.sin(pose.roll), Math.cos(pose.tiltX), Math.sin(pose.tiltX), Math.cos(pose.tiltY), Math.sin(pose.tiltY)];
  const centreX = FRAME_WIDTH / 2 + pose.shiftX;
  const centreY = FRAME_HEIGHT / 2 + pose.shiftY;
  return (x, y) => {
    const X0 = x - screen.side / 2;
    const Y0 = y - screen.side / 2;
    // roll about z, then tilt about x, then about y
    const X1 = X0 * cr - Y0 * sr;
    const Y1 = X0 * sr + Y0 * cr;
    const Y2 = Y1 * cx;
    const Z2 = Y1 * sx;
    const X3 = X1 * cy + Z2 * sy;
    const Z3 = -X1 * sy + Z2 * cy;
    const depth = distance + Z3;
    return [centreX + (FOCAL * X3) / depth, centreY + (FOCAL * Y2) / depth];
  };
}

function gaussianKernel(sigma: number): Float32Array {
  const radius = Math.max(1, Math.ceil(sigma * 3));
  const kernel = new Float32Array(2 * radius + 1);
  let sum = 0;
  for (let i = -radius; i <= radius; i++) sum += kernel[i + radius] = Math.exp(-(i * i) / (2 * sigma * sigma));
  return kernel.map((v) => v / sum);
}

function blurSeparable(image: Float32Array, width: number, height: number, kernel: Float32Array) {
  const radius = (kernel.length - 1) / 2;
  const temp = new Float32Array(image.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let sum = 0;
      for (let k = -radius; k <= radius; k++) sum += kernel[k + radius] * image[y * width + Math.min(width - 1, Math.max(0, x + k))];
      temp[y * width + x] = sum;
    }
  }
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let sum = 0;
      for (let k = -radius; k <= radius; k++) sum += kernel[k + radius] * temp[Math.min(height - 1, Math.max(0, y + k)) * width + x];
      image[y * width + x] = sum;
    }
  }
}

/** Motion blur: the mean along a `length` px line at `angle`. */
function blurMotion(image: Float32Array, width: number, height: number, length: number, angle: number): Float32Array {
  const steps = Math.max(2, Math.ceil(length * 2));
  const offsets: [number, number][] = [];
  for (let i = 0; i < steps; i++) {
    const t = (i / (steps - 1) - 0.5) * length;
    offsets.push([Math.round(t * Math.cos(angle)), Math.round(t * Math.sin(angle))]);
  }
  const out = new Float32Array(image.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let sum = 0;
      for (const [dx, dy] of offsets) sum += image[Math.min(height - 1, Math.max(0, y + dy)) * width + Math.min(width - 1, Math.max(0, x + dx))];
      out[y * width + x] = sum / steps;
    }
  }
  return out;
}

const CONDITIONS: Condition[] = ["blur", "tilt", "rotation", "low-contrast", "glare", "moire", "occlusion"];

/** One frame of `text` under `conditions`. */
export function renderFrame(text: string, conditions: Condition[], rng: Rng): Uint8Array {
  const has = (c: Condition) => conditions.includes(c);
  const W = FRAME_WIDTH;
  const H = FRAME_HEIGHT;

  // The screen.
  const [white, black] = has("low-contrast") ? [rng.uniform(100, 150), rng.uniform(45, 75)] : [rng.uniform(190, 240), rng.uniform(15, 40)];
  const screen = drawScreen(text, white, black);
  if (has("occlusion")) (rng.next() < 0.5 ? thumb : cracks)(screen, rng);

  // Where the camera sees it.
  const deg = Math.PI / 180;
  const tilt = rng.uniform(20, 45) * deg;
  const axis = rng.uniform(0, 2 * Math.PI);
  const pose: Pose = {
    size: rng.uniform(0.45, 0.8),
    roll: has("rotation") ? rng.uniform(0, 2 * Math.PI) : rng.uniform(-10, 10) * deg,
    tiltX: has("tilt") ? tilt * Math.cos(axis) : rng.uniform(-10, 10) * deg,
    tiltY: has("tilt") ? tilt * Math.sin(axis) : rng.uniform(-10, 10) * deg,
    shiftX: 0,
    shiftY: 0,
  };
  // The whole code with its quiet zone in the picture (staff see it on the scanner's screen and
  // move the phone until it is), anywhere in it: smaller if rotated or tilted out of the frame.
  const margin = 4;
  const { codeFrom: from, codeTo: to } = screen;
  for (;;) {
    const seen = [
      [from, from],
      [to, from],
      [to, to],
      [from, to],
    ].map(([x, y]) => project(screen, pose)(x, y));
    const [minX, maxX] = [Math.min(...seen.map((p) => p[0])), Math.max(...seen.map((p) => p[0]))];
    const [minY, maxY] = [Math.min(...seen.map((p) => p[1])), Math.max(...seen.map((p) => p[1]))];
    const slackX = FRAME_WIDTH - 2 * margin - (maxX - minX);
    const slackY = FRAME_HEIGHT - 2 * margin - (maxY - minY);
    if (slackX < 0 || slackY < 0) {
      pose.size *= 0.95;
      continue;
    }
    pose.shiftX = margin + rng.next() * slackX - minX;
    pose.shiftY = margin + rng.next() * slackY - minY;
    break;
  }
  const toFrame = project(screen, pose);
  const s = screen.side;
  const corners: [number, number][] = [
    [0, 0],
    [s, 0],
    [s, s],
    [0, s],
  ];
  const [h0, h1, h2, h3, h4, h5, h6, h7] = homography(
    corners.map(([x, y]) => toFrame(x, y)),
    corners,
  );

  // The background: a soft gradient (a wall, a sleeve, a door frame).
  const bg = rng.uniform(40, 170);
  const [gx, gy] = [rng.uniform(-0.08, 0.08), rng.uniform(-0.08, 0.08)];
  const image = new Float32Array(W * H);
  /** How much of each pixel shows the display (not the bezel, not the background): where moiré can be. */
  const display = new Float32Array(W * H);
  const [lit0, lit1] = [BEZEL * PX, s - BEZEL * PX];
  const { pixels } = screen;
  // 2×2 samples per pixel through the inverse homography, bilinear on the screen raster.
  const sub = [0.25, 0.75];
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      let sum = 0;
      for (const oy of sub) {
        for (const ox of sub) {
          const px = x + ox;
          const py = y + oy;
          const w = h6 * px + h7 * py + 1;
          const u = (h0 * px + h1 * py + h2) / w - 0.5;
          const v = (h3 * px + h4 * py + h5) / w - 0.5;
          if (u < 0 || v < 0 || u >= s - 1 || v >= s - 1) {
            sum += bg + gx * (x - W / 2) + gy * (y - H / 2);
            continue;
          }
          const ui = Math.floor(u);
          const vi = Math.floor(v);
          const fu = u - ui;
          const fv = v - vi;
          const i = vi * s + ui;
          if (u >= lit0 && v >= lit0 && u < lit1 && v < lit1) display[y * W + x] += 0.25;
          sum += (pixels[i] * (1 - fu) + pixels[i + 1] * fu) * (1 - fv) + (pixels[i + s] * (1 - fu) + pixels[i + s + 1] * fu) * fv;
        }
      }
      image[y * W + x] = sum / 4;
    }
  }
  const [codeX, codeY] = toFrame(s / 2, s / 2);
  const codePx = pose.size * H;

  if (has("moire")) {
    const patterns = [rng.uniform(0.12, 0.3)].map((a) => [a, a / 2]).flat();
    for (const amplitude of patterns) {
      const period = rng.uniform(4, 14);
      const angle = rng.uniform(0, Math.PI);
      const [kx, ky] = [Math.cos(angle) / period, Math.sin(angle) / period];
      const curve = rng.uniform(-1, 1) * 2e-5;
      const phase = rng.uniform(0, 2 * Math.PI);
      for (let y = 0; y < H; y++) {
        for (let x = 0; x < W; x++) {
          const dx = x - W / 2;
          const dy = y - H / 2;
          image[y * W + x] *= 1 + amplitude * display[y * W + x] * Math.sin(2 * Math.PI * (kx * x + ky * y + curve * (dx * dx + dy * dy)) + phase);
        }
      }
    }
  }

  if (has("glare")) {
    const spots = 1 + Math.floor(rng.next() * 2);
    for (let g = 0; g < spots; g++) {
      const rx = rng.uniform(20, 70);
      const ry = rx * rng.uniform(0.4, 1);
      const peak = rng.uniform(100, 220);
      const angle = rng.uniform(0, Math.PI);
      const cx = codeX + rng.uniform(-0.35, 0.35) * codePx;
      const cy = codeY + rng.uniform(-0.35, 0.35) * codePx;
      const [c, sn] = [Math.cos(angle), Math.sin(angle)];
      for (let y = Math.max(0, Math.floor(cy - 3 * rx)); y < Math.min(H, cy + 3 * rx); y++) {
        for (let x = Math.max(0, Math.floor(cx - 3 * rx)); x < Math.min(W, cx + 3 * rx); x++) {
          const u = ((x - cx) * c + (y - cy) * sn) / rx;
          const v = (-(x - cx) * sn + (y - cy) * c) / ry;
          image[y * W + x] += peak * Math.exp(-(u * u + v * v));
        }
      }
    }
  }
  for (let i = 0; i < image.length; i++) image[i] = Math.min(255, image[i]);

  // The lens, and a moving hand or a missed focus.
  blurSeparable(image, W, H, gaussianKernel(rng.uniform(0.5, 0.9)));
  let out: Float32Array = image;
  if (has("blur")) {
    if (rng.next() < 0.5) blurSeparable(image, W, H, gaussianKernel(rng.uniform(1, 2)));
    else out = blurMotion(image, W, H, rng.uniform(3, 8), rng.uniform(0, Math.PI));
  }

  // The sensor.
  const noise = has("low-contrast") ? rng.uniform(3, 6) : rng.uniform(2, 5);
  const luma = new Uint8Array(W * H);
  for (let i = 0; i < luma.length; i++) luma[i] = Math.max(0, Math.min(255, Math.round(out[i] + noise * rng.gaussian())));
  return luma;
}

/**
 * The decode set: `perCondition` frames for each single condition and `combined` frames with two
 * or three at once, of the passes in turn (three ordinary wallets' for each smart account's).
 */
export async function decodeSet(opts: { seed?: number; perCondition?: number; combined?: number } = {}): Promise<DecodeFrame[]> {
  const rng = prng(opts.seed ?? 0xc0ffee);
  const perCondition = opts.perCondition ?? 24;
  const combined = opts.combined ?? 72;
  const passes = await benchPasses();
  const texts = passes.eoa.flatMap((text, i) => (i % 3 === 2 && passes.registered[Math.floor(i / 3)] ? [text, passes.registered[Math.floor(i / 3)]] : [text]));
  const plan: { category: Category; conditions: Condition[] }[] = [];
  for (const condition of CONDITIONS) for (let i = 0; i < perCondition; i++) plan.push({ category: condition, conditions: [condition] });
  for (let i = 0; i < combined; i++) {
    const count = 2 + Math.floor(rng.next() * 2);
    const chosen = new Set<Condition>();
    while (chosen.size < count) chosen.add(rng.pick(CONDITIONS));
    plan.push({ category: "combined", conditions: [...chosen] });
  }
  return plan.map(({ category, conditions }, index) => {
    const text = texts[index % texts.length];
    return { index, category, conditions, text, qrVersion: qrVersionOf(text), width: FRAME_WIDTH, height: FRAME_HEIGHT, luma: renderFrame(text, conditions, rng) };
  });
}

// ---------------------------------------------------------------- decoding, in the browser

export interface DecoderResult {
  /** Frames read correctly (exactly the pass text), out of all frames. */
  decodeRate: number;
  decoded: number;
  /** Median time per frame over all frames, decoded or not, ms; and the 95th percentile. */
  decodeMs: number;
  decodeMsP95: number;
  byCategory: Record<string, { frames: number; decoded: number }>;
}

export interface DecodeRun {
  frames: number;
  zxing: DecoderResult;
  jsqr: DecoderResult;
  /** Where the page fetched the ZXing .wasm from. */
  wasmUrls: string[];
}

interface PageLike {
  evaluate<R>(script: string): Promise<R>;
  on(event: "request", listener: (request: { url(): string }) => void): unknown;
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  if (!sorted.length) return NaN;
  const at = (sorted.length - 1) * p;
  const lo = Math.floor(at);
  return sorted[lo] + (sorted[Math.ceil(at)] - sorted[lo]) * (at - lo);
};
const round1 = (n: number) => Math.round(n * 10) / 10;

/**
 * Decodes every frame with the app's own ZXing module (src/gate/zxing.ts, zxing-wasm's reader,
 * its cascade and its .wasm as built) and its jsQR module (src/gate/jsqr.ts, the same options), both imported from
 * the built app by `page` (which must be on the app's origin). Each frame is put on a canvas
 * first; a decoder's time covers what it does with a camera frame: ZXing reads the canvas's
 * pixels, converts them to grey and decodes; jsQR reads the pixels and decodes. The two take turns
 * going first.
 */
export async function measureDecoders(page: PageLike, frames: DecodeFrame[], modules: { zxing: string; jsqr: string }): Promise<DecodeRun> {
  const wasmUrls: string[] = [];
  page.on("request", (request) => {
    if (request.url().endsWith(".wasm")) wasmUrls.push(request.url());
  });
  // A string, not a function: tsx's transform would add helpers the page does not have.
  await page.evaluate(`(async () => {
    const zx = await import(${JSON.stringify(modules.zxing)});
    const jq = await import(${JSON.stringify(modules.jsqr)});
    const zxing = await zx.loadZxingDecoder();
    const canvas = document.createElement("canvas");
    const context = canvas.getContext("2d", { willReadFrequently: true });
    window.__decodeFrame = async (base64, width, height, zxingFirst) => {
      const bytes = atob(base64);
      canvas.width = width;
      canvas.height = height;
      const image = context.createImageData(width, height);
      for (let i = 0; i < width * height; i++) {
        const v = bytes.charCodeAt(i);
        image.data[4 * i] = v; image.data[4 * i + 1] = v; image.data[4 * i + 2] = v; image.data[4 * i + 3] = 255;
      }
      context.putImageData(image, 0, 0);
      const out = {};
      for (const name of zxingFirst ? ["zxing", "jsqr"] : ["jsqr", "zxing"]) {
        const started = performance.now();
        let text = null;
        try {
          text = (name === "zxing" ? await zxing(canvas) : jq.decodeWithJsqr(context.getImageData(0, 0, width, height))) ?? null;
        } catch {}
        out[name] = { text, ms: performance.now() - started };
      }
      return out;
    };
  })()`);
  type One = { text: string | null; ms: number };
  const results: { zxing: One; jsqr: One }[] = [];
  // One warm-up frame each (the first call compiles code paths), not counted.
  await page.evaluate(`window.__decodeFrame(${JSON.stringify(Buffer.from(frames[0].luma).toString("base64"))}, ${frames[0].width}, ${frames[0].height}, true)`);
  for (const frame of frames) {
    results.push(await page.evaluate(`window.__decodeFrame(${JSON.stringify(Buffer.from(frame.luma).toString("base64"))}, ${frame.width}, ${frame.height}, ${frame.index % 2 === 0})`));
  }
  const summarise = (name: "zxing" | "jsqr"): DecoderResult => {
    const ok = results.map((r, i) => r[name].text === frames[i].text);
    const times = results.map((r) => r[name].ms);
    const byCategory: DecoderResult["byCategory"] = {};
    frames.forEach((frame, i) => {
      const entry = (byCategory[frame.category] ??= { frames: 0, decoded: 0 });
      entry.frames++;
      if (ok[i]) entry.decoded++;
    });
    const decoded = ok.filter(Boolean).length;
    return { decodeRate: Math.round((decoded / frames.length) * 1000) / 1000, decoded, decodeMs: round1(percentile(times, 0.5)), decodeMsP95: round1(percentile(times, 0.95)), byCategory };
  };
  return { frames: frames.length, zxing: summarise("zxing"), jsqr: summarise("jsqr"), wasmUrls };
}
