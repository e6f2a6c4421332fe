// An announcement's text, as organizers publish it before posting its URI on chain
// (ChainpassMembership.announce): a title, a body and an optional web link. Stored as canonical
// JSON on IPFS like event metadata; the app and the feeds read it back from there.
import { invalidField } from "./refusal.js";

export interface AnnouncementText {
  title: string;
  body: string;
  link?: string;
}

export const announcementSchema = {
  type: "object",
  additionalProperties: false,
  required: ["title", "body"],
  properties: {
    title: { type: "string", minLength: 1, maxLength: 120 },
    body: { type: "string", minLength: 1, maxLength: 4_000 },
    link: { type: "string", minLength: 1, maxLength: 500 },
  },
} as const;

/** Trims the text; a link must be an http(s) URL (no javascript: or data: links reach a fan). */
export function normalizeAnnouncement(input: AnnouncementText): AnnouncementText {
  const title = input.title.trim();
  const body = input.body.trim();
  if (!title) throw invalidField("title", "is empty");
  if (!body) throw invalidField("body", "is empty");
  if (input.link === undefined) return { title, body };
  let url: URL | undefined;
  try {
    url = new URL(input.link.trim());
  } catch {
    // reported below
  }
  if (!url || (url.protocol !== "https:" && url.protocol !== "http:")) throw invalidField("link", "is not an http(s) URL");
  return { title, body, link: url.toString() };
}
