// Create-event wizard: one page in five numbered sections (details, artwork, money & rules, tiers,
// review) with a progress indicator. Creating runs: event metadata to IPFS → TicketFactory.createEvent
// → tier options and seat maps on the new event, each step with its state.
import { useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate } from "react-router";
import { parseEventLogs, stringToHex, zeroHash, type Abi, type Address, type Hex } from "viem";
import { useAccount, useReadContract } from "wagmi";

import { chainpassEventAbi, ticketFactoryAbi } from "../../../lib/abi/index.js";
import { api, ApiError } from "../shared/api.js";
import { formatAmount, formatDateTimeRange, nowSeconds } from "../shared/format.js";
import { ipfsUrl } from "../shared/metadata.js";
import { browserTimeZone, formatZoned, timeZoneChoices } from "../shared/venue-time.js";
import { TxFailed, useTransactions } from "../shared/tx.js";
import { RequireSession, TxStatus } from "../shared/ui.js";
import { network } from "../wallet/network.js";
import "./messages.js";
import "./organizer.css";
import { rememberPresaleStart } from "./presale.js";
import {
  currencyFor,
  localToUnix,
  MAX_RESALE_CAP_BPS,
  MAX_ROYALTY_BPS,
  parseAmount,
  percentToBps,
  policyIndex,
  POLICIES,
  symbolFrom,
  type CurrencyChoice,
  type PolicyChoice,
} from "./util.js";

const KINDS = ["adult", "child", "student", "vip", "group"] as const;
type Kind = (typeof KINDS)[number] | "";

interface SectionDraft {
  name: string;
  rows: string;
  seatsPerRow: string;
  lettered: boolean;
}

interface TierDraft {
  key: number;
  kind: Kind;
  name: string;
  price: string;
  supply: string;
  maxPerWallet: string;
  saleStart: string;
  saleEnd: string;
  earlyPrice: string;
  earlyUntil: string;
  entryStart: string;
  entryEnd: string;
  presaleStart: string;
  seated: boolean;
  sections: SectionDraft[];
}

let nextKey = 1;
const newTier = (): TierDraft => ({
  key: nextKey++,
  kind: "",
  name: "",
  price: "",
  supply: "",
  maxPerWallet: "",
  saleStart: "",
  saleEnd: "",
  earlyPrice: "",
  earlyUntil: "",
  entryStart: "",
  entryEnd: "",
  presaleStart: "",
  seated: false,
  sections: [],
});

const seatCount = (t: TierDraft) => t.sections.reduce((sum, s) => sum + (Number(s.rows) || 0) * (Number(s.seatsPerRow) || 0), 0);
const uint = (v: string) => (/^\d+$/.test(v.trim()) ? Number(v.trim()) : undefined);

const STEPS = ["details", "artwork", "money", "tiers", "review"] as const;
type Step = (typeof STEPS)[number];

/** The zones the wizard offers (IANA names, with the organizer's own and UTC). */
const zones = timeZoneChoices();

/** createEvent's ABI with the new event's errors too: its initialize reverts through the factory. */
const CREATE_ABI = [...ticketFactoryAbi, ...chainpassEventAbi.filter((item) => item.type === "error")] as Abi;

export function CreateEventPage() {
  const { t } = useTranslation("organizer");
  return (
    <section>
      <p>
        <Link to="/organizer">{t("back")}</Link>
      </p>
      <h1>{t("create.title")}</h1>
      <RequireSession>
        <Wizard />
      </RequireSession>
    </section>
  );
}

