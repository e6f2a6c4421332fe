// EventTicket runs its organizer functions in EventTicketManager, its money functions in
// EventTicketTreasury, its standing settings in EventTicketSettings, its ticket types and sales channels in EventTicketCatalog and its views in
// EventTicketViews, by delegatecall along a chain of fallbacks: the six contracts must share one
// storage layout, and the modules must be harmless on their own.
import { readFileSync } from "node:fs";
import { join } from "node:path";

import { expect } from "chai";
import { network } from "hardhat";

import { PLATFORM_FEE_BPS, deployPlatform, eventInput, tierInput } from "../helpers/fixtures.js";

const { ethers } = await network.create();

interface StorageEntry {
  label: string;
  slot: string;
  offset: number;
  type: string;
}

/** The storage layout solc reported for `name`, from the build that produced its artifact. */
function storageLayout(name: string): StorageEntry[] {
  const artifact = JSON.parse(readFileSync(join("artifacts/contracts", `${name}.sol`, `${name}.json`), "utf8"));
  const { output } = JSON.parse(readFileSync(join("artifacts/build-info", `${artifact.buildInfoId}.output.json`), "utf8"));
  const layout = output.contracts[artifact.inputSourceName][name].storageLayout;
  return layout.storage.map(({ label, slot, offset, type }: StorageEntry) => ({ label, slot, offset, type }));
}

describe("EventTicket and its modules (Manager, Treasury, Settings, Views)", function () {
  it("have exactly the same storage layout", function () {
    const core = storageLayout("EventTicket");
    expect(core.length).to.be.greaterThan(10);
    // Type names carry AST ids, which differ between the builds; compare them without.
    const shape = (entries: StorageEntry[]) =>
      entries.map(({ label, slot, offset, type }) => [label, slot, offset, type.replace(/\d+_/g, "")]);
    for (const module of ["EventTicketManager", "EventTicketTreasury", "EventTicketSettings", "EventTicketCatalog", "EventTicketViews"]) {
      expect(shape(storageLayout(module)), module).to.deep.equal(shape(core));
    }
  });

  it("leave the manager, the treasury and the settings powerless when called directly", async function () {
    const { addresses } = await deployPlatform(ethers);
    const [, , organizer] = await ethers.getSigners();
    const manager = await ethers.getContractAt("IChainpassEvent", addresses.EventTicketManager);
    const input = await eventInput(ethers);
    await expect(manager.connect(organizer).initialize(organizer.address, input, [tierInput(input)], 0, 0))
      .to.be.revertedWithCustomError(manager, "InvalidInitialization");
    await expect(manager.connect(organizer).addTier(tierInput(input)))
      .to.be.revertedWithCustomError(manager, "AccessControlUnauthorizedAccount")
      .withArgs(organizer.address, ethers.ZeroHash);
    // The treasury too: no roles, nothing to pay out.
    const treasury = await ethers.getContractAt("IChainpassEvent", addresses.EventTicketTreasury);
    await expect(treasury.connect(organizer).refundTicket(1_000_001n, false))
      .to.be.revertedWithCustomError(treasury, "AccessControlUnauthorizedAccount")
      .withArgs(organizer.address, ethers.ZeroHash);
    await expect(treasury.connect(organizer).withdrawPlatformFees()).to.be.revertedWithCustomError(
      treasury,
      "NothingToWithdraw",
    );
    // And the settings: no roles.
    const settings = await ethers.getContractAt("IChainpassEvent", addresses.EventTicketSettings);
    await expect(settings.connect(organizer).setDenied([organizer.address], true))
      .to.be.revertedWithCustomError(settings, "AccessControlUnauthorizedAccount")
      .withArgs(organizer.address, ethers.ZeroHash);
  });

  it("refuse plain ETH sent to an event", async function () {
    const { factory } = await deployPlatform(ethers);
    const [, , organizer] = await ethers.getSigners();
    const input = await eventInput(ethers);
    await factory.connect(organizer).createEvent(input, [], PLATFORM_FEE_BPS);
    await expect(organizer.sendTransaction({ to: await factory.eventAt(0), value: 1n })).to.revert(ethers);
  });
});
