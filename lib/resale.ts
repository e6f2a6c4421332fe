// What a resale pays out, as contracts/ticket/TicketResale.sol splits it: the organizer's royalty
// and the platform fee are taken from the price (each rounded down), the seller receives the rest.
// The web app shows it to a seller before listing.

/** Basis points in a whole (the contracts' BPS). */
export const BPS = 10_000n;

export interface ResaleSplit {
  royalty: bigint;
  platformFee: bigint;
  /** What the seller receives. */
  seller: bigint;
}

export function resaleSplit(price: bigint, royaltyBps: number, platformFeeBps: number): ResaleSplit {
  const royalty = (price * BigInt(royaltyBps)) / BPS;
  const platformFee = (price * BigInt(platformFeeBps)) / BPS;
  return { royalty, platformFee, seller: price - royalty - platformFee };
}
