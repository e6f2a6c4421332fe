// Figures computed from the documents' results, the same for either back end: live inventory,
// the organizer dashboard's charts (the index stores facts and counters; buckets are made here),
// and a membership program's members by level.
import { queryIndex } from "./client.js";
import { ORGANIZER_DASHBOARD, PROGRAM_MEMBERS } from "./documents.js";
import type { DashboardCheckIn, DashboardReturn, DashboardSale, DashboardTier, OrganizerDashboard, ProgramMember, ProgramMembers } from "./types.js";

export const HOUR = 3600;
export const DAY = 24 * HOUR;

export interface SalesBucket {
  /** Unix seconds at the bucket's start. */
  start: number;
  primaryTickets: bigint;
  primaryAmount: bigint;
  resaleTickets: bigint;
  resaleAmount: bigint;
}

const bucketOf = (seconds: bigint | string, size: number) => Math.floor(Number(seconds) / size) * size;

/** Sales per bucket of `bucketSeconds` (a day by default), oldest first; empty buckets left out. */
export function salesOverTime(sales: readonly DashboardSale[], bucketSeconds = DAY): SalesBucket[] {
  const buckets = new Map<number, SalesBucket>();
  for (const sale of sales) {
    const start = bucketOf(sale.timestamp, bucketSeconds);
    let b = buckets.get(start);
    if (!b) buckets.set(start, (b = { start, primaryTickets: 0n, primaryAmount: 0n, resaleTickets: 0n, resaleAmount: 0n }));
    if (sale.kind === "Primary") {
      b.primaryTickets += BigInt(sale.quantity);
      b.primaryAmount += BigInt(sale.amount);
    } else {
      b.resaleTickets += BigInt(sale.quantity);
      b.resaleAmount += BigInt(sale.amount);
    }
  }
  return [...buckets.values()].sort((a, b) => a.start - b.start);
}

export interface ChannelSalesBucket {
  /** Unix seconds at the bucket's start. */
  start: number;
  /** Primary tickets per channel id (0: sold directly, without a channel). */
  tickets: Map<number, bigint>;
  /** What those sales paid, per channel id. */
  amount: Map<number, bigint>;
}

/** Primary sales per channel (0: direct) per bucket of `bucketSeconds` (a day by default), oldest first; empty buckets left out. */
export function salesByChannel(sales: readonly DashboardSale[], bucketSeconds = DAY): ChannelSalesBucket[] {
  const buckets = new Map<number, ChannelSalesBucket>();
  for (const sale of sales) {
    if (sale.kind !== "Primary") continue;
    const start = bucketOf(sale.timestamp, bucketSeconds);
    let b = buckets.get(start);
    if (!b) buckets.set(start, (b = { start, tickets: new Map(), amount: new Map() }));
    const channel = sale.channel?.channelId ?? 0;
    b.tickets.set(channel, (b.tickets.get(channel) ?? 0n) + BigInt(sale.quantity));
    b.amount.set(channel, (b.amount.get(channel) ?? 0n) + BigInt(sale.amount));
  }
  return [...buckets.values()].sort((a, b) => a.start - b.start);
}

export interface MemberLevelSales {
  /** The buyer's level in the event's membership program when they bought; null: not a member. */
  level: number | null;
  /** Primary purchases (transactions) and tickets. */
  sales: number;
  tickets: bigint;
  /** What those purchases paid. */
  amount: bigint;
}

/**
 * Primary sales by the buyer's member level (Sale.memberLevel): non-members first, then each level
 * from the lowest; a level without sales is left out. Resales are not counted (they have no level).
 */
export function salesByMemberLevel(sales: readonly DashboardSale[]): MemberLevelSales[] {
  const groups = new Map<number | null, MemberLevelSales>();
  for (const sale of sales) {
    if (sale.kind !== "Primary") continue;
    const level = sale.memberLevel ?? null;
    let g = groups.get(level);
    if (!g) groups.set(level, (g = { level, sales: 0, tickets: 0n, amount: 0n }));
    g.sales += 1;
    g.tickets += BigInt(sale.quantity);
    g.amount += BigInt(sale.amount);
  }
  return [...groups.values()].sort((a, b) => (a.level ?? -1) - (b.level ?? -1));
}

/**
 * A program's members counted by the level set on chain (Member.level), one entry for every level
 * from 0 (plain members) to `levelCount` (the program's levels), empty ones included, and any level
 * above it a member still holds (set before the levels were cut down).
 */
export function membersByLevel(members: readonly Pick<ProgramMember, "level">[], levelCount: number): { level: number; members: number }[] {
  const counts = new Map<number, number>();
  for (let level = 0; level <= levelCount; level++) counts.set(level, 0);
  for (const m of members) counts.set(m.level, (counts.get(m.level) ?? 0) + 1);
  return [...counts].map(([level, n]) => ({ level, members: n })).sort((a, b) => a.level - b.level);
}

/** What a member may spend now, as the index counts it: credited less spent (never below 0). */
export function memberAvailable(member: Pick<ProgramMember, "credited" | "spent">): bigint {
  const available = BigInt(member.credited) - BigInt(member.spent);
  return available > 0n ? available : 0n;
}

