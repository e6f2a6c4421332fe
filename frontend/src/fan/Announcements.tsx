// A fan's announcements (issue 16): what organizers announced on chain to the holders of the
// events whose tickets the wallet holds, and to the members of the programs it joined (the ones
// for a level only when the wallet's level on chain reaches it), the newest first and at most
// SHOWN of them, each text read from IPFS as it shows; below them, each audience's JSON feed.
// Used by My tickets (HolderAnnouncements: its own membership query) and the membership pages
// (Announcements, for one program), with its own small catalogue (./announcement-messages.ts).
import { useState } from "react";
import { useTranslation } from "react-i18next";

import { ANNOUNCEMENTS, MY_MEMBERSHIPS, type AnnouncementResult, type Announcements as AnnouncementList, type MyMemberships } from "../../../lib/index/index.js";
import { AnnouncementBody, feedUrl, useAnnouncementText } from "../shared/announcement.js";
import { formatDateTime } from "../shared/format.js";
import { useIndexQuery } from "../shared/index-query.js";
import "./announcement-messages.js";
import { lower } from "./util.js";

/** Whose announcements a fan reads: an event whose tickets they hold, a program they joined (at their level). */
export type AnnouncementSource = { kind: "event"; id: string; name: string } | { kind: "program"; id: string; name: string; level: number };

/** The newest shown, at most. */
const SHOWN = 10;
/** Asked of the index: a level's announcements above the reader's are dropped after the query. */
const ASKED = 25;

/**
 * The announcements to `sources`, newest first. `initial` are shown before "Show more"; `quiet`
 * shows nothing at all until there is one (My tickets), else the states and "none yet" are said.
 */
export function Announcements({ sources, initial = 3, quiet = false, heading = "h2" }: { sources: AnnouncementSource[]; initial?: number; quiet?: boolean; heading?: "h2" | "h3" }) {
  const { t } = useTranslation("announcements");
  const [all, setAll] = useState(false);
  const events = sources.filter((s) => s.kind === "event").map((s) => lower(s.id));
  const levels = new Map(sources.flatMap((s) => (s.kind === "program" ? [[lower(s.id), s.level] as const] : [])));
  const query = useIndexQuery<AnnouncementList>(
    ANNOUNCEMENTS,
    { events: events.sort(), programs: [...levels.keys()].sort(), first: ASKED },
    { enabled: sources.length > 0, refetchInterval: 30_000 },
  );
  const list = (query.data?.announcements ?? []).filter((a) => a.audience !== "Level" || (levels.get(lower(a.program?.id ?? "")) ?? -1) >= a.level).slice(0, SHOWN);
  if (sources.length === 0 || (quiet && list.length === 0)) return null;
  const Heading = heading;
  const shown = all ? list : list.slice(0, initial);
  return (
    <section className={heading === "h2" ? "card" : undefined} aria-label={t("title")} data-testid="announcements">
      <Heading>{t("title")}</Heading>
      {query.isLoading ? (
        <p className="muted small">{t("loading")}</p>
      ) : query.error && !query.data ? (
        <p className="muted small">{t("failed")}</p>
      ) : list.length === 0 ? (
        <p className="muted small" data-testid="announcements-none">
          {t("none")}
        </p>
      ) : (
        <ul className="announcements">
          {shown.map((a) => (
            <Item key={a.id} announcement={a} />
          ))}
        </ul>
      )}
      {list.length > shown.length && (
        <button type="button" className="link" onClick={() => setAll(true)} data-testid="announcements-more">
          {t("more", { count: list.length - shown.length })}
        </button>
      )}
      <p className="small muted" data-testid="announcement-feeds">
        {sources.length === 1 ? null : `${t("feeds")} `}
        {sources.map((s, i) => (
          <span key={s.id}>
            {i > 0 && " · "}
            <a
              href={s.kind === "event" ? feedUrl({ event: s.id }) : feedUrl({ program: s.id, level: s.level })}
              type="application/feed+json"
              data-testid={`feed-${lower(s.id)}`}
            >
              {sources.length === 1 ? t("feed") : s.name}
            </a>
          </span>
        ))}
      </p>
    </section>
  );
}

function Item({ announcement: a }: { announcement: AnnouncementResult }) {
  const { t, i18n } = useTranslation("announcements");
  const text = useAnnouncementText(a.uri);
  const from = a.event?.name ?? a.program?.name ?? "";
  return (
    <li data-testid="announcement" data-audience={a.audience} data-level={a.level} data-uri={a.uri}>
      <p className="announcement-meta small muted">
        <span data-testid="announcement-from">{t("from", { name: from })}</span>
        <time dateTime={new Date(Number(a.timestamp) * 1000).toISOString()}>{formatDateTime(a.timestamp, i18n.language)}</time>
        {a.audience === "Members" && <span>{t("toMembers")}</span>}
        {a.audience === "Level" && <span>{t("toLevel", { level: a.program?.levelNames[a.level - 1] ?? a.level })}</span>}
      </p>
      {text.data ? (
        <AnnouncementBody text={text.data} />
      ) : (
        <p className="muted small">{text.isError ? t("unavailable") : t("loadingText")}</p>
      )}
    </li>
  );
}

/** My tickets' announcements: the events of the tickets held, and the wallet's programs at its levels. */
export default function HolderAnnouncements({ account, events }: { account: string; events: { id: string; name: string }[] }) {
  // The membership page's query (one cache entry for both pages).
  const memberships = useIndexQuery<MyMemberships>(MY_MEMBERSHIPS, { account: lower(account) }, { refetchInterval: 60_000 });
  const sources: AnnouncementSource[] = [
    ...events.map((e) => ({ kind: "event" as const, id: e.id, name: e.name })),
    ...(memberships.data?.members ?? []).map((m) => ({ kind: "program" as const, id: m.program.id, name: m.program.name, level: m.level })),
  ];
  if (memberships.isLoading) return null;
  return <Announcements sources={sources} quiet />;
}
