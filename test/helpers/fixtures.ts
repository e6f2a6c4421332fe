// Domain helpers shared by the contract tests and the gas benchmark: deploy the platform,
// create events, buy tickets. Tests read as stories on top of these.
import type { HardhatEthers, HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";

import PlatformModule from "../../ignition/modules/Platform.js";
import { deployModule } from "../../scripts/lib/ignition-deploy.js";
import type { PlatformAddresses } from "../../scripts/lib/platform-plan.js";
import type { IChainpassEvent, MockUSDC, TicketFactory } from "../../types/ethers-contracts/index.js";
import { purchaseOptions as libPurchaseOptions, type PurchaseOptions } from "../../lib/purchase-options.js";
import { NO_VOUCHER } from "../../lib/vouchers.js";

export const Policy = { Open: 0, Capped: 1, Locked: 2 } as const;
export const CheckInSkip = { AlreadyCheckedIn: 0, NotMinted: 1 } as const;
export const ZERO = "0x0000000000000000000000000000000000000000";
export const HOUR = 3600;
export const DAY = 24 * HOUR;
export { TOKENS_PER_TIER, tokenIdOf } from "../../lib/calendar.js";
export const SETTLEMENT_DELAY = 3 * DAY;
export const PLATFORM_FEE_BPS = 250;
/** Gates may check tickets in from this long before the start, unless the organizer changes it. */
export const CHECK_IN_LEAD = 6 * HOUR;


export interface TierInput {
  name: string;
  price: bigint;
  supply: number;
  maxPerWallet: number;
  saleStart: number;
  saleEnd: number;
}

export interface EventInput {
  name: string;
  symbol: string;
  metadataURI: string;
  start: number;
  end: number;
  currency: string;
  payout: string;
  royaltyBps: number;
  resaleCapBps: number;
  policy: number;
  giftsPerHolder: number;
}

export interface Platform {
  factory: TicketFactory;
  usdc: MockUSDC;
  owner: HardhatEthersSigner;
  feeRecipient: HardhatEthersSigner;
  /** Every contract of the plan, by name. */
  addresses: PlatformAddresses;
}

/**
 * The platform as the Platform Ignition module deploys it, with the USDC mock allowed beside ETH.
 * `blocklistToken`: the mock that can refuse transfers (costs gas; not for benches).
 */
export async function deployPlatform(ethers: HardhatEthers, { blocklistToken = false } = {}): Promise<Platform> {
  const [owner, feeRecipient] = await ethers.getSigners();
  const usdc = (await ethers.deployContract(blocklistToken ? "MockBlocklistUSDC" : "MockUSDC")) as unknown as MockUSDC;
  const provider = { request: ({ method, params }: { method: string; params?: unknown }) => ethers.provider.send(method, (params ?? []) as unknown[]) };
  const deployed = (await deployModule(provider, PlatformModule, {
    ChainpassPlatform: {
      owner: owner.address,
      feeRecipient: feeRecipient.address,
      feeBps: PLATFORM_FEE_BPS,
      settlementDelay: SETTLEMENT_DELAY,
      currencies: [ZERO, await usdc.getAddress()],
    },
  })) as PlatformAddresses;
  const factory = (await ethers.getContractAt("TicketFactory", deployed.TicketFactory)) as unknown as TicketFactory;
  return { factory, usdc, owner, feeRecipient, addresses: deployed };
}

/** Event starting in 30 days, lasting 6 hours; tiers on sale from now until the start. */
export async function eventInput(
  ethers: HardhatEthers,
  overrides: Partial<EventInput> = {},
): Promise<EventInput> {
  const now = (await ethers.provider.getBlock("latest"))!.timestamp;
  const [, , organizer] = await ethers.getSigners();
  return {
    name: "Harbour Lights Festival",
    symbol: "HLF",
    metadataURI: "ipfs://bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy",
    start: now + 30 * DAY,
    end: now + 30 * DAY + 6 * HOUR,
    currency: ZERO,
    payout: organizer.address,
    royaltyBps: 500,
    resaleCapBps: 11_000,
    policy: Policy.Open,
    giftsPerHolder: 2,
    ...overrides,
  };
}

export function tierInput(event: EventInput, overrides: Partial<TierInput> = {}): TierInput {
  return {
    name: "Adult",
    price: 10n ** 17n,
    supply: 500,
    maxPerWallet: 0,
    saleStart: event.start - 30 * DAY,
    saleEnd: event.start,
    ...overrides,
  };
}

/** Creates an event from `organizer` and returns its EventTicket. */
export async function createEvent(
  ethers: HardhatEthers,
  factory: TicketFactory,
  organizer: HardhatEthersSigner,
  event: EventInput,
  tiers: TierInput[],
): Promise<IChainpassEvent> {
  const tx = await factory.connect(organizer).createEvent(event, tiers, PLATFORM_FEE_BPS);
  const receipt = (await tx.wait())!;
  const log = receipt.logs
    .map((l) => {
      try {
        return factory.interface.parseLog(l);
      } catch {
        return null;
      }
    })
    .find((l) => l?.name === "EventCreated");
  return (await ethers.getContractAt("IChainpassEvent", log!.args.ticket)) as unknown as IChainpassEvent;
}

/** Buys tickets paying in whatever currency the event uses (approving the ERC-20 first). */
export async function buyTickets(
  ticket: IChainpassEvent,
  buyer: HardhatEthersSigner,
  tierId: number,
  quantity: number,
  recipient: string = buyer.address,
  usdc?: MockUSDC,
) {
  const price = (await ticket.tier(tierId)).price * BigInt(quantity);
  const info = await ticket.eventInfo();
  if (info.currency === ZERO) {
    return ticket.connect(buyer).buy(tierId, quantity, recipient, price, { value: price });
  }
  if (!usdc) throw new Error("ERC-20 event: pass the token");
  await usdc.connect(buyer).mint(buyer.address, price);
  await usdc.connect(buyer).approve(await ticket.getAddress(), price);
  return ticket.connect(buyer).buy(tierId, quantity, recipient, price);
}

/** A fresh, funded signer: benchmarks measure first-time buyers and receivers. */
export async function freshSigner(ethers: HardhatEthers, funder: HardhatEthersSigner) {
  const wallet = ethers.Wallet.createRandom().connect(ethers.provider);
  await (await funder.sendTransaction({ to: wallet.address, value: 10n ** 20n })).wait();
  return wallet as unknown as HardhatEthersSigner;
}

/** Adapts an ethers signer to lib/vouchers' viem-style TypedDataSigner. */
export function typedDataSigner(signer: HardhatEthersSigner) {
  return {
    signTypedData: ({ domain, types, message }: { domain: object; types: object; message: object }) =>
      signer.signTypedData(
        domain as Parameters<HardhatEthersSigner["signTypedData"]>[0],
        types as unknown as Parameters<HardhatEthersSigner["signTypedData"]>[1],
        message as Record<string, unknown>,
      ) as Promise<`0x${string}`>,
  };
}

/** No voucher, for `priceOf` and options (lib/vouchers.ts). */
export const NO_OPTIONS_VOUCHER = NO_VOUCHER;

/** No price bound: for tests that are not about the bound (those pass `maxTotal`). */
export const ANY_PRICE = 2n ** 256n - 1n;

/** PurchaseOptions for buyWith, with empty defaults (lib/purchase-options.ts; proofs as ethers gives them). */
export function purchaseOptions(overrides: Partial<Omit<PurchaseOptions, "proof" | "voucherSignature"> & { proof: string[]; voucherSignature: string }> = {}) {
  return libPurchaseOptions(overrides as Partial<PurchaseOptions>);
}
