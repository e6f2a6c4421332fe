// Event artwork: the type comes from the bytes (magic numbers via file-type, or an <svg> root),
// never from the declared Content-Type. Raster images are stored as uploaded, SVG sanitized.
import { fileTypeFromBuffer } from "file-type";

import { Refusal } from "./refusal.js";
import { checkSvgShape, checkSvgSize, type SvgLimits } from "./svg-limits.js";
import { sanitizeSvg } from "./svg.js";

/** Raster types accepted, by the MIME type file-type detects, and the type they are served with. */
const RASTER: Record<string, string> = {
  "image/png": "image/png",
  "image/apng": "image/png", // an animated PNG is a PNG to every image decoder
  "image/jpeg": "image/jpeg",
  "image/webp": "image/webp",
};

export interface Artwork {
  bytes: Uint8Array;
  contentType: string;
  /** For SVG: what sanitizing removed (empty when nothing was). */
  removed?: string[];
}

const unsupported = (detected?: string) =>
  new Refusal(415, "unsupported-type", `Artwork must be PNG, JPEG, WebP or SVG${detected ? `; this is ${detected}` : ""}`, detected ? { detected } : {});

export async function checkArtwork(bytes: Uint8Array, svgLimits: SvgLimits): Promise<Artwork> {
  if (bytes.length === 0) throw new Refusal(400, "empty", "The upload is empty");
  // A parser failing on hostile bytes means "not a type we recognise", not a server error.
  const detected = (await fileTypeFromBuffer(bytes).catch(() => undefined))?.mime;
  if (detected && RASTER[detected]) return { bytes, contentType: RASTER[detected] };
  // file-type has no SVG signature; it reports an XML declaration as application/xml.
  if (detected && detected !== "application/xml") throw unsupported(detected);
  // Only SVG is left: over its limit, refused before 4 MB are decoded and searched.
  checkSvgSize(bytes.length, svgLimits);
  const text = utf8(bytes);
  if (text === undefined || !/<svg[\s>/]/.test(text)) throw unsupported(detected);
  // Measured before parsing, so a hostile document never reaches the DOM parser.
  if (/<!ENTITY/i.test(text)) throw new Refusal(400, "invalid-svg", "SVG with entity declarations is not accepted");
  checkSvgShape(text, svgLimits);
  const { svg, removed } = await sanitizeSvg(text);
  return { bytes: Buffer.from(svg, "utf8"), contentType: "image/svg+xml", removed };
}

function utf8(bytes: Uint8Array): string | undefined {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}
