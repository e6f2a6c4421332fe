// An event's used tickets (server/gate/used-tickets.ts): the ledger's JSON of its admitted ids, as
// SQLite or PostgreSQL make it, with the on-chain check-ins it lacks added, each ticket once.
import { expect } from "chai";

import { usedOfBits, type UsedBits } from "../../lib/offline-admissions.js";
import { usedTicketsOf } from "../../server/gate/used-tickets.js";

/** What the answer must hold: every id once (the order is not part of it). */
const asSet = (json: string) => {
  const ids = JSON.parse(json) as string[];
  expect(new Set(ids).size, `no id twice in ${json.slice(0, 80)}`).to.equal(ids.length);
  return new Set(ids);
};

describe("Server: an event's used tickets", function () {
  it("adds the on-chain check-ins the ledger lacks to its JSON, counting each ticket once; the same tickets as bitmaps", function () {
    const cases: { ledger: string; onChain: bigint[]; used: string[] }[] = [
      { ledger: "[]", onChain: [], used: [] },
      { ledger: "[]", onChain: [5n, 6n], used: ["5", "6"] },
      { ledger: '["1","2"]', onChain: [], used: ["1", "2"] },
      { ledger: '["1","2"]', onChain: [2n, 1n], used: ["1", "2"] },
      // PostgreSQL's json_agg puts a space after each comma.
      { ledger: '["1", "2"]', onChain: [2n, 3n, 2n ** 200n], used: ["1", "2", "3", (2n ** 200n).toString()] },
    ];
    for (const { ledger, onChain, used } of cases) {
      const answer = usedTicketsOf(ledger, onChain);
      expect(asSet(answer.json), `${ledger} with ${onChain}`).to.deep.equal(new Set(used));
      expect(new Set(usedOfBits(JSON.parse(answer.bitsJson) as UsedBits)), `${ledger} with ${onChain}, as bitmaps`).to.deep.equal(new Set(used));
      expect(answer.count).to.equal(used.length);
    }
    // The ledger's JSON is kept as it is when the chain adds nothing.
    expect(usedTicketsOf('["1", "2"]', [1n]).json).to.equal('["1", "2"]');
  });

  it("agrees with a set of both on random ledgers and check-ins", function () {
    let seed = 7;
    const next = (n: number) => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31), seed % n);
    for (let round = 0; round < 200; round++) {
      const ledger = [...new Set(Array.from({ length: next(50) }, () => String(1_000_000 + next(80))))];
      const onChain = new Set(Array.from({ length: next(50) }, () => BigInt(1_000_000 + next(80))));
      const spaced = next(2) === 0;
      const answer = usedTicketsOf(spaced ? `[${ledger.map((id) => `"${id}"`).join(", ")}]` : JSON.stringify(ledger), onChain);
      const expected = new Set([...ledger, ...[...onChain].map(String)]);
      expect(asSet(answer.json), `round ${round}`).to.deep.equal(expected);
      expect(usedOfBits(JSON.parse(answer.bitsJson) as UsedBits), `round ${round}, as bitmaps: each once`).to.have.length(expected.size);
      expect(new Set(usedOfBits(JSON.parse(answer.bitsJson) as UsedBits))).to.deep.equal(expected);
      expect(answer.count).to.equal(expected.size);
    }
  });
});
