// EIP-7825 (Osaka; on Ethereum since Fusaka): no transaction may ask for more than 2^24 gas,
// whatever the block gas limit, and nodes refuse one that does (Hardhat's node too). A list sent
// to the contract in one call (a deny list, seats to hold or give, check-ins) is therefore split
// into transactions of at most these many entries, each well under the cap:
// test/contracts/transaction-gas-cap.test.ts sends a full one of each in its costliest case.

export const TRANSACTION_GAS_CAP = 16_777_216n;

/**
 * Entries per transaction, by contract function, each list in its costliest case (every entry in
 * a storage slot of its own) at about 70 % of the cap or less; gas per entry as the test measured.
 */
export const PER_TRANSACTION = {
  /** About 24,500 gas an account not yet listed. */
  setDenied: 400,
  /** About 27,000 gas a seat (a ticket minted to the recipient). */
  compSeats: 400,
  /** About 46,000 gas a seat far from the others (it is marked taken and held), 2,300 next to them. */
  holdSeats: 250,
  /** About 9,000 gas a seat far from the others. */
  releaseSeats: 1_000,
  /** About 6,000 gas a ticket far from the others. */
  undoCheckIn: 200,
} as const;

/** `items` in consecutive slices of at most `size`, in order. */
export function inBatches<T>(items: readonly T[], size: number): T[][] {
  const batches: T[][] = [];
  for (let i = 0; i < items.length; i += size) batches.push(items.slice(i, i + size));
  return batches;
}
