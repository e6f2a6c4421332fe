// Announcements, the organizer's side (issue 16: reaching holders and members, with no email or
// phone number): a composer (title, body, an optional http(s) link, and a preview of what fans
// see) whose Publish stores the text on IPFS (POST /metadata/announcement, with the SIWE session)
// and then announces its URI on chain from the organizer's wallet (ChainpassMembership.announce);
// below it, what was announced to that audience (the index's ANNOUNCEMENTS, each text read from
// IPFS) with each audience's JSON feed. Used in an event's console (its Announcements tab: the
// event's ticket holders) and on the organizer home's Membership view (every member of the
// program, or the members from a level).
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { zeroAddress, type Address } from "viem";

import { chainpassMembershipAbi } from "../../../lib/abi/index.js";
import { ANNOUNCEMENTS, type AnnouncementResult, type Announcements } from "../../../lib/index/index.js";
import { AnnouncementBody, ANNOUNCEMENT_LIMITS, AUDIENCE, feedUrl, safeLink, useAnnouncementText } from "../shared/announcement.js";
import { api } from "../shared/api.js";
import { formatDateTime } from "../shared/format.js";
import { useIndexQuery } from "../shared/index-query.js";
import { TxFailed, useTransactions } from "../shared/tx.js";
import { OnExplorer, QueryStatus, TxStatus } from "../shared/ui.js";
import { network } from "../wallet/network.js";
import { levelName } from "./member-levels.js";
import type { ConsoleEvent } from "./types.js";

export type AnnounceAudience =
  /** The holders of an event's tickets. */
  | { kind: "holders"; event: Address; name: string }
  /** The members of the organizer's program: all of them, or those from a level the composer picks. */
  | { kind: "members"; program: Address; name: string; levelNames: readonly string[] };

/** Announcements listed under the composer: the newest. */
const LISTED = 20;

const ignore = (e: unknown) => {
  if (!(e instanceof TxFailed)) throw e;
};

type Upload = { state: "idle" } | { state: "pending" } | { state: "done"; uri: string } | { state: "failed"; message: string };

/** The event console's Announcements tab: to the event's ticket holders. */
export function EventAnnouncements({ ev }: { ev: ConsoleEvent }) {
  return <Announce audience={{ kind: "holders", event: ev.address, name: ev.info.name }} />;
}

export function Announce({ audience }: { audience: AnnounceAudience }) {
  return (
    <>
      <Composer audience={audience} />
      <Announced audience={audience} />
    </>
  );
}

