// EIP-1271 at the gate: a pass whose wallet signature does not recover to its holder may still be
// valid if the holder is a contract wallet (a Safe, a smart account) that says so. Asking needs
// the chain, so answers are remembered: a contract wallet verified online is still admitted
// offline, and an address known to hold no code is refused offline without asking. When the
// chain cannot be asked and nothing is known, the answer is CannotVerifyOffline (a 503 at the
// gate), never a server error.
//
// A smart account's signature (a passkey's, ERC-7739) is too long for a QR code: the fan's app
// registers it here once (POST /gate/:event/delegations), the gate checks it with the wallet then,
// and keeps the yes in the gate's shared store (SQLite, or PostgreSQL shared by gate servers on
// several machines). A pass without a signature (L = 0 in lib/pass/codec.ts) is then checked
// against that record, offline as well. A contract wallet's yes to a pass that carries its
// signature goes into the same record: the delegation is then known to be the holder's, so
// another gate server that never asked is not left unable to verify it offline.
import type { Address, Hex } from "viem";

import { CannotVerifyOffline } from "../../lib/pass/index.js";
import type { PublicClient } from "../chain.js";
import type { Database } from "../db.js";
import type { SharedSql } from "../shared-sql.js";

const ERC1271_ABI = [
  {
    type: "function",
    name: "isValidSignature",
    stateMutability: "view",
    inputs: [
      { name: "hash", type: "bytes32" },
      { name: "signature", type: "bytes" },
    ],
    outputs: [{ name: "", type: "bytes4" }],
  },
] as const;
const MAGIC = "0x1626ba7e";
const MAX_ENTRIES = 100_000;
/** A wallet's "no" is asked again after this long (a Safe may approve a message later). */
const REFUSAL_TTL_MS = 60_000;

/** Maps with a size bound (oldest out). */
function remember<K, V>(map: Map<K, V>, key: K, value: V) {
  if (map.size >= MAX_ENTRIES) map.delete(map.keys().next().value as K);
  map.set(key, value);
}

/** The SQLite table (PostgreSQL's is made by migration 0005). */
export function createRegisteredDelegationTable(db: Database) {
  db.exec(`
    CREATE TABLE IF NOT EXISTS gate_registered_delegations (
      holder TEXT NOT NULL,
      digest TEXT NOT NULL,
      signature TEXT NOT NULL,
      registered_at INTEGER NOT NULL,
      PRIMARY KEY (holder, digest)
    )
  `);
}

export class ContractSignatures {
  /** (holder, digest, signature) → the wallet said yes (kept), or no (until `until`). */
  private readonly answers = new Map<string, { valid: boolean; until: number }>();
  /** holder → whether it had code when last asked. */
  private readonly code = new Map<string, boolean>();

  /** (holder, digest) of delegations whose signatures were registered and found valid (a bounded cache of the table). */
  private readonly registered = new Map<string, true>();

  constructor(
    private readonly client: PublicClient,
    /** Whether the gate is offline (then the chain is not asked). */
    private readonly offline: () => boolean,
    /** The gate's shared store (gate_registered_delegations); without it, this process's memory only. */
    private readonly sql?: SharedSql,
  ) {}

  /**
   * Checks a delegation's signature with its wallet (online) and, when valid, records it for passes
   * that carry none. Resolves false when the wallet says no; throws CannotVerifyOffline offline.
   */
  async register(holder: Address, digest: Hex, signature: Hex): Promise<boolean> {
    if (signature === "0x") return false;
    if (this.offline()) throw new CannotVerifyOffline("A signature can only be registered while the gate reaches the chain");
    if (!(await this.isValid(holder, digest, signature))) return false;
    await this.record(holder, digest, signature);
    return true;
  }

  /** Keeps the wallet's yes to `digest` for every gate of the venue. */
  private async record(holder: Address, digest: Hex, signature: Hex) {
    const key = `${holder.toLowerCase()}|${digest}`;
    if (this.registered.has(key)) return;
    await this.sql?.run(
      "INSERT INTO gate_registered_delegations (holder, digest, signature, registered_at) VALUES (?, ?, ?, ?) ON CONFLICT (holder, digest) DO NOTHING",
      holder.toLowerCase(),
      digest,
      signature,
      Math.floor(Date.now() / 1000),
    );
    remember(this.registered, key, true);
  }

  /** Whether a valid signature of `digest` by `holder` was registered (here or by another gate process). */
  private async isRegistered(holder: Address, digest: Hex): Promise<boolean> {
    const key = `${holder.toLowerCase()}|${digest}`;
    if (this.registered.has(key)) return true;
    const row = await this.sql?.get("SELECT 1 AS found FROM gate_registered_delegations WHERE holder = ? AND digest = ?", holder.toLowerCase(), digest);
    if (!row) return false;
    remember(this.registered, key, true);
    return true;
  }

  async isValid(holder: Address, digest: Hex, signature: Hex): Promise<boolean> {
    // No signature in the pass: it must have been registered.
    if (signature === "0x") return this.isRegistered(holder, digest);
    const id = `${holder.toLowerCase()}|${digest}|${signature}`;
    const answered = this.answers.get(id);
    if (answered && (answered.valid || Date.now() < answered.until)) return answered.valid;
    const holderKey = holder.toLowerCase();
    if (this.offline()) {
      if (this.code.get(holderKey) === false) return false; // an EOA: its signature was already checked
      if (await this.isRegisteredOffline(holder, digest)) return true;
      throw new CannotVerifyOffline(`${holder} may be a contract wallet, and the chain cannot be asked now`);
    }
    let valid: boolean;
    try {
      const code = await this.client.getCode({ address: holder });
      const hasCode = !!code && code !== "0x";
      remember(this.code, holderKey, hasCode);
      if (!hasCode) return false;
      const magic = await this.client
        .readContract({ address: holder, abi: ERC1271_ABI, functionName: "isValidSignature", args: [digest, signature] })
        .catch((error: Error) => {
          // A revert is the wallet saying no; anything else is the chain not answering.
          if (/revert|execution reverted|returned no data/i.test(error.message)) return "0x";
          throw error;
        });
      valid = magic === MAGIC;
    } catch (error) {
      if (this.code.get(holderKey) === false) return false;
      if (await this.isRegisteredOffline(holder, digest)) return true;
      throw new CannotVerifyOffline(`the chain did not answer whether ${holder} signed: ${(error as Error).message.split("\n")[0]}`);
    }
    remember(this.answers, id, { valid, until: Date.now() + REFUSAL_TTL_MS });
    // Best effort: this process remembers the yes either way; a store that fails now is not a reason to refuse.
    if (valid) await this.record(holder, digest, signature).catch(() => undefined);
    return valid;
  }

  /** The shared record, when the chain cannot be asked; a store that does not answer either is no. */
  private isRegisteredOffline(holder: Address, digest: Hex): Promise<boolean> {
    return this.isRegistered(holder, digest).catch(() => false);
  }
}
