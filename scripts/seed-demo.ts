// Demo content for `npm run dev` and the browser tests: a concert with seated tiers, a museum
// with timed entry slots (sold in USDC), and a conference with an allowlist presale and voucher
// codes; some tickets sold, some listed for resale, some checked in. With `seasons` (npm run dev;
// the browser tests call seedSeasons when they need them), two calendar events as well: a museum's
// year-long season of timed-entry slots (adult, child and concession tickets sharing each slot's
// capacity, closed on holidays) and a theatre's run of performances (a seat map per performance).
// The organizer runs a membership program ("Harbour Club", its points signer the server's key) with
// every demo event in it; only the concert's VIP tier has a perk (10 % off from the first level), so
// nothing a non-member sees or pays changes. With `community` (npm run dev only: the browser tests'
// fans stay non-members), three demo fans join it and buy concert tickets through the concert's two
// sales channels, a box office and a travel agency, which makes them Gold, Silver and a plain member
// once the server's points signer posts their levels.
// Artwork and metadata are uploaded through the server's metadata module, so they are served at
// /ipfs/<cid>.
import { SiweMessage } from "siwe";
import { keccak256, parseEther, toHex, type Account, type Address, type Hex } from "viem";

import { chainpassEventAbi, chainpassMembershipAbi } from "../lib/abi/index.js";
import { buildAllowlist } from "../lib/allowlist.js";
import { isoDateOf, slotsOfDay, weekdayMask, type CalendarRule } from "../lib/calendar.js";
import { purchaseOptions, type PurchaseOptions } from "../lib/purchase-options.js";
import { codeIdFor, signVoucher, type Voucher } from "../lib/vouchers.js";
import { createEvent, localAccount, type EventSpec, type LocalClients, type Platform, type TierSpec } from "./lib/local-chain.js";

/** Who is who on the local chain (development mnemonic account indexes). */
export const DEMO_ACCOUNTS = {
  platform: 0,
  organizer: 2,
  gateStaff: 3,
  gateWriter: 4,
  fans: [5, 6, 7, 8],
  /** The server's points signer (CHAINPASS_POINTS_KEY): organizers' membership programs name it. */
  pointsSigner: 9,
  /** The server's gas sponsor (CHAINPASS_SPONSOR_KEY): the paymaster accepts what it signs. */
  sponsor: 15,
} as const;

const HOUR = 3600;
const DAY = 24 * HOUR;
const ZERO = "0x0000000000000000000000000000000000000000" as const;
const USDC = (amount: number) => BigInt(Math.round(amount * 1_000_000));
const GATE_ROLE = keccak256(toHex("GATE_ROLE"));
const section = (name: string) => `0x${Buffer.from(name).toString("hex").padEnd(32, "0")}` as Hex;

export interface DemoEvents {
  concert: Address;
  museum: Address;
  conference: Address;
  /** Voucher codes issued for the conference. */
  vouchers: string[];
  /** The calendar events, when seeded with `seasons`. */
  seasons?: SeasonEvents;
  /** The concert's sales channels' labels, when seeded with `community`. */
  channels?: string[];
}

/** The calendar events (seedSeasons): a museum's season of timed-entry slots and a theatre's run. */
export interface SeasonEvents {
  /** Harbour Museum: calendar 1 sells Adult (1), Child (2) and Concession (3) in USDC. */
  museum: Address;
  museumRule: CalendarRule;
  /** The Tempest: calendar 1 sells the seated Stalls (1) and Circle (2) per performance, in ETH. */
  theatre: Address;
  theatreRule: CalendarRule;
}

export interface SeedOptions {
  clients: LocalClients;
  platform: Platform;
  /** The running server (metadata uploads, vouchers, allowlists). */
  serverUrl: string;
  /** SIWE domain and origin the server expects. */
  siwe: { domain: string; origin: string };
  now?: number;
  /** Seed the calendar events too (seedSeasons). Default false: the browser tests count the other three. */
  seasons?: boolean;
  /** Places per slot of the museum season (default 40). */
  museumCapacity?: number;
  /** Members and sales channels on the concert (seedCommunity). Default false: see the header. */
  community?: boolean;
}

