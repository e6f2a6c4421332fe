// Membership programs (ChainpassMembership's logs) and the points they derive from the events'
// own logs: purchases earn (a rate per currency, a first-purchase bonus), check-ins earn
// attendance once per event, refunds and returns take back what a ticket earned and give back the
// points it cost, and the organizer's corrections say why. Every change is a PointsChange.
//
// PointsSpent is logged by the membership contract during a purchase, before the mints: it waits
// in the transaction's PendingPurchase for the TicketsPurchased that follows (sales.ts).
import { BigInt, Bytes, ethereum, store } from "@graphprotocol/graph-ts";

import {
  Announced,
  EarnRateSet,
  EventEnrolled,
  LevelsSet,
  MemberJoined,
  MemberLevelSet,
  PointsAdjusted,
  PointsSignerChanged,
  PointsRedeemed,
  PointsSpent,
  PointValueSet,
  ProgramCreated,
  RewardsSet,
  RootPosted,
  VoucherOfferActiveChanged,
  VoucherOfferAdded,
} from "../generated/ChainpassMembership/ChainpassMembership";
import { CheckedIn, CheckInUndone, TicketsPurchased, TierPerksSet } from "../generated/templates/EventTicket/IChainpassEvent";
import {
  Announcement,
  EarnRate,
  Event,
  Member,
  MemberAttendance,
  MembershipProgram,
  PendingPurchase,
  PointsChange,
  PointsRedemption,
  PointsRoot,
  PointValue,
  Ticket,
  Tier,
  VoucherOffer,
} from "../generated/schema";
import { getOrCreateAccount, logId, tierKey } from "./helpers";
import { getOrCreatePendingPurchase } from "./sales";

/** What creditPurchase returns when the buyer has no level (not a member, or no program). */
export const NO_LEVEL: i32 = -1;

export function memberKey(organizer: Bytes, member: Bytes): Bytes {
  return organizer.concat(member);
}

function currencyKey(organizer: Bytes, currency: Bytes): Bytes {
  return organizer.concat(currency);
}

/** A PointsChange id: the log's id ++ one byte, so one log may record several changes. */
function changeKey(log: ethereum.Event, part: i32): Bytes {
  const suffix = new Bytes(1);
  suffix[0] = part as u8;
  return logId(log).concat(suffix);
}

function loadProgram(organizer: Bytes): MembershipProgram {
  return MembershipProgram.load(organizer)!;
}

function recordChange(
  log: ethereum.Event,
  part: i32,
  member: Member,
  kind: string,
  points: BigInt,
  eventId: Bytes | null,
  ticketId: Bytes | null,
  reason: string | null,
): void {
  const change = new PointsChange(changeKey(log, part));
  change.member = member.id;
  change.kind = kind;
  change.points = points;
  change.event = eventId;
  change.ticket = ticketId;
  change.reason = reason;
  change.timestamp = log.block.timestamp;
  change.blockNumber = log.block.number;
  change.transactionHash = log.transaction.hash;
  change.save();
}

/** Adds `points` to what `member` earned, and so to what they are credited. */
function addEarned(member: Member, points: BigInt): void {
  member.earned = member.earned.plus(points);
  member.credited = member.credited.plus(points);
}

/** Takes back up to `points` earned, never more than the member has left to spend; returns what it took. */
function takeBack(member: Member, points: BigInt): BigInt {
  const left = member.credited.minus(member.spent);
  let taken = points.lt(left) ? points : left;
  if (taken.lt(BigInt.zero())) taken = BigInt.zero();
  member.earned = member.earned.minus(taken);
  member.credited = member.credited.minus(taken);
  return taken;
}

// ------------------------------------------------------------------ the program's own logs

export function handleProgramCreated(event: ProgramCreated): void {
  const organizer = getOrCreateAccount(event.params.organizer, event);
  const program = new MembershipProgram(organizer.id);
  program.organizer = organizer.id;
  program.name = event.params.name;
  program.pointsSigner = event.params.pointsSigner;
  program.attendancePoints = BigInt.zero();
  program.firstPurchaseBonus = BigInt.zero();
  program.levelThresholds = [];
  program.levelNames = [];
  program.root = null;
  program.rootBlock = null;
  program.memberCount = 0;
  program.createdAt = event.block.timestamp;
  program.save();
}

