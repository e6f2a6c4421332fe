// Per-token metadata over https: the JSON each event contract's tokenURI returns (an on-chain
// data: URI from TicketRenderer), decoded, for apps that want a URL rather than a data: URI.
import { BaseError, ContractFunctionRevertedError, HttpRequestError, TimeoutError, type Address } from "viem";

import { chainpassEventAbi, ticketFactoryAbi } from "../../lib/abi/index.js";
import type { PublicClient } from "../chain.js";

const JSON_DATA_URI = "data:application/json;base64,";

/** The RPC did not answer: a 503, not the client's fault. */
export class ChainUnavailable extends Error {}

/** EIP-1167 runtime code around the implementation address (events are clones of one implementation). */
const cloneCode = (implementation: Address) => `0x363d3d373d3d3d363d73${implementation.slice(2)}5af43d82803e903d91602b57fd5bf3`.toLowerCase();

export class TokenMetadataReader {
  private implementation?: Address;
  /** Events already recognised: code never changes, so one check per event is enough. */
  private readonly events = new Set<string>();

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
    if (this.events.has(key)) return true;
    const implementation = await this.implementationAddress();
    const code = await this.rpc(() => this.client.getCode({ address }));
    if (!code?.toLowerCase().startsWith(cloneCode(implementation))) return false;
    this.events.add(key);
    return true;
  }

  /** The token's metadata JSON as the contract renders it, or undefined if the token does not exist. */
  async tokenJson(event: Address, tokenId: bigint): Promise<string | undefined> {
    let uri: string;
    try {
      uri = await this.rpc(() => this.client.readContract({ address: event, abi: chainpassEventAbi, functionName: "tokenURI", args: [tokenId] }));
    } catch (error) {
      if (revertName(error) === "ERC721NonexistentToken") return undefined;
      throw error;
    }
    if (!uri.startsWith(JSON_DATA_URI)) throw new Error(`tokenURI of ${event} #${tokenId} is not a ${JSON_DATA_URI} URI`);
    const json = Buffer.from(uri.slice(JSON_DATA_URI.length), "base64").toString("utf8");
    JSON.parse(json); // the renderer must produce JSON; if it does not, that is our bug (a 500)
    return json;
  }

  private async implementationAddress(): Promise<Address> {
    this.implementation ??= await this.rpc(() => this.client.readContract({ address: this.factory, abi: ticketFactoryAbi, functionName: "implementation" }));
    return this.implementation;
  }

  private async rpc<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      const unreachable = error instanceof BaseError && error.walk((cause) => cause instanceof HttpRequestError || cause instanceof TimeoutError);
      if (unreachable) throw new ChainUnavailable(`The chain RPC did not answer: ${(error as BaseError).shortMessage}`);
      throw error;
    }
  }
}

function revertName(error: unknown): string | undefined {
  if (!(error instanceof BaseError)) return undefined;
  const revert = error.walk((cause) => cause instanceof ContractFunctionRevertedError) as ContractFunctionRevertedError | null;
  return revert?.data?.errorName;
}
