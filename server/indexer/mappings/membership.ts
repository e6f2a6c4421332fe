// Membership programs (ChainpassMembership's logs) and the points they derive from the events'
// own logs: purchases earn (a rate per currency, a first-purchase bonus), check-ins earn
// attendance once per event, refunds and returns take back what a ticket earned and give back the
// points it cost, and the organizer's corrections say why. Every change is a PointsChange. Mirror
// of subgraph/src/membership.ts.
//
// PointsSpent is logged by the membership contract during a purchase, before the mints: it waits
// in the transaction's PendingPurchase for the TicketsPurchased that follows (sales.ts).
import type { Hex } from "viem";

import type { Event, Member, MembershipProgram, PendingPurchase, Ticket } from "../generated/entities.js";
import type { ChainEvent, HandlerStore, MembershipEvent, TicketEvent } from "../mapping.js";
import { concat, getOrCreateAccount, int32Bytes, logId, tierKey } from "./helpers.js";
import { getOrCreatePendingPurchase } from "./sales.js";

export const memberKey = (organizer: Hex, member: Hex): Hex => concat(organizer, member);
const currencyKey = (organizer: Hex, currency: Hex): Hex => concat(organizer, currency);
/** A PointsChange id: the log's id ++ one byte, so one log may record several changes. */
const changeKey = (log: ChainEvent<unknown>, part: number): Hex => concat(logId(log), `0x0${part}`);

const loadProgram = (store: HandlerStore, organizer: Hex): MembershipProgram => store.load("MembershipProgram", organizer)!;

function recordChange(
  store: HandlerStore,
  log: ChainEvent<unknown>,
  part: number,
  member: Member,
  change: { kind: string; points: bigint; event: Hex | null; ticket: Hex | null; reason: string | null },
) {
  store.save("PointsChange", {
    id: changeKey(log, part),
    member: member.id,
    ...change,
    timestamp: log.block.timestamp,
    blockNumber: log.block.number,
    transactionHash: log.transaction.hash,
  });
}

/** Adds `points` to what `member` earned, and so to what they are credited. */
function addEarned(member: Member, points: bigint) {
  member.earned += points;
  member.credited += points;
}

/**
 * Takes back up to `points` of what `member` earned, never more than they have left to spend
 * (credited - spent), so a balance never goes negative: points already spent paid for something
 * that stands. Returns what it took.
 */
function takeBack(member: Member, points: bigint): bigint {
  const left = member.credited - member.spent;
  const taken = points < left ? points : left > 0n ? left : 0n;
  member.earned -= taken;
  member.credited -= taken;
  return taken;
}

// ------------------------------------------------------------------ the program's own logs

export function handleProgramCreated(event: MembershipEvent<"ProgramCreated">, store: HandlerStore) {
  const organizer = getOrCreateAccount(store, event.params.organizer, event);
  store.save("MembershipProgram", {
    id: organizer.id,
    organizer: organizer.id,
    name: event.params.name,
    pointsSigner: event.params.pointsSigner,
    attendancePoints: 0n,
    firstPurchaseBonus: 0n,
    levelThresholds: [],
    levelNames: [],
    root: null,
    rootBlock: null,
    memberCount: 0,
    createdAt: event.block.timestamp,
  });
}

export function handlePointsSignerChanged(event: MembershipEvent<"PointsSignerChanged">, store: HandlerStore) {
  const program = loadProgram(store, event.params.organizer);
  program.pointsSigner = event.params.pointsSigner;
  store.save("MembershipProgram", program);
}

export function handleEarnRateSet(event: MembershipEvent<"EarnRateSet">, store: HandlerStore) {
  const { organizer, currency, unit, points } = event.params;
  store.save("EarnRate", { id: currencyKey(organizer, currency), program: organizer, currency, unit, points });
}

export function handleRewardsSet(event: MembershipEvent<"RewardsSet">, store: HandlerStore) {
  const program = loadProgram(store, event.params.organizer);
  program.attendancePoints = event.params.attendancePoints;
  program.firstPurchaseBonus = event.params.firstPurchaseBonus;
  store.save("MembershipProgram", program);
}