function Composer({ audience }: { audience: AnnounceAudience }) {
  const { t } = useTranslation("organizer");
  const tx = useTransactions();
  const [title, setTitle] = useState("");
  const [body, setBody] = useState("");
  const [link, setLink] = useState("");
  /** Members from this level (0: every member). */
  const [level, setLevel] = useState(0);
  const [tried, setTried] = useState(false);
  const [upload, setUpload] = useState<Upload>({ state: "idle" });
  const text = { title: title.trim(), body: body.trim(), link: link.trim() || undefined };
  const tooLong = (max: number) => t("announce.problem.tooLong", { max });
  const problems = {
    title: !text.title ? t("announce.problem.title") : text.title.length > ANNOUNCEMENT_LIMITS.title ? tooLong(ANNOUNCEMENT_LIMITS.title) : undefined,
    body: !text.body ? t("announce.problem.body") : text.body.length > ANNOUNCEMENT_LIMITS.body ? tooLong(ANNOUNCEMENT_LIMITS.body) : undefined,
    link: text.link && (!safeLink(text.link) || text.link.length > ANNOUNCEMENT_LIMITS.link) ? t("announce.problem.link") : undefined,
  };
  const shown = (field: keyof typeof problems) => (tried ? problems[field] : undefined);
  const busy = tx.busy || upload.state === "pending";
  const levels = audience.kind === "members" ? audience.levelNames.length : 0;
  const to =
    audience.kind === "holders"
      ? t("announce.toHolders", { event: audience.name })
      : level === 0
        ? t("announce.toMembers", { program: audience.name })
        : t("announce.toLevel", { level: levelName(level, audience.levelNames, t) });

  async function publish() {
    setTried(true);
    if (problems.title || problems.body || problems.link) return;
    tx.reset();
    setUpload({ state: "pending" });
    let uri: string;
    try {
      ({ uri } = await api<{ uri: string }>("/metadata/announcement", { method: "POST", json: text.link ? text : { title: text.title, body: text.body } }));
      setUpload({ state: "done", uri });
    } catch (error) {
      setUpload({ state: "failed", message: error instanceof Error ? error.message : String(error) });
      return;
    }
    const args =
      audience.kind === "holders" ? [audience.event, AUDIENCE.holders, 0, uri] : [zeroAddress, level === 0 ? AUDIENCE.members : AUDIENCE.level, level, uri];
    try {
      await tx.send(t("announce.tx", { title: text.title }), { address: network.membership, abi: chainpassMembershipAbi, functionName: "announce", args });
      setTitle("");
      setBody("");
      setLink("");
      setTried(false);
    } catch (e) {
      ignore(e);
    }
  }

  const field = (name: keyof typeof problems) => ({
    "aria-invalid": !!shown(name),
    "aria-describedby": shown(name) ? `announce-${name}-problem` : undefined,
  });
  const problem = (name: keyof typeof problems) =>
    shown(name) && (
      <span id={`announce-${name}-problem`} className="small bad-text field-problem" role="alert">
        {shown(name)}
      </span>
    );

  return (
    <form
      className="card"
      data-testid="announce"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void publish();
      }}
    >
      <h2>{t("announce.title")}</h2>
      <p className="muted">{t("announce.intro")}</p>
      {audience.kind === "members" ? (
        <label>
          {t("announce.audience")}
          <select data-testid="announce-audience" value={level} onChange={(e) => setLevel(Number(e.target.value))}>
            {Array.from({ length: levels + 1 }, (_, l) => (
              <option key={l} value={l}>
                {l === 0 ? t("announce.toMembers", { program: audience.name }) : t("announce.toLevel", { level: levelName(l, audience.levelNames, t) })}
              </option>
            ))}
          </select>
        </label>
      ) : (
        <p data-testid="announce-audience">{to}</p>
      )}
      <div className="form-grid">
        <label>
          {t("announce.titleField")}
          <input data-testid="announce-title" value={title} maxLength={ANNOUNCEMENT_LIMITS.title} onChange={(e) => setTitle(e.target.value)} {...field("title")} />
          {problem("title")}
        </label>
        <label>
          {t("announce.link")}
          <input
            data-testid="announce-link"
            type="url"
            inputMode="url"
            value={link}
            placeholder="https://"
            maxLength={ANNOUNCEMENT_LIMITS.link}
            onChange={(e) => setLink(e.target.value)}
            {...field("link")}
          />
          {problem("link")}
        </label>
      </div>
      <label>
        {t("announce.body")}
        <textarea data-testid="announce-body" rows={5} value={body} maxLength={ANNOUNCEMENT_LIMITS.body} onChange={(e) => setBody(e.target.value)} {...field("body")} />
        {problem("body")}
        <span className="muted small">{t("announce.bodyHelp", { count: text.body.length, max: ANNOUNCEMENT_LIMITS.body })}</span>
      </label>
      {(text.title || text.body) && (
        <div className="notice announce-preview" data-testid="announce-preview">
          <p className="small muted">{t("announce.preview", { to })}</p>
          <AnnouncementBody text={{ title: text.title, body: text.body, link: text.link }} />
        </div>
      )}
      <button type="submit" className="primary" data-testid="announce-submit" disabled={busy}>
        {t("announce.publish")}
      </button>
      {upload.state !== "idle" && (
        <p className={upload.state === "failed" ? "notice error" : "small muted"} data-testid="announce-upload" data-state={upload.state}>
          {upload.state === "pending"
            ? t("announce.uploading")
            : upload.state === "done"
              ? t("announce.uploaded", { uri: upload.uri })
              : t("announce.uploadFailed", { message: upload.message })}
        </p>
      )}
      <TxStatus steps={tx.steps} />
    </form>
  );
}