/** A poster: the event's name on a gradient. Uploaded as SVG (the server sanitises it). */
function poster(title: string, subtitle: string, from: string, to: string) {
  const escape = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;");
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 800 450">
  <defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="${from}"/><stop offset="1" stop-color="${to}"/></linearGradient></defs>
  <rect width="800" height="450" fill="url(#g)"/>
  <text x="48" y="240" fill="#fff" font-family="sans-serif" font-size="56" font-weight="700">${escape(title)}</text>
  <text x="48" y="300" fill="#f1f5f9" font-family="sans-serif" font-size="28">${escape(subtitle)}</text>
</svg>`;
}

/** An organizer's session with the server (SIWE), for metadata uploads, allowlists and vouchers. */
export class ServerSession {
  private cookie = "";
  constructor(
    private readonly url: string,
    private readonly siwe: SeedOptions["siwe"],
    private readonly chainId = 31337,
  ) {}

  async signIn(account: Account) {
    const { nonce } = await (await fetch(`${this.url}/auth/nonce`)).json();
    const message = new SiweMessage({
      domain: this.siwe.domain,
      address: account.address,
      statement: "Sign in to Chainpass",
      uri: this.siwe.origin,
      version: "1",
      chainId: this.chainId,
      nonce,
      issuedAt: new Date().toISOString(),
    }).prepareMessage();
    const signature = await account.signMessage!({ message });
    const response = await this.request("POST", "/auth/verify", { message, signature });
    this.cookie = response.headers.get("set-cookie")!.split(";")[0];
  }

  async request(method: string, path: string, body?: unknown, contentType = "application/json") {
    const response = await fetch(`${this.url}${path}`, {
      method,
      headers: { "content-type": contentType, cookie: this.cookie },
      body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body, (_k, v) => (typeof v === "bigint" ? v.toString() : v)),
    });
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
    return response;
  }

  /** Uploads artwork and metadata (with the venue's IANA time zone when given); returns the metadata's ipfs:// URI. */
  async publish(meta: { name: string; description: string; venue: string; timezone?: string; start: number; end: number; tiers: TierSpec[]; currency: { symbol: string; decimals: number }; art: string }) {
    const image = (await (await this.request("POST", "/metadata/artwork", meta.art, "image/svg+xml")).json()).uri;
    const metadata = {
      name: meta.name,
      description: meta.description,
      image,
      venue: { name: meta.venue },
      start_time: meta.start,
      end_time: meta.end,
      timezone: meta.timezone,
      currency: meta.currency,
      tiers: meta.tiers.map((t) => ({ name: t.name, price: t.price.toString() })),
      attributes: [{ trait_type: "Venue", value: meta.venue }],
    };
    return (await (await this.request("POST", "/metadata/event", metadata)).json()).uri as string;
  }
}

/** What every part of the demo uses: who is who, a signed-in organizer session, sending and issuing. */
async function demoKit({ clients, platform, serverUrl, siwe }: SeedOptions) {
  const organizer = localAccount(DEMO_ACCOUNTS.organizer);
  const staff = localAccount(DEMO_ACCOUNTS.gateStaff);
  const writer = localAccount(DEMO_ACCOUNTS.gateWriter);
  const fans = DEMO_ACCOUNTS.fans.map(localAccount);
  const session = new ServerSession(serverUrl, siwe);
  await session.signIn(organizer);

  const send = async (account: Account, address: Address, functionName: string, args: unknown[], value?: bigint) => {
    const hash = await clients.wallet(account).writeContract({ address, abi: chainpassEventAbi, functionName, args, account, chain: clients.chain, value } as never);
    const receipt = await clients.publicClient.waitForTransactionReceipt({ hash });
    if (receipt.status !== "success") throw new Error(`${functionName} reverted`);
  };
  const staffUp = async (event: Address) => {
    await send(organizer, event, "grantRole", [GATE_ROLE, staff.address]);
    await send(organizer, event, "grantRole", [GATE_ROLE, writer.address]);
  };
  /** Uploads the event's artwork and metadata, creates it, and gives both gate accounts GATE. */
  const issue = async (spec: Omit<EventSpec, "metadataURI">, tiers: TierSpec[], about: { description: string; venue: string; timezone: string; art: string; currency: { symbol: string; decimals: number } }) => {
    const event = await createEvent(clients, platform.factory, organizer, { ...spec, metadataURI: await session.publish({ ...spec, ...about, tiers }) }, tiers);
    await staffUp(event);
    return event;
  };
  const options = (o: Partial<PurchaseOptions> & { maxTotal: bigint }) => purchaseOptions(o);
  /** MockUSDC's mint (anyone may) and approve, each waited for. */
  const usdc = async (fan: Account, functionName: "mint" | "approve", args: [Address, bigint]) => {
    const hash = await clients.wallet(fan).writeContract({ address: platform.usdc, abi: USDC_ABI, functionName, args, account: fan, chain: clients.chain });
    await clients.publicClient.waitForTransactionReceipt({ hash });
  };
  /** The organizer's call to the platform's membership contract, waited for. */
  const program = async (functionName: string, args: unknown[]) => {
    const hash = await clients.wallet(organizer).writeContract({ address: platform.membership, abi: chainpassMembershipAbi, functionName, args, account: organizer, chain: clients.chain } as never);
    const receipt = await clients.publicClient.waitForTransactionReceipt({ hash });
    if (receipt.status !== "success") throw new Error(`${functionName} reverted`);
  };
  /** Puts the event in the organizer's membership program, when they have one (seedDemo starts it). */
  const enroll = async (event: Address) => {
    const { exists } = await clients.publicClient.readContract({ address: platform.membership, abi: chainpassMembershipAbi, functionName: "program", args: [organizer.address] });
    if (exists) await send(organizer, event, "setMembership", [platform.membership]);
  };
  return { clients, organizer, staff, writer, fans, session, send, issue, options, usdc, program, enroll };
}

/** The demo organizer's membership program: its name, rules, levels and what a point pays. */
export const DEMO_MEMBERSHIP = {
  name: "Harbour Club",
  /** About 1 point per US dollar paid (ETH at $2,500 on the local feed), 1 per USDC. */
  ethPointsPerEth: 2_500n,
  usdcPointsPerUsdc: 1n,
  attendancePoints: 50n,
  firstPurchaseBonus: 100n,
  levels: { thresholds: [250n, 1_000n, 4_000n], names: ["Silver", "Gold", "Platinum"] },
  /** A point pays about one US cent: 0.000004 ETH, 0.01 USDC. */
  pointValueWei: 4_000_000_000_000n,
  pointValueUsdc: 10_000n,
} as const;

/**
 * The demo organizer's program (signed by the server's points key, DEMO_ACCOUNTS.pointsSigner):
 * earn rates in ETH and USDC, attendance and first-purchase rewards, three levels, point values.
 */
async function startProgram(kit: Awaited<ReturnType<typeof demoKit>>, platform: Platform) {
  const m = DEMO_MEMBERSHIP;
  await kit.program("createProgram", [m.name, localAccount(DEMO_ACCOUNTS.pointsSigner).address]);
  await kit.program("setEarnRate", [ZERO, 10n ** 18n, m.ethPointsPerEth]);
  await kit.program("setEarnRate", [platform.usdc, 1_000_000n, m.usdcPointsPerUsdc]);
  await kit.program("setRewards", [m.attendancePoints, m.firstPurchaseBonus]);
  await kit.program("setLevels", [m.levels.thresholds, m.levels.names]);
  await kit.program("setPointValue", [ZERO, m.pointValueWei]);
  await kit.program("setPointValue", [platform.usdc, m.pointValueUsdc]);
}

const USDC_ABI = [
  { type: "function", name: "mint", stateMutability: "nonpayable", inputs: [{ name: "to", type: "address" }, { name: "amount", type: "uint256" }], outputs: [] },
  { type: "function", name: "approve", stateMutability: "nonpayable", inputs: [{ name: "spender", type: "address" }, { name: "amount", type: "uint256" }], outputs: [{ type: "bool" }] },
] as const;

export async function seedDemo(opts: SeedOptions): Promise<DemoEvents> {
  const { platform, now = Math.floor(Date.now() / 1000) } = opts;
  const kit = await demoKit(opts);
  const { organizer, writer, fans, session, send, issue, options, usdc, enroll } = kit;

  // ------------------------------------------------------------ concert: seated, Capped resale
  const concertStart = now + 10 * DAY;
  const concertTiers: TierSpec[] = [
    { name: "Standing", price: parseEther("0.05"), supply: 500, maxPerWallet: 6, saleStart: now - DAY, saleEnd: concertStart },
    { name: "Stalls", price: parseEther("0.12"), supply: 1, saleStart: now - DAY, saleEnd: concertStart },
    { name: "Balcony", price: parseEther("0.08"), supply: 1, saleStart: now - DAY, saleEnd: concertStart },
    { name: "VIP", price: parseEther("0.3"), supply: 40, maxPerWallet: 2, saleStart: now - DAY, saleEnd: concertStart },
  ];
  const concertSpec = { name: "Harbour Lights Live", symbol: "HLL", start: concertStart, end: concertStart + 5 * HOUR };
  const concert = await issue({ ...concertSpec, policy: 1, giftsPerHolder: 2, resaleCapBps: 11_000 }, concertTiers, {
    description: "An evening of harbour-side jazz and electronica. Reserved seating in the stalls and balcony.",
    venue: "Harbour Hall, Shanghai",
    timezone: "Asia/Shanghai",
    currency: { symbol: "ETH", decimals: 18 },
    art: poster("Harbour Lights Live", "Harbour Hall · reserved seating", "#1e3a8a", "#9333ea"),
  });
  // Check-in opens 255 hours (the most an organizer can set) before the start, so the demo's door
  // can be tried today; real events keep the default (6 hours).
  await send(organizer, concert, "setCheckInLead", [255]);
  await send(organizer, concert, "setSeatMap", [2n, [{ section: section("Stalls"), firstRow: 1, rows: 12, firstSeat: 1, seatsPerRow: 20, letteredRows: true }]]);
  await send(organizer, concert, "setSeatMap", [3n, [{ section: section("Balcony"), firstRow: 1, rows: 6, firstSeat: 1, seatsPerRow: 15, letteredRows: false }]]);
  await send(organizer, concert, "setTierOptions", [1n, { earlyPrice: parseEther("0.04"), earlyUntil: now + 3 * DAY, entryStart: 0, entryEnd: 0, presaleStart: 0, presaleRoot: `0x${"00".repeat(32)}` }]);
  await send(fans[0], concert, "buy", [1n, 2n, fans[0].address, parseEther("0.08")], parseEther("0.08"));
  await send(fans[1], concert, "buy", [1n, 3n, fans[1].address, parseEther("0.12")], parseEther("0.12"));
  await send(fans[0], concert, "buyWith", [2n, 2n, fans[0].address, options({ seats: [27n, 28n], maxTotal: parseEther("0.24") })], parseEther("0.24"));
  await send(fans[2], concert, "buyWith", [3n, 1n, fans[2].address, options({ seats: [8n], maxTotal: parseEther("0.08") })], parseEther("0.08"));
  await send(fans[3], concert, "buy", [4n, 1n, fans[3].address, parseEther("0.3")], parseEther("0.3"));
  // On the resale market, at and under the cap.
  // 1000004 was bought at the early price (0.04): its cap is 110% of that.
  await send(fans[1], concert, "list", [1_000_004n, parseEther("0.044")]);
  await send(fans[2], concert, "list", [3_000_008n, parseEther("0.085")]);

  // ------------------------------------------------------------ museum: timed slots, USDC, open now
  const museumStart = now - 2 * HOUR;
  const slots = [
    { name: "Adult · first slot", offset: 0 },
    { name: "Adult · second slot", offset: 2 * HOUR },
    { name: "Child · first slot", offset: 0 },
  ];
  const museumTiers: TierSpec[] = slots.map((slot, i) => ({
    name: slot.name,
    price: i === 2 ? USDC(8) : USDC(18.5),
    supply: 120,
    maxPerWallet: 8,
    saleStart: museumStart - 7 * DAY,
    saleEnd: museumStart + 2 * DAY,
  }));
  const museumSpec = { name: "Museum of Light", symbol: "MOL", start: museumStart, end: museumStart + 2 * DAY };
  const museum = await issue({ ...museumSpec, currency: platform.usdc, policy: 0 }, museumTiers, {
    description: "Light, colour and perception: a hands-on exhibition. Timed entry; come within your slot.",
    venue: "West Bund Gallery",
    timezone: "Asia/Shanghai", // the West Bund, Shanghai
    currency: { symbol: "USDC", decimals: 6 },
    art: poster("Museum of Light", "West Bund Gallery · timed entry", "#0f766e", "#f59e0b"),
  });
  // Every local fan starts with 1,000 USDC.
  for (const fan of fans) await usdc(fan, "mint", [fan.address, USDC(1000)]);
  const approve = (fan: Account, amount: bigint) => usdc(fan, "approve", [museum, amount]);
  await approve(fans[1], USDC(18.5 * 2 + 8));
  await send(fans[1], museum, "buy", [1n, 2n, fans[1].address, USDC(18.5 * 2)]);
  await send(fans[1], museum, "buy", [3n, 1n, fans[1].address, USDC(8)]);
  await approve(fans[2], USDC(18.5));
  await send(fans[2], museum, "buy", [2n, 1n, fans[2].address, USDC(18.5)]);
  // The slots, set after those purchases (the first slot has started: a slot's tickets are sold
  // until it starts, so its sale now ends then; the second slot's sells for another hour).
  for (let i = 0; i < slots.length; i++) {
    const entryStart = now - HOUR + slots[i].offset;
    await send(organizer, museum, "setTierOptions", [BigInt(i + 1), { earlyPrice: 0n, earlyUntil: 0, entryStart, entryEnd: entryStart + 2 * HOUR, presaleStart: 0, presaleRoot: `0x${"00".repeat(32)}` }]);
  }
  // Two visitors are already in.
  await send(writer, museum, "checkIn", [[1_000_001n, 3_000_001n]]);

  // ------------------------------------------------------------ conference: presale and vouchers
  const conferenceStart = now + 30 * DAY;
  const publicSale = now + 2 * DAY;
  const conferenceTiers: TierSpec[] = [
    { name: "Early access", price: parseEther("0.15"), supply: 100, maxPerWallet: 2, saleStart: publicSale, saleEnd: conferenceStart },
    { name: "Standard", price: parseEther("0.2"), supply: 400, maxPerWallet: 4, saleStart: now - DAY, saleEnd: conferenceStart },
    { name: "Student", price: parseEther("0.1"), supply: 100, maxPerWallet: 1, saleStart: now - DAY, saleEnd: conferenceStart },
  ];
  const conferenceSpec = { name: "ChainConf Shanghai 2026", symbol: "CCS", start: conferenceStart, end: conferenceStart + 2 * DAY };
  const conference = await issue({ ...conferenceSpec, policy: 2 }, conferenceTiers, {
    description: "Two days of talks and workshops on payments, identity and ticketing on public chains.",
    venue: "Expo Centre, Hall 3",
    timezone: "Asia/Shanghai", // ChainConf Shanghai
    currency: { symbol: "ETH", decimals: 18 },
    art: poster("ChainConf 2026", "Shanghai · 2 days of talks", "#b91c1c", "#f97316"),
  });
  // Allowlist presale for early access: uploaded to the server (which serves proofs), root on chain.
  const csv = ["address,allowance", ...fans.slice(0, 3).map((f) => `${f.address},2`)].join("\n");
  const { root } = await (await session.request("PUT", `/events/${conference}/allowlists/1`, { csv })).json();
  await send(organizer, conference, "setTierOptions", [1n, { earlyPrice: 0n, earlyUntil: 0, entryStart: 0, entryEnd: 0, presaleStart: now - HOUR, presaleRoot: root }]);
  const proof = buildAllowlist(fans.slice(0, 3).map((f) => ({ address: f.address, allowance: 2n }))).proofFor(fans[2].address)!;
  await send(fans[2], conference, "buyWith", [1n, 1n, fans[2].address, options({ proof: proof.proof, allowance: proof.allowance, maxTotal: parseEther("0.15") })], parseEther("0.15"));
  // Voucher codes, signed by the organizer and stored for fans to redeem by code.
  const vouchers: [string, Partial<Voucher>][] = [
    ["WELCOME10", { tierId: 2n, percentOffBps: 1000, maxUses: 100 }],
    ["STUDENT50", { tierId: 3n, percentOffBps: 5000, maxUses: 50 }],
  ];
  for (const [code, terms] of vouchers) {
    const voucher: Voucher = {
      eventAddress: conference,
      tierId: 0n,
      percentOffBps: 0,
      amountOff: 0n,
      maxUses: 1,
      expiresAt: conferenceStart,
      buyer: ZERO,
      signer: organizer.address,
      codeId: codeIdFor(code),
      ...terms,
    };
    const signature = await signVoucher(organizer as never, 31337, voucher);
    await session.request("POST", `/events/${conference}/vouchers`, { code, voucher: { ...voucher, tierId: voucher.tierId.toString(), amountOff: voucher.amountOff.toString() }, signature });
  }
  await send(fans[3], conference, "buy", [2n, 1n, fans[3].address, parseEther("0.2")], parseEther("0.2"));

  // ------------------------------------------------------------ the organizer's membership program
  // After the sales above (no demo fan is a member). Every event counts in it; the concert's VIP
  // tier is 10 % off for members from the first level (Silver), at the same price for everyone else.
  await startProgram(kit, platform);
  for (const event of [concert, museum, conference]) await enroll(event);
  await send(organizer, concert, "setTierPerks", [4n, { membersOnly: false, minLevel: 0, perkLevel: 1, discountBps: 1_000, extraPerWallet: 0 }]);

  const seasons = opts.seasons ? await seedSeasons({ ...opts, now }) : undefined;
  const channels = opts.community ? await seedCommunity(kit, platform, concert) : undefined;
  return { concert, museum, conference, vouchers: vouchers.map(([code]) => code), seasons, channels };
}

/** The concert's sales channels (label, payout account, commission in basis points). */
const DEMO_CHANNELS = [
  { label: "Harbour Box Office", payout: 10, commissionBps: 300n },
  { label: "Blue Wave Travel", payout: 11, commissionBps: 800n },
] as const;

/**
 * Members at three levels and two sales channels with sales, on the concert (ETH at 2,500 points
 * each, the first purchase 100 more): fans[0] joins and buys 2 VIP (0.3 each, full price: no level
 * yet) at the box office, 1,600 points: Gold; fans[1] 2 Standing at the early 0.04 through the
 * agency, 300: Silver; fans[2] 1 Standing through the agency, 200: a member below Silver. The
 * server's points signer posts the balances and sets the levels on chain.
 */
async function seedCommunity(kit: Awaited<ReturnType<typeof demoKit>>, platform: Platform, concert: Address) {
  const { organizer, fans, send, options } = kit;
  for (const c of DEMO_CHANNELS) await send(organizer, concert, "addChannel", [localAccount(c.payout).address, c.commissionBps, c.label]);
  const join = async (fan: Account) => {
    const hash = await kit.clients.wallet(fan).writeContract({ address: platform.membership, abi: chainpassMembershipAbi, functionName: "join", args: [organizer.address], account: fan, chain: kit.clients.chain });
    await kit.clients.publicClient.waitForTransactionReceipt({ hash });
  };
  const purchases = [
    { fan: fans[0], tier: 4n, quantity: 2n, unit: parseEther("0.3"), channel: 1n },
    { fan: fans[1], tier: 1n, quantity: 2n, unit: parseEther("0.04"), channel: 2n },
    { fan: fans[2], tier: 1n, quantity: 1n, unit: parseEther("0.04"), channel: 2n },
  ];
  for (const { fan, tier, quantity, unit, channel } of purchases) {
    await join(fan);
    const total = unit * quantity;
    await send(fan, concert, "buyWith", [tier, quantity, fan.address, options({ channel, maxTotal: total })], total);
  }
  return DEMO_CHANNELS.map((c) => c.label);
}

/** Shanghai's offset from UTC (no daylight saving): the calendars' fixed offset matches the zone. */
const SHANGHAI_MINUTES = 8 * 60;

/**
 * The calendar events: the Harbour Museum's season (365 days from three days from now, 10:00 to
 * 13:00 hourly Tuesday to Sunday and 15:00 and 16:00 every day: 6 slots a day; places per slot
 * shared by adult, child and concession tickets; closed on Christmas and New Year's Day; some
 * slots booked, one full) and "The Tempest" (30 evening performances and 10 weekend matinees over
 * five weeks from five days from now; stalls and circle seat maps sold per performance). Needs the
 * platform's MockUSDC (the museum sells in USDC); each booking fan is minted what it pays.
 */
export async function seedSeasons(opts: SeedOptions): Promise<SeasonEvents> {
  const { now = Math.floor(Date.now() / 1000), museumCapacity = 40 } = opts;
  const { organizer, fans, send, issue, options, usdc, enroll } = await demoKit(opts);
  const { platform } = opts;
  const today = Math.floor((now + SHANGHAI_MINUTES * 60) / DAY); // the local date in Shanghai
  /** Local midnight of a day number, in Unix seconds. */
  const midnight = (day: number) => day * DAY - SHANGHAI_MINUTES * 60;
  /** The end of a calendar's last slot (its last day's latest run): the event ends then. */
  const lastEnd = (rule: CalendarRule) => midnight(rule.firstDay + rule.dayCount - 1) + Math.max(...rule.runs.map((r) => r.startMinute + r.count * rule.slotMinutes)) * 60;
  const everyDay = weekdayMask([0, 1, 2, 3, 4, 5, 6]);
  const notMonday = weekdayMask([0, 2, 3, 4, 5, 6]);

  // ------------------------------------------------------------ museum season: timed entry, USDC
  const firstDay = today + 3;
  const dayCount = 365;
  const holidays = ["12-25", "01-01"].map((md) => [...Array(dayCount).keys()].find((d) => isoDateOf(firstDay + d).slice(5) === md));
  const museumRule: CalendarRule = {
    firstDay,
    dayCount,
    utcOffsetMinutes: SHANGHAI_MINUTES,
    slotMinutes: 60,
    saleLeadMinutes: 30,
    capacity: museumCapacity,
    runs: [
      { startMinute: 10 * 60, count: 4, weekdays: notMonday },
      { startMinute: 15 * 60, count: 2, weekdays: everyDay },
    ],
    closedDays: holidays.filter((d) => d !== undefined).sort((a, b) => a - b),
  };
  const year = Number(isoDateOf(firstDay).slice(0, 4));
  const seasonEnd = lastEnd(museumRule);
  const prices = { adult: USDC(18), child: USDC(8), concession: USDC(12) };
  const onSale = { supply: 999_999, saleStart: now - DAY, saleEnd: seasonEnd };
  const museumTiers: TierSpec[] = [
    { name: "Adult", price: prices.adult, ...onSale },
    { name: "Child (4–15)", price: prices.child, ...onSale },
    { name: "Concession", price: prices.concession, ...onSale },
  ];
  const museum = await issue(
    { name: `Harbour Museum — ${year}–${String((year + 1) % 100).padStart(2, "0")} season`, symbol: "HMS", start: midnight(firstDay), end: seasonEnd, currency: platform.usdc, policy: 0 },
    museumTiers,
    {
      description:
        "Ships, charts and the people of the harbour. Book a day and an entry time: 10:00 to 13:00 Tuesday to Sunday, 15:00 and 16:00 every day. Adult, child and concession tickets share each slot's places. Closed on Christmas Day and New Year's Day.",
      venue: "Harbour Museum, Shanghai",
      timezone: "Asia/Shanghai",
      currency: { symbol: "USDC", decimals: 6 },
      art: poster("Harbour Museum", "Season tickets · timed entry", "#0c4a6e", "#14b8a6"),
    },
  );
  await send(organizer, museum, "addCalendar", [museumRule, [1n, 2n, 3n]]);
  await enroll(museum);
  // Returns in full until a day before the visit (counted from each ticket's slot), and exchanges.
  await send(organizer, museum, "setRefundPolicy", [[{ secondsBefore: DAY, shareBps: 10_000 }], true]);
  // Two full days (Tuesday to Sunday, not a holiday) to book in.
  const fullDays = [...Array(dayCount).keys()].filter((d) => slotsOfDay(museumRule, d).length === 6).slice(0, 2);
  const [dayA, dayB] = fullDays.map((d) => slotsOfDay(museumRule, d));
  const book = async (fan: Account, slot: number, quantities: [number, number, number]) => {
    const total = BigInt(quantities[0]) * prices.adult + BigInt(quantities[1]) * prices.child + BigInt(quantities[2]) * prices.concession;
    await usdc(fan, "mint", [fan.address, total]);
    await usdc(fan, "approve", [museum, total]);
    const tiers = quantities.map((_, i) => BigInt(i + 1)).filter((_, i) => quantities[i] > 0);
    await send(fan, museum, "buySlot", [BigInt(slot), tiers, quantities.filter((q) => q > 0).map(BigInt), fan.address, total]);
  };
  await book(fans[1], dayA[1].slot, [2, 1, 0]); // a family at 11:00
  await book(fans[2], dayA[4].slot, [1, 0, 1]); // 15:00
  if (museumCapacity >= 10) await book(fans[3], dayB[0].slot, [2, museumCapacity - 8, 0]); // a school group: 6 places left at 10:00
  await book(fans[0], dayB[1].slot, [0, museumCapacity, 0]); // 11:00 fully booked

  // ------------------------------------------------------------ The Tempest: a run of seated performances, ETH
  const runStart = today + 5;
  const theatreRule: CalendarRule = {
    firstDay: runStart,
    dayCount: 35,
    utcOffsetMinutes: SHANGHAI_MINUTES,
    slotMinutes: 165,
    saleLeadMinutes: 0,
    capacity: 0, // the seat maps are the limit, once per performance
    runs: [
      { startMinute: 14 * 60 + 30, count: 1, weekdays: weekdayMask([0, 6]) }, // weekend matinees
      { startMinute: 19 * 60 + 30, count: 1, weekdays: notMonday }, // evenings, dark on Mondays
    ],
    closedDays: [],
  };
  const runEnd = lastEnd(theatreRule);
  const stalls = parseEther("0.06");
  const circle = parseEther("0.035");
  const theatre = await issue(
    { name: "The Tempest", symbol: "TMP", start: midnight(runStart), end: runEnd, policy: 1, giftsPerHolder: 2, resaleCapBps: 11_000 },
    [
      { name: "Stalls", price: stalls, supply: 1, saleStart: now - DAY, saleEnd: runEnd },
      { name: "Circle", price: circle, supply: 1, saleStart: now - DAY, saleEnd: runEnd },
    ],
    {
      description: "Shakespeare's last play, in a new staging: 30 evenings at 19:30 (dark on Mondays) and weekend matinees at 14:30, for five weeks. Choose a performance, then your seats.",
      venue: "Harbour Playhouse, Shanghai",
      timezone: "Asia/Shanghai",
      currency: { symbol: "ETH", decimals: 18 },
      art: poster("The Tempest", "Harbour Playhouse · 5 weeks only", "#312e81", "#0891b2"),
    },
  );
  await send(organizer, theatre, "setSeatMap", [1n, [{ section: section("Stalls"), firstRow: 1, rows: 10, firstSeat: 1, seatsPerRow: 18, letteredRows: true }]]);
  await send(organizer, theatre, "setSeatMap", [2n, [{ section: section("Circle"), firstRow: 1, rows: 5, firstSeat: 1, seatsPerRow: 14, letteredRows: false }]]);
  await send(organizer, theatre, "addCalendar", [theatreRule, [1n, 2n]]);
  await enroll(theatre);
  const performances = [...Array(theatreRule.dayCount).keys()].flatMap((d) => slotsOfDay(theatreRule, d));
  const evenings = performances.filter((p) => p.slot % 2 === 0);
  const matinee = performances.find((p) => p.slot % 2 === 1)!;
  const seats = async (fan: Account, tier: bigint, price: bigint, seatIds: number[], slot: number) => {
    const total = price * BigInt(seatIds.length);
    await send(fan, theatre, "buyWith", [tier, BigInt(seatIds.length), fan.address, options({ seats: seatIds.map(BigInt), slot: BigInt(slot), maxTotal: total })], total);
  };
  await seats(fans[0], 1n, stalls, [43, 44], evenings[0].slot); // C7, C8 on the first night
  await seats(fans[1], 2n, circle, [5, 6], evenings[0].slot);
  await seats(fans[2], 1n, stalls, [43], evenings[1].slot); // the same seat, the second night
  await seats(fans[3], 1n, stalls, [1, 2, 3, 4], matinee.slot);

  return { museum, museumRule, theatre, theatreRule };
}