export function handleLevelsSet(event: MembershipEvent<"LevelsSet">, store: HandlerStore) {
  const program = loadProgram(store, event.params.organizer);
  program.levelThresholds = [...event.params.thresholds];
  program.levelNames = [...event.params.names];
  store.save("MembershipProgram", program);
}

export function handlePointValueSet(event: MembershipEvent<"PointValueSet">, store: HandlerStore) {
  const { organizer, currency, value } = event.params;
  store.save("PointValue", { id: currencyKey(organizer, currency), program: organizer, currency, value });
}

export function handleEventEnrolled(event: MembershipEvent<"EventEnrolled">, store: HandlerStore) {
  const ev = store.load("Event", event.params.eventAddress);
  if (!ev) return; // not an event of this index's factory
  ev.membershipProgram = event.params.organizer;
  store.save("Event", ev);
}

export function handleMemberJoined(event: MembershipEvent<"MemberJoined">, store: HandlerStore) {
  const program = loadProgram(store, event.params.organizer);
  const account = getOrCreateAccount(store, event.params.member, event);
  store.save("Member", {
    id: memberKey(program.id, account.id),
    program: program.id,
    account: account.id,
    joinedAt: event.block.timestamp,
    earned: 0n,
    givenBack: 0n,
    credited: 0n,
    spent: 0n,
    level: 0,
    hasPurchased: false,
  });
  program.memberCount += 1;
  store.save("MembershipProgram", program);
}

export function handlePointsAdjusted(event: MembershipEvent<"PointsAdjusted">, store: HandlerStore) {
  const member = store.load("Member", memberKey(event.params.organizer, event.params.member))!;
  const { delta } = event.params;
  // A correction downwards takes what the member has left, as a reversal does.
  const points = delta > 0n ? delta : -takeBack(member, -delta);
  if (delta > 0n) addEarned(member, delta);
  store.save("Member", member);
  recordChange(store, event, 0, member, { kind: "Adjustment", points, event: null, ticket: null, reason: event.params.reason });
}

export function handleMemberLevelSet(event: MembershipEvent<"MemberLevelSet">, store: HandlerStore) {
  const member = store.load("Member", memberKey(event.params.organizer, event.params.member))!;
  member.level = Number(event.params.level);
  store.save("Member", member);
}

export function handleRootPosted(event: MembershipEvent<"RootPosted">, store: HandlerStore) {
  const program = loadProgram(store, event.params.organizer);
  program.root = event.params.root;
  program.rootBlock = event.params.asOfBlock;
  store.save("MembershipProgram", program);
  store.save("PointsRoot", {
    id: logId(event),
    program: program.id,
    root: event.params.root,
    asOfBlock: event.params.asOfBlock,
    members: event.params.members,
    timestamp: event.block.timestamp,
    transactionHash: event.transaction.hash,
  });
}

export function handlePointsSpent(event: MembershipEvent<"PointsSpent">, store: HandlerStore) {
  const { organizer, member: address, eventAddress, pointsPerTicket, quantity } = event.params;
  const member = store.load("Member", memberKey(organizer, address))!;
  const points = pointsPerTicket * quantity;
  member.spent += points;
  store.save("Member", member);
  recordChange(store, event, 0, member, { kind: "Spent", points, event: store.load("Event", eventAddress) ? eventAddress : null, ticket: null, reason: null });
  const pending = getOrCreatePendingPurchase(store, eventAddress, event.transaction.hash);
  pending.pointsPerTicket = pointsPerTicket;
  pending.pointsPayer = member.id;
  store.save("PendingPurchase", pending);
}

const offerKey = (organizer: Hex, offerId: bigint): Hex => concat(organizer, int32Bytes(Number(offerId)));

export function handleVoucherOfferAdded(event: MembershipEvent<"VoucherOfferAdded">, store: HandlerStore) {
  const { organizer, offerId, offer } = event.params;
  store.save("VoucherOffer", {
    id: offerKey(organizer, offerId),
    program: organizer,
    offerId: Number(offerId),
    eventAddress: offer.eventAddress,
    tierId: Number(offer.tierId),
    percentOffBps: Number(offer.percentOffBps),
    amountOff: offer.amountOff,
    validFor: BigInt(offer.validFor),
    points: offer.points,
    active: offer.active,
  });
}

