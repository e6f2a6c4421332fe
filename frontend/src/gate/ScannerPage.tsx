// /gate/:event: the scanner. Camera (or typed) pass → POST /gate/:event/scan → a full-screen
// ADMIT / REFUSE verdict for ~2.5 s. Counters and the offline state come from the gate's status,
// polled every 5 s. Without the link to the gate, passes are checked on the device against the
// event's offline snapshot and admissions queued for upload (gate/offline.ts).
import "./messages.js";
import "./gate.css";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useRef, useState, type KeyboardEvent as ReactKeyboardEvent } from "react";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router";
import { isAddress } from "viem";

import { isBackupCodeText } from "../../../lib/pass/backup-code.js";
import { useAccount } from "wagmi";

import { MY_ROLES } from "../../../lib/index/documents.js";
import type { MyRoles } from "../../../lib/index/types.js";
import { formatDateTime, formatDateTimeRange, formatTime, shortAddress } from "../shared/format.js";
import { useIndexQuery } from "../shared/index-query.js";
import { useOnline } from "../shared/offline.js";
import { useEventMetadata } from "../shared/metadata.js";
import { RequireSession } from "../shared/ui.js";
import { signal, useQrCamera } from "./camera.js";
import { admitLookedUp, gateStatus, scanPass, ScanProblem, type GateStatus, type LookedUpTicket, type ScanVerdict } from "./gate-api.js";
import { gateClock } from "./gate-clock.js";
import { useAdmitterName, UsedAt } from "./admission-line.js";
import { GateLink } from "./gate-link.js";
import { LookupPanel } from "./LookupPanel.js";
import type { OfflineConflict, OfflineSnapshot } from "../../../lib/offline-admissions.js";
import { admitOffline, forgetStaleCopies, heardFromGate, loadConflicts, pollUsedFeed, queuedCount, refreshSnapshot, savedSnapshot, thisDevice, uploadQueue, usedFeedAnsweredAt } from "./offline.js";
import { KNOWN_REASONS } from "./messages.js";

/** How long a verdict stays on screen unless tapped away. */
const VERDICT_MS = 2500;
/**
 * An already-used refusal stays longer: its second line says when and by whom (UsedAt), which
 * staff read before they turn someone away, or let in someone whose admission they missed.
 */
const USED_VERDICT_MS = 8000;
/** The same decoded text is not submitted again within this time (it is still in front of the camera). */
const DEBOUNCE_MS = 3000;
const STATUS_POLL_MS = 5000;
/** How often the device asks for the tickets admitted elsewhere or moved since its copy (offline.ts, pollUsedFeed). */
const USED_FEED_POLL_MS = 2000;
/** A new copy the feed asks for is fetched within this time, at a random moment of it. */
const FEED_REFRESH_SPREAD_MS = 6000;
/** While admissions wait on the device, an upload is tried this often (it fails fast offline). */
const UPLOAD_RETRY_MS = 3000;
const CONFLICTS_POLL_MS = 10_000;
/** While the gate is unreachable (gate-link.ts), it is asked this often whether it answers again... */
const LINK_PROBE_EVERY_MS = 2000;
/** ...and given this long to answer (it answers a status in milliseconds). */
const LINK_PROBE_TIMEOUT_MS = 3000;

export function ScannerPage() {
  const { t } = useTranslation("gate");
  const { event = "" } = useParams();
  const valid = isAddress(event, { strict: false });
  return (
    <section className="gate-scanner">
      <p className="small">
        <Link to="/gate">← {t("scanner.back")}</Link>
      </p>
      {valid ? (
        <RequireSession>
          <Scanner event={event.toLowerCase()} />
        </RequireSession>
      ) : (
        <p className="notice error" role="alert">
          {t("scanner.invalidEvent", { event })}
        </p>
      )}
    </section>
  );
}