function Wizard() {
  const { t, i18n } = useTranslation("organizer");
  const { address } = useAccount();
  const navigate = useNavigate();

  // a. details
  const [name, setName] = useState("");
  const [symbol, setSymbol] = useState("");
  const [symbolEdited, setSymbolEdited] = useState(false);
  const [description, setDescription] = useState("");
  const [venueName, setVenueName] = useState("");
  const [venueAddress, setVenueAddress] = useState("");
  const [start, setStart] = useState("");
  const [end, setEnd] = useState("");
  // The venue's zone: every date and time below is its wall clock (the organizer's zone by default).
  const [timezone, setTimezone] = useState(browserTimeZone);
  // b. artwork
  const [artwork, setArtwork] = useState<{ uri: string; cid: string } | null>(null);
  const [artworkError, setArtworkError] = useState<string | null>(null);
  const [uploading, setUploading] = useState(false);
  // c. money & rules
  const [currencyChoice, setCurrencyChoice] = useState<CurrencyChoice>("eth");
  const [payout, setPayout] = useState("");
  const [royalty, setRoyalty] = useState("5");
  const [resaleCap, setResaleCap] = useState("110");
  // Capped by default: under Open the resale cap binds nothing (any outside market can move a ticket).
  const [policy, setPolicy] = useState<PolicyChoice>("capped");
  const [gifts, setGifts] = useState("1");
  // d. tiers
  const [tiers, setTiers] = useState<TierDraft[]>(() => [newTier()]);
  // e. create
  const [problems, setProblems] = useState<string[]>([]);
  const [metadataState, setMetadataState] = useState<"idle" | "pending" | "done" | "failed">("idle");
  const [metadataError, setMetadataError] = useState<string | null>(null);
  const [created, setCreated] = useState<Address | null>(null);
  const [running, setRunning] = useState(false);

  const currency = currencyFor(currencyChoice);
  const { steps, send, busy, reset } = useTransactions({ currency, zone: timezone });
  // The platform's fee now, shown to the organizer and passed as the most they accept: a fee
  // raised before the transaction lands makes createEvent refuse (PlatformFeeAboveLimit).
  const platformFee = useReadContract({ address: network.factory, abi: ticketFactoryAbi, functionName: "platformFeeBps" });
  const feeBps = platformFee.data;
  const currencyAllowed = useReadContract({ address: network.factory, abi: ticketFactoryAbi, functionName: "isCurrencyAllowed", args: [currency.address] });
  const feePercent = feeBps === undefined ? "…" : `${new Intl.NumberFormat(i18n.language, { maximumFractionDigits: 2 }).format(feeBps / 100)}%`;

  /** A datetime-local value of this form, read on the venue's clock. */
  const toUnix = (value: string) => localToUnix(value, timezone);
  const startUnix = toUnix(start);
  const endUnix = toUnix(end);
  const payoutAddress = (payout.trim() || address || "") as Address;
  const royaltyBps = percentToBps(royalty);
  const resaleCapBps = percentToBps(resaleCap);

  // ---- validation, per section ----
  function detailsProblems(): string[] {
    const p: string[] = [];
    if (!name.trim()) p.push(t("create.problem.name"));
    if (!/^[A-Za-z0-9]{1,11}$/.test(symbol.trim() || symbolFrom(name))) p.push(t("create.problem.symbol"));
    if (!description.trim()) p.push(t("create.problem.description"));
    if (!venueName.trim()) p.push(t("create.problem.venue"));
    if (!startUnix || !endUnix || endUnix <= startUnix) p.push(t("create.problem.times"));
    else if (endUnix <= nowSeconds()) p.push(t("create.problem.past"));
    return p;
  }
  function artworkProblems(): string[] {
    return artwork ? [] : [t("create.problem.artwork")];
  }
  function moneyProblems(): string[] {
    const p: string[] = [];
    if (!/^0x[0-9a-fA-F]{40}$/.test(payoutAddress)) p.push(t("create.problem.payout"));
    if (royaltyBps === undefined || royaltyBps > MAX_ROYALTY_BPS) p.push(t("create.problem.royalty", { max: MAX_ROYALTY_BPS / 100 }));
    if (resaleCapBps === undefined || resaleCapBps > MAX_RESALE_CAP_BPS)
      p.push(t("create.problem.resaleCap"));
    if (policy === "capped" && (uint(gifts) === undefined || uint(gifts)! > 255)) p.push(t("create.problem.gifts"));
    if (currencyAllowed.data === false) p.push(t("create.problem.currency", { currency: currency.symbol }));
    if (feeBps === undefined) p.push(t("create.problem.fee"));
    return p;
  }
  function tierProblems(): string[] {
    const p: string[] = [];
    const names = new Set<string>();
    tiers.forEach((tier, i) => {
      const label = tier.name.trim() || t("create.tierN", { n: i + 1 });
      const at = (key: string, extra: Record<string, unknown> = {}) => p.push(`${label}: ${t(`create.problem.${key}`, extra)}`);
      if (!tier.name.trim()) at("tierName");
      else if (names.has(tier.name.trim())) at("tierDuplicate");
      names.add(tier.name.trim());
      if (parseAmount(tier.price, currency) === undefined) at("price");
      const supply = uint(tier.supply);
      if (!supply || supply > 999_999) at("supply");
      if (tier.maxPerWallet && (uint(tier.maxPerWallet) === undefined || uint(tier.maxPerWallet)! > 65_535)) at("maxPerWallet");
      const saleStart = tier.saleStart ? toUnix(tier.saleStart) : nowSeconds();
      const saleEnd = tier.saleEnd ? toUnix(tier.saleEnd) : startUnix;
      if (!saleStart || !saleEnd || saleStart >= saleEnd || (endUnix && saleEnd > endUnix)) at("saleWindow");
      if (!!tier.earlyPrice !== !!tier.earlyUntil) at("early");
      else if (tier.earlyPrice) {
        const early = parseAmount(tier.earlyPrice, currency);
        const until = toUnix(tier.earlyUntil);
        if (!early || !until || (saleEnd && until > saleEnd)) at("early");
      }
      if (tier.entryStart || tier.entryEnd) {
        const a = toUnix(tier.entryStart);
        const b = toUnix(tier.entryEnd);
        if (!a || !b || a >= b) at("entry");
      }
      if (tier.presaleStart) {
        const ps = toUnix(tier.presaleStart);
        if (!ps || !saleStart || ps >= saleStart) at("presale");
      }
      if (tier.seated) {
        const bad = tier.sections.length === 0 || tier.sections.some((s) => !s.name.trim() || new TextEncoder().encode(s.name.trim()).length > 16 || !uint(s.rows) || !uint(s.seatsPerRow));
        if (bad) at("sections");
        else if (seatCount(tier) !== supply) at("seatCount", { seats: seatCount(tier), supply: tier.supply || 0 });
      }
    });
    return p;
  }
  const sectionProblems: Record<Step, () => string[]> = {
    details: detailsProblems,
    artwork: artworkProblems,
    money: moneyProblems,
    tiers: tierProblems,
    review: () => [],
  };
  const complete = (s: Step) => (s === "review" ? !!created : sectionProblems[s]().length === 0);

  // ---- artwork ----
  async function upload(file: File | undefined) {
    if (!file) return;
    setArtworkError(null);
    setUploading(true);
    try {
      const result = await api<{ uri: string; cid: string }>("/metadata/artwork", {
        method: "POST",
        body: file,
        headers: { "content-type": file.type || "application/octet-stream" },
      });
      setArtwork({ uri: result.uri, cid: result.cid });
    } catch (error) {
      setArtwork(null);
      setArtworkError(error instanceof ApiError ? t("create.artworkRefused", { message: error.message }) : String(error));
    } finally {
      setUploading(false);
    }
  }

  // ---- tiers ----
  const patchTier = (key: number, patch: Partial<TierDraft>) => setTiers((all) => all.map((x) => (x.key === key ? { ...x, ...patch } : x)));

  // ---- create ----
  async function create() {
    const all = [...detailsProblems(), ...artworkProblems(), ...moneyProblems(), ...tierProblems()];
    setProblems(all);
    if (all.length > 0 || feeBps === undefined) {
      document.getElementById("create-problems")?.focus();
      return;
    }
    const acceptedFeeBps = feeBps;
    reset();
    setRunning(true);
    setMetadataError(null);
    setMetadataState("pending");
    try {
      const now = nowSeconds();
      const tierParams = tiers.map((tier) => ({
        name: tier.name.trim(),
        price: parseAmount(tier.price, currency)!,
        supply: Number(tier.supply),
        maxPerWallet: tier.maxPerWallet ? Number(tier.maxPerWallet) : 0,
        saleStart: tier.saleStart ? toUnix(tier.saleStart)! : now,
        saleEnd: tier.saleEnd ? toUnix(tier.saleEnd)! : startUnix!,
      }));
      let uri: string;
      try {
        const metadata = await api<{ uri: string }>("/metadata/event", {
          method: "POST",
          json: {
            name: name.trim(),
            description: description.trim(),
            image: artwork!.uri,
            venue: venueAddress.trim() ? { name: venueName.trim(), address: venueAddress.trim() } : { name: venueName.trim() },
            start_time: startUnix,
            end_time: endUnix,
            timezone,
            currency: { symbol: currency.symbol, decimals: currency.decimals },
            tiers: tierParams.map((x) => ({ name: x.name, price: x.price.toString() })),
          },
        });
        uri = metadata.uri;
        setMetadataState("done");
      } catch (error) {
        setMetadataState("failed");
        setMetadataError(error instanceof Error ? error.message : String(error));
        return;
      }
      const params = {
        name: name.trim(),
        symbol: (symbol.trim() || symbolFrom(name)).toUpperCase(),
        metadataURI: uri,
        start: startUnix!,
        end: endUnix!,
        currency: currency.address,
        payout: payoutAddress,
        royaltyBps: royaltyBps!,
        resaleCapBps: resaleCapBps!,
        policy: policyIndex(policy),
        giftsPerHolder: policy === "capped" ? Number(gifts) : 0,
      };
      const receipt = await send(t("create.tx.create"), {
        address: network.factory,
        abi: CREATE_ABI,
        functionName: "createEvent",
        args: [params, tierParams, acceptedFeeBps],
      }).catch((error: unknown) => {
        // Show the new fee (the refusal names it too) so the organizer can accept it knowingly.
        if (error instanceof TxFailed && error.decoded.name === "PlatformFeeAboveLimit") void platformFee.refetch();
        throw error;
      });
      const [log] = parseEventLogs({ abi: ticketFactoryAbi, eventName: "EventCreated", logs: receipt.logs });
      const ticket = (log?.args as { ticket: Address } | undefined)?.ticket;
      if (!ticket) throw new Error("EventCreated not found in the receipt");
      setCreated(ticket);
      for (const [i, tier] of tiers.entries()) {
        const tierId = BigInt(i + 1);
        if (tier.presaleStart) rememberPresaleStart(ticket, i + 1, toUnix(tier.presaleStart)!);
        if (tier.earlyPrice || tier.entryStart) {
          const options = {
            earlyPrice: tier.earlyPrice ? parseAmount(tier.earlyPrice, currency)! : 0n,
            earlyUntil: tier.earlyPrice ? toUnix(tier.earlyUntil)! : 0,
            entryStart: tier.entryStart ? toUnix(tier.entryStart)! : 0,
            entryEnd: tier.entryStart ? toUnix(tier.entryEnd)! : 0,
            presaleStart: 0,
            presaleRoot: zeroHash as Hex,
          };
          await send(t("create.tx.options", { tier: tier.name.trim() }), { address: ticket, abi: chainpassEventAbi, functionName: "setTierOptions", args: [tierId, options] });
        }
        if (tier.seated) {
          const blocks = tier.sections.map((s) => ({
            section: stringToHex(s.name.trim(), { size: 16 }),
            firstRow: 1,
            rows: Number(s.rows),
            firstSeat: 1,
            seatsPerRow: Number(s.seatsPerRow),
            letteredRows: s.lettered,
          }));
          await send(t("create.tx.seats", { tier: tier.name.trim() }), { address: ticket, abi: chainpassEventAbi, functionName: "setSeatMap", args: [tierId, blocks] });
        }
      }
      void navigate(`/organizer/${ticket.toLowerCase()}`);
    } catch (error) {
      if (!(error instanceof TxFailed)) setMetadataError(error instanceof Error ? error.message : String(error));
    } finally {
      setRunning(false);
    }
  }

  const goTo = (s: Step) => {
    const el = document.getElementById(`step-${s}`);
    el?.scrollIntoView({ behavior: "smooth", block: "start" });
    el?.querySelector<HTMLElement>("h2")?.focus();
  };

  const stepNav = (step: Step) => {
    const i = STEPS.indexOf(step);
    return (
      <div className="row step-nav">
        {i > 0 && (
          <button type="button" className="secondary" onClick={() => goTo(STEPS[i - 1]!)}>
            {t("create.back")}
          </button>
        )}
        {i < STEPS.length - 1 && (
          <button type="button" className="primary" onClick={() => goTo(STEPS[i + 1]!)}>
            {t("create.next")}
          </button>
        )}
      </div>
    );
  };

  const Section = ({ step, children }: { step: Step; children: ReactNode }) => (
    <section id={`step-${step}`} className="card wizard-step" aria-labelledby={`step-${step}-title`}>
      <h2 id={`step-${step}-title`} tabIndex={-1}>
        <span className="step-number">{STEPS.indexOf(step) + 1}</span> {t(`create.steps.${step}`)}
      </h2>
      {children}
    </section>
  );

  const problemsFor = (s: Step) => {
    const list = sectionProblems[s]();
    return list.length === 0 ? null : (
      <p className="muted small">{t("create.toComplete", { n: list.length })}</p>
    );
  };

  return (
    <div className="wizard">
      <nav aria-label={t("create.progress")} className="wizard-progress">
        <ol>
          {STEPS.map((s, i) => (
            <li key={s} className={complete(s) ? "done" : ""}>
              <a
                href={`#step-${s}`}
                onClick={(e) => {
                  e.preventDefault();
                  goTo(s);
                }}
              >
                <span className="step-number" aria-hidden>
                  {complete(s) ? "✓" : i + 1}
                </span>
                <span>{t(`create.steps.${s}`)}</span>
                <span className="sr-only">{complete(s) ? t("create.stepDone") : t("create.stepTodo")}</span>
              </a>
            </li>
          ))}
        </ol>
      </nav>

      {Section({
        step: "details",
        children: (
          <>
            <div className="form-grid">
              <label>
                {t("create.name")}
                <input
                  data-testid="event-name"
                  value={name}
                  maxLength={200}
                  onChange={(e) => {
                    setName(e.target.value);
                    if (!symbolEdited) setSymbol(symbolFrom(e.target.value));
                  }}
                />
              </label>
              <label>
                {t("create.symbol")}
                <input
                  data-testid="event-symbol"
                  value={symbol}
                  maxLength={11}
                  onChange={(e) => {
                    setSymbol(e.target.value.toUpperCase());
                    setSymbolEdited(true);
                  }}
                />
                <span className="muted small">{t("create.symbolHelp")}</span>
              </label>
            </div>
            <label>
              {t("create.description")}
              <textarea data-testid="event-description" rows={4} value={description} maxLength={10_000} onChange={(e) => setDescription(e.target.value)} />
            </label>
            <div className="form-grid">
              <label>
                {t("create.venueName")}
                <input data-testid="venue-name" value={venueName} maxLength={200} onChange={(e) => setVenueName(e.target.value)} />
              </label>
              <label>
                {t("create.venueAddress")}
                <input data-testid="venue-address" value={venueAddress} maxLength={500} onChange={(e) => setVenueAddress(e.target.value)} />
              </label>
              <label>
                {t("create.timezone")}
                <select data-testid="event-timezone" value={timezone} onChange={(e) => setTimezone(e.target.value)} aria-describedby="timezone-help">
                  {zones.map((zone) => (
                    <option key={zone} value={zone}>
                      {zone.replace(/_/g, " ")}
                    </option>
                  ))}
                </select>
              </label>
              <label>
                {t("create.start")}
                <input type="datetime-local" data-testid="event-start" value={start} onChange={(e) => setStart(e.target.value)} />
              </label>
              <label>
                {t("create.end")}
                <input type="datetime-local" data-testid="event-end" value={end} min={start || undefined} onChange={(e) => setEnd(e.target.value)} />
              </label>
            </div>
            <p className="muted small" id="timezone-help" data-testid="timezone-help">
              {t("create.timezoneHelp", { zone: timezone, now: formatZoned(nowSeconds(), { locale: i18n.language, zone: timezone, reader: timezone, shape: "time" }) })}
            </p>
            {problemsFor("details")}
            {stepNav("details")}
          </>
        ),
      })}

      {Section({
        step: "artwork",
        children: (
          <>
            <label>
              {t("create.artwork")}
              <input
                type="file"
                data-testid="artwork"
                accept="image/png,image/jpeg,image/webp,image/svg+xml"
                onChange={(e) => void upload(e.target.files?.[0])}
                aria-describedby="artwork-help"
              />
            </label>
            <p id="artwork-help" className="muted small">
              {t("create.artworkHelp")}
            </p>
            {uploading && (
              <p className="muted" role="status">
                {t("create.uploading")}
              </p>
            )}
            {artworkError && (
              <p className="notice error" role="alert" data-testid="artwork-error">
                {artworkError}
              </p>
            )}
            {artwork && (
              <figure className="artwork-preview">
                <img src={ipfsUrl(artwork.uri)} alt={t("create.artworkAlt")} data-testid="artwork-preview" />
                <figcaption>
                  <code className="small break" data-testid="artwork-uri">
                    {artwork.uri}
                  </code>
                </figcaption>
              </figure>
            )}
            {stepNav("artwork")}
          </>
        ),
      })}

      {Section({
        step: "money",
        children: (
          <>
            <div className="form-grid">
              <label>
                {t("create.currency")}
                <select data-testid="currency" value={currencyChoice} onChange={(e) => setCurrencyChoice(e.target.value as CurrencyChoice)}>
                  <option value="eth">{t("create.currencyEth")}</option>
                  {network.stablecoin && <option value="usdc">{network.stablecoin.symbol}</option>}
                </select>
              </label>
              <label>
                {t("create.payout")}
                <input data-testid="payout" value={payout} placeholder={address} onChange={(e) => setPayout(e.target.value.trim())} spellCheck={false} />
                <span className="muted small">{t("create.payoutHelp")}</span>
              </label>
              <label>
                {t("create.royalty")}
                <input data-testid="royalty" inputMode="decimal" value={royalty} onChange={(e) => setRoyalty(e.target.value)} />
                <span className="muted small">{t("create.royaltyHelp", { max: MAX_ROYALTY_BPS / 100 })}</span>
              </label>
              <label>
                {t("create.resaleCap")}
                <input data-testid="resale-cap" inputMode="decimal" value={resaleCap} onChange={(e) => setResaleCap(e.target.value)} />
                <span className="muted small">{t("create.resaleCapHelp")}</span>
              </label>
              <label>
                {t("create.policy")}
                <select data-testid="policy" value={policy} onChange={(e) => setPolicy(e.target.value as PolicyChoice)} aria-describedby="policy-help">
                  {POLICIES.map((p) => (
                    <option key={p} value={p}>
                      {t(`policy.${p}`)}
                    </option>
                  ))}
                </select>
                <span id="policy-help" className="muted small">
                  {t(`policy.${policy}Help`)}
                </span>
              </label>
              {policy === "capped" && (
                <label>
                  {t("create.gifts")}
                  <input data-testid="gifts" inputMode="numeric" value={gifts} onChange={(e) => setGifts(e.target.value)} />
                </label>
              )}
            </div>
            <p className="muted small" data-testid="platform-fee">
              {platformFee.error ? t("create.feeUnavailable") : t("create.feeNote", { fee: feePercent })}
            </p>
            {problemsFor("money")}
            {stepNav("money")}
          </>
        ),
      })}

      {Section({
        step: "tiers",
        children: (
          <>
            {tiers.map((tier, i) => (
              <TierEditor
                key={tier.key}
                index={i}
                tier={tier}
                currencySymbol={currency.symbol}
                removable={tiers.length > 1}
                onChange={(patch) => patchTier(tier.key, patch)}
                onRemove={() => setTiers((all) => all.filter((x) => x.key !== tier.key))}
              />
            ))}
            <button type="button" className="secondary" data-testid="add-tier" onClick={() => setTiers((all) => [...all, newTier()])}>
              {t("create.addTier")}
            </button>
            {problemsFor("tiers")}
            {stepNav("tiers")}
          </>
        ),
      })}

      {Section({
        step: "review",
        children: (
          <>
            <dl className="review">
              <dt>{t("create.name")}</dt>
              <dd>
                {name || "—"} ({symbol || symbolFrom(name)})
              </dd>
              <dt>{t("create.when")}</dt>
              <dd data-testid="review-when">{startUnix && endUnix ? formatDateTimeRange(startUnix, endUnix, i18n.language, timezone) : "—"}</dd>
              <dt>{t("create.venueName")}</dt>
              <dd>{venueName || "—"}</dd>
              <dt>{t("create.rules")}</dt>
              <dd>
                {t("create.rulesSummary", {
                  currency: currency.symbol,
                  royalty: royalty || "0",
                  cap: resaleCapBps === 0 ? t("create.noResale") : `${resaleCap}%`,
                  policy: t(`policy.${policy}`),
                })}
              </dd>
              <dt>{t("create.fee")}</dt>
              <dd data-testid="review-fee">{feePercent}</dd>
              <dt>{t("create.steps.tiers")}</dt>
              <dd>
                <ul>
                  {tiers.map((tier, i) => {
                    const price = parseAmount(tier.price, currency);
                    return (
                      <li key={tier.key}>
                        {tier.name || t("create.tierN", { n: i + 1 })}: {price !== undefined ? formatAmount(price, currency, i18n.language) : "—"} × {tier.supply || 0}
                      </li>
                    );
                  })}
                </ul>
              </dd>
            </dl>
            {problems.length > 0 && (
              <div className="notice error" role="alert" id="create-problems" tabIndex={-1} data-testid="create-problems">
                <p>{t("create.fix")}</p>
                <ul>
                  {problems.map((p, i) => (
                    <li key={i}>{p}</li>
                  ))}
                </ul>
              </div>
            )}
            <ol className="tx-steps" aria-live="polite">
              {metadataState !== "idle" && (
                <li className={`tx-step ${metadataState === "done" ? "confirmed" : metadataState === "failed" ? "failed" : "pending"}`} data-state={metadataState}>
                  {t(`create.metadata.${metadataState}`, { message: metadataError ?? "" })}
                </li>
              )}
            </ol>
            {metadataState !== "failed" && metadataError && <p className="notice error">{metadataError}</p>}
            <TxStatus steps={steps} />
            {created && !running && (
              <p className="notice">
                <Link to={`/organizer/${created.toLowerCase()}`}>{t("create.openConsole")}</Link>
              </p>
            )}
            <div className="row">
              {stepNav("review")}
              <button type="button" className="primary" data-testid="create-event" disabled={running || busy} onClick={() => void create()}>
                {running ? t("create.creating") : t("create.create")}
              </button>
            </div>
          </>
        ),
      })}
    </div>
  );
}