export function handleVoucherOfferActiveChanged(event: MembershipEvent<"VoucherOfferActiveChanged">, store: HandlerStore) {
  const offer = store.load("VoucherOffer", offerKey(event.params.organizer, event.params.offerId))!;
  offer.active = event.params.active;
  store.save("VoucherOffer", offer);
}

export function handlePointsRedeemed(event: MembershipEvent<"PointsRedeemed">, store: HandlerStore) {
  const { organizer, member: address, offerId, codeId, points, expiresAt } = event.params;
  const member = store.load("Member", memberKey(organizer, address))!;
  member.spent += points;
  store.save("Member", member);
  const offer = store.load("VoucherOffer", offerKey(organizer, offerId))!;
  store.save("PointsRedemption", { id: codeId, member: member.id, offer: offer.id, points, expiresAt: BigInt(expiresAt), redeemedAt: event.block.timestamp, used: false });
  const ev = store.load("Event", offer.eventAddress);
  recordChange(store, event, 0, member, { kind: "Redeemed", points, event: ev ? ev.id : null, ticket: null, reason: null });
}

const AUDIENCES = ["Holders", "Members", "Level"];

/** An event's announcements are kept only for events of this index's factory. */
export function handleAnnounced(event: MembershipEvent<"Announced">, store: HandlerStore) {
  const { organizer, eventAddress, audience, level, uri } = event.params;
  const ev = audience === 0 ? store.load("Event", eventAddress) : null;
  if (audience === 0 && ev === null) return;
  const account = getOrCreateAccount(store, organizer, event);
  store.save("Announcement", {
    id: logId(event),
    organizer: account.id,
    audience: AUDIENCES[audience],
    event: ev === null ? null : ev.id,
    program: audience === 0 ? null : organizer,
    level,
    uri,
    timestamp: event.block.timestamp,
    blockNumber: event.block.number,
    transactionHash: event.transaction.hash,
  });
}

/**
 * A purchase used a voucher (VoucherRedeemed, before its mints): if points bought that voucher,
 * its ticket cost them, and gives them back if refunded or returned.
 */
export function notePointsVoucher(store: HandlerStore, codeId: Hex, pending: PendingPurchase) {
  const redemption = store.load("PointsRedemption", codeId);
  if (redemption === null) return;
  redemption.used = true;
  store.save("PointsRedemption", redemption);
  pending.pointsPerTicket = redemption.points;
  pending.pointsPayer = redemption.member;
}

// ------------------------------------------------------------------ from the events' logs

/** The event's program member `address`, if the event is in a program and they joined it. */
function memberAt(store: HandlerStore, ev: Event, address: Hex): Member | null {
  return ev.membershipProgram === null ? null : store.load("Member", memberKey(ev.membershipProgram, address));
}

/**
 * A primary purchase (TicketsPurchased): the points its cash earns the buyer if a member (a rate
 * per ticket, rounded down, and the first-purchase bonus on the first ticket), and the points
 * that paid it (the transaction's PointsSpent). Returns the buyer's level, for the Sale.
 */
export function creditPurchase(
  store: HandlerStore,
  event: TicketEvent<"TicketsPurchased">,
  ev: Event,
  tickets: Hex[],
  unitPrice: bigint,
  points: { perTicket: bigint; payer: Hex | null },
): number | null {
  if (points.payer !== null) {
    for (const id of tickets) {
      const ticket = store.load("Ticket", id)!;
      ticket.pointsPaid = points.perTicket;
      ticket.pointsPayer = points.payer;
      store.save("Ticket", ticket);
    }
  }
  const member = memberAt(store, ev, event.params.buyer);
  if (member === null || tickets.length === 0) return null;
  const program = loadProgram(store, member.program);
  const rate = store.load("EarnRate", currencyKey(program.id, ev.currency));
  const perTicket = rate === null ? 0n : (unitPrice * rate.points) / rate.unit;
  const bonus = member.hasPurchased ? 0n : program.firstPurchaseBonus;
  member.hasPurchased = true;
  tickets.forEach((id, i) => {
    const ticket = store.load("Ticket", id)!;
    ticket.pointsEarned = perTicket + (i === 0 ? bonus : 0n);
    ticket.pointsEarner = member.id;
    store.save("Ticket", ticket);
  });
  const earned = perTicket * BigInt(tickets.length);
  addEarned(member, earned + bonus);
  store.save("Member", member);
  if (earned !== 0n) recordChange(store, event, 0, member, { kind: "Purchase", points: earned, event: ev.id, ticket: tickets[0], reason: null });
  if (bonus !== 0n) recordChange(store, event, 1, member, { kind: "FirstPurchase", points: bonus, event: ev.id, ticket: tickets[0], reason: null });
  return member.level;
}