export function handlePointsSignerChanged(event: PointsSignerChanged): void {
  const program = loadProgram(event.params.organizer);
  program.pointsSigner = event.params.pointsSigner;
  program.save();
}

export function handleEarnRateSet(event: EarnRateSet): void {
  const rate = new EarnRate(currencyKey(event.params.organizer, event.params.currency));
  rate.program = event.params.organizer;
  rate.currency = event.params.currency;
  rate.unit = event.params.unit;
  rate.points = event.params.points;
  rate.save();
}

export function handleRewardsSet(event: RewardsSet): void {
  const program = loadProgram(event.params.organizer);
  program.attendancePoints = event.params.attendancePoints;
  program.firstPurchaseBonus = event.params.firstPurchaseBonus;
  program.save();
}

export function handleLevelsSet(event: LevelsSet): void {
  const program = loadProgram(event.params.organizer);
  program.levelThresholds = event.params.thresholds;
  program.levelNames = event.params.names;
  program.save();
}

export function handlePointValueSet(event: PointValueSet): void {
  const value = new PointValue(currencyKey(event.params.organizer, event.params.currency));
  value.program = event.params.organizer;
  value.currency = event.params.currency;
  value.value = event.params.value;
  value.save();
}

export function handleEventEnrolled(event: EventEnrolled): void {
  const ev = Event.load(event.params.eventAddress);
  if (ev === null) return; // not an event of this index's factory
  ev.membershipProgram = event.params.organizer;
  ev.save();
}

export function handleMemberJoined(event: MemberJoined): void {
  const program = loadProgram(event.params.organizer);
  const account = getOrCreateAccount(event.params.member, event);
  const member = new Member(memberKey(program.id, account.id));
  member.program = program.id;
  member.account = account.id;
  member.joinedAt = event.block.timestamp;
  member.earned = BigInt.zero();
  member.givenBack = BigInt.zero();
  member.credited = BigInt.zero();
  member.spent = BigInt.zero();
  member.level = 0;
  member.hasPurchased = false;
  member.save();
  program.memberCount = program.memberCount + 1;
  program.save();
}

export function handlePointsAdjusted(event: PointsAdjusted): void {
  const member = Member.load(memberKey(event.params.organizer, event.params.member))!;
  const delta = event.params.delta;
  let points = delta;
  if (delta.gt(BigInt.zero())) addEarned(member, delta);
  else points = takeBack(member, delta.neg()).neg();
  member.save();
  recordChange(event, 0, member, "Adjustment", points, null, null, event.params.reason);
}

export function handleMemberLevelSet(event: MemberLevelSet): void {
  const member = Member.load(memberKey(event.params.organizer, event.params.member))!;
  member.level = event.params.level.toI32();
  member.save();
}

export function handleRootPosted(event: RootPosted): void {
  const program = loadProgram(event.params.organizer);
  program.root = event.params.root;
  program.rootBlock = event.params.asOfBlock;
  program.save();
  const root = new PointsRoot(logId(event));
  root.program = program.id;
  root.root = event.params.root;
  root.asOfBlock = event.params.asOfBlock;
  root.members = event.params.members;
  root.timestamp = event.block.timestamp;
  root.transactionHash = event.transaction.hash;
  root.save();
}

export function handlePointsSpent(event: PointsSpent): void {
  const eventAddress = event.params.eventAddress;
  const pointsPerTicket = event.params.pointsPerTicket;
  const member = Member.load(memberKey(event.params.organizer, event.params.member))!;
  const points = pointsPerTicket.times(event.params.quantity);
  member.spent = member.spent.plus(points);
  member.save();
  const eventId: Bytes | null = Event.load(eventAddress) !== null ? eventAddress : null;
  recordChange(event, 0, member, "Spent", points, eventId, null, null);
  const pending = getOrCreatePendingPurchase(eventAddress, event.transaction.hash);
  pending.pointsPerTicket = pointsPerTicket;
  pending.pointsPayer = member.id;
  pending.save();
}

function offerKey(organizer: Bytes, offerId: BigInt): Bytes {
  return organizer.concatI32(offerId.toI32());
}

