// The scanner without its link to the gate (issue 19, requirement 4; server/gate/offline-routes.ts).
// While the device reaches the gate it keeps the event's offline snapshot (staff only, refreshed
// every `refreshMs`, stored in IndexedDB so a reload offline still has it). When a scan cannot
// reach the gate, the device verifies the pass itself with lib/pass against that snapshot (the
// same checks as the gate: frame, delegation, owner, deny list, used, entry slot; a contract
// wallet only if its delegation was registered with the gate), plus the gate's own two (event
// cancelled, check-in open). An admission is marked offline and queued in IndexedDB; when the link
// returns the queue is uploaded, and the gate answers each: admitted, or a conflict (another
// device or gate admitted the ticket first: who and when), which the scanner keeps on screen.
//
// What an offline device cannot know: tickets sold, moved or denied after its snapshot, and
// admissions at other devices since. While the gate answers, the device asks every few seconds
// for the tickets admitted and moved, and the deny list's changes, since its copy (the feed,
// pollUsedFeed; a cancellation or new times make it fetch a new copy within seconds), so what
// it does not know is seconds old, not the copy's 30 s: the banner says how old. What it still
// cannot know is the conflict the upload reports.
import { getAddress, isAddressEqual, type Address, type Hex } from "viem";

import { tierOfToken } from "../../../lib/calendar.js";
import { CannotVerifyOffline, decodePass, DelegationCache, verifyPass, type Verdict } from "../../../lib/pass/index.js";
import {
  MAX_HELD_GROUPS,
  withTicketRows,
  type OfflineConflict,
  type OfflineSnapshot,
  type OfflineSnapshotAnswer,
  type OfflineUploadResult,
  type TicketRow,
  type UsedFeed,
  type UsedSinceAnswer,
} from "../../../lib/offline-admissions.js";
import { ApiError } from "../shared/api.js";
import { gateRequest, ScanProblem, type ScanVerdict, type TicketFacts } from "./gate-api.js";
import { gateClock } from "./gate-clock.js";
import { recoverSigner } from "./recover-signer.js";

export interface QueuedAdmission {
  event: string;
  tokenId: string;
  holder: string;
  /** Unix seconds, this device's clock. */
  admittedAt: number;
  /** Decided here after the gate left this scan unanswered: the gate may have admitted it itself. */
  unanswered?: boolean;
}

/** This device's id and name, kept across reloads: the gate names the device in a conflict. */
export function thisDevice(): { id: string; label: string } {
  const KEY = "chainpass.gate.device";
  try {
    const saved = JSON.parse(localStorage.getItem(KEY) ?? "null") as { id: string; label: string } | null;
    if (saved?.id) return saved;
  } catch {
    // a damaged entry: make a new one
  }
  const id = crypto.randomUUID().replace(/-/g, "").slice(0, 16);
  const device = { id, label: `Scanner ${id.slice(0, 4).toUpperCase()}` };
  localStorage.setItem(KEY, JSON.stringify(device));
  return device;
}

// IndexedDB: the snapshot per event, its ticket rows in a record of their own beside it (written
// only when they change: saving 50,000 rows with every 30 s refresh held the page's thread 120-200
// ms in desktop Chromium, a phone's longer, mid-rush), and the queue keyed by [event, tokenId] (one
// admission per ticket and device). The rows share the snapshots' store: a store of their own
// would need a new database version, which a scanner tab still open with the previous app would
// block until it closed.
const DB_NAME = "chainpass-gate";
let opened: Promise<IDBDatabase> | undefined;
function database(): Promise<IDBDatabase> {
  opened ??= new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, 1);
    request.onupgradeneeded = () => {
      request.result.createObjectStore("snapshots", { keyPath: "event" });
      request.result.createObjectStore("queue", { keyPath: ["event", "tokenId"] });
    };
    request.onsuccess = () => {
      // A newer app asking for a new version of the database: this page lets go of it (it opens
      // it again at its next use) instead of blocking the upgrade while it stays open.
      request.result.onversionchange = () => {
        request.result.close();
        opened = undefined;
      };
      resolve(request.result);
    };
    request.onerror = () => {
      opened = undefined;
      reject(request.error ?? new Error("IndexedDB cannot be opened"));
    };
  });
  return opened;
}

