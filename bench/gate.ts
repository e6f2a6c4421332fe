// Gate benchmark: `npm run bench:gate`. Seeds a local chain with one event of 50,000 tickets held
// by 500 wallets, starts the gate server as its own process, and sends it a bounded load of scans
// from 127.0.0.1: first admissions, replays of admitted tickets, stale frames and passes for
// tickets that changed hands. Every response is checked against the verdict it must get. Also
// measures verifyPass alone (one core, delegations cached) and Node's raw Ed25519 verification.
// Writes bench/results/gate.json and the README's gate table.
import { generateKeyPairSync, sign as ed25519Sign, verify as ed25519Verify, type KeyObject } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { Pool } from "undici";

import pg from "pg";
import { bytesToHex, getAbiItem, toHex, type Address, type Hex } from "viem";

import { chainpassEventAbi } from "../lib/abi/index.js";
import {
  DelegationCache,
  delegationDigest,
  encodePass,
  frameMessage,
  recoverSignerWithViem,
  signDelegation,
  verifyPass,
  type PassDelegation,
  type RecoverSigner,
  type VerifyContext,
} from "../lib/pass/index.js";
import { createEvent, deployPlatform, localAccount, localClients, startNodeProcess, waitForIndex } from "../scripts/lib/local-chain.js";
import { runMain, supervise } from "../scripts/lib/supervisor.js";
import { openDatabase } from "../server/db.js";
import { AdmissionLedger } from "../server/gate/ledger.js";
import { recoverSigner } from "../server/gate/recover-signer.js";
import type { startHostileNeighbours } from "../test/helpers/hostile.js";
import { startPostgres } from "../test/helpers/postgres.js";
import { serverEnv, signInOverHttp, spawnServer, tempDatabase } from "../test/helpers/server.js";
import { updateReadmeSection } from "./readme.js";

// BENCH_GATE_SCALE=0.1 runs a tenth of the bench, BENCH_GATE_ONLY=server its first phase and =underLoad its second (to
// try changes quickly; neither writes results); BENCH_GATE_PROFILE=<dir> writes the gate's CPU profiles.
// BENCH_GATE_CLUSTER=1 (`npm run bench:gate -- --cluster`, bench/gate-cli.mjs) runs the cluster
// phase alone: three gate processes on one PostgreSQL, one of them killed during the run. For
// experiments with it: BENCH_GATE_ENV='{"CHAINPASS_…":"…"}' adds settings to the three gates', and
// BENCH_GATE_TRACE=<file> writes every scan as [ms since the start, latency ms, client mod 3,
// status, expected status], the kill's time and each new block's arrival (JSON).
const SCALE = Number(process.env.BENCH_GATE_SCALE ?? "1");
const CLUSTER = process.env.BENCH_GATE_CLUSTER === "1";
const TICKETS = 50_000 * SCALE;
const HOLDERS = 500 * SCALE;
const PER_HOLDER = TICKETS / HOLDERS;
const LOAD_REQUESTS = 40_000 * SCALE;
const LOAD_REQUESTS_UNDER_LOAD = 30_000 * SCALE;
const CONCURRENCY = Number(process.env.BENCH_GATE_CONCURRENCY ?? "32");
const MAX_LOAD_SECONDS = 60;
const PRE_ADMITTED = 2_000 * SCALE;
const MOVED = 1_000 * SCALE;
/**
 * The cluster's fixed-rate runs before its saturated one, 6 s each: about ten times a stadium's
 * average entry rate (70,000 fans in an hour are 20 scans a second), half the targets'
 * throughput, and the targets' throughput.
 */
const CLUSTER_RATES = [200, 1_000, 2_000];
const CLUSTER_RATE_SECONDS = 6;
const PRICE = 10n ** 12n;
const TOKENS_PER_TIER = 1_000_000n;
const n = (value: unknown) => (typeof value === "number" ? value.toLocaleString("en-US") : String(value));

const RESULTS = "bench/results/gate.json";

/** The p-th percentile of `sorted` (ascending), in ms to two decimals. */
function percentileOf(sorted: number[], p: number): number {
  return Number(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))].toFixed(2));
}

const SETUP = {
  tickets: 50_000,
  holders: 500,
  concurrency: CONCURRENCY,
  mix: "60% first admissions, 20% replays of admitted tickets, 10% stale frames, 10% tickets that changed hands",
  note:
    "half of each phase's scans from 32 clients back to back (throughput and p50/p95/p99), half on a fixed timetable (atFixedRate, each scan timed from when it was due); server: a gate process (index and on-chain writer off) measures the scan path; server.underLoad: npm run server's configuration (index and writer on) while 8 clients send the costliest GraphQL the limits allow and one uploads 4 MB SVGs (from one process at the lowest priority, standing for clients elsewhere: SCHED_IDLE, its session's autogroup at nice 19); load generator, neighbours and chain share the machine's two cores; 2,000 admissions and 2,000 refusals (replays, stale frames, moved tickets) warm each gate up first (in the cluster, each of the three). " +
    "cluster (npm run bench:gate -- --cluster, which runs only that phase and keeps the others' results; npm run bench:gate keeps the last cluster entry): three gate processes (writers on, one gate key, index off) on one throwaway PostgreSQL (test/helpers/postgres.ts: fsync and synchronous_commit off), all of the scans from 32 clients back to back, client i at gate i mod 3, after 6 s each at a fixed 200, 1,000 and 2,000 scans a second spread over the three (atFixedRates, each scan timed from when it was due, with the machine's busy share then; not in the other figures); after 40 % of the scans the gate holding the writer lease is killed (SIGKILL), its scans in flight are sent again at a survivor (retriedAfterKill; a first admission the dead gate had made answers already-used there: retriedFoundAlreadyUsed) and its clients carry on at the survivors; doubleAdmissions: tickets in the ledger twice or given two admit verdicts; lostAdmissions: tickets given an admit verdict that the ledger lacks; onChain: every ledger admission checked in once by the writers; gateScanThreads: the share of the gates' main threads' time on a CPU and runnable but waiting for one (/proc/<pid>/task/<pid>/schedstat, the killed gate's up to its kill); phases: p50 and p99 of the scans started with three gates, with two from the kill until a survivor held the writer lease (polled every 50 ms: takenOverAfterKillMs), and with two after that; byVerdict: p50 and p99 of the scans that had to be admitted, refused as already used, and refused otherwise; machineCpu: the machine's CPU over the run, busy, idle and stolen by the hypervisor (/proc/stat)",
};

const now = () => Math.floor(Date.now() / 1000);
const log = (message: string) => console.log(`[bench:gate] ${message}`);

