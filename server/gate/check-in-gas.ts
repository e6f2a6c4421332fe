// How much gas a check-in batch asks for, and so how many tickets one transaction may carry:
// within the block gas limit and EIP-7825's cap (lib/transaction-gas.ts).
import { TRANSACTION_GAS_CAP } from "../../lib/transaction-gas.js";

const CHECK_IN_BASE_GAS = 100_000n;
const CHECK_IN_GAS_PER_TICKET = 30_000n;

/**
 * A gas limit that covers `checkIn` of `tickets` tickets with room to spare: bench:gas measures
 * about 46,000 for one and 63,000 when it opens a new bitmap word; each further ticket costs
 * 5,000, or about 25,000 in a word of its own (tickets far apart). Only the gas used is paid.
 */
export function checkInGasLimit(tickets: number): bigint {
  return CHECK_IN_BASE_GAS + CHECK_IN_GAS_PER_TICKET * BigInt(tickets);
}

/**
 * The most tickets one `checkIn` may carry: its gas limit (checkInGasLimit) within the block gas
 * limit and the per-transaction cap; at least one.
 */
export function ticketsPerTransaction(blockGasLimit: bigint = TRANSACTION_GAS_CAP): number {
  const limit = blockGasLimit < TRANSACTION_GAS_CAP ? blockGasLimit : TRANSACTION_GAS_CAP;
  const fit = (limit - CHECK_IN_BASE_GAS) / CHECK_IN_GAS_PER_TICKET;
  return fit < 1n ? 1 : Number(fit);
}

/** CHAINPASS_GATE_BATCH_SIZE's largest accepted value: what the per-transaction cap allows (555). */
export const MAX_CHECK_IN_BATCH = ticketsPerTransaction();