function Scanner({ event }: { event: string }) {
  const { t, i18n } = useTranslation("gate");
  const { address } = useAccount();
  const queryClient = useQueryClient();
  const online = useOnline();
  const roles = useIndexQuery<MyRoles>(MY_ROLES, { account: address?.toLowerCase() }, { enabled: !!address });
  const here = roles.data?.eventAccounts.find((row) => row.event.id === event)?.event;
  const name = here?.name;
  // The venue's zone: the door's times (slots, when check-in opens) are its clock.
  const zone = useEventMetadata(here?.metadataURI).data?.timezone;
  const eventNames = new Map(roles.data?.eventAccounts.map((row) => [row.event.id, row.event.name] as const));


  const status = useQuery<GateStatus, ScanProblem>({
    queryKey: ["gate-status", event],
    queryFn: ({ signal }) => gateStatus(event, signal),
    refetchInterval: STATUS_POLL_MS,
    refetchIntervalInBackground: true,
    retry: false,
  });

  // The event's offline snapshot: the saved copy at once, the gate's every `refreshMs` while reachable.
  const [snapshot, setSnapshotState] = useState<OfflineSnapshot>();
  // Why the device could not keep the last refreshed copy (it is in use in this page only).
  const [listNotKept, setListNotKept] = useState<string>();
  const snapshotRef = useRef<OfflineSnapshot>(undefined);
  const setSnapshot = useCallback((next: OfflineSnapshot) => {
    snapshotRef.current = next;
    setSnapshotState(next);
  }, []);
  /** Fetches a new copy within FEED_REFRESH_SPREAD_MS (the feed says only a new copy will do). */
  const refreshNow = useRef<() => void>(undefined);
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    /** When the next refresh is due (ms; none scheduled yet: never). */
    let due = Infinity;
    let refreshing = false;
    const refresh = async () => {
      let next: number;
      refreshing = true;
      try {
        const { snapshot: fresh, notKept } = await refreshSnapshot(event, snapshotRef.current);
        if (stopped) return;
        setSnapshot(fresh);
        setListNotKept(notKept);
        next = fresh.refreshMs;
      } catch {
        next = 5_000; // offline or not staff: try again soon
      }
      refreshing = false;
      if (!stopped) schedule(next);
    };
    const schedule = (inMs: number) => {
      clearTimeout(timer);
      due = Date.now() + inMs;
      timer = setTimeout(() => void refresh(), inMs);
    };
    // At a random moment of the spread, unless one is due sooner: every device of a venue hears
    // the same answer within seconds (a gate server restarted, a change of the event), and their
    // copies, all at once, would fill the venue's Wi-Fi.
    refreshNow.current = () => {
      if (refreshing || stopped || due <= Date.now() + FEED_REFRESH_SPREAD_MS) return;
      schedule(Math.random() * FEED_REFRESH_SPREAD_MS);
    };
    // The first refresh after the saved copy is read: it asks with that copy's rows' tag, and
    // gets the rest without the rows when they are current (offline.ts, refreshSnapshot).
    void savedSnapshot(event)
      .then((saved) => !stopped && saved && !snapshotRef.current && setSnapshot(saved))
      .catch(() => undefined)
      .then(() => {
        if (stopped) return;
        void refresh();
        // Housekeeping, after this event's copy is read: never in the way of a scan.
        void forgetStaleCopies(event).catch(() => undefined);
      });
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [event, setSnapshot]);
  // The tickets admitted at other gates and devices, and those that changed hands, since the copy,
  // every USED_FEED_POLL_MS: a link that drops leaves the device seconds behind the door, not the
  // copy's 30 s.
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      const copy = snapshotRef.current;
      if (copy) {
        try {
          if ((await pollUsedFeed(copy)) === "refresh") refreshNow.current?.();
        } catch {
          // The gate out of reach: the copy and the feed so far stand.
        }
      }
      if (!stopped) timer = setTimeout(() => void poll(), USED_FEED_POLL_MS);
    };
    timer = setTimeout(() => void poll(), USED_FEED_POLL_MS);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [event]);
  const [device] = useState(thisDevice);
  const [queued, setQueued] = useState(0);
  const countQueue = useCallback(() => void queuedCount(event).then(setQueued, () => undefined), [event]);
  useEffect(countQueue, [countQueue]);
  // Uploads the queue whenever it is not empty; each answered admission leaves it.
  const uploading = useRef(false);
  useEffect(() => {
    if (queued === 0) return;
    const timer = setInterval(() => {
      if (uploading.current) return;
      uploading.current = true;
      uploadQueue(event)
        .then(() => {
          countQueue();
          void queryClient.invalidateQueries({ queryKey: ["gate-status", event] });
          void queryClient.invalidateQueries({ queryKey: ["gate-conflicts", event] });
        })
        .catch(() => countQueue())
        .finally(() => (uploading.current = false));
    }, UPLOAD_RETRY_MS);
    return () => clearInterval(timer);
  }, [queued, event, countQueue, queryClient]);
  const conflicts = useQuery<OfflineConflict[]>({
    queryKey: ["gate-conflicts", event],
    queryFn: () => loadConflicts(event),
    refetchInterval: CONFLICTS_POLL_MS,
    retry: false,
  });

  const [verdict, setVerdictState] = useState<ScanVerdict>();
  const [problem, setProblem] = useState<ScanProblem & { at?: number }>();
  const [busy, setBusy] = useState(false);
  const [admitted, setAdmitted] = useState(0);
  const busyRef = useRef(false);
  // The camera loop reads the verdict between renders: the ref changes with the state, at once.
  const verdictRef = useRef<ScanVerdict>(undefined);
  const setVerdict = useCallback((next: ScanVerdict | undefined) => {
    verdictRef.current = next;
    setVerdictState(next);
  }, []);
  const lastSeen = useRef<{ text: string; at: number }>(undefined);
  // Once a scan found the gate unreachable, passes are checked here at once (not after each
  // scan's 5 s wait) until the gate answers a probe again.
  const [linkDown, setLinkDown] = useState(false);
  const linkRef = useRef<GateLink>(undefined);
  useEffect(() => {
    const link = new GateLink({
      probe: () =>
        gateStatus(event, AbortSignal.timeout(LINK_PROBE_TIMEOUT_MS)).then(
          () => undefined,
          (error: unknown) => {
            // Any answer but "unreachable" (a 401, a 403) came from the gate: it is reachable.
            if (!(error instanceof ScanProblem) || error.kind === "unreachable") throw error;
          },
        ),
      probeEveryMs: LINK_PROBE_EVERY_MS,
      onChange: setLinkDown,
    });
    linkRef.current = link;
    return () => {
      link.stop();
      setLinkDown(false);
    };
  }, [event]);

  /** One check at the door (a scan, a typed code, a looked-up ticket): its verdict on screen. */
  const decide = useCallback(
    async (ask: () => Promise<ScanVerdict>) => {
      if (busyRef.current) return;
      busyRef.current = true;
      setBusy(true);
      try {
        const outcome = await ask();
        // Offline, this device then refuses the ticket too, before its list has it.
        if (!outcome.onDevice && outcome.ticket && (outcome.verdict === "admit" || outcome.reason === "already-used")) {
          heardFromGate(event, outcome.ticket.tokenId, outcome.verdict === "admit" ? outcome.admittedAt : undefined);
        }
        setProblem(undefined);
        setVerdict(outcome);
        signal(outcome.verdict === "admit");
        if (outcome.verdict === "admit") {
          setAdmitted((n) => n + 1);
          void queryClient.invalidateQueries({ queryKey: ["gate-status", event] });
        }
      } catch (error) {
        const p: ScanProblem & { at?: number } = error instanceof ScanProblem ? error : new ScanProblem("server", String(error));
        p.at = Date.now();
        setProblem(p);
        if (p.kind === "unauthorized") void queryClient.invalidateQueries({ queryKey: ["session"] });
      } finally {
        busyRef.current = false;
        setBusy(false);
      }
    },
    [event, queryClient, setVerdict],
  );
  /** The gate's verdict; when the gate cannot be reached, this device's (a pass, not a backup code: its secrets stay at the gate). */
  const submit = useCallback(
    (text: string) =>
      decide(async () => {
        const list = snapshotRef.current;
        const link = linkRef.current;
        // A backup code's secrets stay at the gate: only a pass can be checked here.
        const here = list && !isBackupCodeText(text) ? list : undefined;
        const onDevice = async (unanswered: boolean, sentAt?: number) => {
          const outcome = await admitOffline(here!, text, { unanswered, sentAt });
          countQueue();
          return outcome;
        };
        if (here && link?.down) return onDevice(false); // not sent: the gate cannot have acted on it
        const sentAt = Date.now();
        try {
          const outcome = await scanPass(event, text);
          link?.reached();
          return outcome;
        } catch (error) {
          const unreachable = error instanceof ScanProblem && error.kind === "unreachable";
          if (unreachable) link?.unreachable();
          else if (error instanceof ScanProblem) link?.reached();
          if (!unreachable || !here) throw error;
          return onDevice(error.unanswered, sentAt);
        }
      }),
    [decide, event, countQueue],
  );
  const admitTicket = useCallback((ticket: LookedUpTicket) => decide(() => admitLookedUp(event, ticket)), [decide, event]);

  /** A decoded camera frame: submitted unless the same text was seen in the last 3 s or a verdict is up. */
  const onCameraText = useCallback(
    (text: string) => {
      const now = Date.now();
      const last = lastSeen.current;
      lastSeen.current = { text, at: now };
      if (last && last.text === text && now - last.at < DEBOUNCE_MS) return;
      if (verdictRef.current || busyRef.current) {
        // Not checked now: forget it so the next frame after the verdict is submitted.
        if (!last || last.text !== text) lastSeen.current = undefined;
        return;
      }
      void submit(text);
    },
    [submit],
  );
  const camera = useQrCamera(onCameraText);

  const blocking = problem && (problem.kind === "not-gate-staff" || problem.kind === "unknown-event" || problem.kind === "unauthorized") ? problem : undefined;
  const statusBlocking = status.error && status.error.kind !== "unreachable" && status.error.kind !== "server" ? status.error : undefined;
  const shownProblem = blocking ?? statusBlocking;
  const scanUnreachable = problem?.kind === "unreachable" && (problem.at ?? 0) > status.dataUpdatedAt;
  // The gate cannot be reached: this device checks passes itself if it holds the event's list.
  const deviceOffline = !online || linkDown || status.error?.kind === "unreachable" || scanUnreachable || (verdict?.onDevice ?? false);

  return (
    <>
      {/* data-offline-list: the block of the offline snapshot this device holds (gate/offline.ts). */}
      <h1 className="gate-title" data-offline-list={snapshot?.block}>
        {t("scanner.title")}
        {name ? `: ${name}` : ""}
      </h1>
      {!name && <p className="address muted small gate-wrap">{event}</p>}
      {deviceOffline && snapshot ? (
        <DeviceOffline snapshot={snapshot} />
      ) : (
        <OfflineIndicator online={online} status={status.data} statusError={status.error ?? undefined} scanUnreachable={scanUnreachable} />
      )}
      {listNotKept && (
        <p className="notice error" role="status" data-testid="offline-list-not-kept">
          {t("offline.listNotKept", { message: listNotKept })}
        </p>
      )}
      {queued > 0 && (
        <p className="notice" role="status" data-testid="offline-queue" data-count={queued}>
          {t("offline.queued", { count: queued })}
        </p>
      )}
      <Conflicts conflicts={conflicts.data ?? []} device={device.id} zone={zone} />
      {shownProblem ? (
        <ProblemNotice problem={shownProblem} />
      ) : (
        <>
          {status.data?.cancelled && (
            <p className="notice error" role="alert">
              {t("scanner.eventCancelled")}
            </p>
          )}
          {status.data && !status.data.cancelled && !status.data.doorOpen && (
            <p className="notice" role="status" data-testid="door-not-open">
              {t("scanner.doorNotOpen", { opensAt: formatDateTime(status.data.checkInOpensAt, i18n.language, zone) })}
            </p>
          )}
          {problem && (problem.kind === "unreachable" || problem.kind === "server" || problem.kind === "device-storage") && (
            <p className="notice error" role="alert" data-testid="scan-problem" data-problem={problem.kind}>
              {problem.kind === "unreachable"
                ? t("scanner.notChecked")
                : t(problem.kind !== "device-storage" ? "scanner.serverError" : problem.storage === "read" ? "scanner.deviceStorageRead" : "scanner.deviceStorage", { message: problem.message })}
            </p>
          )}
          <Counters admitted={admitted} status={status.data} />
          <div className="gate-layout">
            <CameraPanel {...camera} />
            <ManualEntry busy={busy} onSubmit={(text) => void submit(text)} />
          </div>
          <LookupPanel event={event} zone={zone} device={device.id} busy={busy} onAdmit={admitTicket} />
        </>
      )}
      {verdict && <VerdictOverlay verdict={verdict} event={event} device={device.id} eventNames={eventNames} zone={zone} onDone={() => setVerdict(undefined)} />}
    </>
  );
}

