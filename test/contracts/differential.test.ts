// Differential test (issue 12, requirement 11). A seeded random sequence of operations runs on one
// event and, side by side, on a plain TypeScript model of what the event promises: approvals and
// operators, plain and safe transfers, gifts, listings (list, update, cancel, buy), primary
// purchases (plain, seated, with vouchers; enough distinct limited tiers per wallet that its
// purchase counts spill past the ones packed in its ERC-721 balance word), organizer refunds that
// burn a ticket and may release its place (a released seat is sold again later), returns by the
// holder under a refund policy (full before the check-in window, 60% in it; the kept share stays in
// the escrow, the place always back on sale), exchanges for another tier or seat (the difference
// paid up, or refunded down at the policy's share), deny-list toggles, check-ins inside the
// check-in window and their undoing.
//
// Season timed entry (issue 15, requirement 9): three unseated tiers (10..12) sell one calendar's
// slots (6 days, 4 slots a day in 2 runs, the morning run closed on two weekdays, day 2 closed, 3
// places a slot shared by the three). buySlot books random mixes of them in random slots (0, past
// the season, closed, full, sale closed; now and then a tier not on the calendar), buyWith books
// one of them with options.slot, returns and exchanges take slot tickets and slot targets (their
// deadlines counted from the slot's start), and time moves through the season (its day 0, then
// its day 3) before the check-in window. slotInfo is read for every slot booked so far and a
// quarter of the others in turn, entryWindow once for every slot ticket minted. After every step
// the model checks its invariants (a slot's bookings within its capacity and equal to its live
// tickets plus the places organizer refunds kept; the escrow equal to what live tickets paid plus
// what returns and exchanges kept; no ticket refunded twice), and the contract's views and refund
// events must say the same.
//
// The model predicts every step's outcome: success, or the custom error (name and arguments) the
// step must revert with. After every step, views are compared with the model in one batched
// eth_call (contracts/test/ViewBatch.sol): every view the model says the step changed, a sixth of
// the others in turn (so a change the model did not predict shows within six steps), and all of
// them at the start and the end. The views: ownerOf, getApproved, pricePaid, isCheckedIn, listing
// and listingState for every token id ever minted (burnt ones must revert with
// ERC721NonexistentToken), ownerOf for each tier's next serial and every seat not sold yet;
// balanceOf, isApprovedForAll, purchased, giftsUsed and isDenied for every actor; tier,
// isSeatTaken, the escrow, the refund books, accrued royalties and voucher uses; returnQuote for
// every token.
//
// Two events run: ETH under the Open policy (approvals and operator transfers allowed) and
// MockUSDC under the Capped policy (approvals and plain transfers refused, gifts limited).
// The seed is printed; set CHAINPASS_DIFF_SEED (decimal or 0x hex) to replay or explore another.
import { expect } from "chai";
import { network } from "hardhat";

import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { ZeroHash, id as keccakOfText, type ContractTransactionResponse, type Interface } from "ethers";
import { type CalendarRule, slotWindow, weekdayMask, weekdayOf } from "../../lib/calendar.js";
import { codeIdFor, signVoucher, type Voucher } from "../../lib/vouchers.js";
import type { IChainpassEvent } from "../../types/ethers-contracts/index.js";
import {
  ANY_PRICE,
  CHECK_IN_LEAD,
  DAY,
  HOUR,
  PLATFORM_FEE_BPS,
  Policy,
  ZERO,
  createEvent,
  deployPlatform,
  eventInput,
  purchaseOptions,
  tierInput,
  tokenIdOf,
  typedDataSigner,
} from "../helpers/fixtures.js";
import { prng } from "../helpers/prng.js";

// One chain per event: the two sequences run side by side (the chains are independent, and the
// batched reads of one run while the other's model works).
const chains = [await network.create(), await network.create()];

const DEFAULT_SEED = 0xd1ff_2011;
const STEPS = 302;
/** Every view is read at least once in this many steps (see compareViews). */
const ROTATION = 6;
/** The step that moves time into the check-in window (check-ins before it must be refused). */
const CHECK_IN_STEP = 205;
const BPS = 10_000n;
const RESALE_CAP_BPS = 11_000n;
const ROYALTY_BPS = 500n;
const GIFTS_PER_HOLDER = 2;
const ORGANIZER_ROLE = ZeroHash;
const GATE_ROLE = keccakOfText("GATE_ROLE");
const SEATED = 9;
const SEATS = 8;
/** Few actors: every view is read for each of them. */
const FANS = 4;
/** Transactions carry their gas limit: no estimate (one more execution) before each. */
const TX = { gasLimit: 2_000_000 };
/** Tiers 2..9 keep per-wallet counts (maxPerWallet > 0): eight, two more than a balance word holds. */
const COUNTED = [2, 3, 4, 5, 6, 7, 8, 9];
const PACKED_ENTRIES = 6;
const ListingState = { Active: 0, NotListed: 1, TokenMoved: 2, CheckedIn: 3, SellerDenied: 6 } as const;
/** Timed entry: tiers 10..12 (unseated) sell one calendar's slots; the calendar is named after tier 10. */
const CALENDAR = 10;
const CALENDAR_TIERS = [10, 11, 12];
const LAST_TIER = 12;
const UNKNOWN_TIER = LAST_TIER + 1;
/** Tier 12 (Concession) keeps per-wallet counts too. */
const LIMITED = [...COUNTED, 12];
const MAX_SUPPLY = 999_999;
const SLOT_CAPACITY = 3;
const SEASON_DAYS = 6;
const CLOSED_DAY = 2;
/** 2 morning slots (not on the weekdays of the season's days 1 and 4), 2 afternoon ones. */
const SLOTS_PER_DAY = 4;
const SLOTS = SEASON_DAYS * SLOTS_PER_DAY;
/** Steps that move time into the season (10:30 UTC of its day 0, then of its day 3). */
const SEASON_STEPS = new Map([
  [50, 0],
  [125, 3],
]);

const SCENARIOS = [
  { label: "ETH, Open", erc20: false, policy: Policy.Open, salt: 0 },
  { label: "MockUSDC, Capped", erc20: true, policy: Policy.Capped, salt: 0x9e37_79b9 },
];

function parseSeed(raw: string | undefined): number {
  if (raw === undefined || raw.trim() === "") return DEFAULT_SEED;
  const seed = Number(raw.trim());
  if (!Number.isSafeInteger(seed) || seed < 0) throw new Error(`CHAINPASS_DIFF_SEED: not an integer: ${raw}`);
  return seed >>> 0;
}

const hex = (n: number) => `0x${(n >>> 0).toString(16)}`;

/** A comparable form: integers of any type as decimal strings, addresses lower-cased. */
function canon(value: unknown): string {
  return JSON.stringify(value, (_key, x: unknown) => {
    if (typeof x === "bigint" || typeof x === "number") return x.toString();
    if (typeof x === "string" && /^0x[0-9a-fA-F]{40}$/.test(x)) return x.toLowerCase();
    return x;
  });
}

/** The revert data somewhere in an error thrown by ethers / hardhat-ethers. */
function revertData(error: unknown): string | undefined {
  const seen = new Set<unknown>();
  const queue: unknown[] = [error];
  while (queue.length) {
    const x = queue.shift();
    if (x === null || typeof x !== "object" || seen.has(x)) continue;
    seen.add(x);
    const record = x as Record<string, unknown>;
    if (typeof record.data === "string" && /^0x[0-9a-fA-F]{8}/.test(record.data)) return record.data;
    for (const key of ["data", "error", "info", "cause", "revert"]) queue.push(record[key]);
  }
  return undefined;
}

// ViewBatch.read(address target, bytes[] calls) returns ((bool success, bytes data)[]), coded by
// hand: ethers' general ABI coder takes longer than the chain on a thousand small calls per step.
const READ_SELECTOR = keccakOfText("read(address,bytes[])").slice(0, 10);
const word = (n: number) => n.toString(16).padStart(64, "0");
const padded = (hexData: string) => hexData.padEnd(Math.ceil(hexData.length / 64) * 64, "0");

function encodeBatch(target: string, calls: string[]): string {
  const heads: string[] = [];
  const tails: string[] = [];
  let offset = 32 * calls.length;
  for (const call of calls) {
    const body = call.slice(2);
    heads.push(word(offset));
    const tail = word(body.length / 2) + padded(body);
    tails.push(tail);
    offset += tail.length / 2;
  }
  const head = "0".repeat(24) + target.slice(2).toLowerCase() + word(64) + word(calls.length);
  return READ_SELECTOR + head + heads.join("") + tails.join("");
}

function decodeBatch(raw: string): { success: boolean; data: string }[] {
  const body = raw.slice(2);
  const at = (byte: number) => Number.parseInt(body.slice(byte * 2 + 48, byte * 2 + 64), 16);
  const array = at(0);
  const count = at(array);
  const base = array + 32;
  const outcomes: { success: boolean; data: string }[] = [];
  for (let i = 0; i < count; i++) {
    const tuple = base + at(base + 32 * i);
    const bytes = tuple + at(tuple + 32);
    const length = at(bytes);
    outcomes.push({ success: at(tuple) === 1, data: `0x${body.slice((bytes + 32) * 2, (bytes + 32 + length) * 2)}` });
  }
  return outcomes;
}

interface TierModel {
  name: string;
  price: bigint;
  supply: number;
  sold: number;
  maxPerWallet: number;
  saleStart: number;
  saleEnd: number;
  paused: boolean;
  seated: boolean;
  /** The calendar whose slots it sells (0: none). */
  calendar: number;
}

interface TokenModel {
  id: bigint;
  tierId: number;
  serial: number;
  /** The calendar slot (0: none). */
  slot: number;
  /** null: not minted, or burnt. */
  owner: string | null;
  approved: string;
  paid: bigint;
  checkedIn: boolean;
  /** The listing of record: its seller may no longer hold the token (it then reads TokenMoved). */
  listing: { seller: string; price: bigint } | null;
  mints: number;
}

type Outcome = { ok: true } | { error: string; args: unknown[] };
type Expected = { value: unknown } | { error: string; args: unknown[] };

const OK: Outcome = { ok: true };
const fail = (error: string, ...args: unknown[]): Outcome => ({ error, args });