export function handleVoucherOfferAdded(event: VoucherOfferAdded): void {
  const offer = event.params.offer;
  const entity = new VoucherOffer(offerKey(event.params.organizer, event.params.offerId));
  entity.program = event.params.organizer;
  entity.offerId = event.params.offerId.toI32();
  entity.eventAddress = offer.eventAddress;
  entity.tierId = offer.tierId.toI32();
  entity.percentOffBps = offer.percentOffBps;
  entity.amountOff = offer.amountOff;
  entity.validFor = offer.validFor;
  entity.points = offer.points;
  entity.active = offer.active;
  entity.save();
}

export function handleVoucherOfferActiveChanged(event: VoucherOfferActiveChanged): void {
  const offer = VoucherOffer.load(offerKey(event.params.organizer, event.params.offerId))!;
  offer.active = event.params.active;
  offer.save();
}

export function handlePointsRedeemed(event: PointsRedeemed): void {
  const points = event.params.points;
  const member = Member.load(memberKey(event.params.organizer, event.params.member))!;
  member.spent = member.spent.plus(points);
  member.save();
  const offer = VoucherOffer.load(offerKey(event.params.organizer, event.params.offerId))!;
  const redemption = new PointsRedemption(event.params.codeId);
  redemption.member = member.id;
  redemption.offer = offer.id;
  redemption.points = points;
  redemption.expiresAt = BigInt.fromI64(event.params.expiresAt.toI64());
  redemption.redeemedAt = event.block.timestamp;
  redemption.used = false;
  redemption.save();
  const eventId: Bytes | null = Event.load(offer.eventAddress) !== null ? offer.eventAddress : null;
  recordChange(event, 0, member, "Redeemed", points, eventId, null, null);
}

/** An event's announcements are kept only for events of this index's factory. */
export function handleAnnounced(event: Announced): void {
  const audience = event.params.audience;
  let eventId: Bytes | null = null;
  if (audience == 0) {
    if (Event.load(event.params.eventAddress) === null) return;
    eventId = event.params.eventAddress;
  }
  const account = getOrCreateAccount(event.params.organizer, event);
  const announcement = new Announcement(logId(event));
  announcement.organizer = account.id;
  announcement.audience = audience == 0 ? "Holders" : audience == 1 ? "Members" : "Level";
  announcement.event = eventId;
  announcement.program = audience == 0 ? null : event.params.organizer;
  announcement.level = audience == 0 ? 0 : event.params.level;
  announcement.uri = event.params.uri;
  announcement.timestamp = event.block.timestamp;
  announcement.blockNumber = event.block.number;
  announcement.transactionHash = event.transaction.hash;
  announcement.save();
}

/**
 * A purchase used a voucher (VoucherRedeemed, before its mints): if points bought that voucher,
 * its ticket cost them, and gives them back if refunded or returned.
 */
export function notePointsVoucher(codeId: Bytes, pending: PendingPurchase): void {
  const redemption = PointsRedemption.load(codeId);
  if (redemption === null) return;
  redemption.used = true;
  redemption.save();
  pending.pointsPerTicket = redemption.points;
  pending.pointsPayer = redemption.member;
}

// ------------------------------------------------------------------ from the events' logs

/** The event's program member `address`, if the event is in a program and they joined it. */
function memberAt(ev: Event, address: Bytes): Member | null {
  const programId = ev.membershipProgram;
  if (programId === null) return null;
  return Member.load(memberKey(programId, address));
}

/**
 * A primary purchase (TicketsPurchased): the points its cash earns the buyer if a member (a rate
 * per ticket, rounded down, and the first-purchase bonus on the first ticket), and the points
 * that paid it (the transaction's PointsSpent: `pointsPerTicket` from `pointsPayer`). Returns the
 * buyer's level, for the Sale, or NO_LEVEL when they are not a member (or the event has no
 * program, or no tickets were collected).
 */
