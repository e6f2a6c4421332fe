import { anyValue } from "@nomicfoundation/hardhat-ethers-chai-matchers/withArgs";
import { expect } from "chai";
import { network } from "hardhat";

import {
  CHECK_IN_LEAD,
  CheckInSkip,
  SETTLEMENT_DELAY,
  buyTickets,
  createEvent,
  deployPlatform,
  eventInput,
  tierInput,
  tokenIdOf,
} from "../helpers/fixtures.js";

const { ethers, networkHelpers } = await network.create();

/** Tickets sold for an event starting in 30 days, then the day comes: the check-in window is open. */
async function checkInFixture() {
  const platform = await deployPlatform(ethers);
  const [, , organizer, fan, friend, stranger, gate] = await ethers.getSigners();
  const input = await eventInput(ethers, { name: 'Rock & "Roll" <Night>' });
  const ticket = await createEvent(ethers, platform.factory, organizer, input, [
    tierInput(input, { supply: 600 }),
    tierInput(input, { name: "VIP" }),
  ]);
  await expect(ticket.connect(organizer).grantRole(await ticket.GATE_ROLE(), gate.address))
    .to.emit(ticket, "RoleGranted")
    .withArgs(await ticket.GATE_ROLE(), gate.address, organizer.address);
  await buyTickets(ticket, fan, 1, 4);
  await buyTickets(ticket, friend, 2, 1);
  // Gates admit from the start less the check-in lead (checkin-window.test.ts tests the window).
  await networkHelpers.time.increaseTo(input.start - CHECK_IN_LEAD);
  return { ...platform, organizer, fan, friend, stranger, gate, input, ticket };
}

function decodeTokenURI(uri: string) {
  const prefix = "data:application/json;base64,";
  expect(uri.startsWith(prefix)).to.equal(true);
  const json = JSON.parse(Buffer.from(uri.slice(prefix.length), "base64").toString("utf8"));
  const svgPrefix = "data:image/svg+xml;base64,";
  expect(json.image.startsWith(svgPrefix)).to.equal(true);
  const svg = Buffer.from(json.image.slice(svgPrefix.length), "base64").toString("utf8");
  const attribute = (trait: string) =>
    json.attributes.find((a: { trait_type: string }) => a.trait_type === trait)?.value;
  return { json, svg, attribute };
}