/** Every member of `program` (the organizer's address, lowercase), PROGRAM_MEMBERS a page at a time. */
export async function loadProgramMembers(url: string, program: string, pageSize = 1000): Promise<ProgramMember[]> {
  const all: ProgramMember[] = [];
  for (let after = "0x"; ; ) {
    const page = await queryIndex<ProgramMembers>(url, PROGRAM_MEMBERS, { program, after, first: pageSize });
    all.push(...page.members);
    if (page.members.length < pageSize) return all;
    after = page.members.at(-1)!.id;
  }
}

export interface ReturnsBucket {
  /** Unix seconds at the bucket's start. */
  start: number;
  /** Tickets returned. */
  tickets: number;
  /** Refunded to their holders. */
  refunded: bigint;
  /** Kept by the organizer (the policy's share not refunded). */
  kept: bigint;
}

/** Returns under the refund policy per bucket of `bucketSeconds` (a day by default), oldest first; empty buckets left out. */
export function returnsOverTime(returns: readonly DashboardReturn[], bucketSeconds = DAY): ReturnsBucket[] {
  const buckets = new Map<number, ReturnsBucket>();
  for (const r of returns) {
    const start = bucketOf(r.timestamp, bucketSeconds);
    let b = buckets.get(start);
    if (!b) buckets.set(start, (b = { start, tickets: 0, refunded: 0n, kept: 0n }));
    b.tickets += 1;
    b.refunded += BigInt(r.amount);
    b.kept += BigInt(r.kept);
  }
  return [...buckets.values()].sort((a, b) => a.start - b.start);
}

/** Admissions per clock hour (by the contract's check-in time), oldest first; empty hours and undone check-ins left out. */
export function checkInsPerHour(checkIns: readonly DashboardCheckIn[]): { hour: number; count: number }[] {
  const hours = new Map<number, number>();
  for (const c of checkIns) {
    if (c.undone) continue;
    const hour = bucketOf(c.checkedInAt, HOUR);
    hours.set(hour, (hours.get(hour) ?? 0) + 1);
  }
  return [...hours].map(([hour, count]) => ({ hour, count })).sort((a, b) => a.hour - b.hour);
}

/** Tickets of a tier still on sale: the live inventory of the event page and the dashboard. */
export const available = (tier: { supply: string; sold: string }) => BigInt(tier.supply) - BigInt(tier.sold);

export interface TierInventory {
  tierId: number;
  name: string;
  supply: bigint;
  sold: bigint;
  available: bigint;
  checkedIn: bigint;
  refunded: bigint;
  revenue: bigint;
}

export function inventoryByTier(tiers: readonly DashboardTier[]): TierInventory[] {
  return tiers.map((t) => ({
    tierId: t.tierId,
    name: t.name,
    supply: BigInt(t.supply),
    sold: BigInt(t.sold),
    available: available(t),
    checkedIn: BigInt(t.checkedIn),
    refunded: BigInt(t.refunded),
    revenue: BigInt(t.revenue),
  }));
}

export interface Revenue {
  /** Primary sales paid, before refunds. */
  primary: bigint;
  refunded: bigint;
  /** Primary sales kept: what the escrow holds until withdrawal. */
  netPrimary: bigint;
  resaleVolume: bigint;
  royalties: bigint;
  /** Platform fees on resales (plus, after withdrawal, on primary proceeds). */
  platformFees: bigint;
}

export function revenue(event: NonNullable<OrganizerDashboard["event"]>): Revenue {
  const primary = BigInt(event.primaryRevenue);
  const refunded = BigInt(event.refundedAmount);
  return {
    primary,
    refunded,
    netPrimary: primary - refunded,
    resaleVolume: BigInt(event.resaleVolume),
    royalties: BigInt(event.royalties),
    platformFees: BigInt(event.platformFees),
  };
}

/** ORGANIZER_DASHBOARD with every page of sales, check-ins and returns. */
export async function loadDashboard(url: string, event: string, pageSize = 1000): Promise<OrganizerDashboard> {
  const page = (salesSkip: number, checkInsSkip: number, returnsSkip: number) =>
    queryIndex<OrganizerDashboard>(url, ORGANIZER_DASHBOARD, { event, first: pageSize, salesSkip, checkInsSkip, returnsSkip });
  const result = await page(0, 0, 0);
  if (!result.event) return result;
  const { sales, checkIns, returns } = result.event;
  let salesDone = sales.length < pageSize;
  let checkInsDone = checkIns.length < pageSize;
  let returnsDone = returns.length < pageSize;
  while (!salesDone || !checkInsDone || !returnsDone) {
    const next = (await page(sales.length, checkIns.length, returns.length)).event!;
    if (!salesDone) {
      sales.push(...next.sales);
      salesDone = next.sales.length < pageSize;
    }
    if (!checkInsDone) {
      checkIns.push(...next.checkIns);
      checkInsDone = next.checkIns.length < pageSize;
    }
    if (!returnsDone) {
      returns.push(...next.returns);
      returnsDone = next.returns.length < pageSize;
    }
  }
  return result;
}