function TierEditor({
  index,
  tier,
  currencySymbol,
  removable,
  onChange,
  onRemove,
}: {
  index: number;
  tier: TierDraft;
  currencySymbol: string;
  removable: boolean;
  onChange: (patch: Partial<TierDraft>) => void;
  onRemove: () => void;
}) {
  const { t } = useTranslation("organizer");
  const seats = seatCount(tier);
  const patchSection = (j: number, patch: Partial<SectionDraft>) => onChange({ sections: tier.sections.map((s, k) => (k === j ? { ...s, ...patch } : s)) });
  const presetNames = KINDS.map((k) => t(`kinds.${k}`));
  return (
    <fieldset className="tier-editor" data-testid={`tier-${index}`}>
      <legend>{tier.name.trim() || t("create.tierN", { n: index + 1 })}</legend>
      <div className="form-grid">
        <label>
          {t("create.kind")}
          <select
            data-testid={`tier-kind-${index}`}
            value={tier.kind}
            onChange={(e) => {
              const kind = e.target.value as Kind;
              const patch: Partial<TierDraft> = { kind };
              if (kind && (!tier.name.trim() || presetNames.includes(tier.name.trim()))) patch.name = t(`kinds.${kind}`);
              if (kind === "group" && !tier.maxPerWallet) patch.maxPerWallet = "10";
              onChange(patch);
            }}
          >
            <option value="">{t("kinds.none")}</option>
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`kinds.${k}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("create.tierName")}
          <input data-testid={`tier-name-${index}`} value={tier.name} maxLength={100} onChange={(e) => onChange({ name: e.target.value })} />
        </label>
        <label>
          {t("create.price", { currency: currencySymbol })}
          <input data-testid={`tier-price-${index}`} inputMode="decimal" value={tier.price} onChange={(e) => onChange({ price: e.target.value })} />
        </label>
        <label>
          {t("create.supply")}
          <input data-testid={`tier-supply-${index}`} inputMode="numeric" value={tier.supply} onChange={(e) => onChange({ supply: e.target.value })} />
        </label>
        <label>
          {t("create.maxPerWallet")}
          <input data-testid={`tier-max-${index}`} inputMode="numeric" value={tier.maxPerWallet} placeholder={t("create.unlimited")} onChange={(e) => onChange({ maxPerWallet: e.target.value })} />
        </label>
        <label>
          {t("create.saleStart")}
          <input type="datetime-local" data-testid={`tier-sale-start-${index}`} value={tier.saleStart} onChange={(e) => onChange({ saleStart: e.target.value })} />
          <span className="muted small">{t("create.saleStartHelp")}</span>
        </label>
        <label>
          {t("create.saleEnd")}
          <input type="datetime-local" data-testid={`tier-sale-end-${index}`} value={tier.saleEnd} onChange={(e) => onChange({ saleEnd: e.target.value })} />
          <span className="muted small">{t("create.saleEndHelp")}</span>
        </label>
      </div>
      <details className="tier-options">
        <summary>{t("create.options")}</summary>
        <div className="form-grid">
          <label>
            {t("create.earlyPrice", { currency: currencySymbol })}
            <input data-testid={`tier-early-price-${index}`} inputMode="decimal" value={tier.earlyPrice} onChange={(e) => onChange({ earlyPrice: e.target.value })} />
          </label>
          <label>
            {t("create.earlyUntil")}
            <input type="datetime-local" data-testid={`tier-early-until-${index}`} value={tier.earlyUntil} onChange={(e) => onChange({ earlyUntil: e.target.value })} />
          </label>
          <label>
            {t("create.entryStart")}
            <input type="datetime-local" data-testid={`tier-entry-start-${index}`} value={tier.entryStart} onChange={(e) => onChange({ entryStart: e.target.value })} />
          </label>
          <label>
            {t("create.entryEnd")}
            <input type="datetime-local" data-testid={`tier-entry-end-${index}`} value={tier.entryEnd} onChange={(e) => onChange({ entryEnd: e.target.value })} />
          </label>
          <label>
            {t("create.presaleStart")}
            <input type="datetime-local" data-testid={`tier-presale-${index}`} value={tier.presaleStart} onChange={(e) => onChange({ presaleStart: e.target.value })} />
            <span className="muted small">{t("create.presaleHelp")}</span>
          </label>
        </div>
        <label className="inline">
          <input
            type="checkbox"
            data-testid={`tier-seated-${index}`}
            checked={tier.seated}
            onChange={(e) => onChange({ seated: e.target.checked, sections: e.target.checked && tier.sections.length === 0 ? [{ name: "", rows: "", seatsPerRow: "", lettered: true }] : tier.sections })}
          />
          {t("create.seated")}
        </label>
        {tier.seated && (
          <div className="seating">
            {tier.sections.map((s, j) => (
              <div key={j} className="form-grid seat-section">
                <label>
                  {t("create.section")}
                  <input data-testid={`tier-${index}-section-${j}`} value={s.name} maxLength={16} onChange={(e) => patchSection(j, { name: e.target.value })} />
                </label>
                <label>
                  {t("create.rows")}
                  <input data-testid={`tier-${index}-rows-${j}`} inputMode="numeric" value={s.rows} onChange={(e) => patchSection(j, { rows: e.target.value })} />
                </label>
                <label>
                  {t("create.seatsPerRow")}
                  <input data-testid={`tier-${index}-seats-${j}`} inputMode="numeric" value={s.seatsPerRow} onChange={(e) => patchSection(j, { seatsPerRow: e.target.value })} />
                </label>
                <label className="inline">
                  <input type="checkbox" checked={s.lettered} onChange={(e) => patchSection(j, { lettered: e.target.checked })} />
                  {t("create.lettered")}
                </label>
                <button type="button" className="link" onClick={() => onChange({ sections: tier.sections.filter((_, k) => k !== j) })}>
                  {t("create.removeSection")}
                </button>
              </div>
            ))}
            <div className="row">
              <button type="button" className="secondary" onClick={() => onChange({ sections: [...tier.sections, { name: "", rows: "", seatsPerRow: "", lettered: true }] })}>
                {t("create.addSection")}
              </button>
              <span data-testid={`tier-seat-count-${index}`} className={seats === Number(tier.supply) ? "badge ok" : "badge bad"}>
                {t("create.seatCount", { seats, supply: tier.supply || 0 })}
              </span>
              {seats > 0 && seats !== Number(tier.supply) && (
                <button type="button" className="link" onClick={() => onChange({ supply: String(seats) })}>
                  {t("create.useSeatCount")}
                </button>
              )}
            </div>
          </div>
        )}
      </details>
      {removable && (
        <button type="button" className="link danger-link" data-testid={`remove-tier-${index}`} onClick={onRemove}>
          {t("create.removeTier")}
        </button>
      )}
    </fieldset>
  );
}
