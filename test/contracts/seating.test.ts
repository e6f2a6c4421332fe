import { expect } from "chai";
import { network } from "hardhat";

import { seatLabel as libSeatLabel } from "../../lib/seats.js";
import {
  ANY_PRICE,
  CHECK_IN_LEAD,
  createEvent,
  deployPlatform,
  eventInput,
  purchaseOptions,
  tierInput,
  tokenIdOf,
} from "../helpers/fixtures.js";

const { ethers, networkHelpers } = await network.create();

const PRICE = 10n ** 17n;
const section = (name: string) => ethers.hexlify(ethers.toUtf8Bytes(name)).padEnd(34, "0");
// Stalls: rows A-C of 10 seats (seats 1-30); Balcony: rows 1-2 of 5 seats numbered from 101 (seats 31-40).
const MAP = [
  { section: section("Stalls"), firstRow: 1, rows: 3, firstSeat: 1, seatsPerRow: 10, letteredRows: true },
  { section: section("Balcony"), firstRow: 1, rows: 2, firstSeat: 101, seatsPerRow: 5, letteredRows: false },
];

async function seatingFixture() {
  const { factory, addresses } = await deployPlatform(ethers);
  const [, , organizer, fan, friend, stranger] = await ethers.getSigners();
  const input = await eventInput(ethers);
  const ticket = await createEvent(ethers, factory, organizer, input, [
    tierInput(input, { name: "Reserved", price: PRICE }),
    tierInput(input, { name: "Standing", price: PRICE, supply: 5 }),
  ]);
  await ticket.connect(organizer).setSeatMap(1, MAP);
  const renderer = await ethers.getContractAt("TicketRenderer", addresses.TicketRenderer);
  const seats = (ids: number[]) => purchaseOptions({ seats: ids.map(BigInt) });
  return { ticket, renderer, organizer, fan, friend, stranger, input, seats };
}