function ProblemNotice({ problem }: { problem: ScanProblem }) {
  const { t } = useTranslation("gate");
  const text =
    problem.kind === "not-gate-staff" ? t("scanner.notStaff") : problem.kind === "unauthorized" ? t("scanner.signedOut") : t("scanner.unknownEvent");
  return (
    <p className="notice error gate-problem" role="alert" data-testid="gate-problem" data-problem={problem.kind}>
      {text}
    </p>
  );
}

/** An age in words, in seconds, minutes or hours as it grows ("45 seconds"). */
function ageInWords(ms: number, language: string): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  const [value, unit] = seconds < 120 ? [seconds, "second"] : seconds < 7200 ? [Math.round(seconds / 60), "minute"] : [Math.round(seconds / 3600), "hour"];
  return new Intl.NumberFormat(language, { style: "unit", unit, unitDisplay: "long" }).format(value);
}

function OfflineIndicator({ online, status, statusError, scanUnreachable }: { online: boolean; status?: GateStatus; statusError?: ScanProblem; scanUnreachable: boolean }) {
  const { t, i18n } = useTranslation("gate");
  const unit = (ms: number) => ageInWords(ms, i18n.language);
  let state: "browser" | "server" | "rpc" | "stale" | undefined;
  if (!online) state = "browser";
  else if (statusError?.kind === "unreachable" || scanUnreachable) state = "server";
  else if (status && (status.snapshot.offline || !status.snapshot.rpcReachable)) state = "rpc";
  // syncedAt moves only when a new block is applied (a quiet chain is not stale): the snapshot is
  // behind when its last sync failed.
  else if (status?.snapshot.lastError) state = "stale";
  if (!state) return null;
  const age = unit(status?.snapshot.ageMs ?? 0);
  const text =
    state === "browser"
      ? t("offline.browser")
      : state === "server"
        ? t("offline.server")
        : state === "rpc"
          ? t("offline.rpc", { age })
          : t("offline.stale");
  const severe = state === "browser" || state === "server";
  return (
    <p className={`gate-offline ${severe ? "severe" : "degraded"}`} role="status" aria-live="polite" data-testid="offline-indicator" data-state={state}>
      <span aria-hidden>{severe ? "✕" : "⚠"}</span> {text}
    </p>
  );
}

