// A device's copy of the event from the gate's answer (lib/offline-admissions.ts withTicketRows):
// the rows the answer carries, or the device's own when the answer names them.
import { expect } from "chai";

import { usedBitsOf, usedOfBits, withTicketRows, type OfflineSnapshot, type OfflineSnapshotAnswer } from "../../lib/offline-admissions.js";

const base = {
  version: 1 as const,
  chainId: "31337",
  event: "0x00000000000000000000000000000000000000E1",
  block: 7,
  takenAt: 1_800_000_000_000,
  refreshMs: 30_000,
  cancelled: false,
  checkInOpensAt: 0,
  maxFrameAge: 35,
  maxClockSkew: 5,
  used: ["1000001"],
  denied: [],
  delegations: [],
};
const rows: OfflineSnapshot["tickets"] = [["1000001", "0xaa", "Standing", null, null, null]];
const held: OfflineSnapshot = { ...base, block: 5, used: [], ticketsTag: "tagA", tickets: rows };

describe("Offline scanner: the copy an answer makes", function () {
  it("takes the answer's rows, or keeps the held ones the answer names; anything else is no copy", function () {
    const newRows: OfflineSnapshot["tickets"] = [["1000001", "0xbb", "Standing", null, null, null]];
    expect(withTicketRows({ ...base, ticketsTag: "tagB", tickets: newRows }, held)).to.deep.equal({ ...base, ticketsTag: "tagB", tickets: newRows });
    const lean: OfflineSnapshotAnswer = { ...base, ticketsTag: "tagA" };
    expect(withTicketRows(lean, held), "the answer's state with the held rows").to.deep.equal({ ...base, ticketsTag: "tagA", tickets: rows });
    expect(withTicketRows({ ...base, ticketsTag: "tagC" }, held), "rows the device does not hold").to.equal(undefined);
    expect(withTicketRows(lean, undefined), "nothing held").to.equal(undefined);
    expect(withTicketRows(lean, { ...held, event: "0x00000000000000000000000000000000000000E2" }), "another event's rows").to.equal(undefined);
  });

  it("makes a copy of the groups an answer carries and the held rows of the others, each held with the tag the answer names; else no copy", function () {
    const row = (serial: number, owner: string): OfflineSnapshot["tickets"][number] => [String(1_000_000 + serial), owner, "Standing", null, null, null];
    // 1,000,001-1,000,447 are in group 976 (token id / 1,024), 1,000,448 on in group 977.
    const before = [row(1, "0xaa"), row(2, "0xaa"), row(500, "0xcc")];
    const kept: OfflineSnapshot = { ...held, ticketsTag: "tag1", ticketGroups: [["976", "g976a"], ["977", "g977a"]], tickets: before };
    const answer: OfflineSnapshotAnswer = { ...base, ticketsTag: "tag2", ticketGroups: [["976", "g976a"], ["977", "g977b"], ["978", "g978a"]], tickets: [row(500, "0xdd"), row(600, "0xee"), row(1500, "0xff")] };
    expect(withTicketRows(answer, kept), "group 976 held, 977 and 978 sent").to.deep.equal({
      ...answer,
      tickets: [row(1, "0xaa"), row(2, "0xaa"), row(500, "0xdd"), row(600, "0xee"), row(1500, "0xff")],
    });
    expect(withTicketRows({ ...answer, ticketGroups: [["977", "g977b"], ["978", "g978a"]] }, kept), "a group gone (every ticket of it burned)").to.deep.equal({
      ...answer,
      ticketGroups: [["977", "g977b"], ["978", "g978a"]],
      tickets: [row(500, "0xdd"), row(600, "0xee"), row(1500, "0xff")],
    });
    expect(withTicketRows({ ...answer, ticketGroups: [["976", "g976b"], ["977", "g977b"], ["978", "g978a"]] }, kept), "a group not sent that changed since").to.equal(undefined);
    expect(withTicketRows({ ...answer, ticketGroups: [["975", "g975a"], ["977", "g977b"], ["978", "g978a"]] }, kept), "a group not sent that the device lacks").to.equal(undefined);
    expect(withTicketRows(answer, { ...kept, ticketGroups: undefined }), "held by an older app: no groups known").to.equal(undefined);
    expect(withTicketRows(answer, { ...kept, event: "0x00000000000000000000000000000000000000E2" }), "another event's rows").to.equal(undefined);
    const everyGroup = { ...answer, tickets: [row(3, "0x11"), ...answer.tickets!] };
    expect(withTicketRows(everyGroup, undefined), "every group sent: the answer's rows, nothing held needed").to.deep.equal({ ...everyGroup, tickets: everyGroup.tickets });
  });

  it("reads the used tickets from bitmaps: per tier of a slot, any token id, each once; the copy keeps them as ids", function () {
    const ids = ["1000001", "1000008", "1000009", "1999999", "2000000", "3000000000001", "340282366920938463463374607431768211457", "1000008"];
    const bits = usedBitsOf(ids);
    expect(bits.map(([base]) => base), "one bitmap per tier of a slot").to.deep.equal(["1000000", "2000000", "3000000000000", "340282366920938463463374607431768000000"]);
    expect(usedOfBits(bits).sort()).to.deep.equal([...new Set(ids)].sort());
    expect(usedOfBits(usedBitsOf([])), "none").to.deep.equal([]);
    // 40,000 of 50,000 used: the bitmap is a few kilobytes, the list of ids hundreds.
    const many = Array.from({ length: 50_000 }, (_, i) => String(1_000_001 + i)).filter((_, i) => i % 5 !== 0);
    const json = JSON.stringify(usedBitsOf(many));
    expect(json.length, `bitmaps ${json.length} bytes, list ${JSON.stringify(many).length}`).to.be.below(10_000);
    expect(usedOfBits(JSON.parse(json) as ReturnType<typeof usedBitsOf>)).to.deep.equal(many);
    // A tier of 999,999 tickets, all used: one bitmap of 125 KB.
    const tier = Array.from({ length: 999_999 }, (_, i) => String(7_000_001 + i));
    expect(usedOfBits(usedBitsOf(tier))).to.deep.equal(tier);
    const answer: OfflineSnapshotAnswer = { ...base, used: [], usedBits: usedBitsOf(["1000001", "1000002"]), ticketsTag: "tagB", tickets: rows };
    expect(withTicketRows(answer, held), "the copy: the used tickets as ids").to.deep.equal({ ...base, used: ["1000001", "1000002"], ticketsTag: "tagB", tickets: rows });
  });
});
