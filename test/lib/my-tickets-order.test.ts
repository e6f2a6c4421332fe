// My tickets' order and statuses (frontend/src/fan/ticket-status.ts): events by the soonest start,
// the ended ones last (the latest to end first); within an event, the held tickets by slot and
// token id, the refunded after them; one status per ticket, the first that applies; what the
// contract's return quote means.
import { expect } from "chai";

import type { MyRefundedTicket, MyTicket } from "../../lib/index/index.js";
import { groupByEvent, returnState, ticketStatus } from "../../frontend/src/fan/ticket-status.js";

const NOW = 1_800_000_000;
const DAY = 86_400;

type EventOf = MyTicket["event"];
const event = (id: string, start: number, over: Partial<EventOf> = {}): EventOf => ({
  id: id as EventOf["id"],
  name: id,
  symbol: "T",
  metadataURI: "",
  start: String(start),
  end: String(start + 4 * 3600),
  currency: "0x0000000000000000000000000000000000000000",
  policy: "Capped",
  royaltyBps: 500,
  platformFeeBps: 250,
  resaleCapBps: 11_000,
  giftsPerHolder: 2,
  cancelled: false,
  ...over,
});

const ticket = (ev: EventOf, tokenId: number, over: Partial<MyTicket> = {}): MyTicket => ({
  id: `${ev.id}-${tokenId}` as MyTicket["id"],
  tokenId: String(tokenId),
  serial: tokenId % 1_000_000,
  seatLabel: null,
  entryStart: "0",
  entryEnd: "0",
  checkedIn: false,
  checkedInAt: null,
  pricePaid: "100",
  faceValue: "100",
  mintedAt: "0",
  event: ev,
  tier: { id: "0x01", tierId: Math.floor(tokenId / 1_000_000), name: "GA", price: "100" },
  listing: null,
  ...over,
});

const refunded = (t: MyTicket, at = NOW - 60): MyRefundedTicket => ({ ...t, refundedAt: String(at) });

describe("My tickets: order and statuses", function () {
  it("lists the soonest event first whatever the order the tickets were minted in, then the ended ones, the latest to end first", function () {
    const later = event("0xlater", NOW + 20 * DAY);
    const sooner = event("0xsooner", NOW + 5 * DAY);
    const running = event("0xrunning", NOW - 3600);
    const endedLongAgo = event("0xlongago", NOW - 30 * DAY);
    const endedYesterday = event("0xyesterday", NOW - DAY);
    // Newest mint first, as the index answers.
    const held = [ticket(endedLongAgo, 1_000_001), ticket(later, 1_000_001), ticket(endedYesterday, 1_000_001), ticket(sooner, 1_000_001), ticket(running, 1_000_001)];
    const groups = groupByEvent(held, [], NOW);
    expect(groups.map((g) => [g.event.id, g.past])).to.deep.equal([
      ["0xrunning", false],
      ["0xsooner", false],
      ["0xlater", false],
      ["0xyesterday", true],
      ["0xlongago", true],
    ]);
  });

  it("orders an event's tickets by entry slot, then token id, the refunded ones last; a ticket held again is shown once", function () {
    const ev = event("0xev", NOW + DAY);
    const held = [
      ticket(ev, 2_000_007),
      ticket(ev, 1_000_002, { entryStart: String(NOW + DAY + 7200), entryEnd: String(NOW + DAY + 9000) }),
      ticket(ev, 1_000_001, { entryStart: String(NOW + DAY + 3600), entryEnd: String(NOW + DAY + 5400) }),
      ticket(ev, 1_000_003),
    ];
    // 2_000_007: a released seat refunded, then sold back to the same wallet.
    const gone = [refunded(ticket(ev, 1_000_000)), refunded(ticket(ev, 2_000_007))];
    const [group] = groupByEvent(held, gone, NOW);
    expect(group.tickets.map((t) => [t.tokenId, t.refundedAt !== undefined])).to.deep.equal([
      ["1000003", false],
      ["2000007", false],
      ["1000001", false],
      ["1000002", false],
      ["1000000", true],
    ]);
  });

  it("gives each ticket one status: refunded, cancelled, checked in, ended, listed, else valid", function () {
    const live = event("0xlive", NOW + DAY);
    const over = event("0xover", NOW - DAY);
    const cancelled = event("0xcancelled", NOW + DAY, { cancelled: true });
    const status = (t: MyTicket | MyRefundedTicket, listed = false) => ticketStatus(t, { now: NOW, listed });
    expect(status(ticket(live, 1))).to.equal("valid");
    expect(status(ticket(live, 1), true)).to.equal("listed");
    expect(status(ticket(live, 1, { checkedIn: true }), true), "checked in, its listing still open").to.equal("checkedIn");
    expect(status(ticket(over, 1))).to.equal("ended");
    expect(status(ticket(over, 1, { checkedIn: true }))).to.equal("checkedIn");
    expect(status(ticket(cancelled, 1))).to.equal("cancelled");
    expect(status(refunded(ticket(cancelled, 1)))).to.equal("refunded");
    expect(status(refunded(ticket(live, 1))), "refunded by the organizer before the event").to.equal("refunded");
  });

  it("reads returnQuote's answer: no policy (0, 0), open while it refunds something, closed after the last deadline; a free ticket's 0 is open until then", function () {
    const until = BigInt(NOW + DAY);
    expect(returnState(0n, 0n, 100n, NOW), "no refund policy").to.equal("none");
    expect(returnState(50n, until, 100n, NOW)).to.equal("open");
    expect(returnState(0n, BigInt(NOW - DAY), 100n, NOW), "every deadline passed").to.equal("closed");
    expect(returnState(0n, until, 0n, NOW), "a free ticket, before the deadline").to.equal("open");
    expect(returnState(0n, BigInt(NOW - 1), 0n, NOW), "a free ticket, after it").to.equal("closed");
  });
});
