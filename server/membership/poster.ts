// The points signer (CHAINPASS_POINTS_KEY): for every program that names this key its signer, it
// reads the members' balances from the index, posts a new balance root when they changed, and
// sets the levels their earned points reach. The root's block is the index's head, so anyone can
// check it against the chain as it was then. Organizers and buyers pay nothing for accrual; this
// key pays for the anchors (one root per round, levels only when they change).
import type { Address, Hex } from "viem";

import { chainpassMembershipAbi } from "../../lib/abi/index.js";
import { PROGRAM_MEMBERS, SIGNED_PROGRAMS, type ProgramMember, type ProgramMembers, type SignedPrograms } from "../../lib/index/index.js";
import { buildBalanceTree, levelFor } from "../../lib/membership.js";
import type { PublicClient, WalletClient } from "../chain.js";
import type { PointsTreeStore } from "./tree-store.js";

/** Members read per index query, and levels set per transaction. */
const PAGE = 1_000;
const LEVELS_PER_TX = 200;

export interface PointsPosterOptions {
  client: PublicClient;
  wallet: WalletClient;
  membership: Address;
  store: PointsTreeStore;
  /** GraphQL query of the index (the local one or the subgraph). */
  query: <T>(document: string, variables: Record<string, unknown>) => Promise<T>;
  intervalMs: number;
  log: (message: string) => void;
}

export interface RoundReport {
  programs: number;
  rootsPosted: number;
  levelsSet: number;
}

export function createPointsPoster(options: PointsPosterOptions) {
  const { client, wallet, membership, store, query, log } = options;
  const signer = wallet.account.address;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<RoundReport> | undefined;
  let stopped = false;

  /** Every member's balance as of one indexed block (read again if the index moved mid-way). */
  async function members(program: Hex): Promise<{ members: ProgramMember[]; block: number } | undefined> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const all: ProgramMember[] = [];
      const blocks = new Set<number>();
      for (let after = "0x"; ; ) {
        const page = await query<ProgramMembers>(PROGRAM_MEMBERS, { program, after, first: PAGE });
        all.push(...page.members);
        blocks.add(page._meta.block.number);
        if (page.members.length < PAGE) break;
        after = page.members.at(-1)!.id;
      }
      if (blocks.size === 1) return { members: all, block: [...blocks][0] };
    }
    return undefined;
  }

  async function send(functionName: "postRoot" | "setMemberLevels", args: readonly unknown[]) {
    const hash = await wallet.writeContract({ address: membership, abi: chainpassMembershipAbi, functionName, args } as never);
    const receipt = await client.waitForTransactionReceipt({ hash });
    if (receipt.status !== "success") throw new Error(`${functionName} reverted in ${hash}`);
  }

  async function round(): Promise<RoundReport> {
    const report: RoundReport = { programs: 0, rootsPosted: 0, levelsSet: 0 };
    const { membershipPrograms } = await query<SignedPrograms>(SIGNED_PROGRAMS, { signer: signer.toLowerCase() });
    for (const program of membershipPrograms) {
      report.programs++;
      const read = await members(program.id);
      if (!read) {
        log(`points: ${program.id}: the index kept moving while its members were read; next round`);
        continue;
      }
      const { members: list, block } = read;
      const tree = buildBalanceTree(list.map((m) => ({ member: m.account.id, credited: BigInt(m.credited) })));
      const asOf = BigInt(block);
      if (tree && tree.root !== program.root && asOf > BigInt(program.rootBlock ?? -1)) {
        // Stored first: a member asking right after the root lands finds their proof.
        store.save(program.id, tree.root, asOf, tree);
        await send("postRoot", [program.id, tree.root, asOf, BigInt(tree.size)]);
        report.rootsPosted++;
      }
      const thresholds = program.levelThresholds.map(BigInt);
      const changed = list.filter((m) => levelFor(BigInt(m.earned), thresholds) !== m.level);
      for (let i = 0; i < changed.length; i += LEVELS_PER_TX) {
        const batch = changed.slice(i, i + LEVELS_PER_TX);
        await send("setMemberLevels", [program.id, batch.map((m) => m.account.id), batch.map((m) => BigInt(levelFor(BigInt(m.earned), thresholds)))]);
        report.levelsSet += batch.length;
      }
    }
    return report;
  }

  /** One round now (or the one in progress). */
  function postOnce(): Promise<RoundReport> {
    running ??= round().finally(() => (running = undefined));
    return running;
  }

  return {
    signer,
    postOnce,
    start() {
      const tick = () => {
        postOnce()
          .then((r) => r.rootsPosted + r.levelsSet > 0 && log(`points: ${r.rootsPosted} roots, ${r.levelsSet} levels posted`))
          .catch((error: Error) => log(`points: round failed: ${error.message}`))
          .finally(() => {
            if (!stopped) timer = setTimeout(tick, options.intervalMs);
          });
      };
      timer = setTimeout(tick, options.intervalMs);
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running?.catch(() => undefined);
    },
  };
}

export type PointsPoster = ReturnType<typeof createPointsPoster>;