/** The device checks passes itself: says so, how old its list is, and how old its news of admissions elsewhere (the feed). */
function DeviceOffline({ snapshot }: { snapshot: OfflineSnapshot }) {
  const { t, i18n } = useTranslation("gate");
  // The list's time is the gate's: its age by the gate's clock as this device knows it. The feed's
  // last answer is by this device's own clock (it kept the time itself).
  const [now, setNow] = useState(() => ({ gate: gateClock.nowSeconds() * 1000, device: Date.now() }));
  useEffect(() => {
    const timer = setInterval(() => setNow({ gate: gateClock.nowSeconds() * 1000, device: Date.now() }), 10_000);
    return () => clearInterval(timer);
  }, []);
  const fedAt = usedFeedAnsweredAt(snapshot.event);
  const fedAge = fedAt === undefined ? undefined : Math.max(0, now.device - fedAt);
  return (
    <p className="gate-offline device" role="status" aria-live="polite" data-testid="device-offline" data-block={snapshot.block}>
      <span aria-hidden>⇣</span> {t("offline.device", { age: ageInWords(now.gate - snapshot.takenAt, i18n.language) })}{" "}
      {fedAge === undefined ? (
        t("offline.deviceNoFeed")
      ) : (
        <span data-testid="device-offline-feed" data-age-ms={fedAge}>
          {t("offline.deviceFeed", { age: ageInWords(fedAge, i18n.language) })}
        </span>
      )}
    </p>
  );
}