describe("Reserved seating", function () {
  it("takes a compact seat map and makes its seats the tier's supply", async function () {
    const { ticket } = await networkHelpers.loadFixture(seatingFixture);
    expect((await ticket.tier(1)).supply).to.equal(40n);
    const stored = await ticket.seatMap(1);
    expect(stored.length).to.equal(2);
    expect(stored[1].firstSeat).to.equal(101n);
  });

  it("announces the map", async function () {
    const { factory } = await deployPlatform(ethers);
    const [, , organizer] = await ethers.getSigners();
    const input = await eventInput(ethers);
    const ticket = await createEvent(ethers, factory, organizer, input, [tierInput(input)]);
    await expect(ticket.connect(organizer).setSeatMap(1, MAP)).to.emit(ticket, "SeatMapSet");
  });

  it("sells the chosen seats as their token ids, with readable labels", async function () {
    const { ticket, renderer, fan, seats } = await networkHelpers.loadFixture(seatingFixture);
    const address = await ticket.getAddress();
    const tx = ticket.connect(fan).buyWith(1, 3, fan.address, seats([12, 1, 37]), { value: 3n * PRICE });
    await expect(tx).to.emit(ticket, "TicketsPurchased").withArgs(fan.address, fan.address, 1n, tokenIdOf(1, 12), 3n, 3n * PRICE);
    for (const seat of [12, 1, 37]) expect(await ticket.ownerOf(tokenIdOf(1, seat))).to.equal(fan.address);
    expect((await ticket.tier(1)).sold).to.equal(3n);
    const seat12 = await ticket.seatOf(tokenIdOf(1, 12));
    expect([seat12.row, seat12.number, seat12.letteredRow]).to.deep.equal([2n, 2n, true]);
    expect(await renderer.seatLabel(address, tokenIdOf(1, 12))).to.equal("Stalls, Row B, Seat 2");
    expect(await renderer.seatLabel(address, tokenIdOf(1, 1))).to.equal("Stalls, Row A, Seat 1");
    expect(await renderer.seatLabel(address, tokenIdOf(1, 37))).to.equal("Balcony, Row 2, Seat 102");
    const json = JSON.parse(Buffer.from((await ticket.tokenURI(tokenIdOf(1, 37))).split(",")[1], "base64").toString());
    expect(json.name).to.match(/Balcony, Row 2, Seat 102$/);
    expect(json.attributes.find((a: { trait_type: string }) => a.trait_type === "Seat").value).to.equal(
      "Balcony, Row 2, Seat 102",
    );
    // lib/seats (the gate, the index, the app) labels seats exactly as the renderer does.
    const blocks = (await ticket.seatMap(1)).map((b) => ({
      section: b.section as `0x${string}`,
      firstRow: Number(b.firstRow),
      rows: Number(b.rows),
      firstSeat: Number(b.firstSeat),
      seatsPerRow: Number(b.seatsPerRow),
      letteredRows: b.letteredRows,
    }));
    for (const seat of [1, 12, 30, 31, 37, 40]) {
      expect(libSeatLabel(blocks, seat)).to.equal(await renderer.seatLabel(address, tokenIdOf(1, seat)));
    }
    expect(libSeatLabel(blocks, 41)).to.equal(undefined);
    expect(await ticket.isSeatTaken(1, 12)).to.equal(true);
    expect(await ticket.isSeatTaken(1, 13)).to.equal(false);
  });

  it("sells each seat once", async function () {
    const { ticket, fan, friend, seats } = await networkHelpers.loadFixture(seatingFixture);
    await ticket.connect(fan).buyWith(1, 2, fan.address, seats([5, 6]), { value: 2n * PRICE });
    await expect(ticket.connect(friend).buyWith(1, 2, friend.address, seats([7, 6]), { value: 2n * PRICE }))
      .to.be.revertedWithCustomError(ticket, "SeatTaken")
      .withArgs(1n, 6n);
    await expect(ticket.connect(friend).buyWith(1, 2, friend.address, seats([8, 8]), { value: 2n * PRICE }))
      .to.be.revertedWithCustomError(ticket, "SeatTaken")
      .withArgs(1n, 8n);
    expect(await ticket.isSeatTaken(1, 7)).to.equal(false);
  });

  it("refuses seats that do not exist, missing seat choices and seats for unseated tiers", async function () {
    const { ticket, fan, seats } = await networkHelpers.loadFixture(seatingFixture);
    for (const bad of [0, 41]) {
      await expect(ticket.connect(fan).buyWith(1, 1, fan.address, seats([bad]), { value: PRICE }))
        .to.be.revertedWithCustomError(ticket, "InvalidSeat")
        .withArgs(1n, bad);
    }
    await expect(ticket.connect(fan).buy(1, 1, fan.address, ANY_PRICE, { value: PRICE }))
      .to.be.revertedWithCustomError(ticket, "SeatSelectionRequired")
      .withArgs(1n);
    await expect(ticket.connect(fan).buyWith(1, 2, fan.address, seats([3]), { value: 2n * PRICE }))
      .to.be.revertedWithCustomError(ticket, "SeatSelectionRequired")
      .withArgs(1n);
    await expect(ticket.connect(fan).buyWith(2, 1, fan.address, seats([3]), { value: PRICE }))
      .to.be.revertedWithCustomError(ticket, "NotSeatedTier")
      .withArgs(2n);
  });

  it("fixes the map once a seat has sold, and validates it", async function () {
    const { ticket, organizer, stranger, fan, seats } = await networkHelpers.loadFixture(seatingFixture);
    await expect(ticket.connect(stranger).setSeatMap(2, MAP)).to.be.revertedWithCustomError(
      ticket,
      "AccessControlUnauthorizedAccount",
    );
    await expect(ticket.connect(organizer).setSeatMap(2, []))
      .to.be.revertedWithCustomError(ticket, "InvalidSeatMap")
      .withArgs(2n, 0n);
    await expect(
      ticket.connect(organizer).setSeatMap(2, [{ ...MAP[0], rows: 1000, seatsPerRow: 1000 }]),
    )
      .to.be.revertedWithCustomError(ticket, "InvalidSeatMap")
      .withArgs(2n, 1_000_000n);
    for (const [bad, index] of [
      [{ ...MAP[0], firstRow: 0 }, 0],
      [{ ...MAP[0], firstSeat: 0 }, 0],
      [{ ...MAP[0], rows: 0 }, 0],
      [{ ...MAP[0], firstSeat: 65_530, seatsPerRow: 10 }, 0],
    ] as const) {
      await expect(ticket.connect(organizer).setSeatMap(2, [MAP[1], bad]))
        .to.be.revertedWithCustomError(ticket, "InvalidSeatBlock")
        .withArgs(2n, BigInt(index) + 1n);
    }
    await ticket.connect(fan).buyWith(1, 1, fan.address, seats([9]), { value: PRICE });
    await expect(ticket.connect(organizer).setSeatMap(1, MAP))
      .to.be.revertedWithCustomError(ticket, "SeatMapLocked")
      .withArgs(1n, 1n);
  });

  it("keeps a seated tier's supply equal to its seats", async function () {
    const { ticket, organizer, input } = await networkHelpers.loadFixture(seatingFixture);
    await expect(ticket.connect(organizer).updateTier(1, tierInput(input, { name: "Reserved", price: PRICE, supply: 50 })))
      .to.be.revertedWithCustomError(ticket, "InvalidTierSupply")
      .withArgs(1n, 50n, 0n);
  });
});