export function creditPurchase(
  event: TicketsPurchased,
  ev: Event,
  tickets: Bytes[],
  unitPrice: BigInt,
  pointsPerTicket: BigInt,
  pointsPayer: Bytes | null,
): i32 {
  if (pointsPayer !== null) {
    for (let i = 0; i < tickets.length; i++) {
      const ticket = Ticket.load(tickets[i])!;
      ticket.pointsPaid = pointsPerTicket;
      ticket.pointsPayer = pointsPayer;
      ticket.save();
    }
  }
  const member = memberAt(ev, event.params.buyer);
  if (member === null || tickets.length == 0) return NO_LEVEL;
  const program = loadProgram(member.program);
  const rate = EarnRate.load(currencyKey(program.id, ev.currency));
  const perTicket = rate === null ? BigInt.zero() : unitPrice.times(rate.points).div(rate.unit);
  const bonus = member.hasPurchased ? BigInt.zero() : program.firstPurchaseBonus;
  member.hasPurchased = true;
  for (let i = 0; i < tickets.length; i++) {
    const ticket = Ticket.load(tickets[i])!;
    ticket.pointsEarned = i == 0 ? perTicket.plus(bonus) : perTicket;
    ticket.pointsEarner = member.id;
    ticket.save();
  }
  const earned = perTicket.times(BigInt.fromI32(tickets.length));
  addEarned(member, earned.plus(bonus));
  member.save();
  if (!earned.isZero()) recordChange(event, 0, member, "Purchase", earned, ev.id, tickets[0], null);
  if (!bonus.isZero()) recordChange(event, 1, member, "FirstPurchase", bonus, ev.id, tickets[0], null);
  return member.level;
}

/** A refunded or returned ticket: the points it cost given back, then what it earned taken back (what is left of it). */
export function reverseTicketPoints(log: ethereum.Event, ev: Event, ticket: Ticket): void {
  const payerId = ticket.pointsPayer;
  if (payerId !== null && !ticket.pointsPaid.isZero()) {
    const payer = Member.load(payerId)!;
    payer.givenBack = payer.givenBack.plus(ticket.pointsPaid);
    payer.credited = payer.credited.plus(ticket.pointsPaid);
    payer.save();
    recordChange(log, 2, payer, "GivenBack", ticket.pointsPaid, ev.id, ticket.id, null);
  }
  const earnerId = ticket.pointsEarner;
  if (earnerId !== null && !ticket.pointsEarned.isZero()) {
    const earner = Member.load(earnerId)!;
    const taken = takeBack(earner, ticket.pointsEarned);
    earner.save();
    if (!taken.isZero()) recordChange(log, 0, earner, "Reversal", taken.neg(), ev.id, ticket.id, null);
  }
}

/** An exchange: the new ticket carries what the old one earned and cost. */
export function moveTicketPoints(old: Ticket, fresh: Ticket): void {
  fresh.pointsEarned = old.pointsEarned;
  fresh.pointsEarner = old.pointsEarner;
  fresh.pointsPaid = old.pointsPaid;
  fresh.pointsPayer = old.pointsPayer;
}

function attendanceKey(member: Member, eventAddress: Bytes): Bytes {
  return member.id.concat(eventAddress);
}

/** A check-in: the holder's first attended ticket of the event earns the attendance points. */
export function creditAttendance(event: CheckedIn, ev: Event, ticket: Ticket): void {
  const member = memberAt(ev, event.params.holder);
  if (member === null || MemberAttendance.load(attendanceKey(member, ev.id)) !== null) return;
  const points = loadProgram(member.program).attendancePoints;
  const attendance = new MemberAttendance(attendanceKey(member, ev.id));
  attendance.member = member.id;
  attendance.event = ev.id;
  attendance.ticket = ticket.id;
  attendance.points = points;
  attendance.save();
  if (points.isZero()) return;
  addEarned(member, points);
  member.save();
  recordChange(event, 0, member, "Attendance", points, ev.id, ticket.id, null);
}

/** An undone check-in takes back the attendance it earned (the holder may attend again). */
export function reverseAttendance(event: CheckInUndone, ev: Event, ticket: Ticket, holder: Bytes): void {
  const member = memberAt(ev, holder);
  if (member === null) return;
  const attendance = MemberAttendance.load(attendanceKey(member, ev.id));
  if (attendance === null || !attendance.ticket.equals(ticket.id)) return;
  store.remove("MemberAttendance", attendance.id.toHexString());
  const taken = takeBack(member, attendance.points);
  if (taken.isZero()) return;
  member.save();
  recordChange(event, 0, member, "Attendance", taken.neg(), ev.id, ticket.id, null);
}

export function handleTierPerksSet(event: TierPerksSet): void {
  const tier = Tier.load(tierKey(event.address, event.params.tierId))!;
  tier.membersOnly = event.params.membersOnly;
  tier.minLevel = event.params.minLevel;
  tier.perkLevel = event.params.perkLevel;
  tier.discountBps = event.params.discountBps;
  tier.extraPerWallet = event.params.extraPerWallet;
  tier.save();
}