await runMain(async () => {
  // ---------------------------------------------------------------- chain and tickets

  // The chain in a process of its own: it must not share an event loop with the load generator.
  const rpc = await startNodeProcess({ logRequests: false });
  const { rpcUrl } = rpc;
  const clients = localClients(rpcUrl);
  const platform = await deployPlatform(clients);
  const organizer = localAccount(2);
  const staff = localAccount(3);
  const t0 = now();
  const event = await createEvent(
    clients,
    platform.factory,
    organizer,
    { name: "Gate Bench Arena", symbol: "GBA", metadataURI: "ipfs://bench", start: t0 + 3600, end: t0 + 10 * 3600 },
    [{ name: "General admission", price: PRICE, supply: TICKETS, saleStart: t0 - 60, saleEnd: t0 + 3600 }],
  );
  const write = async (account: ReturnType<typeof localAccount>, functionName: string, args: unknown[], value?: bigint) =>
    clients.wallet(account).writeContract({ address: event, abi: chainpassEventAbi, functionName, args, account, chain: clients.chain, value } as never);
  await clients.publicClient.waitForTransactionReceipt({ hash: await write(organizer, "grantRole", [await clients.publicClient.readContract({ address: event, abi: chainpassEventAbi, functionName: "GATE_ROLE" }), staff.address]) });

  const holders = Array.from({ length: HOLDERS }, (_, i) => localAccount(100 + i));
  const funder = localAccount(0);
  let seeded = performance.now();
  const purchases: Hex[] = [];
  for (const holder of holders) purchases.push(await write(funder, "buy", [1n, BigInt(PER_HOLDER), holder.address, PRICE * BigInt(PER_HOLDER)], PRICE * BigInt(PER_HOLDER)));
  for (const hash of purchases) await clients.publicClient.waitForTransactionReceipt({ hash });
  log(`seeded ${TICKETS} tickets for ${HOLDERS} holders in ${((performance.now() - seeded) / 1000).toFixed(1)} s`);
  const ticketOf = (holder: number, i: number) => TOKENS_PER_TIER + BigInt(holder * PER_HOLDER + i + 1);

  // ---------------------------------------------------------------- passes

  /** A pass key on Node's native Ed25519 (the phone uses WebCrypto; the bytes are the same). */
  function nodePassKey() {
    const { publicKey, privateKey } = generateKeyPairSync("ed25519");
    const raw = Buffer.from(publicKey.export({ format: "jwk" }).x!, "base64url");
    return { publicKey: bytesToHex(raw), privateKey };
  }

  interface Holder {
    address: Address;
    delegation: PassDelegation;
    digest: Hex;
    walletSignature: Hex;
    privateKey: KeyObject;
  }

  const validUntil = now() + 86_400;
  const wallets: Holder[] = [];
  for (const holder of holders) {
    const key = nodePassKey();
    const delegation: PassDelegation = { chainId: 31337n, ticket: event, tokenId: 0n, passKey: key.publicKey, validUntil };
    wallets.push({
      address: holder.address,
      delegation,
      digest: delegationDigest(delegation),
      walletSignature: await signDelegation(holder, delegation),
      privateKey: key.privateKey,
    });
  }

  function passFor(holder: number, tokenId: bigint, timestamp: number): string {
    const w = wallets[holder];
    const frameSignature = bytesToHex(ed25519Sign(null, frameMessage(w.digest, tokenId, timestamp), w.privateKey));
    return encodePass({ delegation: w.delegation, holder: w.address, walletSignature: w.walletSignature, tokenId, timestamp, frameSignature });
  }

  // Tickets that change hands after their holder delegated: the last MOVED tickets, to account 9.
  seeded = performance.now();
  const movedFrom = HOLDERS - MOVED / PER_HOLDER;
  for (let h = movedFrom; h < HOLDERS; h++) {
    await clients.publicClient.request({ method: "hardhat_setBalance" as never, params: [holders[h].address, "0x56BC75E2D63100000"] as never });
    const hashes: Hex[] = [];
    for (let i = 0; i < PER_HOLDER; i++) hashes.push(await write(holders[h], "transferFrom", [holders[h].address, localAccount(9).address, ticketOf(h, i)]));
    for (const hash of hashes) await clients.publicClient.waitForTransactionReceipt({ hash });
  }
  log(`moved ${MOVED} tickets to another owner in ${((performance.now() - seeded) / 1000).toFixed(1)} s`);

  // ---------------------------------------------------------------- verifyPass alone (one core)

  /** Every ticket's first holder: what verifyPass alone reads (the moved tickets are not used there). */
  const firstOwners = new Map<bigint, Address>();
  for (let h = 0; h < HOLDERS; h++) for (let i = 0; i < PER_HOLDER; i++) firstOwners.set(ticketOf(h, i), wallets[h].address);
  /** verifyPass's context at `at`, with nothing checked in yet. */
  const verifyContext = (at: number, cache: DelegationCache): VerifyContext => ({ chainId: 31337n, ticket: event, now: at, ownerOf: (id) => firstOwners.get(id), isCheckedIn: () => false, cache });

  function measureVerifyPass() {
    const at = now();
    const ctx = verifyContext(at, new DelegationCache());
    const passes = Array.from({ length: 10_000 }, (_, i) => passFor(i % movedFrom, ticketOf(i % movedFrom, i % PER_HOLDER), at));
    return (async () => {
      for (const p of passes.slice(0, movedFrom)) await verifyPass(p, ctx); // every delegation cached
      return verifiedPerSecond(passes, ctx, 3000);
    })();
  }

  /** verifyPass of `passes` in turn for `ms`: how many a second, each admitted. */
  async function verifiedPerSecond(passes: string[], ctx: VerifyContext, ms: number) {
    let verified = 0;
    const start = performance.now();
    while (performance.now() - start < ms) {
      const verdict = await verifyPass(passes[verified % passes.length], ctx);
      if (!verdict.ok) throw new Error(`verifyPass refused a valid pass: ${verdict.reason}`);
      verified++;
    }
    return Math.round(verified / ((performance.now() - start) / 1000));
  }

  /**
   * verifyPass of fans the gate has not seen: each pass's delegation recovered again (a cache of
   * one entry, passes of different holders in turn), with `recover`. At a real door nearly every
   * admission is such a fan; the bench's 500 holders are each recovered once per gate.
   */
  async function measureNewFans(recover: RecoverSigner) {
    const at = now();
    const passes = Array.from({ length: movedFrom }, (_, h) => passFor(h, ticketOf(h, 0), at));
    return verifiedPerSecond(passes, verifyContext(at, new DelegationCache({ maxEntries: 1, recoverSigner: recover })), 2000);
  }

  function measureRawEd25519() {
    const { publicKey, privateKey } = generateKeyPairSync("ed25519");
    const message = frameMessage(`0x${"ab".repeat(32)}`, 1_000_001n, now());
    const signature = ed25519Sign(null, message, privateKey);
    let verified = 0;
    const start = performance.now();
    while (performance.now() - start < 2000) {
      ed25519Verify(null, message, publicKey, signature);
      verified++;
    }
    return Math.round(verified / ((performance.now() - start) / 1000));
  }


  // ---------------------------------------------------------------- the gate server under load

  async function runPool<T>(items: T[], worker: (item: T) => Promise<void>, deadline = Infinity) {
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < items.length && performance.now() < deadline) await worker(items[next++]);
      }),
    );
    return next;
  }

  interface Planned {
    pass: string;
    status: number;
    reason?: string;
    tokenId: bigint;
  }

  // Tickets never scanned yet, shared by the phases (each takes its first admissions from here).
  const fresh: { holder: number; tokenId: bigint }[] = [];
  for (let h = 0; h < movedFrom; h++) for (let i = 0; i < PER_HOLDER; i++) fresh.push({ holder: h, tokenId: ticketOf(h, i) });
  const take = (count: number) => {
    if (fresh.length < count) throw new Error(`only ${fresh.length} fresh tickets left for ${count}`);
    return fresh.splice(0, count);
  };

  /**
   * Refusals of each kind the mix has (replays of `preAdmitted` tickets, stale frames, tickets that
   * moved), as many as `preAdmitted`, to warm the gates' refusal paths up, not measured. Without
   * the replays, the measured run's first replays deoptimized verifyPass.
   */
  function warmUpPasses(preAdmitted: { holder: number; tokenId: bigint }[]) {
    const warmAt = now();
    return Array.from({ length: preAdmitted.length }, (_, i) => {
      const moved = movedFrom + (i % (HOLDERS - movedFrom));
      const p = preAdmitted[i];
      if (i % 3 === 0) return passFor(p.holder, p.tokenId, warmAt);
      return i % 3 === 1 ? passFor(moved, ticketOf(moved, i % PER_HOLDER), warmAt) : passFor(p.holder, p.tokenId, warmAt - 1000);
    });
  }

  /**
   * The standard scan mix of `requests` scans, every one with the verdict it must get: 60 % first
   * admissions (fresh tickets), 20 % replays of `preAdmitted` tickets, 10 % stale frames, 10 %
   * passes for tickets that changed hands.
   */
  function planScans(requests: number, preAdmitted: { holder: number; tokenId: bigint }[]): Planned[] {
    const at = now();
    const firsts = take(Math.ceil((requests * 6) / 10));
    const plan: Planned[] = [];
    let nextFirst = 0;
    for (let n = 0; n < requests; n++) {
      const kind = n % 10;
      if (kind < 6) {
        const { holder, tokenId } = firsts[nextFirst++];
        plan.push({ pass: passFor(holder, tokenId, at), status: 200, tokenId });
      } else if (kind < 8) {
        const p = preAdmitted[n % preAdmitted.length];
        plan.push({ pass: passFor(p.holder, p.tokenId, at), status: 409, reason: "already-used", tokenId: p.tokenId });
      } else if (kind === 8) {
        const p = firsts[firsts.length - 1 - (n % Math.min(1000, firsts.length))];
        plan.push({ pass: passFor(p.holder, p.tokenId, at - 1000), status: 422, reason: "stale-frame", tokenId: p.tokenId });
      } else {
        const h = movedFrom + (n % (HOLDERS - movedFrom));
        const tokenId = ticketOf(h, n % PER_HOLDER);
        plan.push({ pass: passFor(h, tokenId, at), status: 422, reason: "delegation-not-by-owner", tokenId });
      }
    }
    return plan;
  }

  /**
   * One gate server measured with the scan mix: `preAdmitted` tickets admitted first (so replays
   * have something to be refused for), refusal paths warmed up, then `requests` scans, half from
   * CONCURRENCY clients (for at most MAX_LOAD_SECONDS), half at `rate` a second; every verdict checked.
   */
  async function measureScans(gate: { gateUrl: string }, cookie: string, requests: number, rate: number, during?: () => Promise<void>) {
    // More connections than clients: at a fixed rate, answers that come late must not hold up the next scans.
    const pool = new Pool(gate.gateUrl, { connections: CONCURRENCY * 4, pipelining: 1 });
    const path = `/gate/${event}/scan`;
    const headers = { "content-type": "application/json", cookie };
    async function scan(pass: string) {
      const started = performance.now();
      const res = await pool.request({ method: "POST", path, headers, body: JSON.stringify({ pass }) });
      const body = await res.body.text();
      return { status: res.statusCode, reason: (JSON.parse(body) as { reason?: string }).reason, body, ms: performance.now() - started };
    }

    // The gate loads its 50,000-ticket snapshot on the first request.
    const t = performance.now();
    const status = (await (await fetch(`${gate.gateUrl}/gate/${event}/status`, { headers: { cookie } })).json()) as { snapshot?: { tickets?: number } };
    if (status.snapshot?.tickets !== TICKETS) throw new Error(`the gate's snapshot is incomplete: ${JSON.stringify(status)}`);
    log(`gate snapshot of ${status.snapshot.tickets} tickets loaded in ${((performance.now() - t) / 1000).toFixed(1)} s`);

    const preAdmitted = take(PRE_ADMITTED);
    await runPool(preAdmitted, async ({ holder, tokenId }) => {
      const result = await scan(passFor(holder, tokenId, now()));
      if (result.status !== 200) throw new Error(`pre-admission refused: ${result.status} ${result.body}`);
    });

    // Warm-up of the refusal paths (stale frames, tickets that moved), not measured.
    await runPool(warmUpPasses(preAdmitted), async (pass) => {
      const result = await scan(pass);
      if (result.status === 200) throw new Error("a warm-up scan was admitted");
    });

    const plan = planScans(requests, preAdmitted);

    await during?.();
    // The first half at saturation (CONCURRENCY clients, each sending its next scan as soon as
    // the last is answered): the throughput and the targets' latencies. The second half at a fixed
    // rate (the target's scans a second): there a pause of the gate holds up every scan due
    // meanwhile, not only CONCURRENCY of them, so its tail shows pauses the first half hides.
    const half = Math.floor(plan.length / 2);
    const saturated = await closedLoop(scan, plan.slice(0, half));
    const atRate = await openLoop(scan, plan.slice(half), rate);
    await pool.close();
    return {
      ...saturated,
      wrongVerdicts: saturated.wrongVerdicts + atRate.wrongVerdicts,
      serverErrors: saturated.serverErrors + atRate.serverErrors,
      atFixedRate: { offeredPerSecond: rate, scans: atRate.scans, p50Ms: atRate.p50Ms, p95Ms: atRate.p95Ms, p99Ms: atRate.p99Ms },
    };
  }

  type Scan = (pass: string) => Promise<{ status: number; reason?: string; ms: number }>;

  /** Latency percentiles and verdict counts of a run. */
  function tally() {
    const latencies: number[] = [];
    let wrongVerdicts = 0;
    let serverErrors = 0;
    return {
      record(planned: Planned, result: { status: number; reason?: string }, ms: number) {
        latencies.push(ms);
        if (result.status >= 500) serverErrors++;
        if (result.status !== planned.status || (planned.reason && result.reason !== planned.reason)) wrongVerdicts++;
      },
      summary() {
        latencies.sort((a, b) => a - b);
        const percentile = (p: number) => percentileOf(latencies, p);
        return { scans: latencies.length, p50Ms: percentile(50), p95Ms: percentile(95), p99Ms: percentile(99), wrongVerdicts, serverErrors };
      },
    };
  }

  /** CONCURRENCY clients back to back, for at most MAX_LOAD_SECONDS. */
  async function closedLoop(scan: Scan, plan: Planned[]) {
    const t = tally();
    const start = performance.now();
    await runPool(
      plan,
      async (planned) => {
        const result = await scan(planned.pass);
        t.record(planned, result, result.ms);
      },
      start + MAX_LOAD_SECONDS * 1000,
    );
    const summary = t.summary();
    return { ...summary, scansPerSecond: Math.round(summary.scans / ((performance.now() - start) / 1000)) };
  }

  /**
   * `perSecond` scans a second on a fixed timetable, whatever the answers, each timed from when
   * it was due: a gate that falls behind shows it in the latency (no coordinated omission).
   */
  async function openLoop(scan: Scan, plan: Planned[], perSecond: number, onResult?: (planned: Planned, result: { status: number }) => void) {
    const t = tally();
    const start = performance.now();
    const inFlight: Promise<void>[] = [];
    for (let i = 0; i < plan.length; i++) {
      const due = start + (i * 1000) / perSecond;
      const wait = due - performance.now();
      if (wait >= 1) await new Promise((r) => setTimeout(r, wait));
      const planned = plan[i];
      inFlight.push(
        scan(planned.pass).then((result) => {
          t.record(planned, result, performance.now() - due);
          onResult?.(planned, result);
        }),
      );
    }
    await Promise.all(inFlight);
    return t.summary();
  }

  // ---------------------------------------------------------------- three gates on one PostgreSQL

  /**
   * `--cluster`: three gate server processes on one PostgreSQL (README, "Running gates on several
   * machines"), the same event, one gate key (one of them writes, under the lease). Staff sign in
   * once (the session is in PostgreSQL). CONCURRENCY clients send the standard mix, each client at
   * one gate (client i at gate i mod 3); after `killAfter` scans the gate holding the writer lease
   * is killed (SIGKILL). A scan whose request failed because its gate died is sent again at a
   * survivor, as a scanner would (`retriedAfterKill`), and the dead gate's clients carry on at
   * the survivors. Then, from PostgreSQL and the chain: every ticket given an admit verdict is in
   * the ledger once and checked in on chain once.
   */
  async function measureCluster(requests: number) {
    const postgres = await startPostgres();
    const db = new pg.Client({ connectionString: postgres.url });
    const gates: Awaited<ReturnType<typeof spawnServer>>[] = [];
    try {
      await db.connect();
      const fromBlock = await clients.publicClient.getBlockNumber();
      const started = performance.now();
      // Started together, as a venue's machines would be (the first applies the migrations, the others wait for its lock).
      const env = {
        DATABASE_URL: postgres.url,
        CHAINPASS_GATE_KEY: toHex(staff.getHdKey().privateKey!),
        CHAINPASS_MAX_FRAME_AGE: "120",
        CHAINPASS_SNAPSHOT_INTERVAL_MS: "5000",
        CHAINPASS_LOG_RANGE: "100000",
        CHAINPASS_INDEXER: "false",
        ...(process.env.BENCH_GATE_ENV ? (JSON.parse(process.env.BENCH_GATE_ENV) as Record<string, string>) : {}),
      };
      const profile = (i: number): Record<string, string> => (process.env.BENCH_GATE_PROFILE ? { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${process.env.BENCH_GATE_PROFILE}/cluster-${i}` } : {});
      const spawned = await Promise.allSettled([0, 1, 2].map((i) => spawnServer(serverEnv(rpcUrl, platform, tempDatabase(), { ...env, ...profile(i) }))));
      for (const s of spawned) if (s.status === "fulfilled") gates.push(s.value);
      for (const s of spawned) if (s.status === "rejected") throw s.reason;
      log(`3 gates on PostgreSQL up in ${((performance.now() - started) / 1000).toFixed(1)} s`);
      const cookie = await signInOverHttp(gates[0].gateUrl, staff); // once: valid at all three
      const headers = { "content-type": "application/json", cookie };
      const path = `/gate/${event}/scan`;
      // More connections than clients, as in measureScans: at the fixed rate, answers that come
      // late must not hold up the scans due after them.
      const pools = gates.map((gate) => new Pool(gate.gateUrl, { connections: CONCURRENCY * 4, pipelining: 1 }));
      const alive = [0, 1, 2];
      let victim = -1;
      async function scanAt(gate: number, pass: string) {
        const res = await pools[gate].request({ method: "POST", path, headers, body: JSON.stringify({ pass }) });
        const body = await res.body.text();
        return { status: res.statusCode, reason: (JSON.parse(body) as { reason?: string }).reason, body };
      }
      let retriedAfterKill = 0;
      let networkErrors = 0;
      /** Client `client`'s scan at its gate; at a survivor again if its gate died under it. */
      async function scan(client: number, pass: string) {
        const start = performance.now();
        let retried = false;
        for (;;) {
          const gate = alive[client % alive.length];
          try {
            return { ...(await scanAt(gate, pass)), ms: performance.now() - start, retried };
          } catch (error) {
            if (gate !== victim) {
              networkErrors++;
              throw error;
            }
            if (alive.includes(gate)) alive.splice(alive.indexOf(gate), 1); // the scanner gives up on the dead gate
            retried = true;
            retriedAfterKill++;
          }
        }
      }

      // Every gate loads its 50,000-ticket snapshot on its first request.
      let t = performance.now();
      await Promise.all(
        gates.map(async (gate) => {
          // Three gates reading 50,000 tickets' logs at once from one node on a busy machine: a
          // read may time out (chain-unreachable); the gate reads again on the next request.
          for (let attempt = 1; ; attempt++) {
            const status = (await (await fetch(`${gate.gateUrl}/gate/${event}/status`, { headers: { cookie } })).json()) as { snapshot?: { tickets?: number } };
            if (status.snapshot?.tickets === TICKETS) break;
            if (attempt === 5) throw new Error(`a gate's snapshot is incomplete: ${JSON.stringify(status)}`);
            log(`a gate's snapshot is not loaded yet (${JSON.stringify(status).slice(0, 120)}); again`);
            await new Promise((r) => setTimeout(r, 2000));
          }
        }),
      );
      log(`3 gate snapshots of ${TICKETS} tickets loaded in ${((performance.now() - t) / 1000).toFixed(1)} s`);

      // Admit verdicts per ticket, over the whole phase.
      const admitted = new Map<bigint, number>();
      const noteAdmit = (tokenId: bigint) => admitted.set(tokenId, (admitted.get(tokenId) ?? 0) + 1);
      // Each gate warmed up as the one gate of the other phases is (PRE_ADMITTED admissions and as
      // many refusals): with a third of that, each gate's JIT was still compiling its scan path
      // (verifyPass, the route, the JSON parser) seconds into the measured run.
      const preAdmitted = take(PRE_ADMITTED * gates.length);
      let c = 0;
      await runPool(preAdmitted, async ({ holder, tokenId }) => {
        const result = await scan(c++, passFor(holder, tokenId, now()));
        if (result.status !== 200) throw new Error(`pre-admission refused: ${result.status} ${result.body}`);
        noteAdmit(tokenId);
      });
      c = 0;
      await runPool(warmUpPasses(preAdmitted), async (pass) => {
        if ((await scan(c++, pass)).status === 200) throw new Error("a warm-up scan was admitted");
      });

      // Fixed rates first, three gates and the writer up: the latency a venue gets at a given load,
      // up to the targets' throughput, beside the saturated run's below (every scan timed from when
      // it was due, the scans spread over the gates as the clients' are).
      let k = 0;
      let atRateWrong = 0;
      let atRateErrors = 0;
      const atFixedRates: ClusterAtRate[] = [];
      for (const rate of CLUSTER_RATES) {
        const ticksBefore = machineTicks();
        const scans = Math.round(rate * CLUSTER_RATE_SECONDS * SCALE);
        const atRate = await openLoop((pass) => scan(k++, pass), planScans(scans, preAdmitted), rate, (planned, result) => {
          if (result.status === 200) noteAdmit(planned.tokenId);
        });
        // How close to full the two cores were at this rate: the tail grows fast near the top.
        const machineBusy = machineShares(ticksBefore, machineTicks()).busy;
        atFixedRates.push({ offeredPerSecond: rate, scans: atRate.scans, p50Ms: atRate.p50Ms, p95Ms: atRate.p95Ms, p99Ms: atRate.p99Ms, machineBusy });
        atRateWrong += atRate.wrongVerdicts;
        atRateErrors += atRate.serverErrors;
        log(`cluster at a fixed ${rate} scans/s: ${JSON.stringify(atFixedRates.at(-1))}, wrong ${atRate.wrongVerdicts}, 5xx ${atRate.serverErrors}`);
      }

      const plan = planScans(requests, preAdmitted);
      // CPU time of each part over the measured run (/proc, all threads): what a scan costs
      // whatever else the machine is doing.
      const { rows: backend } = await db.query<{ pid: number }>("SELECT pg_backend_pid() AS pid");
      const postmaster = procStat(backend[0].pid)!.ppid;
      const parts = () => ({
        gates: gates.map((g) => procStat(g.process.pid!)?.cpuMs ?? 0),
        gateMains: gates.map((g) => mainThreadSched(g.process.pid!) ?? { runMs: 0, waitMs: 0 }),
        // The server processes alive now and those ended (the killed gate's connections): a sum
        // over the live ones alone went down when one ended, and made PostgreSQL look nearly free.
        postgres: postgresCpuMs(postmaster),
        chain: procStat(rpc.node.child.pid!)?.cpuMs ?? 0,
        bench: procStat(process.pid)?.cpuMs ?? 0,
        machine: machineTicks(),
      });
      const cpuBefore = parts();
      const killAfter = Math.floor(plan.length * 0.4);
      /** The gate holding the writer lease now; -1 if none does. */
      const leaseHolder = async () => {
        const { rows } = await db.query<{ holder: string }>("SELECT holder FROM gate_writer_lease");
        return gates.findIndex((g) => rows[0]?.holder.startsWith(`${g.process.pid}-`));
      };
      /** The writer's gate when the kill came (read then: the lease may have moved during the run). */
      let writerGate = -1;
      const writerGateAtStart = await leaseHolder();
      /** Each scan's start (ms into the run), latency, and the status it had to get. */
      const timed: [number, number, number][] = [];
      const trace: number[][] = [];
      let wrongVerdicts = 0;
      let serverErrors = 0;
      let retriedFoundUsed = 0;
      let killedGateAfterScans: number | undefined;
      let killed: Promise<void> | undefined;
      let killing = false;
      let victimCpuMs = 0;
      let victimMain = { runMs: 0, waitMs: 0 };
      let killedAt = 0;
      /** When a survivor held the writer lease after the kill (ms into the run; polled every 50 ms). */
      let takenOverAt: number | undefined;
      let leaseWatch: NodeJS.Timeout | undefined;
      let sent = 0;
      t = performance.now();
      const start = performance.now();
      log("cluster: measuring");
      // BENCH_GATE_TRACE: every scan, and when each new block arrived (a subscriber more for the node, so only then).
      const traceFile = process.env.BENCH_GATE_TRACE;
      const blocks: number[] = [];
      const heads = traceFile ? new WebSocket(rpcUrl.replace(/^http/, "ws")) : undefined;
      if (heads) {
        heads.onopen = () => heads.send(JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_subscribe", params: ["newHeads"] }));
        heads.onmessage = (m) => void (String(m.data).includes("eth_subscription") && blocks.push(Math.round(performance.now() - start)));
      }
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async (_, client) => {
          while (sent < plan.length && performance.now() < start + MAX_LOAD_SECONDS * 1000) {
            if (sent === killAfter && !killing) {
              killing = true;
              // The writer's gate if one holds the lease now (the harder case: the lease moves too).
              writerGate = await leaseHolder();
              if (writerGate !== writerGateAtStart) log(`cluster: the writer lease moved during the run, from gate ${writerGateAtStart} to gate ${writerGate}`);
              victim = writerGate >= 0 ? writerGate : 2;
              killedGateAfterScans = sent;
              victimCpuMs = procStat(gates[victim].process.pid!)?.cpuMs ?? 0; // its last reading, counted below
              victimMain = mainThreadSched(gates[victim].process.pid!) ?? victimMain;
              killed = gates[victim].kill();
              killedAt = Math.round(performance.now() - start);
              if (victim === writerGate) {
                const dead = `${gates[victim].process.pid}-`;
                leaseWatch = setInterval(() => {
                  db.query<{ holder: string }>("SELECT holder FROM gate_writer_lease").then(({ rows }) => {
                    if (takenOverAt === undefined && rows[0] && !rows[0].holder.startsWith(dead)) {
                      takenOverAt = Math.round(performance.now() - start);
                      clearInterval(leaseWatch);
                    }
                  }, () => undefined);
                }, 50);
              }
            }
            const planned = plan[sent++];
            const startedAt = performance.now() - start;
            const result = await scan(client, planned.pass);
            timed.push([startedAt, result.ms, planned.status]);
            if (traceFile) trace.push([Math.round(performance.now() - start), Math.round(result.ms * 10) / 10, client % 3, result.status, planned.status]);
            if (result.status >= 500) serverErrors++;
            if (result.status === 200) noteAdmit(planned.tokenId);
            // A first admission sent again after its gate died may have been admitted there before
            // the answer was lost: "already used" is then the right answer (the ledger says which).
            if (result.retried && planned.status === 200 && result.status === 409 && result.reason === "already-used") retriedFoundUsed++;
            else if (result.status !== planned.status || (planned.reason && result.reason !== planned.reason)) wrongVerdicts++;
          }
        }),
      );
      const seconds = (performance.now() - start) / 1000;
      clearInterval(leaseWatch);
      const latencies = timed.map(([, ms]) => ms).sort((a, b) => a - b);
      if (traceFile) writeFileSync(traceFile, JSON.stringify({ killAt: killedAt, blocks, trace }));
      heads?.close();
      const cpuAfter = parts();
      // The killed gate's reading is the one taken just before its kill (a few ms of its work after it are not counted).
      const gateCpuMs = cpuAfter.gates.reduce((sum, ms, i) => sum + Math.max(0, (i === victim ? victimCpuMs : ms) - cpuBefore.gates[i]), 0);
      const perScan = (ms: number) => Number((ms / latencies.length).toFixed(3));
      const cpuMsPerScan = {
        gates: perScan(gateCpuMs),
        postgres: perScan(cpuAfter.postgres - cpuBefore.postgres),
        chain: perScan(cpuAfter.chain - cpuBefore.chain),
        loadGenerator: perScan(cpuAfter.bench - cpuBefore.bench),
      };
      // The gates' scan threads: the share of their time on a CPU and the share runnable but
      // waiting for one (the killed gate's up to its kill). A large wait is a machine with more
      // work than cores: a scan's latency is then mostly its turn.
      const mainsWallMs = gates.reduce((sum, _, i) => sum + (i === victim ? killedAt : seconds * 1000), 0);
      const mainsDelta = (key: "runMs" | "waitMs") =>
        cpuAfter.gateMains.reduce((sum, after, i) => sum + Math.max(0, (i === victim ? victimMain : after)[key] - cpuBefore.gateMains[i][key]), 0);
      const gateScanThreads = { onCpu: Number((mainsDelta("runMs") / mainsWallMs).toFixed(2)), waitingForCpu: Number((mainsDelta("waitMs") / mainsWallMs).toFixed(2)) };
      log(`cluster gates' scan threads: ${JSON.stringify(gateScanThreads)} of their time`);
      // The machine's two cores over the run: busy, idle, and stolen by the hypervisor.
      const machineCpu = machineShares(cpuBefore.machine, cpuAfter.machine);
      log(`cluster machine CPU: ${JSON.stringify(machineCpu)}`);
      const loadAverage = Number(loadavg()[0].toFixed(2));
      await killed;
      await Promise.all(pools.map((p) => p.close().catch(() => undefined)));
      const percentile = (p: number) => percentileOf(latencies, p);
      // Where the p99 comes from: the scans started with three gates (the writer on), with two
      // after the kill until a survivor took the writer lease over, and with two after that.
      const tail = (picked: [number, number, number][]) => {
        const sorted = picked.map(([, ms]) => ms).sort((a, b) => a - b);
        return sorted.length ? { scans: sorted.length, p50Ms: percentileOf(sorted, 50), p99Ms: percentileOf(sorted, 99) } : undefined;
      };
      const phase = (from: number, to: number) => tail(timed.filter(([at]) => at >= from && at < to));
      const phases = {
        threeGates: phase(0, killedAt),
        twoGatesNoWriter: phase(killedAt, takenOverAt ?? Infinity),
        twoGatesAfterTakeover: takenOverAt === undefined ? undefined : phase(takenOverAt, Infinity),
        takenOverAfterKillMs: takenOverAt === undefined ? undefined : takenOverAt - killedAt,
      };
      log(`cluster phases: ${JSON.stringify(phases)}`);
      // And by what the scan had to answer: an admission waits for the freshness barrier and its
      // insert; an already-used refusal for neither (the replays are of tickets admitted in the
      // warm-up, on chain by then, or at this gate: known without either); the other refusals
      // for the barrier only when they hang on the owner.
      const byVerdict = {
        admit: tail(timed.filter(([, , status]) => status === 200)),
        alreadyUsed: tail(timed.filter(([, , status]) => status === 409)),
        otherRefusals: tail(timed.filter(([, , status]) => status !== 200 && status !== 409)),
      };
      log(`cluster by verdict: ${JSON.stringify(byVerdict)}`);

      log(`cluster CPU ms a scan: ${JSON.stringify(cpuMsPerScan)} (load average ${loadAverage})`);
      log(`cluster scans: ${latencies.length} in ${seconds.toFixed(1)} s, p50/p95/p99 ${percentile(50)}/${percentile(95)}/${percentile(99)} ms, wrong ${wrongVerdicts}, 5xx ${serverErrors}, network errors ${networkErrors}, retried after the kill ${retriedAfterKill}`);

      // The ledger: each ticket once (its primary key), every admit verdict in it.
      const { rows } = await db.query<{ token_id: string; n: string }>("SELECT token_id::text AS token_id, COUNT(*) AS n FROM gate_admissions WHERE event = $1 GROUP BY token_id", [event.toLowerCase()]);
      const inLedger = new Map(rows.map((r) => [BigInt(r.token_id), Number(r.n)]));
      const twiceInLedger = [...inLedger.values()].filter((n) => n > 1).length;
      const admitVerdictsTwice = [...admitted.values()].filter((n) => n > 1).length;
      const lostAdmissions = [...admitted.keys()].filter((id) => !inLedger.has(id)).length;

      // On chain: the surviving writer (after the lease expired, if the writer died) checks in every admission.
      t = performance.now();
      for (;;) {
        const { rows: pending } = await db.query<{ n: string }>(
          "SELECT COUNT(*) AS n FROM gate_admissions a LEFT JOIN gate_batches b ON b.id = a.batch_id WHERE b.state IS DISTINCT FROM 'confirmed'",
        );
        if (Number(pending[0].n) === 0) break;
        if (performance.now() - t > 180_000) throw new Error(`the writer did not catch up: ${pending[0].n} admissions not on chain`);
        await new Promise((r) => setTimeout(r, 250));
      }
      // 26,000 CheckedIn logs would pass viem's 10 MB answer limit: read 20 blocks at a time.
      const onChain = new Map<bigint, number>();
      const toBlock = await clients.publicClient.getBlockNumber();
      for (let from = fromBlock; from <= toBlock; from += 20n) {
        const checkedIn = await clients.publicClient.getLogs({ address: event, event: getAbiItem({ abi: chainpassEventAbi, name: "CheckedIn" }) as never, fromBlock: from, toBlock: from + 19n > toBlock ? toBlock : from + 19n });
        for (const l of checkedIn) {
          const id = (l as unknown as { args: { tokenId: bigint } }).args.tokenId;
          onChain.set(id, (onChain.get(id) ?? 0) + 1);
        }
      }
      const { rows: toChainRows } = await db.query<{ ms: string }>(
        "SELECT b.confirmed_ms - a.admitted_ms AS ms FROM gate_admissions a JOIN gate_batches b ON b.id = a.batch_id WHERE b.state = 'confirmed'",
      );
      const toChain = toChainRows.map((r) => Number(r.ms)).sort((a, b) => a - b);
      const { rows: leaseAfter } = await db.query<{ holder: string }>("SELECT holder FROM gate_writer_lease");
      return {
        gates: 3,
        scans: latencies.length,
        scansPerSecond: Math.round(latencies.length / seconds),
        p50Ms: percentile(50),
        p95Ms: percentile(95),
        p99Ms: percentile(99),
        maxMs: Number(latencies.at(-1)!.toFixed(2)),
        atFixedRates,
        wrongVerdicts: wrongVerdicts + atRateWrong,
        serverErrors: serverErrors + networkErrors + atRateErrors,
        doubleAdmissions: twiceInLedger + admitVerdictsTwice,
        lostAdmissions,
        killedGateAfterScans,
        killedGateHeldWriterLease: victim === writerGate,
        writerLeaseTakenOver: victim === writerGate && !leaseAfter[0]?.holder.startsWith(`${gates[victim].process.pid}-`),
        phases,
        byVerdict,
        retriedAfterKill,
        retriedFoundAlreadyUsed: retriedFoundUsed,
        cpuMsPerScan,
        gateScanThreads,
        machineCpu,
        loadAverage,
        ledgerAdmissions: inLedger.size,
        onChain: {
          checkedIn: onChain.size,
          missing: [...inLedger.keys()].filter((id) => !onChain.has(id)).length,
          twice: [...onChain.values()].filter((n) => n > 1).length,
          admissionToChainP50Ms: toChain[Math.floor(toChain.length * 0.5)],
          admissionToChainP95Ms: toChain[Math.min(toChain.length - 1, Math.floor(toChain.length * 0.95))],
          admissionToChainMaxMs: toChain.at(-1),
        },
      };
    } finally {
      await db.end().catch(() => undefined);
      await Promise.all(gates.map((g) => g.stop().catch(() => undefined)));
      await postgres.stop();
    }
  }

  if (CLUSTER) {
    const cluster = await measureCluster(LOAD_REQUESTS);
    log(`cluster: ${JSON.stringify(cluster)}`);
    await rpc.close();
    if (SCALE !== 1) return; // not the benchmark: not recorded
    const results = { ...readResults(), cluster };
    writeResults(results);
    return;
  }

  const ONLY_UNDER_LOAD = process.env.BENCH_GATE_ONLY === "underLoad";
  const verifyPassPerSecond = ONLY_UNDER_LOAD ? 0 : await measureVerifyPass();
  const ed25519RawPerSecond = ONLY_UNDER_LOAD ? 0 : measureRawEd25519();
  const newFanPerSecond = ONLY_UNDER_LOAD ? 0 : await measureNewFans(recoverSigner);
  const newFanViemPerSecond = ONLY_UNDER_LOAD ? 0 : await measureNewFans(recoverSignerWithViem);
  log(`verifyPass ${verifyPassPerSecond}/s, raw Ed25519 ${ed25519RawPerSecond}/s (one core); a new fan's pass: ${newFanPerSecond}/s (viem's recovery: ${newFanViemPerSecond}/s)`);

  // Phase 1: a gate process alone (the venue's index runs in one other process; README,
  // "Running a gate"), the writer off: the scan path itself.
  const server = ONLY_UNDER_LOAD ? undefined : await (async () => {
    const quiet = await spawnServer(
      serverEnv(rpcUrl, platform, tempDatabase(), {
        CHAINPASS_MAX_FRAME_AGE: "120",
        CHAINPASS_SNAPSHOT_INTERVAL_MS: "5000",
        CHAINPASS_LOG_RANGE: "100000",
        CHAINPASS_INDEXER: "false",
        ...(process.env.BENCH_GATE_PROFILE ? { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${process.env.BENCH_GATE_PROFILE}` } : {}),
      }),
    );
    const measured = await measureScans(quiet, await signInOverHttp(quiet.gateUrl, staff), LOAD_REQUESTS, 2_000);
    log(`server: ${JSON.stringify(measured)}`);
    await quiet.stop();
    return measured;
  })();
  if (process.env.BENCH_GATE_ONLY === "server") return void (await rpc.close());

  // Phase 2: `npm run server` as deployed for a venue (the index on, the check-in writer on)
  // with hostile neighbours: 8 clients sending the costliest GraphQL the limits allow and one
  // uploading 4 MB SVGs, for the whole run.
  const ledgerPath = tempDatabase();
  const full = await spawnServer(
    serverEnv(rpcUrl, platform, ledgerPath, {
      CHAINPASS_MAX_FRAME_AGE: "120",
      CHAINPASS_LOG_RANGE: "100000",
      CHAINPASS_INDEX_LOG_RANGE: "100000",
      CHAINPASS_GATE_KEY: toHex(staff.getHdKey().privateKey!),
      ...(process.env.BENCH_GATE_PROFILE ? { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${process.env.BENCH_GATE_PROFILE}/full` } : {}),
    }),
  );
  const fullCookie = await signInOverHttp(full.url, staff);
  let t = performance.now();
  await waitForIndex(full.url, clients, 300_000);
  log(`index of the full server caught up in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  // The neighbours use the public listener (the gate devices the gate's), from a process of their
  // own at the lowest priority, every thread of it (SCHED_IDLE through util-linux's chrt; the
  // process's own setPriority reaches only its main thread): they stand for clients elsewhere.
  const neighbours = supervise("hostile clients", "chrt", ["--idle", "0", process.execPath, "--no-warnings", "--import", "tsx", "bench/hostile-clients.ts", full.url, fullCookie], { ipc: true });
  // SCHED_IDLE alone does not put a session of its own behind the others (setSessionNice).
  if (!setSessionNice(neighbours.child.pid!, 19)) log("the hostile clients' session keeps its nice value (no autogroup scheduling here)");
  const messages: unknown[] = [];
  let received: (() => void) | undefined;
  neighbours.child.on("message", (message) => {
    messages.push(message);
    received?.();
  });
  const nextMessage = async () => {
    while (!messages.length) await new Promise<void>((r) => (received = r));
    return messages.shift();
  };
  const underLoadScans = await measureScans(full, fullCookie, LOAD_REQUESTS_UNDER_LOAD, 1_500, async () => {
    await nextMessage(); // started
    await new Promise((r) => setTimeout(r, 2000)); // the neighbours are busy before the first measured scan
  });
  neighbours.child.send("stop");
  const seen = (await nextMessage()) as Awaited<ReturnType<ReturnType<typeof startHostileNeighbours>["stop"]>>;
  const neighbourErrors = Object.entries({ ...seen.graphql.statuses, ...seen.uploads.statuses }).filter(([status]) => !/^[234]\d\d$/.test(status));
  const underLoad = { ...underLoadScans, serverErrors: underLoadScans.serverErrors + neighbourErrors.reduce((n, [, count]) => n + count, 0), neighbours: seen };
  log(`under load: ${JSON.stringify(underLoad)}`);

  // Every admission of phase 2 on chain: the time from the door to the checkIn being mined.
  t = performance.now();
  for (;;) {
    const counts = (await (await fetch(`${full.url}/gate/${event}/status`, { headers: { cookie: fullCookie } })).json()) as { ledger: { admitted: number; confirmedOnChain: number } };
    if (counts.ledger.confirmedOnChain === counts.ledger.admitted) break;
    if (performance.now() - t > 120_000) throw new Error(`the writer did not catch up: ${JSON.stringify(counts.ledger)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  const ledger = new AdmissionLedger(openDatabase(ledgerPath));
  const toChain = ledger.admissionToChainMs().sort((a, b) => a - b);
  const writer = {
    admissions: toChain.length,
    admissionToChainP50Ms: toChain[Math.floor(toChain.length * 0.5)],
    admissionToChainP95Ms: toChain[Math.min(toChain.length - 1, Math.floor(toChain.length * 0.95))],
    admissionToChainMaxMs: toChain.at(-1),
  };
  log(`writer: ${JSON.stringify(writer)}`);
  await full.stop();
  await rpc.close();

  // ---------------------------------------------------------------- results

  const results = {
    ...readResults(), // a `cluster` entry of an earlier `--cluster` run is kept
    verifyPass: { perSecond: verifyPassPerSecond, newFanPerSecond, newFanViemPerSecond },
    ed25519RawPerSecond,
    writer,
  };
  // not the benchmark: not recorded
  if (SCALE !== 1 || !server) return void console.log(JSON.stringify({ ...results, server: { ...server, underLoad } }, null, 2));
  writeResults({ ...results, server: { ...server, underLoad } });
  console.table({ verifyPassPerSecond, ed25519RawPerSecond, ...server, underLoad: undefined });
  console.table(underLoad);
  console.table(writer);
}, { name: "bench:gate" });

/**
 * Gives the session of `pid` the nice value `nice` where Linux schedules sessions as groups
 * (autogroup, `/proc/sys/kernel/sched_autogroup_enabled`): the CPU is shared between sessions
 * first and only then between a session's threads by their priorities, and every child
 * scripts/lib/supervisor.ts starts leads a session of its own. Measured here: SCHED_IDLE busy
 * loops in sessions of their own took two thirds of a core each beside two busy loops at nice 0;
 * with their sessions at nice 19, 6 %. False where there is no autogroup or it may not be set.
 */
function setSessionNice(pid: number, nice: number): boolean {
  try {
    if (readFileSync("/proc/sys/kernel/sched_autogroup_enabled", "utf8").trim() !== "1") return false;
    writeFileSync(`/proc/${pid}/autogroup`, String(nice));
    return true;
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------- results file and README table

interface Measured {
  scans: number;
  scansPerSecond: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  wrongVerdicts: number;
  serverErrors: number;
}
type AtRate = Measured & { atFixedRate: { offeredPerSecond: number; p50Ms: number; p95Ms: number; p99Ms: number } };
/** The scans of a part of the cluster's run: how many, and their median and p99. */
type Tail = { scans: number; p50Ms: number; p99Ms: number };
/** One of the cluster's fixed-rate runs, with the machine's busy share over it. */
type ClusterAtRate = AtRate["atFixedRate"] & { scans: number; machineBusy: number };

/** bench/results/gate.json: each phase's last results (a `--cluster` run writes `cluster` only). */
interface GateResults {
  verifyPass?: { perSecond: number; newFanPerSecond?: number; newFanViemPerSecond?: number };
  ed25519RawPerSecond?: number;
  server?: AtRate & { underLoad: AtRate & { neighbours: { graphql: { requests: number; medianMs: number }; uploads: { requests: number } } } };
  writer?: { admissions: number; admissionToChainP50Ms: number; admissionToChainP95Ms: number };
  cluster?: Measured & {
    atFixedRates?: ClusterAtRate[];
    doubleAdmissions: number;
    lostAdmissions: number;
    killedGateAfterScans?: number;
    retriedAfterKill: number;
    onChain: { checkedIn: number; missing: number; twice: number; admissionToChainP95Ms?: number };
    cpuMsPerScan: { gates: number; postgres: number; chain: number; loadGenerator: number };
    gateScanThreads?: { onCpu: number; waitingForCpu: number };
    machineCpu?: { busy: number; idle: number; stolen: number };
    phases?: Partial<Record<"threeGates" | "twoGatesNoWriter" | "twoGatesAfterTakeover", Tail>> & { takenOverAfterKillMs?: number };
    byVerdict?: Partial<Record<"admit" | "alreadyUsed" | "otherRefusals", Tail>>;
    loadAverage: number;
  };
}

function readResults(): GateResults {
  return existsSync(RESULTS) ? (JSON.parse(readFileSync(RESULTS, "utf8")) as GateResults) : {};
}

function writeResults(results: GateResults) {
  mkdirSync("bench/results", { recursive: true });
  writeFileSync(RESULTS, JSON.stringify({ ...results, setup: SETUP }, null, 2) + "\n");
  updateReadmeSection("gate", gateTable(results));
}

function gateTable({ verifyPass, ed25519RawPerSecond, server, writer, cluster }: GateResults) {
  const rows = ["| measure | result | target |", "| --- | ---: | ---: |"];
  if (verifyPass && ed25519RawPerSecond) {
    rows.push(
      `| \`verifyPass\`, delegation cached, one core | ${n(verifyPass.perSecond)}/s | ≥ 5,000/s |`,
      `| Node's raw Ed25519 verify, same run | ${n(ed25519RawPerSecond)}/s | (ratio ${(verifyPass.perSecond / ed25519RawPerSecond).toFixed(2)}) |`,
    );
    if (verifyPass.newFanPerSecond && verifyPass.newFanViemPerSecond) {
      rows.push(`| \`verifyPass\`, a fan not seen before (delegation recovered), one core | ${n(verifyPass.newFanPerSecond)}/s (viem's recovery: ${n(verifyPass.newFanViemPerSecond)}/s) | |`);
    }
  }
  if (server) {
    const underLoad = server.underLoad;
    rows.push(
      `| gate server, ${n(server.scans)} scans | ${n(server.scansPerSecond)}/s | ≥ 2,000/s |`,
      `| p50 / p95 / p99 latency | ${server.p50Ms} / ${server.p95Ms} / ${server.p99Ms} ms | p99 ≤ 25 ms |`,
      `| the same at a fixed ${n(server.atFixedRate.offeredPerSecond)} scans/s (no target) | ${server.atFixedRate.p50Ms} / ${server.atFixedRate.p95Ms} / ${server.atFixedRate.p99Ms} ms | |`,
      `| wrong verdicts | ${server.wrongVerdicts} | 0 |`,
      `| under load (index flooded, 4 MB uploads), ${n(underLoad.scans)} scans | ${n(underLoad.scansPerSecond)}/s | ≥ 1,500/s |`,
      `| under load: p50 / p95 / p99 latency | ${underLoad.p50Ms} / ${underLoad.p95Ms} / ${underLoad.p99Ms} ms | p99 ≤ 50 ms |`,
      `| under load at a fixed ${n(underLoad.atFixedRate.offeredPerSecond)} scans/s (no target) | ${underLoad.atFixedRate.p50Ms} / ${underLoad.atFixedRate.p95Ms} / ${underLoad.atFixedRate.p99Ms} ms | |`,
      `| under load: wrong verdicts / server errors | ${underLoad.wrongVerdicts} / ${underLoad.serverErrors} | 0 / 0 |`,
      `| under load: the neighbours' requests | ${underLoad.neighbours.graphql.requests} queries (median ${underLoad.neighbours.graphql.medianMs} ms), ${underLoad.neighbours.uploads.requests} uploads | |`,
    );
  }
  if (writer) rows.push(`| admission to \`checkIn\` mined, p50 / p95 (${n(writer.admissions)} admissions) | ${writer.admissionToChainP50Ms} / ${writer.admissionToChainP95Ms} ms | p95 ≤ 5,000 ms |`);
  if (cluster) {
    rows.push(
      `| cluster: 3 gates on one PostgreSQL, ${n(cluster.scans)} scans (\`-- --cluster\`) | ${n(cluster.scansPerSecond)}/s | ≥ 2,000/s |`,
      `| cluster: p50 / p95 / p99 latency | ${cluster.p50Ms} / ${cluster.p95Ms} / ${cluster.p99Ms} ms | p99 ≤ 40 ms |`,
      ...(cluster.atFixedRates ?? []).map(
        (r) =>
          `| cluster: at a fixed ${n(r.offeredPerSecond)} scans/s, 3 gates, before the saturated run (machine ${Math.round(r.machineBusy * 100)} % busy; no target) | ${r.p50Ms} / ${r.p95Ms} / ${r.p99Ms} ms | |`,
      ),
      `| cluster: wrong verdicts / server errors | ${cluster.wrongVerdicts} / ${cluster.serverErrors} | 0 / 0 |`,
      `| cluster: the writer's gate killed after ${n(cluster.killedGateAfterScans)} scans; scans sent again at a survivor | ${n(cluster.retriedAfterKill)} | |`,
      `| cluster: double admissions / lost admissions | ${cluster.doubleAdmissions} / ${cluster.lostAdmissions} | 0 / 0 |`,
      `| cluster: CPU a scan: gates / PostgreSQL / chain / load generator (load average ${cluster.loadAverage}) | ${cluster.cpuMsPerScan.gates} / ${cluster.cpuMsPerScan.postgres} / ${cluster.cpuMsPerScan.chain} / ${cluster.cpuMsPerScan.loadGenerator} ms | ≤ 1 ms in all |`,
      ...(cluster.phases?.threeGates && cluster.phases.twoGatesNoWriter && cluster.phases.twoGatesAfterTakeover
        ? [
            `| cluster: p99 of the scans started with 3 gates / with 2 until the writer lease moved / with 2 after (scans) | ${cluster.phases.threeGates.p99Ms} / ${cluster.phases.twoGatesNoWriter.p99Ms} / ${cluster.phases.twoGatesAfterTakeover.p99Ms} ms (${n(cluster.phases.threeGates.scans)} / ${n(cluster.phases.twoGatesNoWriter.scans)} / ${n(cluster.phases.twoGatesAfterTakeover.scans)}) | |`,
          ]
        : []),
      ...(cluster.byVerdict?.admit && cluster.byVerdict.alreadyUsed && cluster.byVerdict.otherRefusals
        ? [
            `| cluster: p50 / p99 of the admissions / the already-used refusals / the other refusals | ${cluster.byVerdict.admit.p50Ms} / ${cluster.byVerdict.admit.p99Ms}; ${cluster.byVerdict.alreadyUsed.p50Ms} / ${cluster.byVerdict.alreadyUsed.p99Ms}; ${cluster.byVerdict.otherRefusals.p50Ms} / ${cluster.byVerdict.otherRefusals.p99Ms} ms | |`,
          ]
        : []),
      ...(cluster.machineCpu
        ? [`| cluster: the machine's CPU over the run: busy / idle / stolen by the hypervisor | ${Math.round(cluster.machineCpu.busy * 100)} % / ${Math.round(cluster.machineCpu.idle * 100)} % / ${(cluster.machineCpu.stolen * 100).toFixed(1)} % | |`]
        : []),
      ...(cluster.gateScanThreads
        ? [`| cluster: the gates' scan threads on a CPU / runnable, waiting for one | ${Math.round(cluster.gateScanThreads.onCpu * 100)} % / ${Math.round(cluster.gateScanThreads.waitingForCpu * 100)} % of their time | |`]
        : []),
      `| cluster: admissions on chain (missing / twice); admission to \`checkIn\` p95 | ${n(cluster.onChain.checkedIn)} (${cluster.onChain.missing} / ${cluster.onChain.twice}); ${n(cluster.onChain.admissionToChainP95Ms)} ms | (0 / 0) |`,
    );
  }
  return rows.join("\n");
}

/** A process's parent and CPU time (user + system, all its threads) from /proc, or undefined once it is gone. */
function procStat(pid: number): { ppid: number; cpuMs: number; endedChildrenCpuMs: number } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" "); // fields from the third (state) on
    const ms = (ticks: string) => (Number(ticks) * 1000) / 100; // at 100 ticks a second
    // utime + stime; cutime + cstime: the children it waited for once they ended.
    return { ppid: Number(fields[1]), cpuMs: ms(fields[11]) + ms(fields[12]), endedChildrenCpuMs: ms(fields[13]) + ms(fields[14]) };
  } catch {
    return undefined;
  }
}

type MachineTicks = { busy: number; idle: number; steal: number };

/**
 * The machine's CPU time so far (/proc/stat, ticks): busy, idle, and stolen (taken by the
 * hypervisor for other guests while this one had work: a run's results move with it).
 */
function machineTicks(): MachineTicks {
  const [, ...values] = readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/);
  const [user, nice, system, idle, iowait, irq, softirq, steal] = values.map(Number);
  return { busy: user + nice + system + irq + softirq, idle: idle + iowait, steal };
}

