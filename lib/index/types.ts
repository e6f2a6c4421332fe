// Result shapes of the documents in ./documents.ts, as both back ends return them: BigInt fields
// as decimal strings, Bytes as lowercase 0x hex, Int as numbers.

/** A BigInt in decimal: parse with BigInt(). */
export type BigIntString = string;
export type Hex = `0x${string}`;

export interface MetaBlock {
  number: number;
  hash?: Hex | null;
  timestamp: number | null;
}

export interface IndexMeta {
  block: MetaBlock;
}

export interface SeatBlockResult {
  index: number;
  section: string;
  firstRow: number;
  rows: number;
  firstSeat: number;
  seatsPerRow: number;
  letteredRows: boolean;
  firstSeatId: number;
}

/** A sales channel as a fan's checkout needs it (EVENT_PAGE). */
export interface EventPageChannel {
  channelId: number;
  label: string;
  open: boolean;
}

export interface EventPageTier {
  id: Hex;
  tierId: number;
  name: string;
  price: BigIntString;
  supply: BigIntString;
  sold: BigIntString;
  checkedIn: BigIntString;
  refunded: BigIntString;
  maxPerWallet: BigIntString;
  saleStart: BigIntString;
  saleEnd: BigIntString;
  paused: boolean;
  earlyPrice: BigIntString;
  earlyUntil: BigIntString;
  entryStart: BigIntString;
  entryEnd: BigIntString;
  presaleStart: BigIntString;
  presaleRoot: Hex | null;
  seated: boolean;
  /** Member perks: members at minLevel or above only (membersOnly); from perkLevel, discountBps off and extraPerWallet more per wallet. */
  membersOnly: boolean;
  minLevel: number;
  perkLevel: number;
  discountBps: number;
  extraPerWallet: number;
  seatBlocks: SeatBlockResult[];
}

export interface EventPage {
  event: {
    id: Hex;
    eventId: BigIntString;
    name: string;
    symbol: string;
    metadataURI: string;
    start: BigIntString;
    end: BigIntString;
    currency: Hex;
    payout: Hex;
    royaltyBps: number;
    resaleCapBps: number;
    policy: "Open" | "Capped" | "Locked";
    giftsPerHolder: number;
    platformFeeBps: number;
    settlementDelay: number;
    cancelled: boolean;
    cancelledAt: BigIntString | null;
    tierCount: number;
    organizer: { id: Hex };
    ticketsSold: BigIntString;
    ticketsCheckedIn: BigIntString;
    ticketsRefunded: BigIntString;
    ticketsResold: BigIntString;
    /** Returned by holders under the refund policy (also in ticketsRefunded). */
    ticketsReturned: BigIntString;
    /** The refund policy, steps from the earliest deadline: until refundDeadlines[i] seconds before a ticket's start, refundShares[i] basis points. */
    refundDeadlines: BigIntString[];
    refundShares: number[];
    exchangesOffered: boolean;
    tiers: EventPageTier[];
    /** Its sales channels, in id order: a checkout credits only an open one (a `?ch=` link). */
    channels: EventPageChannel[];
    /** The organizer's membership program it counts in (null: none). */
    membershipProgram: { id: Hex; name: string; levelNames: string[]; pointValues: { currency: Hex; value: BigIntString }[] } | null;
  } | null;
  _meta: IndexMeta;
}

export interface CalendarSlot {
  number: number;
  day: number;
  start: BigIntString;
  end: BigIntString;
  booked: number;
  sold: number;
  checkedIn: number;
}

/** A calendar's rule, as lib/calendar.ts CalendarRule takes it once the runs are zipped. */
export interface EventCalendar {
  id: Hex;
  calendarId: number;
  firstDay: number;
  dayCount: number;
  utcOffsetMinutes: number;
  slotMinutes: number;
  saleLeadMinutes: number;
  capacity: number;
  runStartMinutes: number[];
  runCounts: number[];
  runWeekdays: number[];
  closedDays: number[];
  tiers: { tierId: number }[];
  slots: CalendarSlot[];
}

export interface EventCalendars {
  event: { id: Hex; calendars: EventCalendar[] } | null;
}

export interface SeatsTaken {
  tickets: { serial: number }[];
  /** Seats the organizer holds back: taken too. */
  heldSeats: { serial: number }[];
}