/** Runs `work` in one transaction over `stores`; resolves with what its `result()` says once the transaction completes. */
async function inTransaction<T>(stores: string[], mode: IDBTransactionMode, work: (tx: IDBTransaction) => () => T): Promise<T> {
  const db = await database();
  return new Promise((resolve, reject) => {
    const tx = db.transaction(stores, mode);
    const result = work(tx);
    tx.oncomplete = () => resolve(result());
    // The failed request's own error (a ConstraintError for a key taken): the transaction's is set only once it aborts.
    tx.onerror = (event) => reject((event.target as IDBRequest | null)?.error ?? tx.error ?? new Error("IndexedDB transaction failed"));
    tx.onabort = () => reject(tx.error ?? new Error("IndexedDB transaction aborted"));
  });
}

function run<T>(store: string, mode: IDBTransactionMode, work: (s: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  return inTransaction([store], mode, (tx) => {
    const request = work(tx.objectStore(store));
    return () => request.result;
  });
}

type SavedRows = Pick<OfflineSnapshot, "event" | "ticketsTag" | "tickets">;
/** The key of the event's rows record, in the snapshots' store. */
const rowsKey = (event: string) => `${event}#rows`;
/**
 * Rows not in a record of their own yet: read from inside a saved copy (the previous app kept them
 * there), or come with a refresh whose save failed. The next save that succeeds writes them: the
 * refreshes after it come without rows while the device's tag is current.
 */
const rowsToWrite = new WeakSet<OfflineSnapshot["tickets"]>();

/** The event's snapshot as this device keeps it, with its rows; undefined if it has none. */
export function savedSnapshot(event: string): Promise<OfflineSnapshot | undefined> {
  const id = event.toLowerCase();
  return inTransaction(["snapshots"], "readonly", (tx) => {
    const saved = tx.objectStore("snapshots").get(id) as IDBRequest<(Omit<OfflineSnapshot, "tickets"> & Partial<OfflineSnapshot>) | undefined>;
    const rows = tx.objectStore("snapshots").get(rowsKey(id)) as IDBRequest<SavedRows | undefined>;
    const notes = tx.objectStore("snapshots").getAll(heardOf(id)) as IDBRequest<SavedNote[]>;
    const feed = tx.objectStore("snapshots").get(feedKey(id)) as IDBRequest<SavedFeed | undefined>;
    return () => {
      // The gate's answers a page before this one heard (those of this page are newer).
      const tickets = notesOf(id);
      for (const { tokenId, at, noted } of notes.result) if (!tickets.has(tokenId)) tickets.set(tokenId, { at, noted });
      const snapshot = saved.result;
      if (!snapshot) return undefined;
      // The feed a page before this one had of this copy (this page's own, if it has one, is newer).
      const kept = feed.result;
      if (kept && snapshot.usedCursor !== undefined && kept.since === copyOf(snapshot) && !feeds.has(id)) {
        feeds.set(id, { since: kept.since, cursor: kept.cursor, block: kept.block, answeredAt: kept.answeredAt, tokenIds: fedTickets(kept.tokenIds, kept.mine, 0), owners: new Map(), denials: new Map() });
        applyChanges(feeds.get(id)!, kept);
      }
      if (snapshot.tickets) {
        rowsToWrite.add(snapshot.tickets);
        return snapshot as OfflineSnapshot;
      }
      return rows.result?.ticketsTag === snapshot.ticketsTag ? { ...snapshot, tickets: rows.result!.tickets } : undefined;
    };
  });
}

/** Keeps `snapshot`, and its rows when `withRows` (they came with it: new or changed) or not written yet, in one transaction. */
async function saveSnapshot(snapshot: OfflineSnapshot, withRows: boolean): Promise<void> {
  const { tickets, ...rest } = snapshot;
  const event = snapshot.event.toLowerCase();
  if (withRows) rowsToWrite.add(tickets);
  const writeRows = rowsToWrite.has(tickets);
  await inTransaction(["snapshots"], "readwrite", (tx) => {
    const store = tx.objectStore("snapshots");
    if (writeRows) store.put({ event: rowsKey(event), ticketsTag: snapshot.ticketsTag, tickets } satisfies SavedRows);
    store.put({ ...rest, event });
    return () => undefined;
  });
  rowsToWrite.delete(tickets);
}

/**
 * The queue's keys of one event: [event, tokenId] sorts every key of the event between [event] and
 * [event, []] (an array sorts after every string). Reads of the queue take only the event's part,
 * and a scan asks for its one key: reading the whole queue at every offline scan grew with the
 * time the device was offline (and with the other events' admissions it kept).
 */
const ofEvent = (event: string) => IDBKeyRange.bound([event], [event, []]);
const queuedAdmissions = (event: string) => run<QueuedAdmission[]>("queue", "readonly", (s) => s.getAll(ofEvent(event)) as IDBRequest<QueuedAdmission[]>);
/** How many admissions of the event wait on this device to be uploaded. */
export const queuedCount = (event: string) => run("queue", "readonly", (s) => s.count(ofEvent(event)));
const queued = (event: string, tokenId: string) => run<QueuedAdmission | undefined>("queue", "readonly", (s) => s.get([event, tokenId]) as IDBRequest<QueuedAdmission | undefined>);
/**
 * This device's queued admission of the ticket, if any. A queue it cannot read (the database gone
 * or broken) gives no answer, so the scan gives none either: admitting might admit a ticket twice.
 */
async function queuedHere(event: string, tokenId: string): Promise<QueuedAdmission | undefined> {
  try {
    return await queued(event, tokenId);
  } catch (error) {
    throw new ScanProblem("device-storage", describe(error), { storage: "read" });
  }
}
const describe = (error: unknown) => (error instanceof Error ? `${error.name}: ${error.message}` : String(error));
const enqueue = (item: QueuedAdmission) => run("queue", "readwrite", (s) => s.add(item));
const dequeue = (event: string, tokenId: string) => run("queue", "readwrite", (s) => s.delete([event, tokenId]));

/** Delegations verified on this device (their own cache: the gate's never sees these). */
const delegations = new DelegationCache({ maxEntries: 20_000, recoverSigner });

/**
 * How long the snapshot's download may take: megabytes for a large event (gzipped), on a venue's
 * Wi-Fi. Past it the refresh is tried again (a lost request would otherwise stop the refreshes).
 */
const SNAPSHOT_TIMEOUT_MS = 60_000;

/** A refreshed copy, and why the device could not keep it, if it could not (full, or its database gone). */
export interface RefreshedSnapshot {
  snapshot: OfflineSnapshot;
  notKept?: string;
}

/**
 * What the gate answered this device's scans, by event and ticket: it admitted the ticket (when)
 * or refused it as already used. The list has those only from its next refresh (every 30 s), and a
 * pass the gate admitted here a moment ago must not be admitted again here if the link then drops.
 * Each note is also kept in IndexedDB (a record per ticket in the snapshots' store, as the rows
 * are): a phone reloads a page, or drops a tab it had in the background, and the page read again
 * offline must still refuse what the gate admitted here.
 */
type HeardNote = { at?: number; noted: number };
const heard = new Map<string, Map<string, HeardNote>>();
type SavedNote = HeardNote & { event: string; tokenId: string };
const heardKey = (event: string, tokenId: string) => `${event}#heard#${tokenId}`;
/** Every note of the event: token ids are digits, which sort before "~". */
const heardOf = (event: string) => IDBKeyRange.bound(`${event}#heard#`, `${event}#heard#~`);
/** Every record of the event's copy: its head, its rows and its notes ("#heard#...", "#rows" < "#~"). */
const recordsOf = (event: string) => IDBKeyRange.bound(event, `${event}#~`);

function notesOf(event: string): Map<string, HeardNote> {
  let tickets = heard.get(event);
  if (!tickets) heard.set(event, (tickets = new Map()));
  return tickets;
}

/** The gate admitted `tokenId` at this device's scan (at `at`, unix seconds), or refused it as already used (no `at`). */
export function heardFromGate(event: string, tokenId: string, at?: number) {
  const id = event.toLowerCase();
  const note = { at, noted: Date.now() };
  notesOf(id).set(tokenId, note);
  // Kept for a reload; a device that cannot write still has the note while the page stays open.
  run("snapshots", "readwrite", (s) => s.put({ event: heardKey(id, tokenId), tokenId, ...note } satisfies SavedNote)).catch(() => undefined);
}

/**
 * A copy of another event that this device has not refreshed for this long is deleted when a
 * scanner opens: a staff phone used through a season would otherwise keep every event's copy (up
 * to megabytes each, with a note per ticket the gate admitted at it).
 */
export const STALE_COPY_MS = 14 * 86_400_000;

/**
 * Deletes the copies (head, rows and notes) of events other than `keep` last refreshed more than
 * STALE_COPY_MS before `now`, except an event with admissions still queued here: those are
 * uploaded when its scanner is opened again. Returns the events forgotten.
 */
export async function forgetStaleCopies(keep: string, now = Date.now()): Promise<string[]> {
  const kept = keep.toLowerCase();
  // The heads only: a key cursor over the store, each event's other records skipped over (its
  // rows are megabytes, its notes one per ticket).
  const heads = await inTransaction(["snapshots"], "readonly", (tx) => {
    const found: string[] = [];
    const cursor = tx.objectStore("snapshots").openKeyCursor();
    cursor.onsuccess = () => {
      const at = cursor.result;
      if (!at) return;
      const key = String(at.key);
      const event = key.split("#")[0]!;
      if (event === key) found.push(event);
      at.continue(recordsOf(event).upper as string); // past every record of the event
    };
    return () => found;
  });
  const stale: string[] = [];
  for (const event of heads) {
    if (event === kept) continue;
    const head = await run<{ takenAt?: number } | undefined>("snapshots", "readonly", (s) => s.get(event) as IDBRequest<{ takenAt?: number } | undefined>);
    if (now - (head?.takenAt ?? 0) <= STALE_COPY_MS) continue;
    if ((await queuedCount(event)) > 0) continue;
    stale.push(event);
  }
  if (stale.length) {
    await inTransaction(["snapshots"], "readwrite", (tx) => {
      for (const event of stale) tx.objectStore("snapshots").delete(recordsOf(event));
      return () => undefined;
    });
    for (const event of stale) {
      heard.delete(event);
      feeds.delete(event);
    }
  }
  return stale;
}

/**
 * Fetches the gate's snapshot for offline use and keeps it on the device. With `held` (the copy
 * the device has), it asks with its rows' tag, and the gate leaves the rows out while they are
 * current: the rest of the copy, not megabytes of rows, every 30 s.
 *
 * A copy the device cannot keep is still the newest it has: the page checks against it while it
 * stays open, and says that a reload would lose it. (Dropped with the failed save, it left the
 * page with an ever older copy, asking every 5 s with that copy's tag: all the rows again each
 * time once they had changed.)
 */
export async function refreshSnapshot(event: string, held?: OfflineSnapshot): Promise<RefreshedSnapshot> {
  const asked = Date.now();
  const query = new URLSearchParams();
  if (held?.ticketsTag) query.set("ticketsTag", held.ticketsTag);
  // The groups of rows it holds: when some changed (a ticket sold or resold), only theirs come.
  if (held?.ticketsTag && held.ticketGroups?.length && held.ticketGroups.length <= MAX_HELD_GROUPS) query.set("held", held.ticketGroups.map(([, tag]) => tag).join("."));
  // The used tickets as bitmaps: a few kilobytes where their list of ids is a hundred late in an event.
  query.set("usedAs", "bits");
  const ask = (search: string) => gateRequest<OfflineSnapshotAnswer>(`/gate/${event}/offline-snapshot${search}`, { timeoutMs: SNAPSHOT_TIMEOUT_MS });
  let answer: OfflineSnapshotAnswer;
  try {
    answer = await ask(`?${query}`);
  } catch (error) {
    // A gate server from before `held` and `usedAs` (met in a rolling upgrade) refuses them: asked as it knows.
    if (!(error instanceof ApiError && error.status === 400)) throw error;
    answer = await ask(held?.ticketsTag ? `?ticketsTag=${encodeURIComponent(held.ticketsTag)}` : "");
  }
  const snapshot = withTicketRows(answer, held);
  if (!snapshot) return refreshSnapshot(event); // rows left out that this device does not hold: ask for them
  // A ticket missing from the `used` of a list asked for after the gate's answer was let in again
  // (its check-in undone): forgotten. The others stay, with when this device admitted them.
  const id = event.toLowerCase();
  const tickets = heard.get(id);
  if (tickets?.size) {
    const used = usedOf(snapshot);
    const undone = [...tickets].filter(([tokenId, { noted }]) => noted < asked && !used.has(tokenId)).map(([tokenId]) => tokenId);
    for (const tokenId of undone) tickets.delete(tokenId);
    if (undone.length) {
      inTransaction(["snapshots"], "readwrite", (tx) => {
        for (const tokenId of undone) tx.objectStore("snapshots").delete(heardKey(id, tokenId));
        return () => undefined;
      }).catch(() => undefined);
    }
  }
  try {
    await saveSnapshot(snapshot, answer.tickets !== undefined);
    return { snapshot };
  } catch (error) {
    return { snapshot, notKept: describe(error) };
  }
}

/** Ticket facts as the gate's verdicts carry them, from the snapshot's row. */
function factsOf(row: TicketRow | undefined, tokenId: bigint): TicketFacts {
  const id = BigInt(tokenId);
  return {
    tokenId: id.toString(),
    tierId: tierOfToken(id),
    tier: row?.[2] ?? undefined,
    seat: row?.[3] ?? undefined,
    entryStart: row?.[4] ?? undefined,
    entryEnd: row?.[5] ?? undefined,
  };
}

/** What a check looks up in a copy of the event, by ticket, holder and delegation. */
interface Lookups {
  rows: Map<bigint, TicketRow>;
  used: Set<string>;
  denied: Set<string>;
  registered: Set<string>;
}
/**
 * Built once per copy (a refresh makes a new one), not per scan: for 50,000 tickets the map and
 * sets took 39–121 ms to build in Node on a test machine, more on a phone, at every scan. The map
 * of rows, the bulk, is kept per rows array: a refresh without rows reuses the array it holds.
 */
const lookups = new WeakMap<OfflineSnapshot, Lookups>();
const rowMaps = new WeakMap<OfflineSnapshot["tickets"], Lookups["rows"]>();
/** The copy's used tickets as a set, kept apart: a refresh checks the gate's answers against it without building the rows' map. */
const usedSets = new WeakMap<OfflineSnapshot, Set<string>>();
function usedOf(snapshot: OfflineSnapshot): Set<string> {
  let used = usedSets.get(snapshot);
  if (!used) usedSets.set(snapshot, (used = new Set(snapshot.used)));
  return used;
}
function lookupsOf(snapshot: OfflineSnapshot): Lookups {
  let found = lookups.get(snapshot);
  if (!found) {
    let rows = rowMaps.get(snapshot.tickets);
    if (!rows) rowMaps.set(snapshot.tickets, (rows = new Map(snapshot.tickets.map((row) => [BigInt(row[0]), row] as const))));
    found = {
      rows,
      used: usedOf(snapshot),
      denied: new Set(snapshot.denied),
      registered: new Set(snapshot.delegations.map(([holder, digest]) => `${holder}|${digest.toLowerCase()}`)),
    };
    lookups.set(snapshot, found);
  }
  return found;
}

/**
 * The feed (GET /gate/:event/used-since): the tickets admitted at any gate or device, and the
 * tickets moved, since this device's copy. The copy is up to 30 s old when the link drops; in that
 * time a pass admitted at another entrance (a fan's rotating QR relayed live to a friend outside)
 * would be admitted here too, and found only as a conflict once the link came back; and a ticket
 * resold would still let its seller in here with their old pass, and not its buyer. Asked every
 * few seconds while the gate answers, from the copy's `usedCursor` and `block`; kept beside the
 * copy (a record "#feed") for a reload offline.
 */
interface UsedFeedState {
  /** The copy this feed goes on from (copyOf). */
  since: string;
  cursor: string;
  /** The block to ask for owner changes from (undefined: a gate without them). */
  block?: number;
  /** When the gate last answered (ms, this device's clock): what the device knows of admissions elsewhere is that old. */
  answeredAt?: number;
  /** Each ticket fed: whether this staff account admitted it (UsedFeed's `mine`), and when this page learned it (0: a page before). */
  tokenIds: Map<string, Fed>;
  /**
   * The previous copy's feed, until the first answer for this one: those admitted after this
   * copy was read come again in that answer, and are not forgotten meanwhile.
   */
  carried?: Map<string, Fed>;
  /**
   * The tickets moved since the copy: their rows now, or null (burned). Not carried to a newer
   * copy: its rows are newer than these (an admission stays an admission, an owner does not).
   */
  owners: Map<string, TicketRow | null>;
  /** The accounts whose place on the deny list changed since the copy (lower case): denied now or not. Not carried either. */
  denials: Map<string, boolean>;
}
type Fed = { mine: boolean; at: number };
type SavedFeed = {
  event: string;
  since: string;
  cursor: string;
  block?: number;
  answeredAt?: number;
  tokenIds: string[];
  mine: string[];
} & Pick<UsedFeed, "tickets" | "gone" | "denied" | "allowed">;
const feedKey = (event: string) => `${event}#feed`;
const feeds = new Map<string, UsedFeedState>();
/** How often a feed with no new tickets is kept anyway, for the time of its last answer after a reload. */
const SAVE_FEED_EVERY_MS = 30_000;
/** Names the copy a feed goes on from: its admissions cursor and its block. */
const copyOf = (snapshot: Pick<OfflineSnapshot, "usedCursor" | "block">) => `${snapshot.usedCursor}@${snapshot.block}`;

/** The fed tickets as kept: their ids, those this staff account admitted, learned `at`. */
function fedTickets(tokenIds: string[], mine: string[], at: number): Map<string, Fed> {
  const own = new Set(mine);
  return new Map(tokenIds.map((tokenId) => [tokenId, { mine: own.has(tokenId), at }]));
}

/** The event's feed for its copy `snapshot`, started at the copy's cursor when the copy is new (undefined: a gate without the feed). */
function feedOf(event: string, snapshot: OfflineSnapshot): UsedFeedState | undefined {
  if (snapshot.usedCursor === undefined) return undefined;
  const since = copyOf(snapshot);
  const held = feeds.get(event);
  if (held?.since === since) return held;
  const started: UsedFeedState = {
    since,
    cursor: snapshot.usedCursor,
    block: snapshot.block,
    tokenIds: new Map(),
    carried: held ? new Map([...(held.carried ?? []), ...held.tokenIds]) : undefined,
    owners: new Map(),
    denials: new Map(),
  };
  feeds.set(event, started);
  return started;
}

/**
 * Whether the feed has the ticket admitted since the device's copy. Deciding after its own scan of
 * it, sent at `unansweredSince` (ms), went unanswered, the device does not count an admission by
 * its own staff account that it learned since: that may be the very scan, which the gate admitted
 * (its upload then says so). One learned before the scan was sent is someone else's, or earlier.
 */
function fedAsUsed(event: string, tokenId: string, unansweredSince?: number): boolean {
  const feed = feeds.get(event);
  const fed = feed?.tokenIds.get(tokenId) ?? feed?.carried?.get(tokenId);
  if (!fed) return false;
  return unansweredSince === undefined || !fed.mine || fed.at < unansweredSince;
}

/**
 * Asks the gate for the tickets admitted and moved since the feed's cursors and adds them.
 * "refresh": the gate says only a new copy will do (more than one answer carries, or a cancellation,
 * the event's times or a tier changed), so the device should fetch one now.
 * Throws when the gate cannot be reached (the copy and the feed so far stand).
 */
export async function pollUsedFeed(snapshot: OfflineSnapshot): Promise<"fed" | "refresh" | "no-feed"> {
  const event = snapshot.event.toLowerCase();
  const feed = feedOf(event, snapshot);
  if (!feed) return "no-feed";
  const answer = await gateRequest<UsedSinceAnswer>(`/gate/${event}/used-since?cursor=${feed.cursor}${feed.block === undefined ? "" : `&block=${feed.block}`}`);
  if ("refresh" in answer) return "refresh";
  if (feeds.get(event) !== feed) return "fed"; // a newer copy came meanwhile: its feed starts from it
  // A ticket known already (this copy's feed, or the previous one's) keeps when it was first learned.
  for (const [tokenId, fed] of fedTickets(answer.tokenIds, answer.mine, Date.now())) if (!feed.tokenIds.has(tokenId)) feed.tokenIds.set(tokenId, feed.carried?.get(tokenId) ?? fed);
  const changed = applyChanges(feed, answer) || answer.tokenIds.length > 0 || feed.carried !== undefined;
  feed.cursor = answer.cursor;
  if (answer.block !== undefined) feed.block = answer.block;
  feed.carried = undefined;
  const answeredAt = Date.now();
  // Kept when it gained tickets, or every SAVE_FEED_EVERY_MS for its time (an older cursor kept is only asked again from).
  if (changed || answeredAt - (feed.answeredAt ?? 0) >= SAVE_FEED_EVERY_MS) {
    const all = [...feed.tokenIds];
    const moved = [...feed.owners];
    const saved: SavedFeed = {
      event: feedKey(event),
      since: feed.since,
      cursor: feed.cursor,
      block: feed.block,
      answeredAt,
      tokenIds: all.map(([id]) => id),
      mine: all.filter(([, fed]) => fed.mine).map(([id]) => id),
      tickets: moved.flatMap(([, row]) => (row ? [row] : [])),
      gone: moved.filter(([, row]) => row === null).map(([id]) => id),
      denied: [...feed.denials].filter(([, denied]) => denied).map(([account]) => account),
      allowed: [...feed.denials].filter(([, denied]) => !denied).map(([account]) => account),
    };
    await run("snapshots", "readwrite", (s) => s.put(saved)).catch(() => undefined); // in this page's memory all the same
  }
  feed.answeredAt = answeredAt;
  return "fed";
}

/** Adds the moved tickets and the deny list's changes of an answer (or of a kept feed) to the feed; whether there were any. */
function applyChanges(feed: UsedFeedState, changes: Pick<UsedFeed, "tickets" | "gone" | "denied" | "allowed">): boolean {
  const rows = changes.tickets ?? [];
  for (const row of rows) feed.owners.set(row[0], row);
  for (const tokenId of changes.gone ?? []) feed.owners.set(tokenId, null);
  for (const account of changes.denied ?? []) feed.denials.set(account, true);
  for (const account of changes.allowed ?? []) feed.denials.set(account, false);
  return rows.length + (changes.gone?.length ?? 0) + (changes.denied?.length ?? 0) + (changes.allowed?.length ?? 0) > 0;
}

/** When the gate last answered the event's feed (ms, this device's clock); undefined if never for this copy. */
export function usedFeedAnsweredAt(event: string): number | undefined {
  return feeds.get(event.toLowerCase())?.answeredAt;
}

/**
 * Verifies a scanned pass on the device against the snapshot and, when it admits, queues the
 * admission. Backup codes need the gate (their secrets are not on the device): refused as malformed
 * here would be wrong, so the caller only sends passes. `unanswered`: decided after the scan, sent
 * to the gate at `sentAt` (ms), got no answer.
 */
export async function admitOffline(
  snapshot: OfflineSnapshot,
  text: string,
  { now = gateClock.nowSeconds(), unanswered = false, sentAt }: { now?: number; unanswered?: boolean; sentAt?: number } = {},
): Promise<ScanVerdict & { onDevice: true }> {
  const event = snapshot.event.toLowerCase();
  const { rows: copied, used, denied, registered } = lookupsOf(snapshot);
  // The copy's row, or the feed's when the ticket moved since (null: burned); the deny list likewise.
  const feed = feeds.get(event);
  const current = feed?.since === copyOf(snapshot) ? feed : undefined;
  const moved = current?.owners;
  const rowOf = (tokenId: bigint): TicketRow | undefined => {
    const fed = moved?.get(tokenId.toString());
    return fed === undefined ? copied.get(tokenId) : (fed ?? undefined);
  };
  /** When this device admitted the scanned ticket (the gate at its scan, or itself offline), if the check found that. */
  const here: { at?: number } = {};
  const verdict: Verdict = await verifyPass(text, {
    cache: delegations,
    chainId: BigInt(snapshot.chainId),
    ticket: getAddress(snapshot.event),
    now,
    maxFrameAge: snapshot.maxFrameAge,
    maxClockSkew: snapshot.maxClockSkew,
    ownerOf: (tokenId) => rowOf(tokenId)?.[1] as Address | undefined,
    isCheckedIn: async (tokenId) => {
      // This device's own admissions first: the refusal then says when it admitted the ticket,
      // also once the list has it.
      const answered = heard.get(event)?.get(tokenId.toString());
      if (answered) {
        here.at = answered.at;
        return true;
      }
      if (used.has(tokenId.toString()) || fedAsUsed(event, tokenId.toString(), unanswered ? (sentAt ?? -Infinity) : undefined)) return true;
      here.at = (await queuedHere(event, tokenId.toString()))?.admittedAt;
      return here.at !== undefined;
    },
    entryWindow: (tokenId) => {
      const row = rowOf(tokenId);
      return row && row[4] !== null && row[5] !== null ? { start: row[4], end: row[5] } : undefined;
    },
    isDenied: (account) => current?.denials.get(account.toLowerCase()) ?? denied.has(account.toLowerCase()),
    // Asked when the delegation's signature does not recover to the holder (the cache recovers
    // with recoverSigner, this chunk's own secp256k1): one that recovers to someone else is
    // refused; a contract wallet's signature is checked by the wallet itself, which needs the
    // chain: offline, only a delegation registered with the gate (checked there online) is known good.
    isValidContractSignature: async (holder: Address, digest: Hex, signature: Hex) => {
      const signer = recoverSigner(digest, signature);
      if (signer) return isAddressEqual(signer, holder);
      if (registered.has(`${holder.toLowerCase()}|${digest.toLowerCase()}`)) return true;
      throw new CannotVerifyOffline("the holder's wallet is a contract and cannot be asked offline");
    },
  });
  if (!verdict.ok) {
    const tokenId = verdict.tokenId;
    const passEvent = verdict.reason === "wrong-event" ? getAddress(decodePass(text).delegation.ticket) : undefined;
    return {
      verdict: "refuse",
      reason: verdict.reason,
      message: verdict.detail,
      ticket: tokenId !== undefined && rowOf(tokenId) ? factsOf(rowOf(tokenId), tokenId) : undefined,
      passEvent,
      // When this device admitted it: staff tell their own admission from one before the link dropped.
      usedHere: verdict.reason === "already-used" ? here.at : undefined,
      onDevice: true,
    };
  }
  const ticket = factsOf(rowOf(verdict.tokenId), verdict.tokenId);
  if (snapshot.cancelled) return { verdict: "refuse", reason: "event-cancelled", message: "The event was cancelled", onDevice: true };
  if (now < snapshot.checkInOpensAt) {
    return { verdict: "refuse", reason: "door-not-open", message: `check-in opens at ${snapshot.checkInOpensAt}`, opensAt: snapshot.checkInOpensAt, ticket, onDevice: true };
  }
  try {
    await enqueue({ event, tokenId: verdict.tokenId.toString(), holder: getAddress(verdict.holder), admittedAt: now, ...(unanswered ? { unanswered } : {}) });
  } catch (error) {
    // The key [event, tokenId] is taken: admitted on this device a moment ago (two scans at once).
    if (error instanceof DOMException && error.name === "ConstraintError") {
      return { verdict: "refuse", reason: "already-used", message: `ticket ${verdict.tokenId} was already admitted on this device`, ticket, usedHere: now, onDevice: true };
    }
    // Anything else (the phone's storage full, the database gone): an admission this device cannot
    // keep would never be uploaded, so it is not made, and the staff are told why.
    throw new ScanProblem("device-storage", describe(error), { storage: "write" });
  }
  return { verdict: "admit", ticket, holder: getAddress(verdict.holder), admittedAt: now, method: "offline", onDevice: true };
}

/**
 * Uploads this device's queued admissions of the event; each answered one leaves the queue. The
 * conflicts in the answer are returned; a failure to reach the gate throws (the queue stays).
 */
export async function uploadQueue(event: string): Promise<{ uploaded: number; conflicts: OfflineUploadResult[]; refused: OfflineUploadResult[] }> {
  const queue = await queuedAdmissions(event);
  const device = thisDevice();
  const conflicts: OfflineUploadResult[] = [];
  const refused: OfflineUploadResult[] = [];
  for (let i = 0; i < queue.length; i += 200) {
    const part = queue.slice(i, i + 200);
    // Under a time limit (gateRequest): a lost upload must not hold up the next.
    const { results } = await gateRequest<{ results: OfflineUploadResult[] }>(`/gate/${event}/offline-admissions`, {
      method: "POST",
      json: { device: device.id, deviceLabel: device.label, admissions: part.map(({ tokenId, holder, admittedAt, unanswered }) => ({ tokenId, holder, admittedAt, ...(unanswered ? { unanswered } : {}) })) },
    });
    const admittedAt = new Map(part.map((item) => [item.tokenId, item.admittedAt]));
    for (const result of results) {
      if (result.result === "refused") refused.push(result);
      else {
        if (result.result === "conflict") conflicts.push(result);
        // Admitted (here or elsewhere too): out of the queue, and in the list only from its next
        // refresh, so still refused here meanwhile.
        heardFromGate(event, result.tokenId, admittedAt.get(result.tokenId));
      }
      await dequeue(event, result.tokenId);
    }
  }
  return { uploaded: queue.length, conflicts, refused };
}

/** The event's conflicts as the gate records them (every device's). */
export async function loadConflicts(event: string): Promise<OfflineConflict[]> {
  try {
    return (await gateRequest<{ conflicts: OfflineConflict[] }>(`/gate/${event}/conflicts`)).conflicts;
  } catch (error) {
    if (error instanceof ApiError && error.status === 403) return [];
    throw error;
  }
}
