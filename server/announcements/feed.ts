// Announcements as JSON Feeds (https://jsonfeed.org/version/1.1), one per audience, built from the
// index (what was announced on chain, and by whom) and the texts on IPFS:
//
//   GET /announcements/feed?event=0x…            to the event's holders
//   GET /announcements/feed?program=0x…&level=N  to the program's members (all, and those for
//                                                levels up to N; level 0 or absent: all members)
//
// A text not held by this server (announced with another server's upload) is listed with its URI
// and no text: readers fetch it from an IPFS gateway.
import type { FastifyInstance, FastifyReply } from "fastify";
import { isAddress } from "viem";

import { ANNOUNCEMENTS, type AnnouncementResult, type Announcements } from "../../lib/index/index.js";

/** Items per feed: the newest. */
const FEED_SIZE = 50;

export interface AnnouncementText {
  title: string;
  body: string;
  link?: string;
}

export interface FeedDeps {
  query: <T>(document: string, variables: Record<string, unknown>) => Promise<T>;
  /** The JSON text at an ipfs:// URI, if this server holds it. */
  readText: (uri: string) => Promise<AnnouncementText | undefined>;
}

function refuse(reply: FastifyReply, status: number, error: string, message: string) {
  return reply.code(status).send({ error, message });
}

export function registerAnnouncementFeeds(scope: FastifyInstance, deps: FeedDeps) {
  scope.get<{ Querystring: { event?: string; program?: string; level?: string } }>("/announcements/feed", async (request, reply) => {
    const { event, program, level } = request.query;
    if ((event === undefined) === (program === undefined)) return refuse(reply, 400, "bad-audience", "Give either ?event=<address> or ?program=<organizer address>");
    const target = (event ?? program)!;
    if (!isAddress(target, { strict: false })) return refuse(reply, 400, "bad-address", `${target} is not an address`);
    if (level !== undefined && !/^[0-8]$/.test(level)) return refuse(reply, 400, "bad-level", "level is a number from 0 to 8");
    const reach = Number(level ?? 0);
    let announcements: AnnouncementResult[];
    try {
      ({ announcements } = await deps.query<Announcements>(ANNOUNCEMENTS, {
        events: event ? [event.toLowerCase()] : [],
        programs: program ? [program.toLowerCase()] : [],
        first: FEED_SIZE,
      }));
    } catch {
      return refuse(reply, 503, "index-unavailable", "The index could not be read; try again shortly");
    }
    const items = await Promise.all(
      announcements
        .filter((a) => a.audience !== "Level" || a.level <= reach)
        .map(async (a) => {
          const text = await deps.readText(a.uri).catch(() => undefined);
          return {
            id: a.id,
            title: text?.title,
            content_text: text?.body,
            ...(text?.link ? { external_url: text.link } : {}),
            date_published: new Date(Number(a.timestamp) * 1000).toISOString(),
            _chainpass: { audience: a.audience, level: a.level, organizer: a.organizer.id, event: a.event?.id ?? null, uri: a.uri, transaction: a.transactionHash },
          };
        }),
    );
    const named = announcements[0]?.event?.name ?? announcements[0]?.program?.name;
    reply.header("cache-control", "public, max-age=30");
    return {
      version: "https://jsonfeed.org/version/1.1",
      title: named ? `Chainpass: ${named}` : "Chainpass announcements",
      items,
    };
  });
}
