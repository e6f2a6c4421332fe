// The shape of an SVG upload, measured before it is parsed into a DOM: its size, how deep its
// elements nest and how many there are. saxes (the XML tokenizer jsdom itself uses) reads the
// text as a stream with an explicit stack, so a document nested 100,000 levels deep is counted,
// not recursed into, and refused at the first element past the limit.
import { SaxesParser } from "saxes";

import { Refusal } from "./refusal.js";

export interface SvgLimits {
  /** Largest SVG, in bytes (raster artwork has its own, larger limit). */
  maxBytes: number;
  /** Deepest element nesting. */
  maxDepth: number;
  /** Most elements. */
  maxElements: number;
}

export const DEFAULT_SVG_LIMITS: SvgLimits = { maxBytes: 1024 * 1024, maxDepth: 64, maxElements: 20_000 };

/** The size limit alone, on the bytes: checked before they are decoded or searched. */
export function checkSvgSize(bytes: number, limits: SvgLimits) {
  if (bytes > limits.maxBytes) {
    throw new Refusal(413, "svg-too-large", `SVG artwork may be at most ${limits.maxBytes} bytes; this is ${bytes}`, { limit: limits.maxBytes });
  }
}

export function checkSvgShape(text: string, limits: SvgLimits) {
  checkSvgSize(Buffer.byteLength(text, "utf8"), limits);
  const parser = new SaxesParser();
  let depth = 0;
  let elements = 0;
  let malformed: string | undefined;
  parser.on("opentag", () => {
    elements++;
    depth++;
    if (depth > limits.maxDepth) {
      throw new Refusal(400, "svg-too-deep", `SVG elements may nest at most ${limits.maxDepth} levels deep`, { limit: limits.maxDepth });
    }
    if (elements > limits.maxElements) {
      throw new Refusal(400, "svg-too-many-elements", `SVG artwork may have at most ${limits.maxElements} elements`, { limit: limits.maxElements });
    }
  });
  parser.on("closetag", () => {
    depth--;
  });
  parser.on("error", (error) => {
    malformed ??= error.message;
  });
  parser.write(text).close();
  if (malformed) throw new Refusal(400, "invalid-svg", "The SVG is not well-formed XML");
}
