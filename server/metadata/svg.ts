// SVG artwork is stored only once it can do nothing but draw: DOMPurify's SVG profile removes
// scripts, event handlers, foreign objects and javascript: links, then every external reference
// (links, images, <use> targets, CSS url() and @import) is removed too, so the artwork loads
// nothing from anywhere. The result is serialized as XML, so it stays a well-formed standalone .svg.
import type { DOMPurify } from "dompurify";
import type { DOMWindow } from "jsdom";

import { Refusal } from "./refusal.js";

const SVG_NAMESPACE = "http://www.w3.org/2000/svg";

// One window for the thread, made on the first SVG (jsdom takes a second to load, which the
// worker's start-up should not pay): parsing and sanitizing are synchronous, so calls never
// interleave.
let dom: Promise<{ window: DOMWindow; purify: DOMPurify }> | undefined;
function loadDom() {
  dom ??= (async () => {
    const [{ JSDOM }, { default: createDOMPurify }] = await Promise.all([import("jsdom"), import("dompurify")]);
    const { window } = new JSDOM("");
    return { window, purify: createDOMPurify(window as unknown as Parameters<typeof createDOMPurify>[0]) };
  })();
  return dom;
}

export interface SanitizedSvg {
  svg: string;
  /** What was taken out ("<script>", "@onload", ...), so the uploader knows the artwork changed. */
  removed: string[];
}

const invalidSvg = (message: string) => new Refusal(400, "invalid-svg", message);

export async function sanitizeSvg(text: string): Promise<SanitizedSvg> {
  // The XML parser expands internal entities: refuse them rather than risk an entity bomb.
  if (/<!ENTITY/i.test(text)) throw invalidSvg("SVG with entity declarations is not accepted");
  const { window, purify } = await loadDom();
  const document = new window.DOMParser().parseFromString(text, "image/svg+xml");
  if (document.getElementsByTagName("parsererror").length > 0) throw invalidSvg("The SVG is not well-formed XML");
  const root = document.documentElement;
  if (root.localName !== "svg" || root.namespaceURI !== SVG_NAMESPACE) throw invalidSvg("The root element is not <svg> in the SVG namespace");

  // <use> is kept (DOMPurify drops it for what it may reference): design tools export artwork
  // that reuses its own shapes and embedded images with it, and removeExternalReferences leaves
  // it nothing but those to reference.
  purify.sanitize(root, { IN_PLACE: true, USE_PROFILES: { svg: true, svgFilters: true }, ADD_TAGS: ["use"] });
  const removed = purify.removed.map((entry) => ("element" in entry ? `<${entry.element.nodeName}>` : `@${entry.attribute?.name ?? "attribute"}`));
  removed.push(...removeExternalReferences(root));
  return { svg: new window.XMLSerializer().serializeToString(root), removed: [...new Set(removed)] };
}

/** Fragment links ("#id") and embedded raster images stay; every other reference goes. */
const LOCAL_HREF = /^\s*(#|data:image\/(png|jpeg|gif|webp);base64,)/i;

/** CSS (a style sheet, a style or presentation attribute) that could fetch something. */
function cssLoadsSomething(css: string): boolean {
  // A CSS escape could spell url( or @import in disguise: refuse escapes beside their punctuation.
  if (css.includes("\\") && /[(@]/.test(css)) return true;
  if (/@import|image-set\s*\(/i.test(css)) return true;
  for (const match of css.matchAll(/url\s*\(\s*(['"]?)\s*([^'")]*)/gi)) {
    if (!match[2].startsWith("#")) return true;
  }
  return false;
}

function removeExternalReferences(root: Element): string[] {
  const removed: string[] = [];
  for (const element of [root, ...root.querySelectorAll("*")]) {
    if (element.localName === "style" && cssLoadsSomething(element.textContent ?? "")) {
      element.remove();
      removed.push("<style>");
      continue;
    }
    for (const attribute of [...element.attributes]) {
      const external = attribute.localName === "href" ? !LOCAL_HREF.test(attribute.value) : cssLoadsSomething(attribute.value);
      if (external) {
        element.removeAttributeNode(attribute);
        removed.push(`@${attribute.name}`);
      }
    }
  }
  return removed;
}
