// Figures computed from the documents' results, the same for either back end: live inventory,
// and the organizer dashboard's charts (the index stores facts and counters; buckets are made here).
import { queryIndex } from "./client.js";
import { ORGANIZER_DASHBOARD } from "./documents.js";
import type { DashboardCheckIn, DashboardReturn, DashboardSale, DashboardTier, OrganizerDashboard } from "./types.js";

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
