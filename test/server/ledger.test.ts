// The admission ledger keeps token ids exactly (decimal text, any uint256), and converts a ledger
// written before that (INTEGER ids) in place.
import { expect } from "chai";
import type { Address } from "viem";

import { openDatabase } from "../../server/db.js";
import { SqliteLedgerAdapter } from "../../server/gate/async-ledger.js";
import { AdmissionLedger } from "../../server/gate/ledger.js";
import { tempDatabase, tokenIdsOfJson } from "../helpers/server.js";

const EVENT = "0x00000000000000000000000000000000000000e1" as Address;
const STAFF = "0x00000000000000000000000000000000000000a1" as Address;
const HOLDER = "0x00000000000000000000000000000000000000b1" as Address;

describe("Server: admission ledger", function () {
  it("keeps token ids past 2^53 exactly, admits each once, and batches them exactly", function () {
    const ledger = new AdmissionLedger(openDatabase(tempDatabase()));
    const big = 2n ** 200n + 1n;
    const neighbour = 2n ** 200n; // the same as `big` once rounded to a double
    expect(ledger.tryAdmit(EVENT, big, STAFF, HOLDER, 1)).to.equal(true);
    expect(ledger.tryAdmit(EVENT, neighbour, STAFF, HOLDER, 1)).to.equal(true);
    expect(new AdmissionLedger(openDatabase(tempDatabase())).isAdmitted(EVENT, big)).to.equal(false);
    expect(ledger.isAdmitted(EVENT, big)).to.equal(true);
    expect(tokenIdsOfJson(ledger.admittedTokenIdsJson(EVENT)).sort()).to.deep.equal([neighbour, big].sort());
    expect(ledger.admittedAmong(EVENT, [big, 7n])).to.deep.equal([big]);
    const batch = ledger.createBatch(10, 2)!;
    expect([...batch.tokenIds].sort()).to.deep.equal([neighbour, big].sort());
  });

  it("converts a ledger with INTEGER token ids, keeping its admissions and batches", function () {
    const path = tempDatabase();
    const old = openDatabase(path);
    old.exec(`
      CREATE TABLE gate_admissions (event TEXT NOT NULL, token_id INTEGER NOT NULL, admitted_at INTEGER NOT NULL, staff TEXT NOT NULL, holder TEXT NOT NULL, batch_id INTEGER, PRIMARY KEY (event, token_id));
      CREATE TABLE gate_batches (id INTEGER PRIMARY KEY AUTOINCREMENT, event TEXT NOT NULL, token_ids TEXT NOT NULL, state TEXT NOT NULL, nonce INTEGER, raw_tx TEXT, tx_hash TEXT, attempts INTEGER NOT NULL DEFAULT 0, last_error TEXT, created_at INTEGER NOT NULL, settled_at INTEGER, block_number INTEGER);
      INSERT INTO gate_batches (event, token_ids, state, created_at) VALUES ('${EVENT.toLowerCase()}', '[1000001,1000002]', 'new', 1);
      INSERT INTO gate_admissions VALUES ('${EVENT.toLowerCase()}', 1000001, 1, '${STAFF}', '${HOLDER}', 1), ('${EVENT.toLowerCase()}', 1000002, 1, '${STAFF}', '${HOLDER}', 1), ('${EVENT.toLowerCase()}', 1000003, 2, '${STAFF}', '${HOLDER}', NULL);
    `);
    old.close();
    const ledger = new AdmissionLedger(openDatabase(path));
    expect(ledger.isAdmitted(EVENT, 1000003n)).to.equal(true);
    expect(ledger.tryAdmit(EVENT, 1000001n, STAFF, HOLDER, 3), "still admitted once").to.equal(false);
    expect(ledger.openBatch()!.tokenIds).to.deep.equal([1000001n, 1000002n]);
    expect(ledger.counts(EVENT)).to.include({ admitted: 3, pendingOnChain: 3, sending: 0 });
    const column = openDatabase(path).prepare("SELECT type FROM pragma_table_info('gate_admissions') WHERE name = 'token_id'").get() as { type: string };
    expect(column.type).to.equal("TEXT");
  });

  it("counts the admissions of a file made before the ledger kept its counts, once, and keeps them from then on", function () {
    const path = tempDatabase();
    const first = openDatabase(path);
    new AdmissionLedger(first);
    // The file as the ledger left it before it kept counts: no table, no triggers.
    first.exec(`
      DROP TRIGGER gate_admissions_counted_insert; DROP TRIGGER gate_admissions_counted_delete;
      DROP TRIGGER gate_admissions_counted_update; DROP TRIGGER gate_batch_state_counted;
      DROP TABLE gate_admission_counts;
    `);
    const event = EVENT.toLowerCase();
    first.exec(`
      INSERT INTO gate_batches (event, token_ids, state, created_at) VALUES ('${event}', '["1","2"]', 'confirmed', 1), ('${event}', '["3"]', 'signed', 1), ('${event}', '["4"]', 'failed', 1);
      INSERT INTO gate_admissions (event, token_id, admitted_at, staff, holder, batch_id, method) VALUES
        ('${event}', '1', 1, 's', 'h', 1, 'qr'), ('${event}', '2', 1, 's', 'h', 1, 'code'), ('${event}', '3', 1, 's', 'h', 2, 'lookup'),
        ('${event}', '4', 1, 's', 'h', 3, 'qr'), ('${event}', '5', 1, 's', 'h', NULL, 'offline'), ('0xother', '1', 1, 's', 'h', NULL, 'qr');
    `);
    first.close();
    const expected = { admitted: 5, pendingOnChain: 1, sending: 1, confirmedOnChain: 2, failedOnChain: 1, byBackupCode: 1, byLookup: 1, byOfflineDevice: 1 };
    const [a, b] = [new AdmissionLedger(openDatabase(path)), new AdmissionLedger(openDatabase(path))]; // the second finds them made
    expect(a.counts(EVENT)).to.deep.equal(expected);
    expect(b.counts(EVENT)).to.deep.equal(expected);
    expect(b.counts("0xother" as Address)).to.include({ admitted: 1, pendingOnChain: 1 });
    expect(a.tryAdmit(EVENT, 6n, STAFF, HOLDER, 2, "code")).to.equal(true);
    b.settle(2, "confirmed", 3, 9n);
    expect(b.counts(EVENT)).to.deep.equal({ ...expected, admitted: 6, pendingOnChain: 2, sending: 0, confirmedOnChain: 3, byBackupCode: 2 });
  });

  it("forgets an undone check-in's admission only if it was confirmed on chain by the undo's block", function () {
    const path = tempDatabase();
    const ledger = new AdmissionLedger(openDatabase(path));
    const neighbour = new AdmissionLedger(openDatabase(path)); // another gate process on the same ledger
    expect(ledger.tryAdmit(EVENT, 1n, STAFF, HOLDER, 1)).to.equal(true);
    expect(ledger.tryAdmit(EVENT, 2n, STAFF, HOLDER, 1)).to.equal(true);
    const batch = ledger.createBatch(10, 2)!;
    ledger.settle(batch.id, "confirmed", 3, 50n);
    expect(ledger.tryAdmit(EVENT, 3n, STAFF, HOLDER, 4)).to.equal(true); // not written yet

    ledger.forget(EVENT, 1n, 49n); // an undo mined before the check-in: cannot be this admission's
    expect(ledger.isAdmitted(EVENT, 1n)).to.equal(true);
    ledger.forget(EVENT, 3n, 60n); // not on chain yet: a later admission, kept
    expect(ledger.isAdmitted(EVENT, 3n)).to.equal(true);
    expect(ledger.tryAdmit(EVENT, 3n, STAFF, HOLDER, 5)).to.equal(false);

    ledger.forget(EVENT, 1n, 50n);
    neighbour.forget(EVENT, 1n, 50n); // each process hears the undo; the second finds nothing to delete
    expect(ledger.isAdmitted(EVENT, 1n)).to.equal(false);
    expect(ledger.admittedByThisGate(EVENT, 1n)).to.equal(false);
    expect(neighbour.tryAdmit(EVENT, 1n, STAFF, HOLDER, 6), "admits again after the undo").to.equal(true);
    expect(ledger.tryAdmit(EVENT, 1n, STAFF, HOLDER, 6), "once").to.equal(false);
    expect(ledger.isAdmitted(EVENT, 2n)).to.equal(true);
  });

  it("on the gate's thread, waits for another connection's write lock without stopping the thread; admits once when it is free", async function () {
    const path = tempDatabase();
    const gate = new SqliteLedgerAdapter(new AdmissionLedger(openDatabase(path)));
    const writer = openDatabase(path); // the check-in writer's connection, in another thread in the server
    writer.exec("BEGIN IMMEDIATE");
    writer.exec("UPDATE gate_batches SET attempts = attempts + 1");
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 2);
    const started = performance.now();
    const admissions = [gate.tryAdmit(EVENT, 1n, STAFF, HOLDER, 1), gate.tryAdmit(EVENT, 1n, STAFF, HOLDER, 1), gate.tryAdmit(EVENT, 2n, STAFF, HOLDER, 1)];
    // SQLite's own busy handler would have slept this thread until the writer's commit below
    // could never come: 5 s, then "database is locked".
    // (The bounds leave room for a loaded machine; the old adapter took 5 s and the loop stood still.)
    expect(performance.now() - started, "the calls returned at once").to.be.below(1000);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(ticks, "the event loop went on while the lock was held").to.be.above(2);
    writer.exec("COMMIT");
    clearInterval(ticker);
    const [first, second, other] = await Promise.all(admissions);
    expect([first, second].filter(Boolean), "ticket 1 admitted once").to.have.length(1);
    expect(other, "ticket 2 admitted").to.equal(true);
    expect(tokenIdsOfJson(new AdmissionLedger(openDatabase(path)).admittedTokenIdsJson(EVENT)).sort()).to.deep.equal([1n, 2n]);
    // A write that fails for another reason is not tried again: it fails at once.
    gate.ledger.db.close();
    let failed: unknown;
    await gate.tryAdmit(EVENT, 3n, STAFF, HOLDER, 1).catch((error: unknown) => (failed = error));
    expect(String(failed)).to.match(/not open/i);
  });
});
