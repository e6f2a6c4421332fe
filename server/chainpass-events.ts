// Recognising Chainpass events from their code, and reading the chain with the RPC's failures told
// apart from the contracts' answers. Shared by the metadata routes (token JSON of any event) and the
// gas sponsorship service (which pays only for calls to Chainpass events).
import { BaseError, HttpRequestError, TimeoutError, type Address, type Hex } from "viem";

import { ticketFactoryAbi } from "../lib/abi/index.js";
import type { PublicClient } from "./chain.js";

/** The RPC did not answer: a 503, not the client's fault. */
export class ChainUnavailable extends Error {}

/** Runs a chain read; an RPC that does not answer becomes ChainUnavailable. */
export async function readChain<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    const unreachable = error instanceof BaseError && error.walk((cause) => cause instanceof HttpRequestError || cause instanceof TimeoutError);
    if (unreachable) throw new ChainUnavailable(`The chain RPC did not answer: ${(error as BaseError).shortMessage}`);
    throw error;
  }
}

/** EIP-1167 runtime code around the implementation address (events and passkey accounts are clones of one implementation). */
export const cloneCode = (implementation: Address) => `0x363d3d373d3d3d363d73${implementation.slice(2)}5af43d82803e903d91602b57fd5bf3`.toLowerCase() as Hex;

export class ChainpassEvents {
  private implementation?: Address;
  /** Events already recognised: code never changes, so one check per event is enough. */
  private readonly known = new Set<string>();

  constructor(
    private readonly client: PublicClient,
    private readonly factory: Address,
  ) {}

  /**
   * Whether `address` is a Chainpass event: a clone of the factory's EventTicket implementation.
   * Only the factory can initialize one, so this is as good as the factory's registry.
   */
  async isChainpassEvent(address: Address): Promise<boolean> {
    const key = address.toLowerCase();
    if (this.known.has(key)) return true;
    this.implementation ??= await readChain(() => this.client.readContract({ address: this.factory, abi: ticketFactoryAbi, functionName: "implementation" }));
    const implementation = this.implementation;
    const code = await readChain(() => this.client.getCode({ address }));
    if (!code?.toLowerCase().startsWith(cloneCode(implementation))) return false;
    this.known.add(key);
    return true;
  }
}