describe("Check-in", function () {
  it("admits tickets and emits CheckedIn with holder and gate, at the block's time", async function () {
    const { ticket, fan, friend, gate } = await networkHelpers.loadFixture(checkInFixture);
    const at = (await networkHelpers.time.latest()) + 10;
    await networkHelpers.time.setNextBlockTimestamp(at);
    const tx = ticket.connect(gate).checkIn([tokenIdOf(1, 1), tokenIdOf(2, 1)]);
    await expect(tx).to.emit(ticket, "CheckedIn").withArgs(tokenIdOf(1, 1), fan.address, gate.address);
    await expect(tx).to.emit(ticket, "CheckedIn").withArgs(tokenIdOf(2, 1), friend.address, gate.address);
    const receipt = (await (await tx).wait())!;
    expect((await ethers.provider.getBlock(receipt.blockNumber))!.timestamp).to.equal(at);
    expect(await ticket.isCheckedIn(tokenIdOf(1, 1))).to.equal(true);
    expect(await ticket.isCheckedIn(tokenIdOf(1, 2))).to.equal(false);
    expect((await ticket.ticketInfo(tokenIdOf(2, 1))).checkedIn).to.equal(true);
  });

  it("returns how many were admitted", async function () {
    const { ticket, gate } = await networkHelpers.loadFixture(checkInFixture);
    const ids = [tokenIdOf(1, 1), tokenIdOf(1, 2), tokenIdOf(1, 1)];
    expect(await ticket.connect(gate).checkIn.staticCall(ids)).to.equal(2n);
  });

  it("skips used and unminted tickets without reverting the batch", async function () {
    const { ticket, fan, gate } = await networkHelpers.loadFixture(checkInFixture);
    await ticket.connect(gate).checkIn([tokenIdOf(1, 1)]);
    const tx = ticket.connect(gate).checkIn([tokenIdOf(1, 1), tokenIdOf(1, 99), tokenIdOf(1, 2)]);
    await expect(tx)
      .to.emit(ticket, "CheckInSkipped")
      .withArgs(tokenIdOf(1, 1), CheckInSkip.AlreadyCheckedIn);
    await expect(tx).to.emit(ticket, "CheckInSkipped").withArgs(tokenIdOf(1, 99), CheckInSkip.NotMinted);
    await expect(tx).to.emit(ticket, "CheckedIn").withArgs(tokenIdOf(1, 2), fan.address, anyValue);
    const receipt = (await (await tx).wait())!;
    const admitted = receipt.logs.filter((l) => l.topics[0] === ticket.interface.getEvent("CheckedIn").topicHash);
    expect(admitted).to.have.length(1);
  });

  it("admits a ticket repeated within one batch once", async function () {
    const { ticket, gate } = await networkHelpers.loadFixture(checkInFixture);
    const tx = ticket.connect(gate).checkIn([tokenIdOf(1, 3), tokenIdOf(1, 3)]);
    await expect(tx).to.emit(ticket, "CheckInSkipped").withArgs(tokenIdOf(1, 3), CheckInSkip.AlreadyCheckedIn);
    expect(await ticket.isCheckedIn(tokenIdOf(1, 3))).to.equal(true);
  });

  it("keeps admissions in separate bitmap words apart", async function () {
    const { ticket, organizer, gate, fan } = await networkHelpers.loadFixture(checkInFixture);
    // Serials 1..300 of tier 1 span two 256-bit words; admit across the boundary in one batch.
    await buyTickets(ticket, fan, 1, 296);
    await ticket.connect(organizer).grantRole(await ticket.GATE_ROLE(), organizer.address);
    const ids = [tokenIdOf(1, 300), tokenIdOf(1, 1), tokenIdOf(1, 255), tokenIdOf(1, 256)];
    expect(await ticket.connect(gate).checkIn.staticCall(ids)).to.equal(4n);
    await ticket.connect(gate).checkIn(ids);
    for (const serial of [1, 255, 256, 300]) expect(await ticket.isCheckedIn(tokenIdOf(1, serial))).to.equal(true);
    for (const serial of [2, 254, 257, 299]) expect(await ticket.isCheckedIn(tokenIdOf(1, serial))).to.equal(false);
  });

  it("emits ERC-4906 MetadataUpdate for one admission and BatchMetadataUpdate for several", async function () {
    const { ticket, gate } = await networkHelpers.loadFixture(checkInFixture);
    await expect(ticket.connect(gate).checkIn([tokenIdOf(1, 2)]))
      .to.emit(ticket, "MetadataUpdate")
      .withArgs(tokenIdOf(1, 2));
    await expect(ticket.connect(gate).checkIn([tokenIdOf(2, 1), tokenIdOf(1, 3), tokenIdOf(1, 2)]))
      .to.emit(ticket, "BatchMetadataUpdate")
      .withArgs(tokenIdOf(1, 3), tokenIdOf(2, 1));
  });

  it("is for the GATE role only", async function () {
    const { ticket, organizer, stranger } = await networkHelpers.loadFixture(checkInFixture);
    const gateRole = await ticket.GATE_ROLE();
    for (const signer of [stranger, organizer]) {
      await expect(ticket.connect(signer).checkIn([tokenIdOf(1, 1)]))
        .to.be.revertedWithCustomError(ticket, "AccessControlUnauthorizedAccount")
        .withArgs(signer.address, gateRole);
    }
  });

  it("lets the organizer revoke a gate", async function () {
    const { ticket, organizer, gate } = await networkHelpers.loadFixture(checkInFixture);
    await expect(ticket.connect(organizer).revokeRole(await ticket.GATE_ROLE(), gate.address)).to.emit(
      ticket,
      "RoleRevoked",
    );
    await expect(ticket.connect(gate).checkIn([tokenIdOf(1, 1)])).to.be.revertedWithCustomError(
      ticket,
      "AccessControlUnauthorizedAccount",
    );
  });

  it("accepts late writes until the settlement delay has passed, then closes", async function () {
    const { ticket, gate, input } = await networkHelpers.loadFixture(checkInFixture);
    await networkHelpers.time.increaseTo(input.end + SETTLEMENT_DELAY - 10);
    await ticket.connect(gate).checkIn([tokenIdOf(1, 1)]);
    await networkHelpers.time.increaseTo(input.end + SETTLEMENT_DELAY);
    await expect(ticket.connect(gate).checkIn([tokenIdOf(1, 2)]))
      .to.be.revertedWithCustomError(ticket, "CheckInClosed")
      .withArgs(BigInt(input.end + SETTLEMENT_DELAY));
  });

  it("admits no one to a cancelled event", async function () {
    const { ticket, organizer, gate } = await networkHelpers.loadFixture(checkInFixture);
    await ticket.connect(organizer).cancel();
    await expect(ticket.connect(gate).checkIn([tokenIdOf(1, 1)])).to.be.revertedWithCustomError(
      ticket,
      "EventIsCancelled",
    );
  });

  describe("tokenURI", function () {
    it("describes the ticket on chain and shows attendance after check-in", async function () {
      const { ticket, gate, input } = await networkHelpers.loadFixture(checkInFixture);
      const before = decodeTokenURI(await ticket.tokenURI(tokenIdOf(1, 2)));
      expect(before.json.name).to.equal(`${input.name} - Adult #2`);
      expect(before.attribute("Event")).to.equal(input.name);
      expect(before.attribute("Tier")).to.equal("Adult");
      expect(before.attribute("Status")).to.equal("Valid");
      expect(before.attribute("Starts")).to.equal(input.start);
      expect(before.json.event_metadata).to.equal(input.metadataURI);
      // Organizer text is escaped, so the SVG stays well-formed.
      expect(before.svg).to.contain("Rock &amp; &quot;Roll&quot; &lt;Night&gt;");
      expect(before.svg).not.to.contain("<Night>");

      await ticket.connect(gate).checkIn([tokenIdOf(1, 2)]);
      const after = decodeTokenURI(await ticket.tokenURI(tokenIdOf(1, 2)));
      expect(after.attribute("Status")).to.equal("Attended");
      expect(after.svg).to.contain("Attended");
      expect(decodeTokenURI(await ticket.tokenURI(tokenIdOf(1, 1))).attribute("Status")).to.equal("Valid");
    });

    it("marks tickets of a cancelled event", async function () {
      const { ticket, organizer } = await networkHelpers.loadFixture(checkInFixture);
      await ticket.connect(organizer).cancel();
      expect(decodeTokenURI(await ticket.tokenURI(tokenIdOf(1, 1))).attribute("Status")).to.equal("Cancelled");
    });

    it("reverts for a token that does not exist", async function () {
      const { ticket } = await networkHelpers.loadFixture(checkInFixture);
      await expect(ticket.tokenURI(tokenIdOf(1, 50)))
        .to.be.revertedWithCustomError(ticket, "ERC721NonexistentToken")
        .withArgs(tokenIdOf(1, 50));
    });
  });
});
