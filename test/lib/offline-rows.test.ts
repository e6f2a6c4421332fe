// A device's copy of the event from the gate's answer (lib/offline-admissions.ts withTicketRows):
// the rows the answer carries, or the device's own when the answer names them.
import { expect } from "chai";

import { withTicketRows, type OfflineSnapshot, type OfflineSnapshotAnswer } from "../../lib/offline-admissions.js";

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
});