/** Tickets admitted at two places while offline, as the gate found them on upload (every device's). */
function Conflicts({ conflicts, device, zone }: { conflicts: OfflineConflict[]; device: string; zone: string | undefined }) {
  const { t, i18n } = useTranslation("gate");
  const who = useAdmitterName(device);
  if (conflicts.length === 0) return null;
  const time = (seconds?: number) => (seconds ? formatTime(seconds, i18n.language, zone) : "?");
  return (
    <div className="card gate-conflicts" role="alert" data-testid="offline-conflicts" data-count={conflicts.length}>
      <h2>{t("offline.conflictsTitle")}</h2>
      <ul>
        {conflicts.map((c) => (
          <li key={`${c.tokenId}-${c.device}`} data-testid="offline-conflict" data-token={c.tokenId}>
            {t("offline.conflict", {
              id: c.tokenId,
              device: who(c),
              at: time(c.admittedAt),
              winner: who(c.winner),
              winnerAt: time(c.winner.at),
            })}
          </li>
        ))}
      </ul>
    </div>
  );
}

function CameraPanel({ videoRef, state, error, decoder, start, stop }: ReturnType<typeof useQrCamera>) {
  const { t } = useTranslation("gate");
  const on = state === "on" || state === "starting";
  const errorText =
    error &&
    (error.kind === "denied"
      ? t("scanner.cameraDenied")
      : error.kind === "missing"
        ? t("scanner.cameraMissing")
        : error.kind === "insecure"
          ? t("scanner.cameraInsecure")
          : t("scanner.cameraFailed", { message: error.message }));
  return (
    <div className="card gate-camera">
      <div className="spread">
        <h2>{t("scanner.camera")}</h2>
        {on ? (
          <button type="button" className="secondary gate-big" data-testid="stop-camera" onClick={stop}>
            {t("scanner.stopCamera")}
          </button>
        ) : (
          <button type="button" className="primary gate-big" data-testid="start-camera" onClick={() => void start()}>
            {t("scanner.startCamera")}
          </button>
        )}
      </div>
      <div className={`gate-video ${on ? "on" : ""}`} data-testid="camera" data-state={state} data-decoder={decoder}>
        <video ref={videoRef} muted playsInline aria-label={t("scanner.videoLabel")} />
        {on && <span className="gate-aim" aria-hidden />}
      </div>
      {state === "starting" && <p className="muted small">{t("scanner.starting")}</p>}
      {state === "on" && (
        <p className="muted small" aria-live="polite">
          {t("scanner.scanning")} <span className="badge">{decoder === "native" ? t("scanner.decoderNative") : decoder === "zxing" ? t("scanner.decoderZxing") : t("scanner.decoderJs")}</span>
        </p>
      )}
      {errorText && (
        <p className="notice error" role="alert" data-testid="camera-error" data-error={error?.kind}>
          {errorText}
        </p>
      )}
    </div>
  );
}

