// The ticket pass: a rotating QR code. The holder's wallet signs a PassDelegation once per
// (chain, event, holder) for a pass key kept on this device; the pass key then signs a fresh
// frame every FRAME_INTERVAL_SECONDS without any wallet prompt (docs/ARCHITECTURE.md section 3).
import QRCode from "qrcode";
import { lazy, Suspense, useCallback, useEffect, useMemo, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router";
import { bytesToHex, getAddress, zeroAddress, type Address, type Hex } from "viem";
import { signTypedData } from "viem/actions";
import { useConnectorClient } from "wagmi";

import { MY_TICKETS, type MyTicket, type MyTickets } from "../../../lib/index/index.js";
import { FRAME_INTERVAL_SECONDS, makePass, MAX_QR_WALLET_SIGNATURE_BYTES, passKeyFromSecret, signDelegation, type PassDelegation, type ViemTypedDataSigner } from "../../../lib/pass/index.js";
import { api } from "../shared/api.js";
import { useNow } from "../shared/clock.js";
import { formatDateTime, formatTime } from "../shared/format.js";
import { useIndexQuery } from "../shared/index-query.js";
import { useEventMetadata } from "../shared/metadata.js";
import { useTicketHolder } from "../shared/offline.js";
import { ErrorState, LastKnown, Loading, RequireWallet } from "../shared/ui.js";
import { network } from "../wallet/network.js";
import "./fan.css";
import { useBackupCode } from "./backup-code.js";
import "./messages.js";
import { hasSlot, inCalendarSlot, lower, ticketSlotText } from "./util.js";

interface StoredPass {
  secret: Hex;
  delegation: { chainId: string; ticket: Address; tokenId: string; passKey: Hex; validUntil: number };
  signature: Hex;
}

const DAY = 86_400;
const PassNotFound = lazy(() => import("./PassNotFound.js").then((m) => ({ default: m.PassNotFound })));
const storageKey = (event: string, holder: string) => `chainpass.pass.${network.chainId}.${event.toLowerCase()}.${holder.toLowerCase()}`;

function loadPass(event: string, holder: string, validUntil: number): StoredPass | undefined {
  try {
    const stored = JSON.parse(localStorage.getItem(storageKey(event, holder)) ?? "null") as StoredPass | null;
    if (!stored || stored.delegation.validUntil !== validUntil || stored.delegation.validUntil <= Date.now() / 1000) return undefined;
    return stored;
  } catch {
    return undefined;
  }
}

const toDelegation = (d: StoredPass["delegation"]): PassDelegation => ({ ...d, chainId: BigInt(d.chainId), tokenId: BigInt(d.tokenId) });

export function PassPage() {
  const { t } = useTranslation("fan");
  return (
    <section className="fan pass-page">
      {/* Offline, the pass opens from this device's copies: My tickets' list and the pass key. */}
      <RequireWallet offline>
        <PassLoader />
      </RequireWallet>
      <p className="center">
        <Link to="/tickets">← {t("pass.back")}</Link>
      </p>
    </section>
  );
}

function PassLoader() {
  const { t, i18n } = useTranslation("fan");
  const params = useParams();
  const eventAddress = lower(params.event ?? "");
  const tokenId = params.tokenId ?? "";
  const address = useTicketHolder();
  const query = useIndexQuery<MyTickets>(MY_TICKETS, { owner: lower(address ?? zeroAddress) }, { enabled: !!address, keep: "tickets" });
  const ticket = query.data?.tickets.find((x) => x.event.id === eventAddress && x.tokenId === tokenId);
  const zone = useEventMetadata(ticket?.event.metadataURI).data?.timezone;

  if (query.isPending) return <Loading />;
  if (query.error && !query.data) return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  if (!ticket)
    return (
      <Suspense fallback={<Loading />}>
        <PassNotFound eventAddress={eventAddress} tokenId={tokenId} viewer={address ? getAddress(address) : undefined} />
      </Suspense>
    );
  if (ticket.checkedIn)
    return (
      <div className="card center" data-testid="pass-checked-in">
        <LastKnown query={query} />
        <h1>{t("pass.checkedInTitle")}</h1>
        {ticket.checkedInAt && <p>{t("tickets.checkedInAt", { date: formatDateTime(ticket.checkedInAt, i18n.language, zone) })}</p>}
      </div>
    );
  return (
    <>
      <LastKnown query={query} />
      <Pass ticket={ticket} holder={getAddress(address!)} />
    </>
  );
}

function Pass({ ticket, holder }: { ticket: MyTicket; holder: Address }) {
  const { t, i18n } = useTranslation("fan");
  const locale = i18n.language;
  const meta = useEventMetadata(ticket.event.metadataURI);
  const zone = meta.data?.timezone;
  // The connector's bare client with viem's one action this page needs: useWalletClient's client
  // carries every wallet action (writeContract and the rest), ~20 KB this route never uses.
  const { data: walletClient } = useConnectorClient();
  const eventAddress = getAddress(ticket.event.id);
  const validUntil = Number(ticket.event.end) + DAY;
  const [stored, setStored] = useState(() => loadPass(eventAddress, holder, validUntil));
  const [signError, setSignError] = useState<string | null>(null);
  const [signing, setSigning] = useState(false);
  const [qrText, setQrText] = useState<string | null>(null);
  const [secondsLeft, setSecondsLeft] = useState(FRAME_INTERVAL_SECONDS);
  const [qrSize, setQrSize] = useState(() => Math.min(window.innerWidth - 32, 480));
  const canvas = useRef<HTMLCanvasElement>(null);
  const container = useRef<HTMLDivElement>(null);
  const attempted = useRef(false);

  const setUp = useCallback(async () => {
    if (!walletClient) return;
    setSigning(true);
    setSignError(null);
    try {
      const secret = bytesToHex(crypto.getRandomValues(new Uint8Array(32)));
      const passKey = passKeyFromSecret(secret);
      const delegation: PassDelegation = { chainId: BigInt(network.chainId), ticket: eventAddress, tokenId: 0n, passKey: passKey.publicKey, validUntil };
      const signer: ViemTypedDataSigner = { signTypedData: (args) => signTypedData(walletClient, args as Parameters<typeof signTypedData>[1]) };
      let signature = await signDelegation(signer, delegation);
      // A smart account's signature (a passkey's) is too long for the QR code: registered with
      // the gate once, and the frames carry none.
      if ((signature.length - 2) / 2 > MAX_QR_WALLET_SIGNATURE_BYTES) {
        await api(`/gate/${eventAddress}/delegations`, {
          method: "POST",
          json: { delegation: { chainId: String(network.chainId), ticket: eventAddress, tokenId: "0", passKey: passKey.publicKey, validUntil }, holder, signature },
        });
        signature = "0x";
      }
      const value: StoredPass = { secret, signature, delegation: { chainId: String(network.chainId), ticket: eventAddress, tokenId: "0", passKey: passKey.publicKey, validUntil } };
      localStorage.setItem(storageKey(eventAddress, holder), JSON.stringify(value));
      setStored(value);
    } catch (error) {
      // Loaded on failure only: the decoder and viem's error classes are a sixth of this page.
      const { describeError } = await import("../shared/errors.js");
      setSignError(describeError(error, t, { locale, zone }).message);
    } finally {
      setSigning(false);
    }
  }, [walletClient, eventAddress, holder, validUntil, t, locale, zone]);

  // First open: ask the wallet for the one signature.
  useEffect(() => {
    if (!stored && walletClient && !attempted.current) {
      attempted.current = true;
      void setUp();
    }
  }, [stored, walletClient, setUp]);

  // A fresh frame every FRAME_INTERVAL_SECONDS, and the countdown to it.
  useEffect(() => {
    if (!stored) return;
    const passKey = passKeyFromSecret(stored.secret);
    const delegation = toDelegation(stored.delegation);
    let frameAt = 0;
    let cancelled = false;
    const tick = async () => {
      const now = Math.floor(Date.now() / 1000);
      if (now - frameAt >= FRAME_INTERVAL_SECONDS) {
        frameAt = now;
        const text = await makePass({ passKey, delegation, holder, walletSignature: stored.signature, tokenId: BigInt(ticket.tokenId), now });
        if (!cancelled) setQrText(text);
      }
      if (!cancelled) setSecondsLeft(FRAME_INTERVAL_SECONDS - (now - frameAt));
    };
    void tick();
    const id = setInterval(() => void tick(), 1000);
    return () => {
      cancelled = true;
      clearInterval(id);
    };
  }, [stored, holder, ticket.tokenId]);

  useEffect(() => {
    const onResize = () => setQrSize(Math.min(window.innerWidth - 32, window.innerHeight - 160, 480));
    onResize();
    window.addEventListener("resize", onResize);
    return () => window.removeEventListener("resize", onResize);
  }, []);

  useEffect(() => {
    if (qrText && canvas.current) void QRCode.toCanvas(canvas.current, qrText, { errorCorrectionLevel: "M", margin: 4, width: Math.max(qrSize, 240) });
  }, [qrText, qrSize]);

  // Keep the screen on while the pass is shown.
  useEffect(() => {
    let lock: WakeLockSentinel | undefined;
    let released = false;
    const request = async () => {
      try {
        if ("wakeLock" in navigator && document.visibilityState === "visible") lock = await navigator.wakeLock.request("screen");
        if (released) void lock?.release();
      } catch {
        // not allowed here (battery saver, no user gesture): the hint still tells the user
      }
    };
    void request();
    const onVisible = () => void request();
    document.addEventListener("visibilitychange", onVisible);
    return () => {
      released = true;
      document.removeEventListener("visibilitychange", onVisible);
      void lock?.release();
    };
  }, []);

  const passMaterial = useMemo(
    () => stored && { passKey: passKeyFromSecret(stored.secret), delegation: toDelegation(stored.delegation), holder, walletSignature: stored.signature },
    [stored, holder],
  );
  const backupCode = useBackupCode(passMaterial, BigInt(ticket.tokenId));

  const slot = ticketSlotText(ticket, t, locale, zone);

  return (
    <div className="pass" ref={container}>
      {!stored && (
        <div className="card center">
          <p>{t("pass.setupText")}</p>
          {signing && <p className="muted">{t("pass.signing")}</p>}
          {signError && (
            <p className="notice error" role="alert">
              {signError}
            </p>
          )}
          <button type="button" className="primary" disabled={signing || !walletClient} onClick={() => void setUp()} data-testid="sign-pass">
            {t("pass.setup")}
          </button>
        </div>
      )}
      {stored && (
        <>
          <div className="qr-frame">
            <canvas ref={canvas} data-testid="pass-qr" data-pass={qrText ?? ""} role="img" aria-label={t("pass.qrLabel")} />
          </div>
          <p className="countdown" aria-live="off" data-testid="pass-countdown">
            {t("pass.next", { seconds: secondsLeft })}
          </p>
          {backupCode && (
            <p className="backup-code" title={t("pass.backupHint")}>
              {t("pass.backupCode")} <strong data-testid="pass-backup-code">{backupCode}</strong>
              <span className="muted small">{t("pass.backupHint")}</span>
            </p>
          )}
        </>
      )}
      <div className="pass-info center">
        <h1>{meta.data?.name ?? ticket.event.name}</h1>
        <p>
          <strong>{ticket.tier.name}</strong> · #{ticket.tokenId}
        </p>
        {ticket.seatLabel && <p>{ticket.seatLabel}</p>}
        {slot && <p data-testid="pass-slot">{slot}</p>}
        {hasSlot(ticket) && <EntryWindow start={Number(ticket.entryStart)} end={Number(ticket.entryEnd)} zone={zone} />}
        {/* A calendar's ticket is for its slot: the event's start is the season's. */}
        {!inCalendarSlot(ticket) && <p className="muted small">{formatDateTime(ticket.event.start, locale, zone)}</p>}
        <p className="small notice">{t("pass.brightness")}</p>
        {document.fullscreenEnabled && (
          <button type="button" className="secondary" onClick={() => void (document.fullscreenElement ? document.exitFullscreen() : container.current?.requestFullscreen())} data-testid="pass-fullscreen">
            {t("pass.fullscreen")}
          </button>
        )}
      </div>
    </div>
  );
}

/**
 * Where the holder stands with a timed ticket's entry slot: a countdown before it (the gate answers
 * "too early" until then), open until when, or over.
 */
function EntryWindow({ start, end, zone }: { start: number; end: number; zone: string | undefined }) {
  const { t, i18n } = useTranslation("fan");
  const now = useNow(15_000);
  const at = (seconds: number) => formatTime(seconds, i18n.language, zone);
  if (now < start) {
    const minutes = Math.ceil((start - now) / 60);
    const [value, unit] = minutes < 120 ? [minutes, "minute"] : minutes < 48 * 60 ? [Math.round(minutes / 60), "hour"] : [Math.round(minutes / 1440), "day"];
    const wait = new Intl.RelativeTimeFormat(i18n.language, { numeric: "auto" }).format(value, unit as Intl.RelativeTimeFormatUnit);
    return (
      <p className="notice" data-testid="entry-window" data-state="before">
        {t("pass.entryOpensIn", { wait, time: at(start) })}
      </p>
    );
  }
  if (now < end) {
    return (
      <p className="notice ok" data-testid="entry-window" data-state="open">
        {t("pass.entryOpen", { time: at(end) })}
      </p>
    );
  }
  return (
    <p className="notice error" data-testid="entry-window" data-state="over">
      {t("pass.entryOver", { time: at(end) })}
    </p>
  );
}