export interface MyTicket {
  id: Hex;
  tokenId: BigIntString;
  serial: number;
  seatLabel: string | null;
  entryStart: BigIntString;
  entryEnd: BigIntString;
  checkedIn: boolean;
  checkedInAt: BigIntString | null;
  pricePaid: BigIntString;
  faceValue: BigIntString;
  mintedAt: BigIntString;
  event: {
    id: Hex;
    name: string;
    symbol: string;
    metadataURI: string;
    start: BigIntString;
    end: BigIntString;
    currency: Hex;
    policy: "Open" | "Capped" | "Locked";
    royaltyBps: number;
    platformFeeBps: number;
    resaleCapBps: number;
    giftsPerHolder: number;
    cancelled: boolean;
  };
  tier: { id: Hex; tierId: number; name: string; price: BigIntString };
  /** The ticket's stored listing, whatever its state (`buyable` says whether it can be bought). */
  listing: { id: Hex; price: BigIntString; status: string; buyable: boolean } | null;
}

/** A ticket refunded from the wallet (burned): My tickets shows it as refunded. */
export interface MyRefundedTicket extends MyTicket {
  refundedAt: BigIntString;
  /** The ticket it was exchanged for (absent from copies kept before it was asked). */
  exchangedFor?: { tokenId: BigIntString } | null;
}

export interface MyTickets {
  tickets: MyTicket[];
  /** The latest 100 refunded from the wallet, newest first (absent from copies kept before it was asked). */
  refunded?: MyRefundedTicket[];
}

export interface ResaleListing {
  id: Hex;
  tokenId: BigIntString;
  price: BigIntString;
  createdAt: BigIntString;
  seller: { id: Hex };
  tier: { id: Hex; tierId: number; name: string; price: BigIntString };
  ticket: { id: Hex; serial: number; seatLabel: string | null; entryStart: BigIntString; entryEnd: BigIntString };
}

export interface ResaleListings {
  listings: ResaleListing[];
}

export interface DashboardSale {
  id: Hex;
  kind: "Primary" | "Resale";
  timestamp: BigIntString;
  quantity: BigIntString;
  amount: BigIntString;
  royalty: BigIntString;
  fee: BigIntString;
  discount: BigIntString;
  tier: { tierId: number };
  /** Primary through a sales channel. */
  channel: { channelId: number } | null;
  /** Primary: the buyer's level in the event's membership program when they bought (null: not a member, or a resale). */
  memberLevel: number | null;
}

export interface DashboardCheckIn {
  id: Hex;
  checkedInAt: BigIntString;
  /** The organizer undid it (a revoked gate key's, a mistake): the ticket is valid again. */
  undone: boolean;
  tier: { tierId: number };
}

/** A ticket returned by its holder under the refund policy (a Refund of kind Return). */
export interface DashboardReturn {
  id: Hex;
  timestamp: BigIntString;
  /** Refunded to the holder: the policy's share of the price paid. */
  amount: BigIntString;
  /** The rest of the price, the organizer's. */
  kept: BigIntString;
  tier: { tierId: number };
}

export interface DashboardTier {
  id: Hex;
  tierId: number;
  name: string;
  price: BigIntString;
  supply: BigIntString;
  sold: BigIntString;
  checkedIn: BigIntString;
  refunded: BigIntString;
  revenue: BigIntString;
}

export interface OrganizerDashboard {
  event: {
    id: Hex;
    name: string;
    start: BigIntString;
    end: BigIntString;
    currency: Hex;
    cancelled: boolean;
    royaltyBps: number;
    platformFeeBps: number;
    ticketsSold: BigIntString;
    ticketsCheckedIn: BigIntString;
    ticketsRefunded: BigIntString;
    ticketsResold: BigIntString;
    /** Returned by holders under the refund policy (also in ticketsRefunded). */
    ticketsReturned: BigIntString;
    /** Exchanged by holders for another type, slot, seat or performance (the old ticket counts in ticketsRefunded). */
    ticketsExchanged: BigIntString;
    /** What returns kept of the prices paid: the organizer's. */
    returnsKept: BigIntString;
    primaryRevenue: BigIntString;
    refundedAmount: BigIntString;
    resaleVolume: BigIntString;
    royalties: BigIntString;
    platformFees: BigIntString;
    proceedsWithdrawn: BigIntString;
    royaltiesWithdrawn: BigIntString;
    tiers: DashboardTier[];
    channels: { channelId: number; label: string }[];
    /** The membership program the event counts in (null: none): its levels' names, level i + 1 at levelNames[i]. */
    membershipProgram: { id: Hex; levelNames: string[] } | null;
    sales: DashboardSale[];
    checkIns: DashboardCheckIn[];
    returns: DashboardReturn[];
  } | null;
  _meta: IndexMeta;
}