function ManualEntry({ busy, onSubmit }: { busy: boolean; onSubmit: (text: string) => void }) {
  const { t } = useTranslation("gate");
  const [text, setText] = useState("");
  const [empty, setEmpty] = useState(false);
  const area = useRef<HTMLTextAreaElement>(null);
  // Emptied as soon as a pass is sent, so the next scan (a handheld scanner types into this
  // field and presses Enter, even while a verdict is up) never lands after the last one.
  const submit = () => {
    const pass = text.trim();
    if (!pass) return setEmpty(true);
    setText("");
    onSubmit(pass);
  };
  const onKeyDown = (e: ReactKeyboardEvent<HTMLTextAreaElement>) => {
    // Handheld scanners type the code and press Enter; Shift+Enter keeps a newline.
    if (e.key === "Enter" && !e.shiftKey) {
      e.preventDefault();
      submit();
    }
  };
  return (
    <form
      className="card gate-manual"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <h2>{t("scanner.manualTitle")}</h2>
      <label>
        {t("scanner.manualLabel")}
        <textarea
          ref={area}
          data-scan-input
          rows={3}
          value={text}
          onChange={(e) => {
            setText(e.target.value);
            setEmpty(false);
          }}
          onKeyDown={onKeyDown}
          spellCheck={false}
          autoCapitalize="characters"
          autoComplete="off"
          aria-describedby="gate-pass-hint"
          data-testid="manual-pass"
        />
      </label>
      <p id="gate-pass-hint" className={empty ? "notice error" : "muted small"}>
        {empty ? t("scanner.empty") : t("scanner.manualHint")}
      </p>
      <button type="submit" className="primary gate-big" disabled={busy} data-testid="manual-submit">
        {busy ? t("scanner.checking") : t("scanner.manualSubmit")}
      </button>
    </form>
  );
}

