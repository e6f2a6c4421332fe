// The gate's chain follower reads raw logs (eth_getLogs over leanRpc) and decodes them here. The
// two events that come by the thousand, Transfer and CheckedIn, carry everything the snapshot
// needs in their topics and are read straight from them; the rare ones (tiers, seat maps, the deny
// list, roles, cancellation, rescheduling) go through viem's ABI decoder.
import { decodeEventLog, getAbiItem, toEventSelector, type AbiEvent, type Address, type Hex } from "viem";

import { chainpassEventAbi } from "../../lib/abi/index.js";
import type { DecodedLog } from "./snapshot.js";

/** The contract events the gate's snapshot follows. */
export const SNAPSHOT_EVENT_NAMES = [
  "Transfer",
  "CheckedIn",
  "CheckInUndone",
  "CheckInLeadChanged",
  "TierAdded",
  "TierUpdated",
  "TierOptionsSet",
  "SeatMapSet",
  "CalendarAdded",
  "DenyListUpdated",
  "RoleGranted",
  "RoleRevoked",
  "EventCancelled",
  "EventRescheduled",
] as const;

const SNAPSHOT_EVENTS = SNAPSHOT_EVENT_NAMES.map((name) => getAbiItem({ abi: chainpassEventAbi, name })) as AbiEvent[];
/** Their topic0s: the `topics[0]` filter of eth_getLogs. */
export const SNAPSHOT_TOPICS = SNAPSHOT_EVENTS.map((event) => toEventSelector(event));
const TRANSFER = toEventSelector(getAbiItem({ abi: chainpassEventAbi, name: "Transfer" }) as AbiEvent);
const CHECKED_IN = toEventSelector(getAbiItem({ abi: chainpassEventAbi, name: "CheckedIn" }) as AbiEvent);

/** A log as eth_getLogs returns it. */
export interface RawLog {
  address: Address;
  topics: Hex[];
  data: Hex;
  blockNumber: Hex;
  blockHash: Hex;
  logIndex: Hex;
  removed?: boolean;
}

const addressTopic = (topic: Hex) => `0x${topic.slice(26)}` as Address;

/** The log decoded, or undefined when it is none of the snapshot's events (or malformed). */
export function decodeSnapshotLog(raw: RawLog): DecodedLog | undefined {
  const base = { address: raw.address, blockNumber: BigInt(raw.blockNumber), blockHash: raw.blockHash, logIndex: Number(raw.logIndex) };
  const [topic0] = raw.topics;
  if (topic0 === TRANSFER && raw.topics.length === 4) {
    return { ...base, eventName: "Transfer", args: { from: addressTopic(raw.topics[1]), to: addressTopic(raw.topics[2]), tokenId: BigInt(raw.topics[3]) } };
  }
  if (topic0 === CHECKED_IN && raw.topics.length === 3) {
    return { ...base, eventName: "CheckedIn", args: { tokenId: BigInt(raw.topics[1]), holder: addressTopic(raw.topics[2]) } };
  }
  try {
    const decoded = decodeEventLog({ abi: SNAPSHOT_EVENTS, data: raw.data, topics: raw.topics as [Hex, ...Hex[]], strict: true });
    return { ...base, eventName: decoded.eventName!, args: decoded.args as unknown as Record<string, unknown> };
  } catch {
    return undefined;
  }
}