export interface GateTicket {
  id: Hex;
  tokenId: BigIntString;
  serial: number;
  seatLabel: string | null;
  /** Both 0: any time. */
  entryStart: BigIntString;
  entryEnd: BigIntString;
  checkedIn: boolean;
  checkedInAt: BigIntString | null;
  owner: { id: Hex };
  tier: { tierId: number; name: string };
}

export interface GateSnapshotPage {
  tickets: GateTicket[];
  _meta: { block: { number: number; hash: Hex | null; timestamp: number | null } };
}

export interface GateEventTier {
  tierId: number;
  name: string;
  entryStart: BigIntString;
  entryEnd: BigIntString;
  seatBlocks: { section: string; firstRow: number; rows: number; firstSeat: number; seatsPerRow: number; letteredRows: boolean }[];
  /** The rule only: closed days do not matter at the door. */
  calendar: Omit<EventCalendar, "id" | "calendarId" | "closedDays" | "tiers" | "slots"> | null;
}

export interface GateEvent {
  event: {
    start: BigIntString;
    end: BigIntString;
    cancelled: boolean;
    checkInLeadHours: number;
    tiers: GateEventTier[];
    accounts: { id: Hex; account: { id: Hex }; gate: boolean; denied: boolean }[];
  } | null;
  _meta: { block: { number: number; hash: Hex | null } };
}

export interface ExploreEvent {
  id: Hex;
  name: string;
  metadataURI: string;
  start: BigIntString;
  end: BigIntString;
  currency: Hex;
  ticketsSold: BigIntString;
  tiers: Pick<EventPageTier, "tierId" | "price" | "supply" | "sold" | "saleStart" | "saleEnd" | "paused" | "earlyPrice" | "earlyUntil" | "presaleStart" | "presaleRoot">[];
  /** The cheapest listing that can be bought now, if any. */
  listings: { price: BigIntString }[];
}

export interface ExploreEvents {
  events: ExploreEvent[];
}

export interface RoleFlags {
  organizer: boolean;
  gate: boolean;
  finance: boolean;
  voucherSigner: boolean;
}

export interface MyRoles {
  eventAccounts: (RoleFlags & {
    event: { id: Hex; name: string; metadataURI: string; start: BigIntString; end: BigIntString; cancelled: boolean; ticketsSold: BigIntString; ticketsCheckedIn: BigIntString };
  })[];
}

export interface EventPeople {
  eventAccounts: (RoleFlags & { account: { id: Hex }; denied: boolean })[];
}

export interface ExportSale {
  id: Hex;
  kind: "Primary" | "Resale";
  timestamp: BigIntString;
  quantity: BigIntString;
  amount: BigIntString;
  buyer: { id: Hex };
  tickets: { tokenId: BigIntString }[];
  tier: { tierId: number; name: string };
  /** Its sales channel, one of the event's `channels`. */
  channel: { id: Hex } | null;
  commission: BigIntString;
  /** Primary: the buyer's member level when they bought (null: not a member, or a resale). */
  memberLevel: number | null;
  /** Primary: points spent on it, in all (0 on a resale). */
  pointsSpent: BigIntString;
}

export interface ExportCheckIn {
  id: Hex;
  checkedInAt: BigIntString;
  tokenId: BigIntString;
  gate: Hex;
  undone: boolean;
  undoneAt: BigIntString | null;
  undoneBy: Hex | null;
  holder: { id: Hex };
  tier: { tierId: number; name: string };
}

export interface ExportRefund {
  id: Hex;
  /** Claim (after a cancellation), Organizer (refundTicket) or Return (the holder, under the refund policy). */
  kind: "Claim" | "Organizer" | "Return";
  timestamp: BigIntString;
  tokenId: BigIntString;
  amount: BigIntString;
  /** A return's share of the price not refunded; 0 for other refunds. */
  kept: BigIntString;
  /** The place went back on sale. */
  released: boolean;
  holder: { id: Hex };
  recipient: { id: Hex };
  tier: { tierId: number; name: string };
}

export interface OrganizerExport {
  event: {
    id: Hex;
    currency: Hex;
    channels: { id: Hex; channelId: number; label: string }[];
    sales: ExportSale[];
    checkIns: ExportCheckIn[];
    refunds: ExportRefund[];
  } | null;
}

export interface EventCheckIn {
  id: Hex;
  tokenId: BigIntString;
  /** The GATE account that wrote the admission. */
  gate: Hex;
  checkedInAt: BigIntString;
  /** The organizer undid it: the ticket is valid again. */
  undone: boolean;
  undoneAt: BigIntString | null;
  undoneBy: Hex | null;
  holder: { id: Hex };
  tier: { tierId: number; name: string };
}