type Action =
  | "buy"
  | "buyWith"
  | "buySlot"
  | "approve"
  | "setApprovalForAll"
  | "transferFrom"
  | "safeTransferFrom"
  | "gift"
  | "list"
  | "updateListing"
  | "cancelListing"
  | "buyListing"
  | "refundTicket"
  | "returnTicket"
  | "exchangeTicket"
  | "setDenied"
  | "checkIn"
  | "undoCheckIn"
  | "setTierPaused"
  | "withdrawRoyalties";

const WEIGHTS: Record<Action, number> = {
  buy: 13,
  buyWith: 12,
  buySlot: 14,
  approve: 6,
  setApprovalForAll: 4,
  transferFrom: 5,
  safeTransferFrom: 4,
  gift: 6,
  list: 10,
  updateListing: 5,
  cancelListing: 4,
  buyListing: 9,
  refundTicket: 6,
  returnTicket: 5,
  exchangeTicket: 7,
  setDenied: 4,
  checkIn: 2,
  undoCheckIn: 2,
  setTierPaused: 2,
  withdrawRoyalties: 1,
};
/** Inside the check-in window the gate works harder. */
const WEIGHTS_AT_DOORS: Record<Action, number> = { ...WEIGHTS, buySlot: 4, checkIn: 10, undoCheckIn: 7 };

