// Per-token metadata over https: the JSON each event contract's tokenURI returns (an on-chain
// data: URI from TicketRenderer), decoded, for apps that want a URL rather than a data: URI.
import { BaseError, ContractFunctionRevertedError, type Address } from "viem";

import { chainpassEventAbi } from "../../lib/abi/index.js";
import type { PublicClient } from "../chain.js";
import { ChainpassEvents, ChainUnavailable, readChain } from "../chainpass-events.js";

const JSON_DATA_URI = "data:application/json;base64,";

export { ChainUnavailable };

export class TokenMetadataReader {
  private readonly events: ChainpassEvents;

  constructor(
    private readonly client: PublicClient,
    factory: Address,
  ) {
    this.events = new ChainpassEvents(client, factory);
  }

  /** Whether `address` is a Chainpass event (see ChainpassEvents). */
  isChainpassEvent(address: Address): Promise<boolean> {
    return this.events.isChainpassEvent(address);
  }

  /** The token's metadata JSON as the contract renders it, or undefined if the token does not exist. */
  async tokenJson(event: Address, tokenId: bigint): Promise<string | undefined> {
    let uri: string;
    try {
      uri = await readChain(() => this.client.readContract({ address: event, abi: chainpassEventAbi, functionName: "tokenURI", args: [tokenId] }));
    } catch (error) {
      if (revertName(error) === "ERC721NonexistentToken") return undefined;
      throw error;
    }
    if (!uri.startsWith(JSON_DATA_URI)) throw new Error(`tokenURI of ${event} #${tokenId} is not a ${JSON_DATA_URI} URI`);
    const json = Buffer.from(uri.slice(JSON_DATA_URI.length), "base64").toString("utf8");
    JSON.parse(json); // the renderer must produce JSON; if it does not, that is our bug (a 500)
    return json;
  }
}

function revertName(error: unknown): string | undefined {
  if (!(error instanceof BaseError)) return undefined;
  const revert = error.walk((cause) => cause instanceof ContractFunctionRevertedError) as ContractFunctionRevertedError | null;
  return revert?.data?.errorName;
}