function Counters({ admitted, status }: { admitted: number; status?: GateStatus }) {
  const { t, i18n } = useTranslation("gate");
  const n = (value: number) => new Intl.NumberFormat(i18n.language).format(value);
  return (
    <div className="card gate-counters" aria-label={t("scanner.counters")}>
      <dl>
        <div>
          <dt>{t("scanner.admittedSession")}</dt>
          <dd data-testid="admitted-count" aria-live="polite">
            {admitted}
          </dd>
        </div>
        <div>
          <dt>{t("scanner.admittedEvent")}</dt>
          <dd data-testid="event-admitted-count">{status ? n(status.entered) : "–"}</dd>
        </div>
        <div>
          <dt>{t("scanner.tickets")}</dt>
          <dd data-testid="event-ticket-count">{status ? n(status.snapshot.tickets) : "–"}</dd>
        </div>
      </dl>
      {status && (
        <p className="muted small">
          {/* Door language: what staff need to know is whether the list is current, not a block number. */}
          {/* Behind or offline, the indicator above says so instead. */}
          {!status.snapshot.offline && !status.snapshot.lastError && (
            <span data-testid="list-state" data-block={status.snapshot.block}>
              {t("scanner.listCurrent")}
            </span>
          )}
          {status.ledger.pendingOnChain > 0 && <> · {t("scanner.pendingOnChain", { count: status.ledger.pendingOnChain })}</>}
          {(status.ledger.byBackupCode ?? 0) + (status.ledger.byLookup ?? 0) > 0 && (
            <span data-testid="admitted-by-hand">
              {" · "}
              {t("scanner.byHand", { code: n(status.ledger.byBackupCode ?? 0), lookup: n(status.ledger.byLookup ?? 0) })}
            </span>
          )}
          {(status.ledger.byOfflineDevice ?? 0) > 0 && (
            <span data-testid="admitted-offline">
              {" · "}
              {t("scanner.byOfflineDevice", { count: status.ledger.byOfflineDevice })}
            </span>
          )}
        </p>
      )}
    </div>
  );
}