async function runScenario(scenario: (typeof SCENARIOS)[number], baseSeed: number, chain: (typeof chains)[number]) {
  const { ethers, networkHelpers } = chain;
  const started = Date.now();
  const rand = prng((baseSeed ^ scenario.salt) >>> 0);
  const { factory, usdc } = await deployPlatform(ethers);
  const signers = await ethers.getSigners();
  const [, , organizer, gate] = signers;
  const fans = signers.slice(4, 4 + FANS);
  const input = await eventInput(ethers, {
    currency: scenario.erc20 ? await usdc.getAddress() : ZERO,
    policy: scenario.policy,
    giftsPerHolder: GIFTS_PER_HOLDER,
    resaleCapBps: Number(RESALE_CAP_BPS),
    royaltyBps: Number(ROYALTY_BPS),
  });
  const opensAt = input.start - CHECK_IN_LEAD;
  /** Where the time travel lands: inside the check-in window, sales still open. */
  const doorsAt = opensAt + 2 * HOUR;
  const unit = scenario.erc20 ? 1_000_000n : 10n ** 15n;
  // The season: 6 days from the day after tomorrow (UTC+1), 09:00 and 10:00 except on the weekdays
  // of its days 1 and 4, 14:00 and 15:00 every day, day 2 closed; 3 places a slot shared by tiers
  // 10..12; a slot's sale closes 90 minutes before it starts. Every slot starts a day or more after
  // now (whatever the time of day now), so which steps succeed depends on the seed alone.
  const firstDay = Math.floor((input.start - 30 * DAY) / DAY) + 2;
  const rule: CalendarRule = {
    firstDay,
    dayCount: SEASON_DAYS,
    utcOffsetMinutes: 60,
    slotMinutes: 60,
    saleLeadMinutes: 90,
    capacity: SLOT_CAPACITY,
    runs: [
      { startMinute: 9 * 60, count: 2, weekdays: 127 & ~weekdayMask([weekdayOf(firstDay + 1), weekdayOf(firstDay + 4)]) },
      { startMinute: 14 * 60, count: 2, weekdays: 127 },
    ],
    closedDays: [CLOSED_DAY],
  };

  // Tier 1 plain and unlimited; tiers 2..8 limited to 3 per wallet; tier 9 seated (8 seats), 8 per wallet.
  const tierParams = [
    tierInput(input, { name: "GA", price: 37n * unit + 3n, supply: 10, maxPerWallet: 0 }),
    ...[2, 3, 4, 5, 6, 7, 8].map((i) =>
      tierInput(input, { name: `L${i}`, price: (9n + 2n * BigInt(i)) * unit + BigInt(i), supply: 5, maxPerWallet: 3 }),
    ),
    tierInput(input, { name: "Floor", price: 53n * unit + 1n, supply: SEATS, maxPerWallet: 8 }),
    // The calendar's tiers: a capped one, an uncapped one (a return leaves its supply as it is),
    // and one limited per wallet whose sale ends before the season's day 2.
    tierInput(input, { name: "Adult", price: 41n * unit + 7n, supply: 14, maxPerWallet: 0 }),
    tierInput(input, { name: "Child", price: 19n * unit + 5n, supply: MAX_SUPPLY, maxPerWallet: 0 }),
    tierInput(input, { name: "Concession", price: 27n * unit + 3n, supply: 6, maxPerWallet: 2, saleEnd: (firstDay + 2) * DAY }),
  ];
  const ticket: IChainpassEvent = await createEvent(ethers, factory, organizer, input, tierParams);
  const address = (await ticket.getAddress()) as `0x${string}`;
  const section = ethers.hexlify(ethers.toUtf8Bytes("Floor")).padEnd(34, "0");
  await ticket
    .connect(organizer)
    .setSeatMap(SEATED, [{ section, firstRow: 1, rows: 2, firstSeat: 1, seatsPerRow: SEATS / 2, letteredRows: true }]);
  await ticket.connect(organizer).grantRole(GATE_ROLE, gate.address);
  await ticket.connect(organizer).addCalendar(rule, CALENDAR_TIERS);
  // Full refunds until 20 days before the start (the whole run before the check-in window), 60%
  // until 3 hours before (the check-in window's time travel lands 4 hours before).
  const refundSteps = [
    { secondsBefore: 20 * 24 * HOUR, shareBps: 10_000 },
    { secondsBefore: 3 * HOUR, shareBps: 6_000 },
  ];
  await ticket.connect(organizer).setRefundPolicy(refundSteps, true);
  if (scenario.erc20) {
    for (const fan of fans) {
      await usdc.connect(fan).mint(fan.address, 10n ** 15n);
      await usdc.connect(fan).approve(address, ethers.MaxUint256);
    }
  }
  const readerAddress = await (await ethers.deployContract("ViewBatch")).getAddress();

  const chainId = (await ethers.provider.getNetwork()).chainId;
  const voucherTerms: Voucher[] = [
    // 25% off any tier; expires an hour before the check-in window's time travel lands.
    {
      eventAddress: address,
      tierId: 0n,
      percentOffBps: 2_500,
      amountOff: 0n,
      maxUses: 25,
      expiresAt: input.start - 5 * HOUR,
      buyer: ZERO,
      signer: organizer.address as `0x${string}`,
      codeId: codeIdFor("DIFF25"),
    },
    // A free seat (comp): the price paid, and so the resale cap, is 0.
    {
      eventAddress: address,
      tierId: BigInt(SEATED),
      percentOffBps: 0,
      amountOff: 10n ** 27n,
      maxUses: 4,
      expiresAt: input.start,
      buyer: ZERO,
      signer: organizer.address as `0x${string}`,
      codeId: codeIdFor("COMP"),
    },
  ];
  const vouchers = await Promise.all(
    voucherTerms.map(async (terms) => ({
      terms,
      signature: await signVoucher(typedDataSigner(organizer), chainId, terms),
      uses: 0,
    })),
  );

  // ------------------------------------------------------------------ the model
  const tiers: TierModel[] = []; // by tier id (index 0 unused)
  for (const [i, p] of tierParams.entries()) {
    const { name, price, supply, maxPerWallet, saleStart, saleEnd } = p;
    const calendar = CALENDAR_TIERS.includes(i + 1) ? CALENDAR : 0;
    tiers[i + 1] = { name, price, supply, sold: 0, maxPerWallet, saleStart, saleEnd, paused: false, seated: i + 1 === SEATED, calendar };
  }
  const tokens = new Map<bigint, TokenModel>();
  const track = (tierId: number, serial: number, slot = 0) => {
    const tokenId = tokenIdOf(tierId, serial, slot);
    let token = tokens.get(tokenId);
    if (!token) {
      token = { id: tokenId, tierId, serial, slot, owner: null, approved: ZERO, paid: 0n, checkedIn: false, listing: null, mints: 0 };
      tokens.set(tokenId, token);
    }
    return token;
  };
  for (let seat = 1; seat <= SEATS; seat++) track(SEATED, seat);
  for (let tierId = 1; tierId < SEATED; tierId++) track(tierId, 1);

  const key = (a: string, b: string | number) => `${a}|${b}`;
  const purchased = new Map<string, number>(); // key(wallet, tierId)
  const operators = new Set<string>(); // key(owner, operator)
  const denied = new Set<string>();
  const giftsUsed = new Map<string, number>();
  const seatsTaken = new Set<number>();
  let escrow = 0n;
  let royalties = 0n;
  let platformFees = 0n;
  let atDoors = false;
  /** The chain's time as the model knows it: where the last time travel landed (every deadline the
   * model compares it with is at least half an hour away from there, so the seconds a run takes
   * never change an outcome). */
  let clock = (await ethers.provider.getBlock("latest"))!.timestamp;
  /** Places booked per slot, and those of them kept by organizer refunds that did not release them. */
  const booked = new Map<number, number>();
  const keptPlaces = new Map<number, number>();
  /** What returns and exchanges kept of the prices paid: the organizer's, in the escrow. */
  let kept = 0n;
  /** Every ticket refunded (organizer refund, return, exchange), by id and mint: never twice. */
  const refundedOnce = new Set<string>();
  /** Where a slot falls (undefined: not offered), and its entry window by the rule alone (what
   * entryWindow reads for a slot ticket: no weekday or closed-day check). */
  const windowOf = (slot: number) => slotWindow(rule, slot);
  const ruleAlone: CalendarRule = { ...rule, runs: rule.runs.map((r) => ({ ...r, weekdays: 127 })), closedDays: [] };
  const entryOf = (slot: number) => slotWindow(ruleAlone, slot);
  /** When a ticket starts, for its return and exchange deadlines: its slot's start, or the event's. */
  const startOf = (t: TokenModel) => (t.slot ? windowOf(t.slot)!.start : input.start);
  /** The refund policy's share for a ticket starting at `start`, now, and the deadline it holds until. */
  const shareAt = (start: number) => {
    let until = 0;
    for (const s of refundSteps) {
      if (start < s.secondsBefore) continue;
      until = start - s.secondsBefore;
      if (clock <= until) return { shareBps: BigInt(s.shareBps), until };
    }
    return { shareBps: 0n, until };
  };
  const bookedIn = (slot: number) => booked.get(slot) ?? 0;
  const addTo = (map: Map<number, number>, slot: number, n: number) => map.set(slot, (map.get(slot) ?? 0) + n);
  /** Why `places` cannot be booked in `slot` now (after the sale checks), as _openSlot says it. */
  const slotError = (slot: number, places: number, bookedNow = bookedIn(slot)): Outcome | null => {
    const w = windowOf(slot);
    if (!w) return fail("SlotNotOffered", CALENDAR, slot);
    if (clock >= w.saleClosesAt) return fail("SlotSaleClosed", CALENDAR, slot, w.saleClosesAt);
    if (w.start >= input.end) return fail("SlotNotOffered", CALENDAR, slot);
    if (bookedNow + places > SLOT_CAPACITY) return fail("SlotFull", CALENDAR, slot, places, SLOT_CAPACITY - bookedNow);
    return null;
  };
  const saleError = (tierId: number): Outcome | null => {
    const t = tiers[tierId];
    return clock < t.saleStart || clock >= t.saleEnd ? fail("SaleNotOpen", tierId, t.saleStart, t.saleEnd) : null;
  };
  /** A slot to book: mostly one still on sale (often one already booked, to fill it), sometimes
   * one whose sale has closed, one the calendar does not offer (its weekday, its closed day), 0, or
   * one past the season. */
  const pickSlot = () => {
    const roll = rand.int(1, 100);
    if (roll <= 4) return 0;
    if (roll <= 8) return rand.chance(0.2) ? 2 ** 40 + 1 : SLOTS + rand.int(1, 3);
    const season = Array.from({ length: SLOTS }, (_, i) => i + 1);
    const open = season.filter((s) => windowOf(s) !== undefined && clock < windowOf(s)!.saleClosesAt);
    const closed = season.filter((s) => windowOf(s) !== undefined && clock >= windowOf(s)!.saleClosesAt);
    const busy = open.filter((s) => bookedIn(s) > 0);
    const room = open.filter((s) => bookedIn(s) < SLOT_CAPACITY);
    if (roll <= 25 && closed.length) return rand.pick(closed);
    if (roll <= 31) return rand.pick(season.filter((s) => windowOf(s) === undefined));
    if (roll <= 52 && busy.length) return rand.pick(busy);
    return room.length ? rand.pick(room) : open.length ? rand.pick(open) : rand.pick(season);
  };
  const restricted = scenario.policy !== Policy.Open; // approvals refused (the event never ends here)

  const names = new Map<string, string>([
    [ZERO, "0x0"],
    [organizer.address, "organizer"],
    [gate.address, "gate"],
    ...fans.map((f, i): [string, string] => [f.address, `fan${i + 1}`]),
  ]);
  const who = (a: string | null) => (a === null ? "nobody" : (names.get(a) ?? a));
  const signerOf = (a: string) => fans.find((f) => f.address === a)!;
  const live = () => [...tokens.values()].filter((t) => t.owner !== null);
  const pickToken = (pLive = 0.88) => {
    const held = live();
    return held.length && rand.chance(pLive) ? rand.pick(held) : rand.pick([...tokens.values()]);
  };
  const isOperator = (owner: string, operator: string) => operators.has(key(owner, operator));
  const authorized = (t: TokenModel, caller: string) =>
    t.owner !== null && (caller === t.owner || isOperator(t.owner, caller) || t.approved === caller);
  /** Mostly the holder, sometimes someone it approved, sometimes anyone. */
  const pickCaller = (t: TokenModel): HardhatEthersSigner => {
    if (t.owner !== null && rand.chance(0.6)) return signerOf(t.owner);
    const helpers = t.owner === null ? [] : fans.filter((f) => f.address === t.approved || isOperator(t.owner!, f.address));
    if (helpers.length && rand.chance(0.6)) return rand.pick(helpers);
    return rand.pick(fans);
  };
  const pickRecipient = (buyer: HardhatEthersSigner) =>
    rand.chance(0.03) ? ZERO : rand.chance(0.75) ? buyer.address : rand.pick(fans).address;
  const capOf = (t: TokenModel) => (t.paid * RESALE_CAP_BPS) / BPS;
  const pickListPrice = (t: TokenModel) => {
    const cap = capOf(t);
    const roll = rand.int(1, 100);
    if (roll <= 14) return cap + BigInt(rand.int(1, 1000));
    if (roll <= 24) return cap;
    if (roll <= 30) return 0n;
    return (cap * BigInt(rand.int(30, 100))) / 100n;
  };
  const pickMaxTotal = (total: bigint) =>
    total > 0n && rand.chance(0.07) ? total - 1n : rand.chance(0.5) ? ANY_PRICE : total;
  const pickValue = (total: bigint) =>
    scenario.erc20 ? (rand.chance(0.04) ? 1n : 0n) : rand.chance(0.05) ? total + 1n : total;
  const paymentError = (total: bigint, value: bigint): Outcome | null => {
    if (scenario.erc20) return value !== 0n ? fail("IncorrectPayment", 0n, value) : null;
    return value !== total ? fail("IncorrectPayment", total, value) : null;
  };
  const mint = (t: TokenModel, to: string, paid: bigint) => {
    t.owner = to;
    t.approved = ZERO;
    t.paid = paid;
    t.listing = null;
    t.mints += 1;
  };
  /** A successful sale's counters: the per-wallet count (limited tiers only) and the escrow. */
  const countSale = (tierId: number, recipient: string, quantity: number, total: bigint) => {
    if (tiers[tierId].maxPerWallet) purchased.set(key(recipient, tierId), (purchased.get(key(recipient, tierId)) ?? 0) + quantity);
    escrow += total;
  };
  /** `earlier`: counted by this same transaction already (a tier twice in one buySlot). */
  const walletLimit = (tierId: number, recipient: string, quantity: number, earlier = 0): Outcome | null => {
    const t = tiers[tierId];
    const bought = (purchased.get(key(recipient, tierId)) ?? 0) + earlier;
    if (t.maxPerWallet && bought + quantity > t.maxPerWallet) {
      return fail("WalletLimitExceeded", tierId, recipient, quantity, Math.max(t.maxPerWallet - bought, 0));
    }
    return null;
  };

  /** Puts a burnt ticket's place back on sale (_releaseInventory): its seat, or one unit of supply
   * (none on an uncapped tier), and its place in its slot. */
  const releasePlace = (t: TokenModel) => {
    const tier = tiers[t.tierId];
    if (t.slot) addTo(booked, t.slot, -1);
    if (tier.seated) {
      seatsTaken.delete(t.serial);
      tier.sold -= 1;
    } else if (tier.supply !== MAX_SUPPLY) {
      tier.supply += 1;
    }
  };
  /** Burns a refunded ticket (organizer refund, return, exchange): a ticket is refunded once per mint. */
  const burnRefunded = (t: TokenModel) => {
    const mark = `${t.id}#${t.mints}`;
    expect(refundedOnce.has(mark), `${mark} refunded twice, at ${context()}`).to.equal(false);
    refundedOnce.add(mark);
    t.owner = null;
    t.approved = ZERO;
    t.listing = null;
  };

  // ------------------------------------------------------------------ running a step
  let step = 0;
  let current = "setup";
  const tally = new Map<string, { ok: number; refused: number }>();
  const errorsSeen = new Map<string, number>();
  let remints = 0;
  /** Successful steps on slot tickets, by path (reported). */
  const slotPaths = new Map<string, number>();
  const countPath = (path: string) => slotPaths.set(path, (slotPaths.get(path) ?? 0) + 1);
  /** The last successful transaction's logs. */
  let lastLogs: readonly { address: string; topics: readonly string[]; data: string }[] = [];
  /** The arguments of every `name` event the last successful transaction emitted from the event. */
  const emitted = (name: string) =>
    lastLogs
      .filter((log) => log.address.toLowerCase() === address.toLowerCase())
      .map((log) => ticket.interface.parseLog(log))
      .filter((parsed) => parsed?.name === name)
      .map((parsed) => [...parsed!.args]);
  const expectEmitted = (name: string, wanted: unknown[][]) =>
    expect(canon(emitted(name)), `${name} events, at ${context()}`).to.equal(canon(wanted));
  const context = () => `CHAINPASS_DIFF_SEED=${hex(baseSeed)} (${scenario.label}), step ${step}: ${current}`;
  const show = (o: Outcome | Expected) =>
    "error" in o ? `revert ${o.error}(${canon(o.args).slice(1, -1)})` : "value" in o ? canon(o.value) : "success";

  function decodeRevert(data: string): { error: string; args: unknown[] } {
    for (const iface of [ticket.interface, usdc.interface]) {
      try {
        const parsed = iface.parseError(data);
        if (parsed) return { error: parsed.name, args: [...parsed.args] };
      } catch {
        // not this interface's error
      }
    }
    return { error: `unknown revert data ${data.slice(0, 10)}`, args: [] };
  }

  async function attempt(
    action: Action,
    description: string,
    expected: Outcome,
    send: () => Promise<ContractTransactionResponse>,
  ): Promise<boolean> {
    current = `${action} ${description}`;
    let actual: Outcome;
    try {
      const receipt = await (await send()).wait();
      lastLogs = receipt?.logs ?? [];
      actual = OK;
    } catch (error) {
      const data = revertData(error);
      actual = data ? decodeRevert(data) : { error: `no revert data: ${String(error)}`, args: [] };
    }
    if (canon(expected) !== canon(actual)) {
      expect.fail(`Differential disagreement at ${context()}\n  model:    ${show(expected)}\n  contract: ${show(actual)}`);
    }
    const counts = tally.get(action) ?? { ok: 0, refused: 0 };
    if ("ok" in expected) counts.ok++;
    else {
      counts.refused++;
      errorsSeen.set(expected.error, (errorsSeen.get(expected.error) ?? 0) + 1);
    }
    tally.set(action, counts);
    return "ok" in expected;
  }

  // ------------------------------------------------------------------ actions
  async function buy() {
    // Half the time a collector (the allowed fan with counts in the most limited tiers) buys one
    // ticket of a limited tier it has none of: its counts soon spill past the entries packed in its
    // balance word, and keep changing there (more purchases, transfers, deny toggles).
    const tiersOf = (a: string) => COUNTED.filter((id) => purchased.has(key(a, id))).length;
    const allowed = fans.filter((f) => !denied.has(f.address)).sort((a, b) => tiersOf(b.address) - tiersOf(a.address));
    const collector = allowed.length && rand.chance(0.5) ? allowed[0] : undefined;
    const buyer = collector && rand.chance(0.8) ? collector : rand.pick(fans);
    const recipient = collector ? collector.address : pickRecipient(buyer);
    const fresh = COUNTED.filter(
      (id) => !tiers[id].seated && !purchased.has(key(recipient, id)) && tiers[id].supply > tiers[id].sold,
    );
    // Now and then a calendar's tier, which buy refuses (SlotSelectionRequired).
    const tierId =
      fresh.length && (collector || rand.chance(0.3))
        ? rand.pick(fresh)
        : rand.chance(0.06)
          ? rand.pick(CALENDAR_TIERS)
          : rand.int(1, SEATED);
    const t = tiers[tierId];
    const quantity = collector ? 1 : rand.chance(0.1) ? rand.int(3, 6) : rand.int(1, 2);
    const total = t.price * BigInt(quantity);
    const maxTotal = collector ? total : pickMaxTotal(total);
    const value = collector ? (scenario.erc20 ? 0n : total) : pickValue(total);
    const remaining = t.supply - t.sold;
    const expected =
      (denied.has(buyer.address) && fail("AddressDenied", buyer.address)) ||
      (t.paused && fail("TierIsPaused", tierId)) ||
      saleError(tierId) ||
      (t.seated && fail("SeatSelectionRequired", tierId)) ||
      (t.calendar !== 0 && fail("SlotSelectionRequired", tierId)) ||
      (quantity > remaining && fail("SoldOut", tierId, quantity, remaining)) ||
      walletLimit(tierId, recipient, quantity) ||
      (recipient === ZERO && fail("ERC721InvalidReceiver", ZERO)) ||
      (denied.has(recipient) && fail("AddressDenied", recipient)) ||
      (total > maxTotal && fail("PriceAboveLimit", total, maxTotal)) ||
      paymentError(total, value) ||
      OK;
    const done = await attempt(
      "buy",
      `tier ${tierId} x${quantity} for ${who(recipient)} by ${who(buyer.address)}, maxTotal ${maxTotal}, value ${value}`,
      expected,
      () => ticket.connect(buyer).buy(tierId, quantity, recipient, maxTotal, { ...TX, value }),
    );
    if (!done) return;
    for (let i = 1; i <= quantity; i++) mint(track(tierId, t.sold + i), recipient, t.price);
    t.sold += quantity;
    track(tierId, t.sold + 1);
    countSale(tierId, recipient, quantity, total);
  }

  async function buyWith() {
    const buyer = rand.pick(fans);
    const recipient = pickRecipient(buyer);
    const reopened = [...tokens.values()].some((t) => t.tierId === SEATED && t.owner === null && t.mints > 0 && !seatsTaken.has(t.serial));
    // Sometimes a calendar's tier, with options.slot.
    const tierId = rand.chance(0.22)
      ? rand.pick(CALENDAR_TIERS)
      : rand.chance(reopened ? 0.8 : 0.55)
        ? SEATED
        : rand.int(1, SEATED - 1);
    const t = tiers[tierId];
    // The comp voucher is for the seated tier only (elsewhere it is refused: VoucherNotForTier).
    const voucher = !rand.chance(0.35)
      ? undefined
      : t.seated || rand.chance(0.15)
        ? rand.pick(vouchers)
        : vouchers[0];
    const seats: number[] = [];
    let quantity: number;
    if (t.seated) {
      // Mostly free seats (released ones first), sometimes a taken, repeated or invalid one.
      const wanted = rand.chance(0.7) ? 1 : rand.int(2, 3);
      const free = Array.from({ length: SEATS }, (_, i) => i + 1).filter((s) => !seatsTaken.has(s));
      const released = free.filter((s) => tokens.get(tokenIdOf(SEATED, s))!.mints > 0);
      const preferred = [...released, ...free.filter((s) => !released.includes(s))];
      for (let i = 0; i < wanted; i++) {
        const roll = rand.int(1, 100);
        if (roll <= 4) seats.push(rand.pick([0, SEATS + 1]));
        else if (roll <= 15 || i >= preferred.length) seats.push(rand.int(1, SEATS));
        else seats.push(preferred[i]);
      }
      quantity = rand.chance(0.05) ? wanted + 1 : wanted;
    } else {
      quantity = rand.int(1, 3);
      if (rand.chance(0.05)) seats.push(1);
    }
    // A calendar's tier needs a slot (now and then it has none); another tier refuses one.
    const slot = t.calendar ? (rand.chance(0.06) ? 0 : pickSlot()) : rand.chance(0.04) ? rand.int(1, SLOTS) : 0;
    const remaining = t.supply - t.sold;
    let unitPrice = t.price;
    let expected: Outcome | false | null =
      (denied.has(buyer.address) && fail("AddressDenied", buyer.address)) ||
      (t.paused && fail("TierIsPaused", tierId)) ||
      saleError(tierId) ||
      (t.seated && seats.length !== quantity && fail("SeatSelectionRequired", tierId)) ||
      (!t.seated && seats.length !== 0 && fail("NotSeatedTier", tierId)) ||
      (t.calendar !== 0 && slot === 0 && fail("SlotSelectionRequired", tierId)) ||
      (t.calendar !== 0 && slotError(slot, quantity)) ||
      (t.calendar === 0 && slot !== 0 && fail("TierNotOnCalendar", tierId, 0)) ||
      (quantity > remaining && fail("SoldOut", tierId, quantity, remaining)) ||
      walletLimit(tierId, recipient, quantity);
    if (!expected && voucher) {
      const v = voucher.terms;
      const expired = clock >= v.expiresAt;
      expected =
        (expired && fail("VoucherExpired", v.codeId, v.expiresAt)) ||
        (v.tierId !== 0n && v.tierId !== BigInt(tierId) && fail("VoucherNotForTier", v.codeId, tierId)) ||
        (voucher.uses + quantity > v.maxUses &&
          fail("VoucherUsedUp", v.codeId, quantity, Math.max(v.maxUses - voucher.uses, 0)));
      const off = v.amountOff + (unitPrice * BigInt(v.percentOffBps)) / BPS;
      unitPrice = off >= unitPrice ? 0n : unitPrice - off;
    }
    if (!expected) {
      const taken = new Set(seatsTaken);
      for (const seat of t.seated ? seats : [0]) {
        if (t.seated) {
          if (seat === 0 || seat > t.supply) expected = fail("InvalidSeat", tierId, seat);
          else if (taken.has(seat)) expected = fail("SeatTaken", tierId, seat);
          taken.add(seat);
        }
        expected ||= (recipient === ZERO && fail("ERC721InvalidReceiver", ZERO)) || (denied.has(recipient) && fail("AddressDenied", recipient));
        if (expected) break;
      }
    }
    const total = unitPrice * BigInt(quantity);
    const options = purchaseOptions({
      seats: seats.map(BigInt),
      maxTotal: pickMaxTotal(total),
      slot: BigInt(slot),
      ...(voucher ? { voucher: voucher.terms, voucherSignature: voucher.signature } : {}),
    });
    const value = pickValue(total);
    expected ||= (total > options.maxTotal && fail("PriceAboveLimit", total, options.maxTotal)) || paymentError(total, value) || OK;
    const done = await attempt(
      "buyWith",
      `tier ${tierId} x${quantity} slot ${slot} seats [${seats.join(",")}] voucher ${voucher ? voucher.terms.codeId.slice(0, 14) : "none"} for ${who(recipient)} by ${who(buyer.address)}, maxTotal ${options.maxTotal}, value ${value}`,
      expected,
      () => ticket.connect(buyer).buyWith(tierId, quantity, recipient, options, { ...TX, value }),
    );
    if (!done) return;
    if (t.seated) {
      for (const seat of seats) {
        const token = track(tierId, seat);
        if (token.mints > 0) remints++;
        mint(token, recipient, unitPrice);
        seatsTaken.add(seat);
      }
      t.sold += quantity;
    } else {
      for (let i = 1; i <= quantity; i++) mint(track(tierId, t.sold + i, slot), recipient, unitPrice);
      t.sold += quantity;
      // The next serial's id is read (it must not exist) for a tier without a calendar only: a
      // calendar's tier has it in every slot, and its sold count and holders' balances say enough.
      if (!slot) track(tierId, t.sold + 1);
      else {
        addTo(booked, slot, quantity);
        countPath("buyWith");
      }
    }
    if (voucher) voucher.uses += quantity;
    countSale(tierId, recipient, quantity, total);
  }

  async function buySlot() {
    const allowed = fans.filter((f) => !denied.has(f.address));
    const buyer = allowed.length && rand.chance(0.85) ? rand.pick(allowed) : rand.pick(fans);
    const recipient = pickRecipient(buyer);
    const slot = pickSlot();
    // Mostly one to three of the calendar's tiers, one or two tickets each; sometimes a tier twice,
    // a tier not on the calendar (or no tier at all), a zero quantity, or lists of unequal length.
    const tierIds = CALENDAR_TIERS.filter((id) => rand.chance(saleError(id) ? 0.15 : 0.55));
    if (!tierIds.length) tierIds.push(rand.pick(CALENDAR_TIERS));
    if (rand.chance(0.3)) tierIds.reverse();
    const roll = rand.int(1, 100);
    if (roll <= 3) tierIds.length = 0;
    else if (roll <= 8) tierIds.splice(rand.int(0, tierIds.length), 0, rand.chance(0.15) ? UNKNOWN_TIER : rand.int(1, SEATED));
    else if (roll <= 13) tierIds.push(rand.pick(tierIds));
    const quantities = tierIds.map(() => (rand.chance(0.04) ? 0 : rand.int(1, 2)));
    if (rand.chance(0.03)) quantities.push(1);

    let expected: Outcome | null =
      tierIds.length !== quantities.length ? fail("InvalidQuantity", quantities.length) : null;
    let calendarId = 0;
    let total = 0n;
    let places = 0;
    const soldNow = new Map<number, number>();
    const boughtNow = new Map<number, number>();
    const mints: { tierId: number; serial: number; price: bigint }[] = [];
    for (const [i, tierId] of tierIds.entries()) {
      if (expected) break;
      const quantity = quantities[i];
      const t = tiers[tierId];
      expected =
        (denied.has(buyer.address) && fail("AddressDenied", buyer.address)) ||
        (!t && fail("UnknownTier", tierId)) ||
        (t.paused && fail("TierIsPaused", tierId)) ||
        saleError(tierId);
      if (expected) break;
      if (i === 0) calendarId = t.calendar;
      const sold = soldNow.get(tierId) ?? t.sold;
      const earlier = boughtNow.get(tierId) ?? 0;
      expected =
        ((t.calendar === 0 || t.calendar !== calendarId) && fail("TierNotOnCalendar", tierId, calendarId)) ||
        (t.seated && fail("SeatSelectionRequired", tierId)) ||
        (quantity === 0 && fail("InvalidQuantity", 0)) ||
        (quantity > t.supply - sold && fail("SoldOut", tierId, quantity, t.supply - sold)) ||
        walletLimit(tierId, recipient, quantity, earlier) ||
        (recipient === ZERO && fail("ERC721InvalidReceiver", ZERO)) ||
        (denied.has(recipient) && fail("AddressDenied", recipient)) ||
        null;
      for (let n = 1; n <= quantity; n++) mints.push({ tierId, serial: sold + n, price: t.price });
      soldNow.set(tierId, sold + quantity);
      if (t.maxPerWallet) boughtNow.set(tierId, earlier + quantity);
      total += t.price * BigInt(quantity);
      places += quantity;
    }
    const maxTotal = pickMaxTotal(total);
    const value = pickValue(total);
    expected ||=
      (places === 0 && fail("InvalidQuantity", 0)) ||
      slotError(slot, places) ||
      (total > maxTotal && fail("PriceAboveLimit", total, maxTotal)) ||
      paymentError(total, value) ||
      OK;
    const done = await attempt(
      "buySlot",
      `slot ${slot} tiers [${tierIds.join(",")}] x[${quantities.join(",")}] for ${who(recipient)} by ${who(buyer.address)} (booked ${bookedIn(slot)}), maxTotal ${maxTotal}, value ${value}`,
      expected,
      () => ticket.connect(buyer).buySlot(slot, tierIds, quantities, recipient, maxTotal, { ...TX, value }),
    );
    if (!done) return;
    // One TicketsPurchased per entry, its first token in the slot.
    const purchases: unknown[][] = [];
    let at = 0;
    for (const [i, tierId] of tierIds.entries()) {
      const first = mints[at];
      purchases.push([buyer.address, recipient, tierId, tokenIdOf(tierId, first.serial, slot), quantities[i], first.price * BigInt(quantities[i])]);
      at += quantities[i];
    }
    expectEmitted("TicketsPurchased", purchases);
    for (const m of mints) mint(track(m.tierId, m.serial, slot), recipient, m.price);
    for (const [i, tierId] of tierIds.entries()) {
      tiers[tierId].sold += quantities[i];
      countSale(tierId, recipient, quantities[i], tiers[tierId].price * BigInt(quantities[i]));
    }
    addTo(booked, slot, places);
  }

  async function approve() {
    const t = pickToken();
    const caller = pickCaller(t);
    const to = rand.chance(0.12) ? ZERO : rand.pick(fans).address;
    const expected =
      (to !== ZERO && restricted && fail("ApprovalsDisabled")) ||
      (t.owner === null && fail("ERC721NonexistentToken", t.id)) ||
      (caller.address !== t.owner && !isOperator(t.owner!, caller.address) && fail("ERC721InvalidApprover", caller.address)) ||
      OK;
    const done = await attempt("approve", `${who(to)} for #${t.id} by ${who(caller.address)}`, expected, () =>
      ticket.connect(caller).approve(to, t.id, TX),
    );
    if (done) t.approved = to;
  }

  async function setApprovalForAll() {
    const caller = rand.pick(fans);
    const operator = rand.chance(0.04) ? ZERO : rand.pick(fans).address;
    const approved = rand.chance(0.6);
    const expected =
      (approved && restricted && fail("ApprovalsDisabled")) ||
      (operator === ZERO && fail("ERC721InvalidOperator", ZERO)) ||
      OK;
    const done = await attempt(
      "setApprovalForAll",
      `${who(operator)} ${approved} by ${who(caller.address)}`,
      expected,
      () => ticket.connect(caller).setApprovalForAll(operator, approved, TX),
    );
    if (done && approved) operators.add(key(caller.address, operator));
    if (done && !approved) operators.delete(key(caller.address, operator));
  }

  /** transferFrom / safeTransferFrom: the contract's own checks run before ERC-721's authorization. */
  async function transfer(action: "transferFrom" | "safeTransferFrom") {
    const t = pickToken();
    const caller = pickCaller(t);
    const from = t.owner !== null && rand.chance(0.9) ? t.owner : rand.pick(fans).address;
    const to = rand.chance(0.04) ? ZERO : rand.pick(fans).address;
    const owner = t.owner;
    const expected =
      (to === ZERO && fail("ERC721InvalidReceiver", ZERO)) ||
      (denied.has(to) && fail("AddressDenied", to)) ||
      (owner !== null && denied.has(owner) && fail("AddressDenied", owner)) ||
      (owner !== null && t.checkedIn && fail("TicketAlreadyUsed", t.id, input.end)) ||
      (owner !== null && scenario.policy === Policy.Capped && fail("TransferRestricted", t.id)) ||
      (!authorized(t, caller.address) &&
        (owner === null ? fail("ERC721NonexistentToken", t.id) : fail("ERC721InsufficientApproval", caller.address, t.id))) ||
      (owner !== from && fail("ERC721IncorrectOwner", from, t.id, owner ?? ZERO)) ||
      OK;
    const done = await attempt(
      action,
      `#${t.id} ${who(from)} -> ${who(to)} by ${who(caller.address)} (holder ${who(owner)})`,
      expected,
      () =>
        action === "transferFrom"
          ? ticket.connect(caller).transferFrom(from, to, t.id, TX)
          : ticket.connect(caller)["safeTransferFrom(address,address,uint256)"](from, to, t.id, TX),
    );
    if (!done) return;
    t.owner = to;
    t.approved = ZERO;
    // The listing of record stays, with its seller: it reads TokenMoved, and revives if the token comes back.
  }

  async function gift() {
    const t = pickToken();
    const caller = t.owner !== null && rand.chance(0.5) ? signerOf(t.owner) : pickCaller(t);
    const others = fans.filter((f) => f.address !== t.owner);
    const to = rand.chance(0.03) ? ZERO : t.owner !== null && rand.chance(0.05) ? t.owner : rand.pick(others).address;
    const owner = t.owner;
    const used = owner === null ? 0 : (giftsUsed.get(owner) ?? 0);
    const capped = scenario.policy === Policy.Capped;
    const expected =
      (owner === null && fail("ERC721NonexistentToken", t.id)) ||
      (!authorized(t, caller.address) && fail("ERC721InsufficientApproval", caller.address, t.id)) ||
      (to === owner && fail("GiftToHolder", t.id, owner)) ||
      (capped && used + 1 > GIFTS_PER_HOLDER && fail("GiftAllowanceExhausted", owner, used, GIFTS_PER_HOLDER)) ||
      (to === ZERO && fail("ERC721InvalidReceiver", ZERO)) ||
      (denied.has(to) && fail("AddressDenied", to)) ||
      (denied.has(owner!) && fail("AddressDenied", owner)) ||
      (t.checkedIn && fail("TicketAlreadyUsed", t.id, input.end)) ||
      OK;
    const done = await attempt("gift", `#${t.id} ${who(owner)} -> ${who(to)} by ${who(caller.address)}`, expected, () =>
      ticket.connect(caller).gift(t.id, to, TX),
    );
    if (!done) return;
    if (capped) giftsUsed.set(owner!, used + 1);
    t.owner = to;
    t.approved = ZERO;
    t.listing = null;
  }

  /** The checks every listing write makes (after its own holder checks). */
  const listable = (t: TokenModel, caller: string, price: bigint) =>
    (price > capOf(t) && fail("ResalePriceAboveCap", t.id, price, capOf(t))) ||
    (denied.has(caller) && fail("AddressDenied", caller)) ||
    null;

  async function list() {
    const t = pickToken(0.92);
    const caller = t.owner !== null && rand.chance(0.88) ? signerOf(t.owner) : rand.pick(fans);
    const price = pickListPrice(t);
    const expected =
      (t.owner !== caller.address && fail("NotTokenHolder", t.id, caller.address)) ||
      (t.listing?.seller === t.owner && fail("ListingExists", t.id, t.owner)) ||
      listable(t, caller.address, price) ||
      OK;
    const done = await attempt("list", `#${t.id} at ${price} by ${who(caller.address)} (cap ${capOf(t)})`, expected, () =>
      ticket.connect(caller).list(t.id, price, TX),
    );
    if (done) t.listing = { seller: caller.address, price };
  }

  const listed = () => [...tokens.values()].filter((t) => t.listing !== null);

  async function updateListing() {
    const offers = listed();
    const held = offers.filter((t) => t.owner === t.listing!.seller);
    const t =
      held.length && rand.chance(0.7)
        ? rand.pick(held)
        : offers.length && rand.chance(0.6)
          ? rand.pick(offers)
          : pickToken();
    const roll = rand.int(1, 100);
    const caller =
      roll <= 75 && t.owner !== null
        ? signerOf(t.owner)
        : roll <= 85 && t.listing
          ? signerOf(t.listing.seller)
          : rand.pick(fans);
    const price = pickListPrice(t);
    const expected =
      (t.owner !== caller.address && fail("NotTokenHolder", t.id, caller.address)) ||
      (t.listing?.seller !== caller.address && fail("NotTokenHolder", t.id, caller.address)) ||
      listable(t, caller.address, price) ||
      OK;
    const done = await attempt("updateListing", `#${t.id} to ${price} by ${who(caller.address)}`, expected, () =>
      ticket.connect(caller).updateListing(t.id, price, TX),
    );
    if (done) t.listing!.price = price;
  }

  async function cancelListing() {
    const offers = listed();
    const t = offers.length && rand.chance(0.85) ? rand.pick(offers) : pickToken();
    const roll = rand.int(1, 100);
    const caller =
      roll <= 40 && t.listing
        ? signerOf(t.listing.seller)
        : roll <= 80 && t.owner !== null
          ? signerOf(t.owner)
          : rand.pick(fans);
    const expected =
      (!t.listing && fail("ListingUnavailable", t.id, ListingState.NotListed)) ||
      (caller.address !== t.listing!.seller && caller.address !== t.owner && fail("NotTokenHolder", t.id, caller.address)) ||
      OK;
    const done = await attempt(
      "cancelListing",
      `#${t.id} by ${who(caller.address)} (seller ${who(t.listing?.seller ?? null)}, holder ${who(t.owner)})`,
      expected,
      () => ticket.connect(caller).cancelListing(t.id, TX),
    );
    if (done) t.listing = null;
  }

  async function buyListing() {
    const offers = listed();
    const active = offers.filter((t) => t.owner === t.listing!.seller && !t.checkedIn);
    const t =
      active.length && rand.chance(0.7)
        ? rand.pick(active)
        : offers.length && rand.chance(0.6)
          ? rand.pick(offers)
          : pickToken();
    const buyer = rand.pick(fans);
    const offer = t.listing;
    const price = offer?.price ?? 0n;
    const maxPrice = offer && price > 0n && rand.chance(0.08) ? price - 1n : rand.chance(0.4) ? ANY_PRICE : price;
    const value = pickValue(price);
    const expected =
      (!offer && fail("ListingUnavailable", t.id, ListingState.NotListed)) ||
      (t.owner !== offer!.seller && fail("ListingUnavailable", t.id, ListingState.TokenMoved)) ||
      (price > maxPrice && fail("PriceAboveLimit", price, maxPrice)) ||
      (denied.has(buyer.address) && fail("AddressDenied", buyer.address)) ||
      (denied.has(offer!.seller) && fail("AddressDenied", offer!.seller)) ||
      (t.checkedIn && fail("TicketAlreadyUsed", t.id, input.end)) ||
      paymentError(price, value) ||
      OK;
    const done = await attempt(
      "buyListing",
      `#${t.id} by ${who(buyer.address)} (seller ${who(offer?.seller ?? null)}, holder ${who(t.owner)}, price ${price}), maxPrice ${maxPrice}, value ${value}`,
      expected,
      () => ticket.connect(buyer).buyListing(t.id, maxPrice, { ...TX, value }),
    );
    if (!done) return;
    royalties += (price * ROYALTY_BPS) / BPS;
    platformFees += (price * BigInt(PLATFORM_FEE_BPS)) / BPS;
    t.owner = buyer.address;
    t.approved = ZERO;
    t.listing = null;
  }

  /** Often a live slot ticket (returns, exchanges, refunds of timed entry), mostly one whose slot
   * has not started, else any token. */
  const pickGiveBack = (pSlot: number, pLive: number) => {
    const slotTickets = live().filter((t) => t.slot !== 0);
    if (!slotTickets.length || !rand.chance(pSlot)) return pickToken(pLive);
    const upcoming = slotTickets.filter((t) => clock < startOf(t));
    return upcoming.length && rand.chance(0.75) ? rand.pick(upcoming) : rand.pick(slotTickets);
  };

  async function refundTicket() {
    const seated = live().filter((t) => t.tierId === SEATED);
    const t = seated.length && rand.chance(0.45) ? rand.pick(seated) : pickGiveBack(0.3, 0.85);
    // Mostly released (a released seat is sold again by a later purchase).
    const release = rand.chance(t.tierId === SEATED ? 0.8 : 0.5);
    const caller = rand.chance(0.06) ? rand.pick(fans) : organizer;
    const owner = t.owner;
    const expected =
      (caller !== organizer && fail("AccessControlUnauthorizedAccount", caller.address, ORGANIZER_ROLE)) ||
      (owner === null && fail("ERC721NonexistentToken", t.id)) ||
      (t.checkedIn && fail("TicketAlreadyUsed", t.id, input.end)) ||
      OK;
    const done = await attempt(
      "refundTicket",
      `#${t.id} release ${release} by ${who(caller.address)} (holder ${who(owner)}, paid ${t.paid})`,
      expected,
      () => ticket.connect(caller).refundTicket(t.id, release, TX),
    );
    if (!done) return;
    expectEmitted("Refunded", [[t.id, owner, owner, t.paid]]);
    expectEmitted("InventoryReleased", release ? [[t.tierId, t.id]] : []);
    escrow -= t.paid;
    burnRefunded(t);
    // Released: the seat, or one more unit of supply (serials are never reused), and its place in
    // its slot. Not released: its slot's place stays booked.
    if (release) releasePlace(t);
    else if (t.slot) addTo(keptPlaces, t.slot, 1);
    if (t.slot) countPath(release ? "refund released" : "refund kept");
  }

  async function returnTicket() {
    const t = pickGiveBack(0.35, 0.85);
    const caller = pickCaller(t);
    const owner = t.owner;
    // Deadlines from the ticket's start: its slot's, or the event's.
    const { shareBps, until } = shareAt(startOf(t));
    const expected =
      (owner === null && fail("ERC721NonexistentToken", t.id)) ||
      (!authorized(t, caller.address) && fail("ERC721InsufficientApproval", caller.address, t.id)) ||
      (t.checkedIn && fail("TicketAlreadyUsed", t.id, input.end)) ||
      // Listed: in the ownership word, or a listing of record whose seller holds the token again.
      (t.listing !== null && t.listing.seller === owner && fail("TicketListed", t.id)) ||
      (denied.has(owner!) && fail("AddressDenied", owner)) ||
      (shareBps === 0n && fail("ReturnsClosed", t.id, until)) ||
      OK;
    const refunded = (t.paid * shareBps) / BPS;
    const done = await attempt(
      "returnTicket",
      `#${t.id} by ${who(caller.address)} (holder ${who(owner)}, paid ${t.paid}, refund ${refunded})`,
      expected,
      () => ticket.connect(caller).returnTicket(t.id, TX),
    );
    if (!done) return;
    expectEmitted("TicketReturned", [[t.id, owner, refunded, t.paid - refunded]]);
    escrow -= refunded; // the kept share stays
    kept += t.paid - refunded;
    if (t.slot) countPath("return");
    burnRefunded(t);
    releasePlace(t);
  }

  async function exchangeTicket() {
    const t = pickGiveBack(0.3, 0.88);
    const caller = pickCaller(t);
    // Another tier (sometimes one of the calendar's, with a slot; mostly so for a slot ticket, often
    // its own tier), or an unknown one.
    const tierId = rand.chance(0.03)
      ? UNKNOWN_TIER
      : t.slot && rand.chance(0.6)
        ? rand.chance(0.5)
          ? t.tierId
          : rand.pick(CALENDAR_TIERS)
        : rand.chance(0.25)
          ? rand.pick(CALENDAR_TIERS)
          : rand.int(1, SEATED);
    const target = tiers[tierId];
    const seat = target?.seated ? (rand.chance(0.05) ? rand.pick([0, SEATS + 1]) : rand.int(1, SEATS)) : rand.chance(0.04) ? rand.int(1, SEATS) : 0;
    // A calendar's tier: mostly the ticket's own slot (for a slot ticket, now and then) or another
    // slot; another tier: no slot, now and then one it refuses.
    const slot = target?.calendar
      ? t.slot && rand.chance(0.2)
        ? t.slot
        : rand.chance(0.05)
          ? 0
          : pickSlot()
      : rand.chance(0.04)
        ? rand.int(1, SLOTS)
        : 0;
    const owner = t.owner;
    const oldStart = startOf(t);
    // The old ticket leaves first: its own seat, its place in its slot and (unseated, capped) one
    // unit of its tier's supply are free again for the target's checks.
    const seatFree = (n: number) => !seatsTaken.has(n) || (t.tierId === tierId && t.serial === n);
    const bookedAfter = (n: number) => bookedIn(n) - (t.slot === n ? 1 : 0);
    const supplyAfter = target && t.tierId === tierId && !target.seated && target.supply !== MAX_SUPPLY ? target.supply + 1 : target?.supply;
    const price = target?.price ?? 0n;
    const due = price > t.paid ? price - t.paid : 0n;
    const refunded = price < t.paid ? ((t.paid - price) * shareAt(oldStart).shareBps) / BPS : 0n;
    const maxPayment = rand.chance(0.06) && due > 0n ? due - 1n : rand.chance(0.5) ? ANY_PRICE : due;
    const value = scenario.erc20 ? (rand.chance(0.04) ? 1n : 0n) : rand.chance(0.05) ? due + 1n : due;
    const expected =
      (owner === null && fail("ERC721NonexistentToken", t.id)) ||
      (!authorized(t, caller.address) && fail("ERC721InsufficientApproval", caller.address, t.id)) ||
      (t.checkedIn && fail("TicketAlreadyUsed", t.id, input.end)) ||
      (t.listing !== null && t.listing.seller === owner && fail("TicketListed", t.id)) ||
      (denied.has(owner!) && fail("AddressDenied", owner)) ||
      (clock >= oldStart && fail("ExchangeClosed", t.id, oldStart)) ||
      (!target && fail("UnknownTier", tierId)) ||
      (target.paused && fail("TierIsPaused", tierId)) ||
      saleError(tierId) ||
      (target.calendar !== 0 && slot === 0 && fail("SlotSelectionRequired", tierId)) ||
      (target.calendar !== 0 && slotError(slot, 1, bookedAfter(slot))) ||
      (target.calendar === 0 && slot !== 0 && fail("TierNotOnCalendar", tierId, 0)) ||
      (target.seated && (seat === 0 || seat > target.supply) && fail("InvalidSeat", tierId, seat)) ||
      (target.seated && t.tierId === tierId && t.serial === seat && fail("InvalidExchange", t.id, tierId)) ||
      (target.seated && !seatFree(seat) && fail("SeatTaken", tierId, seat)) ||
      (!target.seated && seat !== 0 && fail("NotSeatedTier", tierId)) ||
      (!target.seated && t.tierId === tierId && t.slot === slot && fail("InvalidExchange", t.id, tierId)) ||
      (!target.seated && target.sold >= supplyAfter! && fail("SoldOut", tierId, 1, 0)) ||
      // Within its own tier (another seat or slot) the ticket was counted when it was bought.
      (t.tierId !== tierId && walletLimit(tierId, owner!, 1)) ||
      (due > maxPayment && fail("PriceAboveLimit", due, maxPayment)) ||
      paymentError(due, value) ||
      OK;
    const done = await attempt(
      "exchangeTicket",
      `#${t.id} to tier ${tierId} slot ${slot} seat ${seat} by ${who(caller.address)} (holder ${who(owner)}, paid ${t.paid}, price ${price}), max ${maxPayment}, value ${value}`,
      expected,
      () => ticket.connect(caller).exchangeTicket(t.id, tierId, slot, seat, maxPayment, { ...TX, value }),
    );
    if (!done) return;
    escrow += due - refunded;
    if (price < t.paid) kept += t.paid - price - refunded;
    if (t.slot || slot) countPath(t.slot && slot ? (t.tierId === tierId ? "exchange to another slot" : "exchange to another slot tier") : t.slot ? "exchange out of a slot" : "exchange into a slot");
    burnRefunded(t);
    releasePlace(t);
    const serial = target.seated ? seat : target.sold + 1;
    const fresh = track(tierId, serial, slot);
    expectEmitted("TicketExchanged", [[t.id, fresh.id, owner, price, due, refunded]]);
    mint(fresh, owner!, price);
    target.sold += 1;
    if (target.seated) seatsTaken.add(seat);
    else if (!slot) track(tierId, target.sold + 1);
    if (slot) addTo(booked, slot, 1);
    if (target.maxPerWallet && t.tierId !== tierId) purchased.set(key(owner!, tierId), (purchased.get(key(owner!, tierId)) ?? 0) + 1);
  }

  async function setDenied() {
    const deniedFans = fans.filter((f) => denied.has(f.address));
    // Mostly one fan denied at a time, sometimes two.
    const deny = deniedFans.length === 0 || (deniedFans.length < 2 && rand.chance(0.25));
    const account = deny ? rand.pick(fans.filter((f) => !denied.has(f.address))) : rand.pick(deniedFans);
    const caller = rand.chance(0.08) ? rand.pick(fans) : organizer;
    const expected =
      (caller !== organizer && fail("AccessControlUnauthorizedAccount", caller.address, ORGANIZER_ROLE)) || OK;
    const done = await attempt("setDenied", `${who(account.address)} ${deny} by ${who(caller.address)}`, expected, () =>
      ticket.connect(caller).setDenied([account.address], deny, TX),
    );
    if (done && deny) denied.add(account.address);
    if (done && !deny) denied.delete(account.address);
  }

  async function checkIn() {
    const ids = Array.from({ length: rand.int(1, 4) }, () => pickToken(0.85).id);
    const caller = rand.chance(0.05) ? rand.pick(fans) : gate;
    const expected =
      (caller !== gate && fail("AccessControlUnauthorizedAccount", caller.address, GATE_ROLE)) ||
      (!atDoors && fail("CheckInNotOpen", opensAt)) ||
      OK;
    const admitted = new Set(ids.filter((id) => tokens.get(id)!.owner !== null && !tokens.get(id)!.checkedIn)).size;
    current = `checkIn [${ids.join(",")}] by ${who(caller.address)}`;
    if ("ok" in expected) {
      const returned = await ticket.connect(caller).checkIn.staticCall(ids);
      expect(returned, `admitted, at ${context()}`).to.equal(BigInt(admitted));
    }
    const done = await attempt("checkIn", `[${ids.join(",")}] by ${who(caller.address)}`, expected, () =>
      ticket.connect(caller).checkIn(ids, TX),
    );
    if (done) for (const id of ids) if (tokens.get(id)!.owner !== null) tokens.get(id)!.checkedIn = true;
  }

  async function undoCheckIn() {
    const used = [...tokens.values()].filter((t) => t.checkedIn);
    const ids = Array.from({ length: rand.int(1, 3) }, () =>
      used.length && rand.chance(0.7) ? rand.pick(used).id : pickToken(0.7).id,
    );
    const caller = rand.chance(0.06) ? rand.pick(fans) : organizer;
    const expected =
      (caller !== organizer && fail("AccessControlUnauthorizedAccount", caller.address, ORGANIZER_ROLE)) || OK;
    const undone = new Set(ids.filter((id) => tokens.get(id)!.checkedIn)).size;
    current = `undoCheckIn [${ids.join(",")}] by ${who(caller.address)}`;
    if ("ok" in expected) {
      const returned = await ticket.connect(caller).undoCheckIn.staticCall(ids);
      expect(returned, `undone, at ${context()}`).to.equal(BigInt(undone));
    }
    const done = await attempt("undoCheckIn", `[${ids.join(",")}] by ${who(caller.address)}`, expected, () =>
      ticket.connect(caller).undoCheckIn(ids, TX),
    );
    if (done) for (const id of ids) tokens.get(id)!.checkedIn = false;
  }

  async function setTierPaused() {
    const paused = [1, ...COUNTED, ...CALENDAR_TIERS].filter((tierId) => tiers[tierId].paused);
    // A paused tier is resumed at the next pause step.
    const tierId = paused.length ? paused[0] : rand.int(1, LAST_TIER);
    const pause = !tiers[tierId].paused;
    const done = await attempt("setTierPaused", `tier ${tierId} ${pause}`, OK, () =>
      ticket.connect(organizer).setTierPaused(tierId, pause, TX),
    );
    if (done) tiers[tierId].paused = pause;
  }

  async function withdrawRoyalties() {
    const caller = rand.pick(fans);
    const expected = (royalties === 0n && fail("NothingToWithdraw")) || OK;
    const done = await attempt("withdrawRoyalties", `by ${who(caller.address)} (owed ${royalties})`, expected, () =>
      ticket.connect(caller).withdrawRoyalties(TX),
    );
    if (done) royalties = 0n;
  }

  // ------------------------------------------------------------------ comparing every view
  /** The event's whole ABI, looked up by function name. */
  const eventAbi: Interface = ticket.interface;
  const encodedCalls = new Map<string, string>();
  /** label -> canon(expected) + raw outcome last seen to agree (most views do not change per step). */
  const agreed = new Map<string, string>();

  /** Slot tickets whose entry window was read, and at which mint. */
  const entryRead = new Map<bigint, number>();

  function expectedViews() {
    const views: { fn: string; args: unknown[]; expected: Expected; always?: boolean }[] = [];
    const value = (fn: string, args: unknown[], v: unknown, always = false) => views.push({ fn, args, expected: { value: v }, always });
    const error = (fn: string, args: unknown[], name: string, ...errorArgs: unknown[]) =>
      views.push({ fn, args, expected: { error: name, args: errorArgs } });
    let owed = 0n;
    for (const t of tokens.values()) {
      const id = [t.id];
      if (t.mints === 0) {
        // Never minted yet (a free seat, a tier's next serial): ERC-721 says it does not exist.
        error("ownerOf", id, "ERC721NonexistentToken", t.id);
        continue;
      }
      if (t.owner === null) {
        error("ownerOf", id, "ERC721NonexistentToken", t.id);
        error("getApproved", id, "ERC721NonexistentToken", t.id);
        error("pricePaid", id, "ERC721NonexistentToken", t.id);
        error("returnQuote", id, "ERC721NonexistentToken", t.id);
      } else {
        value("ownerOf", id, t.owner);
        value("getApproved", id, t.approved);
        value("pricePaid", id, t.paid);
        const { shareBps, until } = shareAt(startOf(t));
        value("returnQuote", id, [(t.paid * shareBps) / BPS, until]);
        owed += t.paid;
      }
      value("isCheckedIn", id, t.checkedIn);
      value("listing", id, t.listing ? [t.listing.seller, t.listing.price] : [ZERO, 0n]);
      const state = !t.listing
        ? ListingState.NotListed
        : t.owner !== t.listing.seller
          ? ListingState.TokenMoved
          : t.checkedIn
            ? ListingState.CheckedIn
            : denied.has(t.listing.seller)
              ? ListingState.SellerDenied
              : ListingState.Active;
      value("listingState", id, state);
      // A slot ticket's entry window follows from its id alone: read once per mint.
      if (t.slot && entryRead.get(t.id) !== t.mints) {
        const w = entryOf(t.slot);
        value("entryWindow", id, w ? [w.start, w.end] : [0, 0], true);
        entryRead.set(t.id, t.mints);
      }
    }
    // A ticket without a slot (and no timed tier): any time.
    value("entryWindow", [tokenIdOf(1, 1)], [0, 0]);
    for (const fan of fans) {
      const a = fan.address;
      value("balanceOf", [a], live().filter((t) => t.owner === a).length);
      value("isDenied", [a], denied.has(a));
      value("giftsUsed", [a], giftsUsed.get(a) ?? 0);
      for (const other of fans) value("isApprovedForAll", [a, other.address], isOperator(a, other.address));
      for (const tierId of LIMITED) value("purchased", [tierId, a], purchased.get(key(a, tierId)) ?? 0);
    }
    for (const other of [organizer, gate]) value("balanceOf", [other.address], 0);
    error("balanceOf", [ZERO], "ERC721InvalidOwner", ZERO);
    for (let tierId = 1; tierId <= LAST_TIER; tierId++) {
      const t = tiers[tierId];
      value("tier", [tierId], [t.name, t.price, t.supply, t.sold, t.maxPerWallet, t.saleStart, t.saleEnd, t.paused, t.calendar]);
    }
    error("tier", [UNKNOWN_TIER], "UnknownTier", UNKNOWN_TIER);
    // The slots booked so far, a quarter of the others in turn, and one either side of the season.
    for (let slot = 0; slot <= SLOTS + 1; slot++) {
      if (slot !== 0 && slot !== SLOTS + 1 && !booked.has(slot) && slot % 4 !== step % 4) continue;
      const w = windowOf(slot);
      const info = w ? [true, w.start, w.end, w.saleClosesAt, bookedIn(slot), SLOT_CAPACITY] : [false, 0, 0, 0, 0, 0];
      value("slotInfo", [CALENDAR, slot], info, true);
    }
    error("slotInfo", [1, 1], "UnknownCalendar", 1);
    for (let seat = 1; seat <= SEATS; seat++) value("isSeatTaken", [SEATED, seat], seatsTaken.has(seat));
    value("escrowBalance", [], escrow, true);
    value("accruedRoyalties", [], [royalties, platformFees]);
    value("refundBooks", [], [owed, 10n ** 18n], true);
    for (const v of vouchers) value("voucherUses", [v.terms.codeId], [v.uses, false]);
    return views;
  }

  /** label -> its turn in the rotation (0 .. ROTATION - 1), and what the model expected when it was last read. */
  const turnOf = new Map<string, number>();
  const lastRead = new Map<string, string>();
  const turn = (label: string) => {
    let t = turnOf.get(label);
    if (t === undefined) turnOf.set(label, (t = Number(BigInt(keccakOfText(label)) % BigInt(ROTATION))));
    return t;
  };

  /**
   * Reads from the contract every view the model says this step changed, those whose turn it is
   * (each view at least every ROTATION steps, so a change the model did not predict is caught within
   * that many steps), and the ones read for every step; `all` reads every view.
   */
  async function compareViews(all = false) {
    const views = expectedViews().filter((v) => {
      if (all || v.always) return true;
      const label = `${v.fn}(${v.args.join(",")})`;
      return turn(label) === step % ROTATION || lastRead.get(label) !== canon(v.expected);
    });
    const labels = views.map((v) => `${v.fn}(${v.args.join(",")})`);
    views.forEach((v, i) => lastRead.set(labels[i], canon(v.expected)));
    const calls = views.map((v, i) => {
      let call = encodedCalls.get(labels[i]);
      if (call === undefined) {
        call = eventAbi.encodeFunctionData(v.fn, v.args);
        encodedCalls.set(labels[i], call);
      }
      return call;
    });
    const raw: string = await ethers.provider.send("eth_call", [{ to: readerAddress, data: encodeBatch(address, calls) }, "latest"]);
    const outcomes = decodeBatch(raw);
    expect(outcomes.length, "batched reads").to.equal(views.length);
    const problems: string[] = [];
    views.forEach((v, i) => {
      const { success, data } = outcomes[i];
      const wanted = canon(v.expected);
      const seen = `${wanted}|${success}|${data}`;
      if (agreed.get(labels[i]) === seen) return; // the same answer as last time, already checked
      let actual: Expected;
      if (success) {
        const result = eventAbi.decodeFunctionResult(v.fn, data);
        actual = { value: result.length === 1 ? result[0] : result };
      } else {
        actual = decodeRevert(data);
      }
      if (canon(actual) === wanted) agreed.set(labels[i], seen);
      else {
        const call = `${v.fn}(${v.args.map((arg) => (typeof arg === "string" ? who(arg) : String(arg))).join(", ")})`;
        problems.push(`${call}: model ${show(v.expected)}, contract ${show(actual)}`);
      }
    });
    if (problems.length) {
      expect.fail(`Differential disagreement in views after ${context()} (a change the model did not predict shows within ${ROTATION} steps of it)\n  ${problems.slice(0, 20).join("\n  ")}`);
    }
    // The invariants, read from the contract itself: no slot booked past its capacity; the escrow
    // is what the live tickets paid (the refund books) plus what returns and exchanges kept.
    let escrowSeen: bigint | undefined;
    let owedSeen: bigint | undefined;
    views.forEach((v, i) => {
      if (!outcomes[i].success || !["escrowBalance", "refundBooks", "slotInfo"].includes(v.fn)) return;
      const result = eventAbi.decodeFunctionResult(v.fn, outcomes[i].data);
      if (v.fn === "escrowBalance") escrowSeen = result[0] as bigint;
      else if (v.fn === "refundBooks") owedSeen = result[0] as bigint;
      else {
        const info = result[0] as { booked: bigint; capacity: bigint };
        expect(info.booked <= info.capacity, `slotInfo(${v.args.join(", ")}) booked past capacity after ${context()}`).to.equal(true);
      }
    });
    expect(escrowSeen, `escrowBalance() after ${context()}`).to.equal(owedSeen! + kept);
    return views.length;
  }

  /** The model's own invariants after every step. */
  function checkInvariants() {
    const inSlot = new Map<number, number>();
    let owed = 0n;
    for (const t of tokens.values()) {
      if (t.owner === null) continue;
      owed += t.paid;
      if (t.slot) addTo(inSlot, t.slot, 1);
    }
    for (const slot of new Set([...booked.keys(), ...inSlot.keys(), ...keptPlaces.keys()])) {
      const label = `slot ${slot} after ${context()}`;
      expect(bookedIn(slot), `booked, ${label}`).to.be.at.most(SLOT_CAPACITY);
      expect(windowOf(slot), `offered, ${label}`).to.not.equal(undefined);
      expect(bookedIn(slot), `booked = live tickets + kept places, ${label}`).to.equal(
        (inSlot.get(slot) ?? 0) + (keptPlaces.get(slot) ?? 0),
      );
    }
    expect(escrow, `escrow = what live tickets paid + what was kept, after ${context()}`).to.equal(owed + kept);
  }

  // ------------------------------------------------------------------ run
  let viewsCompared = await compareViews(true);
  const actions: Record<Action, () => Promise<void>> = {
    buy,
    buyWith,
    buySlot,
    approve,
    setApprovalForAll,
    transferFrom: () => transfer("transferFrom"),
    safeTransferFrom: () => transfer("safeTransferFrom"),
    gift,
    list,
    updateListing,
    cancelListing,
    buyListing,
    refundTicket,
    returnTicket,
    exchangeTicket,
    setDenied,
    checkIn,
    undoCheckIn,
    setTierPaused,
    withdrawRoyalties,
  };
  for (step = 1; step <= STEPS; step++) {
    if (step === CHECK_IN_STEP) {
      current = "time travel into the check-in window";
      await networkHelpers.time.increaseTo(doorsAt);
      clock = doorsAt;
      atDoors = true;
      tally.set("timeTravel", { ok: (tally.get("timeTravel")?.ok ?? 0) + 1, refused: 0 });
    } else if (SEASON_STEPS.has(step)) {
      // Into the season: 10:30 UTC of its day 0, then of its day 3. The morning's slots have started
      // (sale, returns and exchanges closed), the afternoon's are still on sale (the first one's
      // returns closed, 3 hours before it starts).
      const day = SEASON_STEPS.get(step)!;
      current = `time travel to the season's day ${day}`;
      clock = (rule.firstDay + day) * DAY + 10 * HOUR + 30 * 60;
      await networkHelpers.time.increaseTo(clock);
      tally.set("timeTravel", { ok: (tally.get("timeTravel")?.ok ?? 0) + 1, refused: 0 });
    } else {
      const weights = atDoors ? WEIGHTS_AT_DOORS : WEIGHTS;
      let roll = rand.int(1, Object.values(weights).reduce((a, b) => a + b, 0));
      const action = (Object.keys(weights) as Action[]).find((a) => (roll -= weights[a]) <= 0)!;
      await actions[action]();
    }
    checkInvariants();
    viewsCompared += await compareViews(step === STEPS);
  }

  // The sequence reached what it is for.
  const spilled = fans.filter((f) => COUNTED.filter((id) => purchased.has(key(f.address, id))).length > PACKED_ENTRIES);
  const stats = {
    seconds: (Date.now() - started) / 1000,
    tally,
    errorsSeen,
    viewsCompared,
    minted: [...tokens.values()].filter((t) => t.mints > 0).length,
    live: live().length,
    remints,
    spilled: spilled.length,
    slotTickets: [...tokens.values()].filter((t) => t.slot !== 0 && t.mints > 0).length,
    slotPaths,
    slotsBooked: [...booked.values()].filter((n) => n > 0).length,
    slotsFull: [...booked.values()].filter((n) => n === SLOT_CAPACITY).length,
  };
  return stats;
}

