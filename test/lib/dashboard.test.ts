// The membership figures of the organizer console (lib/index/dashboard.ts): primary sales by the
// buyer's member level (non-members first, resales left out), a program's members by level (every
// level counted, empty ones too), what a member may spend, and reading every member a page at a time.
import { expect } from "chai";

import { loadProgramMembers, memberAvailable, membersByLevel, PROGRAM_MEMBERS, salesByMemberLevel, type DashboardSale, type ProgramMember } from "../../lib/index/index.js";

let nextId = 1;
const sale = (kind: DashboardSale["kind"], memberLevel: number | null, quantity: number, amount: bigint): DashboardSale => ({
  id: `0x${(nextId++).toString(16).padStart(4, "0")}`,
  kind,
  timestamp: "1800000000",
  quantity: String(quantity),
  amount: String(amount),
  royalty: "0",
  fee: "0",
  discount: "0",
  tier: { tierId: 1 },
  channel: null,
  memberLevel,
});

const member = (n: number, over: Partial<ProgramMember> = {}): ProgramMember => ({
  id: `0x${n.toString(16).padStart(80, "0")}`,
  account: { id: `0x${n.toString(16).padStart(40, "0")}` },
  earned: "0",
  credited: "0",
  spent: "0",
  level: 0,
  joinedAt: "1800000000",
  ...over,
});

describe("Dashboard figures: membership", function () {
  describe("salesByMemberLevel", function () {
    it("groups primary sales by the buyer's level, non-members first, then each level from the lowest", function () {
      const groups = salesByMemberLevel([
        sale("Primary", 2, 1, 40n),
        sale("Primary", null, 2, 100n),
        sale("Primary", 0, 1, 50n),
        sale("Primary", 2, 3, 120n),
        sale("Primary", null, 1, 50n),
      ]);
      expect(groups).to.deep.equal([
        { level: null, sales: 2, tickets: 3n, amount: 150n },
        { level: 0, sales: 1, tickets: 1n, amount: 50n },
        { level: 2, sales: 2, tickets: 4n, amount: 160n },
      ]);
    });

    it("leaves out resales, and levels without sales", function () {
      expect(salesByMemberLevel([sale("Resale", null, 1, 70n), sale("Primary", 3, 1, 10n)])).to.deep.equal([{ level: 3, sales: 1, tickets: 1n, amount: 10n }]);
      expect(salesByMemberLevel([sale("Resale", null, 1, 70n)])).to.deep.equal([]);
      expect(salesByMemberLevel([])).to.deep.equal([]);
    });

    it("reads a missing level as a non-member (an index without the field)", function () {
      const old = { ...sale("Primary", null, 1, 5n) } as Partial<DashboardSale>;
      delete old.memberLevel;
      expect(salesByMemberLevel([old as DashboardSale])).to.deep.equal([{ level: null, sales: 1, tickets: 1n, amount: 5n }]);
    });
  });

  describe("membersByLevel", function () {
    it("counts members at every level from 0 to the program's last, empty ones included", function () {
      const members = [member(1, { level: 2 }), member(2), member(3, { level: 2 }), member(4)];
      expect(membersByLevel(members, 2)).to.deep.equal([
        { level: 0, members: 2 },
        { level: 1, members: 0 },
        { level: 2, members: 2 },
      ]);
    });

    it("keeps a level above the program's (levels cut down after it was set), in order", function () {
      expect(membersByLevel([member(1, { level: 5 }), member(2, { level: 1 })], 2)).to.deep.equal([
        { level: 0, members: 0 },
        { level: 1, members: 1 },
        { level: 2, members: 0 },
        { level: 5, members: 1 },
      ]);
    });

    it("gives plain members alone for a program without levels", function () {
      expect(membersByLevel([], 0)).to.deep.equal([{ level: 0, members: 0 }]);
    });
  });

  it("memberAvailable: credited less spent, never below 0", function () {
    expect(memberAvailable({ credited: "600", spent: "150" })).to.equal(450n);
    expect(memberAvailable({ credited: "100", spent: "100" })).to.equal(0n);
    // A correction that took back more than was left: nothing to spend, not a debt.
    expect(memberAvailable({ credited: "40", spent: "100" })).to.equal(0n);
  });

  it("loadProgramMembers: every page of PROGRAM_MEMBERS, each after the last id of the one before", async function () {
    const all = Array.from({ length: 5 }, (_, i) => member(i + 1, { earned: String(i) }));
    const asked: Record<string, unknown>[] = [];
    const realFetch = globalThis.fetch;
    globalThis.fetch = (async (_url: string, init: RequestInit) => {
      const { query, variables } = JSON.parse(String(init.body)) as { query: string; variables: { program: string; after: string; first: number } };
      expect(query).to.equal(PROGRAM_MEMBERS);
      asked.push(variables);
      const page = all.filter((m) => m.id > variables.after).slice(0, variables.first);
      return new Response(JSON.stringify({ data: { members: page, _meta: { block: { number: 1 } } } }), { status: 200 });
    }) as typeof fetch;
    try {
      const members = await loadProgramMembers("http://index.invalid/graphql", "0xabc", 2);
      expect(members).to.deep.equal(all);
    } finally {
      globalThis.fetch = realFetch;
    }
    expect(asked).to.deep.equal([
      { program: "0xabc", after: "0x", first: 2 },
      { program: "0xabc", after: all[1]!.id, first: 2 },
      { program: "0xabc", after: all[3]!.id, first: 2 },
    ]);
  });
});
