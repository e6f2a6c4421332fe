// Checkout: quantity or seats, voucher code, the presale proof, the contract's price, the
// recipient; the wallet's balance checked before anything is signed; then, for an ERC-20 whose
// allowance is short, a permit signed and sent with the purchase in one transaction (EIP-2612,
// lib/permit.ts), or approve and then buy where the token has no permit (./pay.ts); buy / buyWith.
// A tier on a timed-entry calendar is booked by day and slot, with the calendar's other ticket
// types, in one buySlot (./SlotCheckout.tsx, loaded when needed); a seated one (a run) picks a
// performance first, then seats taken in that performance only. A sales channel remembered from
// its link (./channel.ts) is credited while open: buyThrough for a plain tier, `options.channel`
// wherever buyWith is used. An event in its organizer's membership program: a tier with member perks
// is bought with buyWith at the price for the buyer's level on chain (./member-terms.ts), a
// members-only one is refused to a wallet that is not a member at its level, and a member may pay
// part of each ticket with points (./MemberCheckout.tsx, loaded for an event in a program).
import { lazy, Suspense, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router";
import { erc20Abi, getAddress, zeroAddress, type Address, type Hex } from "viem";
import { useAccount, useBalance, useConfig, useReadContract } from "wagmi";

import { chainpassEventFanAbi } from "../../../lib/abi/index.js";
import { membershipCheckoutAbi } from "../../../lib/abi/membershipCheckout.js";
import {
  available,
  EVENT_CALENDARS,
  EVENT_PAGE,
  type EventCalendar,
  type EventCalendars,
  type EventPage as EventPageResult,
  type EventPageChannel,
  type EventPageTier,
} from "../../../lib/index/index.js";
import { purchaseOptions } from "../../../lib/purchase-options.js";
import { seatLabel, type SeatBlock } from "../../../lib/seats.js";
import { NO_VOUCHER, type Voucher } from "../../../lib/vouchers.js";
import { api, ApiError } from "../shared/api.js";
import { describeError } from "../shared/errors.js";
import { currencyOf, formatAmount, formatDateTimeRange, shortAddress, type Currency } from "../shared/format.js";
import { useIndexQuery } from "../shared/index-query.js";
import { useEventMetadata } from "../shared/metadata.js";
import { EstimateNote, UsdEstimate, useUsdText } from "../shared/price-estimate.js";
import { useTransactions, TxFailed } from "../shared/tx.js";
import { openConnectDialog } from "../shared/connect.js";
import { ErrorState, Loading, TxStatus } from "../shared/ui.js";
import { useNow } from "../shared/clock.js";
import { useSalesChannel } from "./channel.js";
import "./fan.css";
import { GiftRecipientFieldset, PurchaseDoneActions, useGiftRecipient } from "./GiftRecipient.js";
import { useTakenSeats } from "./seat-states.js";
import "./messages.js";
import { payAndSend } from "./pay.js";
import { SeatMap } from "./SeatMap.js";
import { calendarOfTier, seatCount, type SlotView } from "./slots.js";
import { hasSlot, lower, saleState, toSeatBlocks, usePresaleProof } from "./util.js";
import { getsPerks, hasPerks, memberPrice, membersOnlyRefusal, type MemberStanding } from "./member-terms.js";
import type { PointsChoice, Program } from "./MemberCheckout.js";
import { network } from "../wallet/network.js";

// Calendars are booked on screens of their own, loaded when an event has one.
const SlotCheckout = lazy(() => import("./SlotCheckout.js").then((m) => ({ default: m.SlotCheckout })));
const PerformancePicker = lazy(() => import("./SlotCheckout.js").then((m) => ({ default: m.PerformancePicker })));
const MemberNotice = lazy(() => import("./MemberCheckout.js").then((m) => ({ default: m.MemberNotice })));
const PayWithPoints = lazy(() => import("./MemberCheckout.js").then((m) => ({ default: m.PayWithPoints })));

/** The wallet's membership of `program` on chain (what a purchase sees); undefined until read, or without a program or wallet. */
function useMemberStanding(program: Program | null, me: Address | undefined): MemberStanding | undefined {
  const args = [getAddress(program?.id ?? zeroAddress), me ?? zeroAddress] as const;
  const enabled = !!program && !!me;
  const joined = useReadContract({ address: network.membership, abi: membershipCheckoutAbi, functionName: "isMember", args, query: { enabled } });
  const level = useReadContract({ address: network.membership, abi: membershipCheckoutAbi, functionName: "levelOf", args, query: { enabled } });
  return joined.data === undefined || level.data === undefined ? undefined : { joined: joined.data, level: Number(level.data) };
}

interface StoredVoucher {
  code: string;
  voucher: Record<string, string | number>;
  signature: Hex;
}

function toVoucher(v: Record<string, string | number>): Voucher {
  return {
    eventAddress: getAddress(String(v.eventAddress)),
    tierId: BigInt(v.tierId),
    percentOffBps: Number(v.percentOffBps),
    amountOff: BigInt(v.amountOff),
    maxUses: Number(v.maxUses),
    expiresAt: Number(v.expiresAt),
    buyer: getAddress(String(v.buyer)),
    signer: getAddress(String(v.signer)),
    codeId: String(v.codeId) as Hex,
  };
}

export function CheckoutPage() {
  const { t } = useTranslation("fan");
  const params = useParams();
  const eventAddress = lower(params.event ?? "");
  const tierId = Number(params.tier);
  const query = useIndexQuery<EventPageResult>(EVENT_PAGE, { event: eventAddress }, { refetchInterval: 10_000 });
  // The calendars alone (their slots' bookings come with the month or the run on screen). An index
  // that cannot say (no calendars in its schema) leaves every tier to the plain checkout.
  const calendars = useIndexQuery<EventCalendars>(EVENT_CALENDARS, { event: eventAddress, from: "0", to: "0" }, { refetchInterval: 30_000 });
  const event = query.data?.event;
  const tier = event?.tiers.find((x) => x.tierId === tierId);
  const calendar = calendarOfTier(calendars.data?.event?.calendars, tierId);
  const sales = useSalesChannel(eventAddress, event?.channels);

  if (query.isLoading || calendars.isLoading) return <Loading />;
  if (query.error) return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  if (!event || !tier) return <p className="card center">{t("event.notFound")}</p>;
  const currency = currencyOf(event.currency);
  return (
    <section className="fan checkout">
      <p>
        <Link to={`/events/${eventAddress}`}>← {t("checkout.back")}</Link>
      </p>
      {/* The order first, the wallet when it is time to pay: the page shows what it costs before asking to connect. */}
      {calendar && !tier.seated ? (
        <Suspense fallback={<Loading />}>
          <SlotCheckout eventAddress={eventAddress} event={event} calendar={calendar} currency={currency} channel={sales.channel} dropChannel={sales.drop} />
        </Suspense>
      ) : (
        <Checkout
          eventAddress={eventAddress}
          tier={tier}
          currency={currency}
          metadataURI={event.metadataURI}
          eventName={event.name}
          cancelled={event.cancelled}
          eventEnd={event.end}
          calendar={calendar}
          tiers={event.tiers}
          channel={sales.channel}
          dropChannel={sales.drop}
          program={event.membershipProgram}
        />
      )}
    </section>
  );
}


function Checkout({
  eventAddress,
  tier,
  currency,
  metadataURI,
  eventName,
  cancelled,
  eventEnd,
  calendar,
  tiers,
  channel,
  dropChannel,
  program,
}: {
  eventAddress: Hex;
  tier: EventPageTier;
  currency: Currency;
  metadataURI: string;
  eventName: string;
  cancelled: boolean;
  eventEnd: string;
  /** The calendar whose performances this seated tier sells (a run), if any. */
  calendar?: EventCalendar;
  tiers: EventPageTier[];
  /** The open sales channel this purchase is credited to, if any. */
  channel?: EventPageChannel;
  /** Stops crediting it (the chain refused it). */
  dropChannel: () => void;
  /** The organizer's membership program the event is in, if any. */
  program: Program | null;
}) {
  const { t, i18n } = useTranslation("fan");
  const locale = i18n.language;
  const config = useConfig();
  const { address: me } = useAccount();
  const meta = useEventMetadata(metadataURI);
  const now = useNow(5000);
  const event = getAddress(eventAddress);
  const tierIdBig = BigInt(tier.tierId);

  const [quantity, setQuantity] = useState(1);
  const [seats, setSeats] = useState<number[]>([]);
  /** A run's performance (its slot), once picked. */
  const [performance, setPerformance] = useState<SlotView>();
  const run = calendar && tier.seated ? calendar : undefined;
  const [code, setCode] = useState("");
  const [voucher, setVoucher] = useState<{ code: string; voucher: Voucher; signature: Hex } | null>(null);
  const [voucherError, setVoucherError] = useState<string | null>(null);
  const [checkingCode, setCheckingCode] = useState(false);
  /** What the last purchase bought, repeated on the confirmation. */
  const [done, setDone] = useState<{ count: number; seats: string[]; total: bigint; recipient: Address; performance?: SlotView; channel?: string; points?: bigint } | null>(null);
  /** Points to pay part of each ticket with, and the member's proof for them (PayWithPoints). */
  const [points, setPoints] = useState<PointsChoice>();
  const standing = useMemberStanding(program, me);
  const perks = hasPerks(tier);
  const refusal = membersOnlyRefusal(tier, standing);
  const pointValue = BigInt(program?.pointValues.find((v) => lower(v.currency) === lower(currency.address))?.value ?? 0);
  const tx = useTransactions({ currency, zone: meta.data?.timezone });

  const gift = useGiftRecipient(me);
  const { recipient } = gift;
  // A run sells its seat map once per performance: the tier's sold counts every performance's.
  const state = saleState(run ? { ...tier, sold: "0" } : tier, now, cancelled);
  const presale = state === "presale";
  // The presale proof and allowance are the buyer's own, whoever receives the tickets.
  const proof = usePresaleProof(eventAddress, tier.tierId, me?.toLowerCase(), presale);
  const taken = useTakenSeats(tier, run && { calendar: run, slot: performance?.slot });
  const seatBlocks = useMemo(() => toSeatBlocks(tier.seatBlocks), [tier.seatBlocks]);

  const purchased = useReadContract({
    address: event,
    abi: chainpassEventFanAbi,
    functionName: "purchased",
    args: [tierIdBig, recipient ?? zeroAddress],
    query: { enabled: !!recipient },
  });
  // What the buyer bought itself counts against its presale allowance (the contract's view also
  // counts what others bought for it, so this errs on the safe side).
  const boughtByMe = useReadContract({
    address: event,
    abi: chainpassEventFanAbi,
    functionName: "purchased",
    args: [tierIdBig, me ?? zeroAddress],
    query: { enabled: !!me && presale },
  });
  const activeVoucher = voucher?.voucher ?? NO_VOUCHER;
  const price = useReadContract({
    address: event,
    abi: chainpassEventFanAbi,
    functionName: "priceOf",
    args: [tierIdBig, me ?? zeroAddress, activeVoucher],
  });

  const remaining = run ? BigInt(performance ? seatCount(tier) - (taken.data?.size ?? 0) : 0) : available(tier);
  const max = useMemo(() => {
    let limit = remaining;
    // A member at the tier's perk level may buy extraPerWallet more.
    const extra = getsPerks(tier, standing) ? BigInt(tier.extraPerWallet) : 0n;
    const perWallet = BigInt(tier.maxPerWallet) > 0n ? BigInt(tier.maxPerWallet) + extra : 0n;
    if (perWallet > 0n) {
      const left = perWallet - (purchased.data ?? 0n);
      if (left < limit) limit = left;
    }
    if (presale && proof.data) {
      const left = BigInt(proof.data.allowance) - (boughtByMe.data ?? 0n);
      if (left < limit) limit = left;
    }
    if (limit > 20n) limit = 20n;
    return Number(limit < 0n ? 0n : limit);
  }, [remaining, tier, standing, purchased.data, presale, proof.data, boughtByMe.data]);

  const count = tier.seated ? seats.length : quantity;
  // The limit can drop under the chosen quantity (a purchase elsewhere): follow it while rendering.
  if (!tier.seated && quantity > max && max > 0) setQuantity(max);

  // The price after any voucher, then the member's discount, then the points each ticket uses.
  const memberUnit = price.data !== undefined ? memberPrice(tier, price.data, standing) : undefined;
  const unit = memberUnit !== undefined && points ? memberUnit - points.perTicket * pointValue : memberUnit;
  const total = unit !== undefined ? unit * BigInt(count) : undefined;
  // The unit price's estimate in US dollars goes in its line: "3 × 0.04 ETH (≈ $100.00)".
  const usd = useUsdText(currency);
  const priceError = price.error ? describeError(price.error, t, { currency, locale }).message : null;

  // What the wallet holds: a purchase it cannot pay is not offered (no approve, no gas spent on
  // a sure failure), and the page says what is missing.
  const tokenBalance = useReadContract({ address: currency.address, abi: erc20Abi, functionName: "balanceOf", args: me ? [me] : undefined, query: { enabled: !!me && !currency.native } });
  const ethBalance = useBalance({ address: me, query: { enabled: !!me && currency.native } });
  const held = currency.native ? ethBalance.data?.value : tokenBalance.data;
  const short = held !== undefined && total !== undefined && count > 0 && held < total;

  async function applyVoucher() {
    setVoucherError(null);
    setVoucher(null);
    const typed = code.trim();
    if (!typed) return;
    setCheckingCode(true);
    try {
      const found = await api<StoredVoucher>(`/events/${eventAddress}/vouchers/${encodeURIComponent(typed)}`);
      setVoucher({ code: found.code, voucher: toVoucher(found.voucher), signature: found.signature });
    } catch (error) {
      // In the reader's language: the server's code, not its English sentence.
      if (error instanceof ApiError && error.code === "unknown-code") setVoucherError(t("checkout.voucherUnknown", { code: typed }));
      else setVoucherError(t("checkout.voucherFailed", { message: error instanceof Error ? error.message : String(error) }));
    } finally {
      setCheckingCode(false);
    }
  }

  async function buy() {
    if (!me || !recipient || total === undefined || count === 0) return;
    if (run && !performance) return;
    // The total on screen is the most this purchase may cost (maxTotal): if the price moved since
    // (an early price ending, a change by the organizer), the contract refuses with PriceAboveLimit.
    const shownTotal = total;
    const channelId = BigInt(channel?.channelId ?? 0);
    tx.reset();
    try {
      const useOptions = tier.seated || presale || !!voucher || perks || !!points;
      const purchase = useOptions
        ? {
            functionName: "buyWith" as const,
            args: [
              tierIdBig,
              BigInt(count),
              recipient,
              purchaseOptions({
                seats: seats.map(BigInt),
                proof: presale && proof.data ? proof.data.proof : [],
                allowance: presale && proof.data ? BigInt(proof.data.allowance) : 0n,
                voucher: activeVoucher,
                voucherSignature: voucher?.signature ?? "0x",
                maxTotal: shownTotal,
                slot: BigInt(performance?.slot ?? 0),
                channel: channelId,
                member: points?.member ?? "0x",
              }),
            ],
          }
        : channel
          ? { functionName: "buyThrough" as const, args: [tierIdBig, BigInt(count), recipient, shownTotal, channelId] }
          : { functionName: "buy" as const, args: [tierIdBig, BigInt(count), recipient, shownTotal] };
      // The membership contract's errors pass through the purchase: decoded with the event's.
      const errors = program ? membershipCheckoutAbi : undefined;
      const sent = await payAndSend({ config, tx, t, locale, currency, me, event, total: shownTotal, purchase, errors });
      if (sent === "short") return void tokenBalance.refetch();
      setDone({ count, seats: seats.map((seat) => seatLabelOf(seatBlocks, seat)), total: shownTotal, recipient, performance, channel: channel?.label, points: points && points.perTicket * BigInt(count) });
      setSeats([]);
    } catch (error) {
      if (!(error instanceof TxFailed)) throw error;
      // The price moved (up: PriceAboveLimit; down, in ETH: IncorrectPayment): show the new one.
      if (error.decoded.name === "PriceAboveLimit" || error.decoded.name === "IncorrectPayment") void price.refetch();
      // Someone took a seat first: show the map as it is now.
      if (error.decoded.name === "SeatTaken") void taken.refetch();
      // The channel closed meanwhile: the page says so (errors:UnknownChannel); buying again goes without it.
      if (error.decoded.name === "UnknownChannel") dropChannel();
    }
  }

  if (done) {
    return (
      <div className="card center success" data-testid="checkout-done">
        <h1>{t("checkout.done")}</h1>
        <p>{t(done.recipient === me ? "checkout.doneText" : "checkout.doneTextGift", { event: meta.data?.name ?? eventName, recipient: shortAddress(done.recipient) })}</p>
        <dl className="bought" data-testid="checkout-bought">
          <dt>{t("checkout.boughtTickets")}</dt>
          <dd>{t("checkout.boughtLine", { count: done.count, tier: tier.name })}</dd>
          {done.seats.length > 0 && (
            <>
              <dt>{t("seats.title")}</dt>
              <dd>{done.seats.join("; ")}</dd>
            </>
          )}
          {hasSlot(tier) && (
            <>
              <dt>{t("checkout.boughtSlot")}</dt>
              <dd>{formatDateTimeRange(tier.entryStart, tier.entryEnd, locale, meta.data?.timezone)}</dd>
            </>
          )}
          {done.performance && (
            <>
              <dt>{t("calendar.performance")}</dt>
              <dd data-testid="bought-performance">{formatDateTimeRange(done.performance.start, done.performance.end, locale, meta.data?.timezone)}</dd>
            </>
          )}
          {done.channel && (
            <>
              <dt>{t("checkout.boughtChannel")}</dt>
              <dd data-testid="bought-channel">{done.channel}</dd>
            </>
          )}
          {done.points !== undefined && (
            <>
              <dt>{t("membership:points.used")}</dt>
              <dd data-testid="bought-points">{done.points.toString()}</dd>
            </>
          )}
          <dt>{t("checkout.boughtTotal")}</dt>
          <dd>{formatAmount(done.total, currency, locale)}</dd>
        </dl>
        <TxStatus steps={tx.steps} />
        <PurchaseDoneActions
          onMore={() => {
            setDone(null);
            tx.reset();
          }}
        />
      </div>
    );
  }

  const saleBlocked = cancelled || !(state === "open" || state === "presale") || performance?.state === "closed";
  // A tier with perks waits for the wallet's level: the price sent must be the one the chain computes.
  const memberBlocked = !!refusal || (perks && !standing);
  const canBuy = !short && !saleBlocked && !memberBlocked && !!recipient && count > 0 && count <= Math.max(max, tier.seated ? 1000 : 0) && total !== undefined && !tx.busy && !(presale && !proof.data);

  return (
    <form
      className="card checkout-form"
      onSubmit={(e) => {
        e.preventDefault();
        void buy();
      }}
    >
      <h1>
        {meta.data?.name ?? eventName} · {tier.name}
      </h1>
      {hasSlot(tier) && <p data-testid="checkout-slot">{t("tier.slot", { slot: formatDateTimeRange(tier.entryStart, tier.entryEnd, locale, meta.data?.timezone) })}</p>}
      {channel && (
        <p className="small muted" data-testid="sold-by">
          {t("checkout.soldBy", { label: channel.label })}
        </p>
      )}
      {saleBlocked && <p className="notice error">{cancelled ? t("event.cancelled") : t(`sale.${state}`)}</p>}
      {presale && (
        <p className={`notice ${proof.data ? "ok" : proof.isLoading || !me ? "" : "error"}`} data-testid="presale-status">
          {!me ? t("checkout.presaleConnect") : proof.isLoading ? t("tier.presaleChecking") : proof.data ? t("checkout.presaleProof", { allowance: proof.data.allowance }) : t("tier.notEligible")}
        </p>
      )}

      {program && (
        <Suspense fallback={null}>
          <MemberNotice program={program} tier={tier} standing={standing} listUnit={price.data} memberUnit={memberUnit} currency={currency} />
        </Suspense>
      )}
      {!saleBlocked && max === 0 && purchased.isSuccess && !(run && !performance) && (
        <p className="notice error" data-testid="limit-reached">
          {remaining === 0n ? t("sale.soldOut") : t("checkout.limitReached")}
        </p>
      )}
      {run && (
        <Suspense fallback={<Loading />}>
          <PerformancePicker
            eventAddress={eventAddress}
            calendar={run}
            tiers={tiers}
            eventEnd={eventEnd}
            zone={meta.data?.timezone}
            selected={performance?.slot}
            onSelect={(p) => {
              setPerformance(p);
              setSeats([]);
            }}
          />
        </Suspense>
      )}
      {run && !performance ? null : tier.seated ? (
        <fieldset>
          <legend>{t("seats.title")}</legend>
          {performance && (
            <p data-testid="performance-chosen">
              <strong>{t("calendar.ticketPerformance", { slot: formatDateTimeRange(performance.start, performance.end, locale, meta.data?.timezone) })}</strong>
            </p>
          )}
          <p className="small muted">{t("seats.hint", { max })}</p>
          {taken.isLoading ? (
            <Loading />
          ) : taken.error ? (
            <ErrorState error={taken.error} />
          ) : (
            <SeatMap
              blocks={tier.seatBlocks}
              seatBlocks={seatBlocks}
              taken={taken.data ?? new Set()}
              selected={seats}
              maxSelected={max}
              onToggle={(seat) => setSeats((all) => (all.includes(seat) ? all.filter((s) => s !== seat) : [...all, seat]))}
            />
          )}
          <p data-testid="selected-seats">{seats.length ? seats.map((s) => seatLabelOf(seatBlocks, s)).join("; ") : t("seats.none")}</p>
          <input type="hidden" data-testid="quantity" value={seats.length} readOnly />
        </fieldset>
      ) : (
        <label>
          {t("checkout.quantity")}
          <span className="row">
            <input
              type="number"
              inputMode="numeric"
              min={1}
              max={Math.max(max, 1)}
              value={quantity}
              onChange={(e) => setQuantity(Math.max(1, Math.min(Math.max(max, 1), Number(e.target.value) || 1)))}
              data-testid="quantity"
              className="qty"
            />
            <span className="muted small">{t("checkout.maxHint", { max })}</span>
          </span>
        </label>
      )}

      <fieldset>
        <legend>{t("checkout.voucher")}</legend>
        <div className="row">
          <input aria-label={t("checkout.voucherCode")} placeholder={t("checkout.voucherCode")} value={code} onChange={(e) => { setCode(e.target.value); setVoucherError(null); }} data-testid="voucher-code" autoCapitalize="characters" />
          <button type="button" className="secondary" onClick={() => void applyVoucher()} disabled={checkingCode || !code.trim()} data-testid="apply-voucher">
            {t("checkout.apply")}
          </button>
          {voucher && (
            <button type="button" className="link" onClick={() => { setVoucher(null); setCode(""); }}>
              {t("checkout.removeVoucher")}
            </button>
          )}
        </div>
        {voucher && (
          <p className="notice ok" data-testid="voucher-result">
            {t("checkout.voucherApplied", {
              code: voucher.code,
              discount: voucher.voucher.percentOffBps > 0 ? `${voucher.voucher.percentOffBps / 100}%` : formatAmount(voucher.voucher.amountOff, currency, locale),
            })}
          </p>
        )}
        {voucherError && (
          <p className="notice error" data-testid="voucher-result" role="alert">
            {voucherError}
          </p>
        )}
      </fieldset>

      <GiftRecipientFieldset state={gift} />
      {program && me && standing?.joined && pointValue > 0n && memberUnit !== undefined && memberUnit > 0n && count > 0 && (
        <Suspense fallback={null}>
          <PayWithPoints program={program.id} member={me} pointValue={pointValue} unitPrice={memberUnit} count={count} currency={currency} onChange={setPoints} />
        </Suspense>
      )}

      <div className="total-row spread">
        <span>
          {unit !== undefined && count > 0 && (
            <span className="muted small" data-testid="unit">
              {t("checkout.unit", { count, price: usd ? `${formatAmount(unit, currency, locale)} (${usd(unit)})` : formatAmount(unit, currency, locale) })}{" "}
            </span>
          )}
        </span>
        <span>
          <strong data-testid="total">{total !== undefined ? formatAmount(total, currency, locale) : "…"}</strong>
          {total !== undefined && count > 0 && <UsdEstimate amount={total} currency={currency} testId="usd-total" />}
        </span>
      </div>
      <EstimateNote currency={currency} />
      {priceError && (
        <p className="notice error" role="alert" data-testid="price-error">
          {priceError}
        </p>
      )}
      {total !== undefined && count > 0 && (
        <p className="small muted" data-testid="price-guard">
          {t("checkout.priceGuard", { total: formatAmount(total, currency, locale) })}
        </p>
      )}
      {short && (
        <p className="notice error" role="alert" data-testid="balance-short">
          {t(currency.native ? "checkout.notEnoughEth" : "checkout.notEnough", { needed: formatAmount(total!, currency, locale), have: formatAmount(held!, currency, locale) })}
        </p>
      )}
      {!currency.native && <p className="small muted">{t("checkout.approveHint", { symbol: currency.symbol })}</p>}
      {me ? (
        <button type="submit" className="primary big" disabled={!canBuy} data-testid="buy">
          {tx.busy ? t("checkout.buying") : total !== undefined && count > 0 ? t("checkout.buyFor", { total: formatAmount(total, currency, locale) }) : t("tier.buy")}
        </button>
      ) : (
        <div className="notice connect-to-buy" data-testid="connect-to-buy">
          <p>{t("checkout.connectToBuy")}</p>
          <button type="button" className="primary big" onClick={openConnectDialog} data-testid="connect-in-page">
            {t("checkout.connect")}
          </button>
        </div>
      )}
      <TxStatus steps={tx.steps} />
    </form>
  );
}

const seatLabelOf = (blocks: SeatBlock[], seat: number) => seatLabel(blocks, seat) ?? String(seat);