/** The shares of the machine's CPU time between two `machineTicks` readings that were busy, idle and stolen. */
function machineShares(before: MachineTicks, after: MachineTicks): { busy: number; idle: number; stolen: number } {
  const ticks = (key: keyof MachineTicks) => after[key] - before[key];
  const all = ticks("busy") + ticks("idle") + ticks("steal");
  const share = (key: keyof MachineTicks) => Number((ticks(key) / all).toFixed(3));
  return { busy: share("busy"), idle: share("idle"), stolen: share("steal") };
}

/** A process's main thread: its time on a CPU and runnable but waiting for one (ms; /proc schedstat). */
function mainThreadSched(pid: number): { runMs: number; waitMs: number } | undefined {
  try {
    const [run, wait] = readFileSync(`/proc/${pid}/task/${pid}/schedstat`, "utf8").split(" ").map(Number);
    return { runMs: run / 1e6, waitMs: wait / 1e6 };
  } catch {
    return undefined;
  }
}

/** The CPU time of a PostgreSQL server: the postmaster, its processes alive and those it has reaped. */
function postgresCpuMs(postmaster: number): number {
  const server = procStat(postmaster);
  const live = childrenOf(postmaster).reduce((sum, pid) => sum + (procStat(pid)?.cpuMs ?? 0), 0);
  return (server ? server.cpuMs + server.endedChildrenCpuMs : 0) + live;
}

function childrenOf(parent: number): number[] {
  return readdirSync("/proc")
    .filter((name) => /^\d+$/.test(name))
    .map(Number)
    .filter((pid) => procStat(pid)?.ppid === parent);
}