describe("Differential: seeded random operations against a plain model", function () {
  // About a minute on an idle two-core machine; `npm test` runs it beside the browser tests.
  this.timeout(600_000);
  type Run = { stats: Awaited<ReturnType<typeof runScenario>> } | { error: unknown };
  let runs: Promise<Run>[] = [];

  before(function () {
    const seed = parseSeed(process.env.CHAINPASS_DIFF_SEED);
    console.log(`      differential seed ${hex(seed)} (set CHAINPASS_DIFF_SEED to replay it or to try another)`);
    // Both sequences start now, each on its own chain; each test below waits for its own.
    runs = SCENARIOS.map((scenario, i) =>
      runScenario(scenario, seed, chains[i]).then(
        (stats): Run => ({ stats }),
        (error: unknown): Run => ({ error }),
      ),
    );
  });

  SCENARIOS.forEach((scenario, i) => {
    it(`agrees with the model on every outcome and every view (${scenario.label}, ${STEPS} steps)`, async function () {
      const run = await runs[i];
      if ("error" in run) throw run.error;
      const { stats } = run;
      const mix = [...stats.tally].map(([a, c]) => `${a} ${c.ok}/${c.refused}`).join(", ");
      const errors = [...stats.errorsSeen].map(([e, n]) => `${e} ${n}`).join(", ");
      console.log(
        `      ${scenario.label}: ${STEPS} steps in ${stats.seconds.toFixed(1)} s, ${stats.viewsCompared} view reads compared; ` +
          `${stats.minted} token ids minted (${stats.live} live), ${stats.remints} released seats re-minted, ` +
          `${stats.spilled} wallet(s) with purchase counts past the packed entries; ${stats.slotTickets} slot tickets minted, ` +
          `${stats.slotsBooked} slots booked at the end (${stats.slotsFull} full)\n` +
          `      slot tickets: ${[...stats.slotPaths].map(([p, n]) => `${p} ${n}`).join(", ")}\n` +
          `      steps ok/refused: ${mix}\n      refusals: ${errors}`,
      );
      // The sequence reached what it is for: every path succeeded at least once, a released seat
      // was sold again, a wallet's counts spilled. Required of the default seed; another seed
      // (exploring) must agree with the model, and what it did not reach is only reported.
      const ok = (action: string) => stats.tally.get(action)?.ok ?? 0;
      const required = ["buy", "buyWith", "gift", "list", "updateListing", "cancelListing", "buyListing", "refundTicket"];
      required.push("setDenied", "checkIn", "undoCheckIn", "buySlot");
      if (scenario.policy === Policy.Open) required.push("approve", "setApprovalForAll", "transferFrom", "safeTransferFrom");
      const missed = [
        ...required.filter((action) => ok(action) === 0).map((action) => `a successful ${action}`),
        ...(stats.remints === 0 ? ["a released seat sold again"] : []),
        ...(stats.spilled === 0 ? ["purchase counts past the packed entries"] : []),
        // Timed entry: every way a slot refuses a booking.
        ...["SlotFull", "SlotNotOffered", "SlotSaleClosed"].filter((e) => !stats.errorsSeen.has(e)).map((e) => `a ${e} refusal`),
      ];
      if (process.env.CHAINPASS_DIFF_SEED) {
        if (missed.length) console.log(`      not reached with this seed: ${missed.join(", ")}`);
      } else {
        expect(missed, "paths the default sequence must reach").to.deep.equal([]);
      }
    });
  });
});