/** The feed of an announcement's audience (a level's: what members at that level read). */
function feedOf(a: Pick<AnnouncementResult, "audience" | "level" | "event" | "organizer">) {
  return a.audience === "Holders" && a.event ? feedUrl({ event: a.event.id }) : feedUrl({ program: a.organizer.id, level: a.level });
}

/** What was announced to the audience: the holders' of the event, or every member and each level's of the program. */
function Announced({ audience }: { audience: AnnounceAudience }) {
  const { t } = useTranslation("organizer");
  const variables =
    audience.kind === "holders"
      ? { events: [audience.event.toLowerCase()], programs: [], first: LISTED }
      : { events: [], programs: [audience.program.toLowerCase()], first: LISTED };
  const query = useIndexQuery<Announcements>(ANNOUNCEMENTS, variables);
  const list = query.data?.announcements ?? [];
  const feeds =
    audience.kind === "holders"
      ? [{ key: "0", label: t("announce.feedHolders"), href: feedUrl({ event: audience.event }) }]
      : Array.from({ length: audience.levelNames.length + 1 }, (_, l) => ({
          key: String(l),
          label: l === 0 ? t("announce.feedMembers") : t("announce.feedLevel", { level: levelName(l, audience.levelNames, t) }),
          href: feedUrl({ program: audience.program, level: l }),
        }));
  return (
    <section className="card" data-testid="announced">
      <h2>{t("announce.listTitle")}</h2>
      <p className="small muted">
        {t("announce.feeds")}{" "}
        {feeds.map((f, i) => (
          <span key={f.key}>
            {i > 0 && " · "}
            <a href={f.href} type="application/feed+json" data-testid={`announce-feed-${f.key}`}>
              {f.label}
            </a>
          </span>
        ))}
      </p>
      <QueryStatus query={query} empty={list.length === 0} emptyText={t("announce.none")} />
      {list.length > 0 && (
        <ul className="announcements">
          {list.map((a) => (
            <Sent key={a.id} announcement={a} levelNames={audience.kind === "members" ? audience.levelNames : []} />
          ))}
        </ul>
      )}
    </section>
  );
}

function Sent({ announcement: a, levelNames }: { announcement: AnnouncementResult; levelNames: readonly string[] }) {
  const { t, i18n } = useTranslation("organizer");
  const text = useAnnouncementText(a.uri);
  const to =
    a.audience === "Holders"
      ? t("announce.sentHolders")
      : a.audience === "Members"
        ? t("announce.sentMembers")
        : t("announce.toLevel", { level: levelName(a.level, a.program?.levelNames ?? levelNames, t) });
  return (
    <li data-testid="sent-announcement" data-audience={a.audience} data-level={a.level} data-uri={a.uri}>
      <p className="announcement-meta small muted">
        <time dateTime={new Date(Number(a.timestamp) * 1000).toISOString()}>{formatDateTime(a.timestamp, i18n.language)}</time>
        <span data-testid="sent-to">{to}</span>
        <OnExplorer kind="tx" value={a.transactionHash}>
          <code className="small">{a.uri}</code>
        </OnExplorer>
      </p>
      {text.data ? (
        <AnnouncementBody text={text.data} heading="h4" />
      ) : (
        <p className="muted small">{text.isError ? t("announce.unavailable") : t("announce.loadingText")}</p>
      )}
      <p className="small">
        <a href={feedOf(a)} type="application/feed+json" data-testid="announcement-feed">
          {t("announce.feed")}
        </a>
      </p>
    </li>
  );
}