/**
 * A refunded or returned ticket: the points it cost are given back, then what it earned is taken
 * back (as far as the earner has points left).
 */
export function reverseTicketPoints(store: HandlerStore, log: ChainEvent<unknown>, ev: Event, ticket: Ticket) {
  if (ticket.pointsPayer !== null && ticket.pointsPaid !== 0n) {
    const payer = store.load("Member", ticket.pointsPayer)!;
    payer.givenBack += ticket.pointsPaid;
    payer.credited += ticket.pointsPaid;
    store.save("Member", payer);
    recordChange(store, log, 2, payer, { kind: "GivenBack", points: ticket.pointsPaid, event: ev.id, ticket: ticket.id, reason: null });
  }
  if (ticket.pointsEarner !== null && ticket.pointsEarned !== 0n) {
    const earner = store.load("Member", ticket.pointsEarner)!;
    const taken = takeBack(earner, ticket.pointsEarned);
    store.save("Member", earner);
    if (taken !== 0n) recordChange(store, log, 0, earner, { kind: "Reversal", points: -taken, event: ev.id, ticket: ticket.id, reason: null });
  }
}

/** An exchange: the new ticket carries what the old one earned and cost. */
export function moveTicketPoints(old: Ticket, fresh: Ticket) {
  fresh.pointsEarned = old.pointsEarned;
  fresh.pointsEarner = old.pointsEarner;
  fresh.pointsPaid = old.pointsPaid;
  fresh.pointsPayer = old.pointsPayer;
}

const attendanceKey = (member: Member, eventAddress: Hex): Hex => concat(member.id, eventAddress);

/** A check-in: the holder's first attended ticket of the event earns the attendance points. */
export function creditAttendance(store: HandlerStore, event: TicketEvent<"CheckedIn">, ev: Event, ticket: Ticket) {
  const member = memberAt(store, ev, event.params.holder);
  if (member === null || store.load("MemberAttendance", attendanceKey(member, ev.id)) !== null) return;
  const points = loadProgram(store, member.program).attendancePoints;
  store.save("MemberAttendance", { id: attendanceKey(member, ev.id), member: member.id, event: ev.id, ticket: ticket.id, points });
  if (points === 0n) return;
  addEarned(member, points);
  store.save("Member", member);
  recordChange(store, event, 0, member, { kind: "Attendance", points, event: ev.id, ticket: ticket.id, reason: null });
}

/** An undone check-in takes back the attendance it earned (the holder may attend again). */
export function reverseAttendance(store: HandlerStore, event: TicketEvent<"CheckInUndone">, ev: Event, ticket: Ticket, holder: Hex) {
  const member = memberAt(store, ev, holder);
  if (member === null) return;
  const attendance = store.load("MemberAttendance", attendanceKey(member, ev.id));
  if (attendance === null || attendance.ticket !== ticket.id) return;
  store.remove("MemberAttendance", attendance.id);
  const taken = takeBack(member, attendance.points);
  if (taken === 0n) return;
  store.save("Member", member);
  recordChange(store, event, 0, member, { kind: "Attendance", points: -taken, event: ev.id, ticket: ticket.id, reason: null });
}

export function handleTierPerksSet(event: TicketEvent<"TierPerksSet">, store: HandlerStore) {
  const tier = store.load("Tier", tierKey(event.address, event.params.tierId))!;
  tier.membersOnly = event.params.membersOnly;
  tier.minLevel = Number(event.params.minLevel);
  tier.perkLevel = Number(event.params.perkLevel);
  tier.discountBps = Number(event.params.discountBps);
  tier.extraPerWallet = Number(event.params.extraPerWallet);
  store.save("Tier", tier);
}
