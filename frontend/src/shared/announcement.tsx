// Announcements (issue 16: reaching holders and members): an organizer's text ({ title, body,
// link? } on IPFS, POST /metadata/announcement) announced on chain (ChainpassMembership.announce)
// to an event's holders, to every member of their program, or to the members from a level. What
// the fan's pages and the organizer's console share: the text read back from IPFS, its link kept
// to http(s), the JSON feed of each audience (the server's /announcements/feed), and the text on
// screen. No strings of its own: each area words its own frame.
import { useQuery } from "@tanstack/react-query";

import { serverUrl } from "./api.js";
import { ipfsUrl } from "./metadata.js";

export interface AnnouncementText {
  title: string;
  body: string;
  link?: string;
}

/** The server's limits (server/metadata/announcement.ts). */
export const ANNOUNCEMENT_LIMITS = { title: 120, body: 4_000, link: 500 } as const;

/** contracts: ChainpassMembership's audiences. */
export const AUDIENCE = { holders: 0, members: 1, level: 2 } as const;

/** A link as a URL a fan may open: http(s) only (never javascript: or data:); undefined otherwise. */
export function safeLink(link: string | undefined): string | undefined {
  if (!link) return undefined;
  try {
    const url = new URL(link.trim());
    return url.protocol === "https:" || url.protocol === "http:" ? url.toString() : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The JSON feed (JSON Feed 1.1) of one audience: an event's holders, or a program's members up to
 * `level` (0: what every member gets; N: that and what the levels up to N get).
 */
export function feedUrl(audience: { event: string } | { program: string; level?: number }): string {
  const query = "event" in audience ? `event=${audience.event.toLowerCase()}` : `program=${audience.program.toLowerCase()}${audience.level ? `&level=${audience.level}` : ""}`;
  return serverUrl(`/announcements/feed?${query}`);
}

/** The text at an announcement's ipfs:// URI (content-addressed: read once). */
export function useAnnouncementText(uri: string) {
  return useQuery({
    queryKey: ["announcement", uri],
    staleTime: Infinity,
    retry: 1,
    queryFn: async ({ signal }) => {
      const response = await fetch(ipfsUrl(uri), { signal });
      if (!response.ok) throw new Error(`${uri}: HTTP ${response.status}`);
      const text = (await response.json()) as Partial<AnnouncementText>;
      if (typeof text.title !== "string" || typeof text.body !== "string") throw new Error(`${uri}: not an announcement`);
      return { title: text.title, body: text.body, link: typeof text.link === "string" ? text.link : undefined } satisfies AnnouncementText;
    },
  });
}

/** An announcement's title, body (its line breaks kept) and link (http(s) only, opened apart). */
export function AnnouncementBody({ text, heading: Heading = "h3" }: { text: AnnouncementText; heading?: "h3" | "h4" }) {
  const link = safeLink(text.link);
  return (
    <>
      <Heading className="announcement-title" data-testid="announcement-title">
        {text.title}
      </Heading>
      <p className="announcement-text" data-testid="announcement-body">
        {text.body}
      </p>
      {link && (
        <p className="small">
          <a href={link} target="_blank" rel="noopener noreferrer" className="announcement-link" data-testid="announcement-link">
            {link}
          </a>
        </p>
      )}
    </>
  );
}
