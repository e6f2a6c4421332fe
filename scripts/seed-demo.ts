// Demo content for `npm run dev` and the browser tests: a concert with seated tiers, a museum
// with timed entry slots (sold in USDC), and a conference with an allowlist presale and voucher
// codes; some tickets sold, some listed for resale, some checked in. Artwork and metadata are
// uploaded through the server's metadata module, so they are served at /ipfs/<cid>.
import { SiweMessage } from "siwe";
import { keccak256, parseEther, toHex, type Account, type Address, type Hex } from "viem";

import { chainpassEventAbi } from "../lib/abi/index.js";
import { buildAllowlist } from "../lib/allowlist.js";
import { codeIdFor, signVoucher, type Voucher } from "../lib/vouchers.js";
import { createEvent, localAccount, type EventSpec, type LocalClients, type Platform, type TierSpec } from "./lib/local-chain.js";

/** Who is who on the local chain (development mnemonic account indexes). */
export const DEMO_ACCOUNTS = {
  platform: 0,
  organizer: 2,
  gateStaff: 3,
  gateWriter: 4,
  fans: [5, 6, 7, 8],
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
}

export interface SeedOptions {
  clients: LocalClients;
  platform: Platform;
  /** The running server (metadata uploads, vouchers, allowlists). */
  serverUrl: string;
  /** SIWE domain and origin the server expects. */
  siwe: { domain: string; origin: string };
  now?: number;
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

export async function seedDemo({ clients, platform, serverUrl, siwe, now = Math.floor(Date.now() / 1000) }: SeedOptions): Promise<DemoEvents> {
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
  const noVoucher = { eventAddress: ZERO, tierId: 0n, percentOffBps: 0, amountOff: 0n, maxUses: 0, expiresAt: 0, buyer: ZERO, signer: ZERO, codeId: `0x${"00".repeat(32)}` };
  const options = (o: Partial<{ seats: bigint[]; proof: Hex[]; allowance: bigint; voucher: unknown; voucherSignature: Hex; maxTotal: bigint }> & { maxTotal: bigint }) => ({
    seats: [],
    proof: [],
    allowance: 0n,
    voucher: noVoucher,
    voucherSignature: "0x",
    slot: 0n,
    ...o,
  });

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
  const usdcAbi = [
    { type: "function", name: "mint", stateMutability: "nonpayable", inputs: [{ name: "to", type: "address" }, { name: "amount", type: "uint256" }], outputs: [] },
    { type: "function", name: "approve", stateMutability: "nonpayable", inputs: [{ name: "spender", type: "address" }, { name: "amount", type: "uint256" }], outputs: [{ type: "bool" }] },
  ] as const;
  for (const fan of fans) {
    // Every local fan starts with 1,000 USDC.
    const hash = await clients.wallet(fan).writeContract({ address: platform.usdc, abi: usdcAbi, functionName: "mint", args: [fan.address, USDC(1000)], account: fan, chain: clients.chain });
    await clients.publicClient.waitForTransactionReceipt({ hash });
  }
  const approve = async (fan: Account, amount: bigint) => {
    const hash = await clients.wallet(fan).writeContract({ address: platform.usdc, abi: usdcAbi, functionName: "approve", args: [museum, amount], account: fan, chain: clients.chain });
    await clients.publicClient.waitForTransactionReceipt({ hash });
  };
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

  return { concert, museum, conference, vouchers: vouchers.map(([code]) => code) };
}
