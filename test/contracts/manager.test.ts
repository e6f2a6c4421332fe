// EventTicket runs its organizer functions and views in EventTicketManager by delegatecall: the
// two contracts must share one storage layout, and the manager must be harmless on its own.
import { readFileSync } from "node:fs";
import { join } from "node:path";

import { expect } from "chai";
import { network } from "hardhat";

import { deployPlatform, eventInput, tierInput } from "../helpers/fixtures.js";

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

describe("EventTicket and EventTicketManager", function () {
  it("have exactly the same storage layout", function () {
    const core = storageLayout("EventTicket");
    expect(core.length).to.be.greaterThan(10);
    // Type names carry AST ids, which differ between the two builds; compare them without.
    const shape = (entries: StorageEntry[]) =>
      entries.map(({ label, slot, offset, type }) => [label, slot, offset, type.replace(/\d+_/g, "")]);
    expect(shape(storageLayout("EventTicketManager"))).to.deep.equal(shape(core));
  });

  it("leave the manager powerless when called directly", async function () {
    const { factory } = await deployPlatform(ethers);
    const [, , organizer] = await ethers.getSigners();
    const manager = await ethers.getContractAt("IChainpassEvent", await factory.manager());
    const input = await eventInput(ethers);
    await expect(manager.connect(organizer).initialize(organizer.address, input, [tierInput(input)], 0, 0))
      .to.be.revertedWithCustomError(manager, "InvalidInitialization");
    await expect(manager.connect(organizer).addTier(tierInput(input)))
      .to.be.revertedWithCustomError(manager, "AccessControlUnauthorizedAccount")
      .withArgs(organizer.address, ethers.ZeroHash);
  });

  it("refuse plain ETH sent to an event", async function () {
    const { factory } = await deployPlatform(ethers);
    const [, , organizer] = await ethers.getSigners();
    const input = await eventInput(ethers);
    await factory.connect(organizer).createEvent(input, []);
    await expect(organizer.sendTransaction({ to: await factory.eventAt(0), value: 1n })).to.revert(ethers);
  });
});