function VerdictOverlay({
  verdict,
  event,
  device,
  eventNames,
  zone,
  onDone,
}: {
  verdict: ScanVerdict;
  event: string;
  device: string;
  eventNames: Map<string, string>;
  zone: string | undefined;
  onDone: () => void;
}) {
  const { t, i18n } = useTranslation("gate");
  const button = useRef<HTMLButtonElement>(null);
  const done = useRef(onDone);
  useEffect(() => {
    done.current = onDone;
  }, [onDone]);
  useEffect(() => {
    const previous = document.activeElement as HTMLElement | null;
    // Typing into the manual field goes on while the verdict shows (the next person's scan);
    // otherwise the verdict takes the focus, so Enter or Space dismisses it.
    if (!previous?.hasAttribute("data-scan-input")) button.current?.focus();
    const timer = setTimeout(() => done.current(), verdict.verdict === "refuse" && verdict.reason === "already-used" ? USED_VERDICT_MS : VERDICT_MS);
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape") done.current();
    };
    window.addEventListener("keydown", onKey);
    return () => {
      clearTimeout(timer);
      window.removeEventListener("keydown", onKey);
      previous?.focus?.();
    };
  }, [verdict]);

  const admit = verdict.verdict === "admit";
  const reason = verdict.verdict === "refuse" ? verdict.reason : undefined;
  // Too early is not a refusal of the ticket: amber, and the time to come back.
  const wait = reason === "too-early";
  const ticket = verdict.ticket;
  const slot =
    ticket?.entryStart !== undefined && ticket.entryEnd !== undefined
      ? formatDateTimeRange(ticket.entryStart, ticket.entryEnd, i18n.language, zone)
      : undefined;
  const known = reason !== undefined && KNOWN_REASONS.has(reason);
  // Another event the pass is for: by name when the staff work there too.
  const passEvent = verdict.verdict === "refuse" ? verdict.passEvent : undefined;
  const usedHere = verdict.verdict === "refuse" ? verdict.usedHere : undefined;
  // The times a reason names, at the door's own clock (the venue's).
  const facts = {
    opensAt: verdict.verdict === "refuse" && verdict.opensAt ? formatDateTime(verdict.opensAt, i18n.language, zone) : "",
    retryAt: verdict.verdict === "refuse" && verdict.retryAt ? formatTime(verdict.retryAt, i18n.language, zone) : "",
    from: ticket?.entryStart !== undefined ? formatTime(ticket.entryStart, i18n.language, zone) : "",
    until: ticket?.entryEnd !== undefined ? formatTime(ticket.entryEnd, i18n.language, zone) : "",
    other: (passEvent && eventNames.get(passEvent.toLowerCase())) ?? t("scanner.otherEvent", { address: passEvent ? shortAddress(passEvent) : "?" }),
  };
  return (
    <button
      ref={button}
      type="button"
      className={`gate-verdict ${admit ? "admit" : wait ? "wait" : "refuse"}`}
      data-testid="verdict"
      data-verdict={admit ? "admit" : "refuse"}
      data-reason={reason ?? ""}
      data-on-device={verdict.onDevice ? "true" : undefined}
      onClick={() => done.current()}
    >
      <span className="gate-verdict-word" role="alert">
        <span className="gate-verdict-icon" aria-hidden>
          {admit ? "✓" : wait ? "◷" : "✕"}
        </span>
        {admit ? t("verdict.admit") : wait ? t("verdict.wait") : t("verdict.refuse")}
      </span>
      {reason !== undefined && (
        <span className="gate-verdict-reason">
          <strong data-testid="verdict-title">{known ? t(`reason.${reason}.title`, facts) : t("reason.unknown.title")}</strong>
          <span>{known ? t(`reason.${reason}.text`, facts) : t("reason.unknown.text", { reason })}</span>
        </span>
      )}
      {ticket && (
        <span className="gate-verdict-facts">
          {ticket.tier && (
            <span>
              {t("verdict.tier")}: <strong data-testid="verdict-tier">{ticket.tier}</strong>
            </span>
          )}
          {ticket.seat && (
            <span>
              {t("verdict.seat")}: <strong data-testid="verdict-seat">{ticket.seat}</strong>
            </span>
          )}
          {slot && (
            <span>
              {t("verdict.slot")}: <strong data-testid="verdict-slot">{slot}</strong>
            </span>
          )}
          <span className="small">{t("verdict.token", { id: ticket.tokenId })}</span>
        </span>
      )}
      {reason === "already-used" && ticket && !verdict.onDevice && <UsedAt event={event} tokenId={ticket.tokenId} device={device} zone={zone} />}
      {reason === "already-used" && verdict.onDevice && (
        // Decided on the device: its own queue says when it admitted the ticket; else its list did.
        <span className="gate-verdict-used" data-testid="verdict-used-at" data-at={usedHere ?? ""}>
          {usedHere !== undefined ? t("usedAt.here", { at: formatTime(usedHere, i18n.language, zone) }) : t("usedAt.beforeOffline")}
        </span>
      )}
      {verdict.onDevice && (
        <span className="gate-verdict-offline" data-testid="verdict-offline">
          {admit ? t("offlineVerdict.admit") : t("offlineVerdict.refuse")}
        </span>
      )}
      <span className="gate-verdict-dismiss small">{t("verdict.dismiss")}</span>
    </button>
  );
}