export interface EventCheckIns {
  checkIns: EventCheckIn[];
}

export interface MyCredits {
  eventAccounts: { credits: BigIntString; event: { id: Hex; name: string; metadataURI: string; currency: Hex } }[];
}

/** The seats of a run's tier taken in one performance (SLOT_SEATS_TAKEN). */
export interface SlotSeatsTaken {
  tickets: { serial: number }[];
  /** Seats the organizer holds back for that performance: taken too. */
  heldSeats: { serial: number }[];
}

/** The tiers on a calendar, by event (CALENDAR_TIERS). */
export interface CalendarTiers {
  calendars: { event: { id: Hex }; tiers: { tierId: number }[] }[];
}

export interface MyRefunds {
  refunds: { id: Hex; kind: "Claim" | "Organizer" | "Return" | "Exchange"; ticket: { id: Hex } }[];
}

/** A sales channel as the console lists it (EVENT_CHANNELS). */
export interface EventChannel {
  id: Hex;
  channelId: number;
  label: string;
  payout: Hex;
  commissionBps: number;
  open: boolean;
  ticketsSold: BigIntString;
  ticketsReversed: BigIntString;
  revenue: BigIntString;
  commissionEarned: BigIntString;
  commissionReversed: BigIntString;
  commissionPaid: BigIntString;
  commissionOwed: BigIntString;
  createdAt: BigIntString;
}

export interface EventChannels {
  event: { id: Hex; currency: Hex; channels: EventChannel[] } | null;
}

export interface MembershipProgramInfo {
  /** The organizer's address. */
  id: Hex;
  name: string;
  pointsSigner: Hex;
  attendancePoints: BigIntString;
  firstPurchaseBonus: BigIntString;
  /** Level i + 1 from levelThresholds[i] points earned. */
  levelThresholds: BigIntString[];
  levelNames: string[];
  root: Hex | null;
  rootBlock: BigIntString | null;
  memberCount: number;
  createdAt: BigIntString;
  earnRates: { currency: Hex; unit: BigIntString; points: BigIntString }[];
  pointValues: { currency: Hex; value: BigIntString }[];
}

export interface MembershipProgramResult {
  membershipProgram: (MembershipProgramInfo & { events: { id: Hex; name: string; start: BigIntString; end: BigIntString }[] }) | null;
  _meta: IndexMeta;
}

export type PointsChangeKind = "Purchase" | "FirstPurchase" | "Attendance" | "Adjustment" | "Reversal" | "Spent" | "GivenBack";

export interface PointsChangeResult {
  id: Hex;
  kind: PointsChangeKind;
  /** Signed change to earned; Spent and GivenBack count up their own totals. */
  points: BigIntString;
  reason: string | null;
  timestamp: BigIntString;
  transactionHash: Hex;
  event: { id: Hex; name: string } | null;
  ticket: { tokenId: BigIntString } | null;
}

export interface MyMembership {
  id: Hex;
  joinedAt: BigIntString;
  earned: BigIntString;
  givenBack: BigIntString;
  /** earned + givenBack; spendable: credited - spent (once a root includes it). */
  credited: BigIntString;
  spent: BigIntString;
  /** The level on chain (what purchases see). */
  level: number;
  program: MembershipProgramInfo;
  changes: PointsChangeResult[];
}

export interface MyMemberships {
  members: MyMembership[];
}

export interface ProgramMember {
  id: Hex;
  account: { id: Hex };
  earned: BigIntString;
  credited: BigIntString;
  spent: BigIntString;
  level: number;
  joinedAt: BigIntString;
}

export interface ProgramMembers {
  members: ProgramMember[];
  _meta: { block: { number: number } };
}

export interface SignedPrograms {
  membershipPrograms: { id: Hex; root: Hex | null; rootBlock: BigIntString | null; levelThresholds: BigIntString[]; memberCount: number }[];
  _meta: { block: { number: number } };
}

export interface AnnouncementResult {
  id: Hex;
  audience: "Holders" | "Members" | "Level";
  level: number;
  /** ipfs:// URI of its JSON text: { title, body, link? }. */
  uri: string;
  timestamp: BigIntString;
  transactionHash: Hex;
  organizer: { id: Hex };
  event: { id: Hex; name: string } | null;
  program: { id: Hex; name: string; levelNames: string[] } | null;
}

export interface Announcements {
  announcements: AnnouncementResult[];
}