describe("Organizer refunds of single tickets", function () {
  it("pays the holder back and retires the seat unless released", async function () {
    const { ticket, organizer, fan, friend, seats } = await networkHelpers.loadFixture(seatingFixture);
    await ticket.connect(fan).buyWith(1, 2, fan.address, seats([4, 5]), { value: 2n * PRICE });
    const tx = ticket.connect(organizer).refundTicket(tokenIdOf(1, 4), false);
    await expect(tx).to.emit(ticket, "Refunded").withArgs(tokenIdOf(1, 4), fan.address, fan.address, PRICE);
    await expect(tx).to.changeEtherBalance(ethers, fan, PRICE);
    await expect(ticket.ownerOf(tokenIdOf(1, 4))).to.be.revertedWithCustomError(ticket, "ERC721NonexistentToken");
    expect(await ticket.isSeatTaken(1, 4)).to.equal(true);
    await expect(ticket.connect(friend).buyWith(1, 1, friend.address, seats([4]), { value: PRICE }))
      .to.be.revertedWithCustomError(ticket, "SeatTaken")
      .withArgs(1n, 4n);
  });

  it("puts a released seat back on sale under the same token id", async function () {
    const { ticket, organizer, fan, friend, seats } = await networkHelpers.loadFixture(seatingFixture);
    await ticket.connect(fan).buyWith(1, 1, fan.address, seats([4]), { value: PRICE });
    await expect(ticket.connect(organizer).refundTicket(tokenIdOf(1, 4), true))
      .to.emit(ticket, "InventoryReleased")
      .withArgs(1n, tokenIdOf(1, 4));
    expect((await ticket.tier(1)).sold).to.equal(0n);
    await ticket.connect(friend).buyWith(1, 1, friend.address, seats([4]), { value: PRICE });
    expect(await ticket.ownerOf(tokenIdOf(1, 4))).to.equal(friend.address);
  });

  it("adds a released unseated ticket back to the supply", async function () {
    const { ticket, organizer, fan, friend } = await networkHelpers.loadFixture(seatingFixture);
    await ticket.connect(fan).buy(2, 5, fan.address, 5n * PRICE, { value: 5n * PRICE });
    await expect(ticket.connect(friend).buy(2, 1, friend.address, PRICE, { value: PRICE })).to.be.revertedWithCustomError(
      ticket,
      "SoldOut",
    );
    await ticket.connect(organizer).refundTicket(tokenIdOf(2, 3), true);
    expect((await ticket.tier(2)).supply).to.equal(6n);
    await ticket.connect(friend).buy(2, 1, friend.address, PRICE, { value: PRICE });
    expect(await ticket.ownerOf(tokenIdOf(2, 6))).to.equal(friend.address);
  });

  it("credits a holder that cannot receive the refund", async function () {
    const { ticket, organizer } = await networkHelpers.loadFixture(seatingFixture);
    const holder = await ethers.deployContract("RefusingHolder", [await ticket.getAddress()]);
    await holder.buy(2, 1, { value: PRICE });
    await expect(ticket.connect(organizer).refundTicket(tokenIdOf(2, 1), false))
      .to.emit(ticket, "PaymentCredited")
      .withArgs(await holder.getAddress(), PRICE);
    expect(await ticket.credits(await holder.getAddress())).to.equal(PRICE);
  });

  it("is for the organizer only (not FINANCE), before the end, and never for a used ticket", async function () {
    const { ticket, organizer, fan, stranger, input } = await networkHelpers.loadFixture(seatingFixture);
    await ticket.connect(fan).buy(2, 2, fan.address, 2n * PRICE, { value: 2n * PRICE });
    const organizerRole = await ticket.ORGANIZER_ROLE();
    await expect(ticket.connect(stranger).refundTicket(tokenIdOf(2, 1), false))
      .to.be.revertedWithCustomError(ticket, "AccessControlUnauthorizedAccount")
      .withArgs(stranger.address, organizerRole);
    // FINANCE withdraws proceeds only: it cannot burn a ticket.
    await ticket.connect(organizer).grantRole(await ticket.FINANCE_ROLE(), stranger.address);
    await expect(ticket.connect(stranger).refundTicket(tokenIdOf(2, 1), false))
      .to.be.revertedWithCustomError(ticket, "AccessControlUnauthorizedAccount")
      .withArgs(stranger.address, organizerRole);
    await ticket.connect(organizer).refundTicket(tokenIdOf(2, 1), false);
    await ticket.connect(organizer).grantRole(await ticket.GATE_ROLE(), organizer.address);
    await networkHelpers.time.increaseTo(input.start - CHECK_IN_LEAD);
    await ticket.connect(organizer).checkIn([tokenIdOf(2, 2)]);
    await expect(ticket.connect(organizer).refundTicket(tokenIdOf(2, 2), false))
      .to.be.revertedWithCustomError(ticket, "TicketAlreadyUsed")
      .withArgs(tokenIdOf(2, 2), input.end);
    await networkHelpers.time.increaseTo(input.end);
    await expect(ticket.connect(organizer).refundTicket(tokenIdOf(2, 2), false))
      .to.be.revertedWithCustomError(ticket, "EventAlreadyEnded")
      .withArgs(input.end);
  });
});
