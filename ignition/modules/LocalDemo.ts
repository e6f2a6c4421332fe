// Local chains only: a stand-in USDC (MockUSDC, anyone may mint) that the platform allows beside
// ETH. Public networks use Platform.ts alone, with the chain's real USDC in `currencies`.
import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";

import PlatformModule from "./Platform.js";

export default buildModule("ChainpassLocalDemo", (m) => {
  const usdc = m.contract("MockUSDC");
  const platform = m.useModule(PlatformModule);
  // The deployer owns the factory on a local chain (the module's default owner).
  m.call(platform.TicketFactory, "setCurrencyAllowed", [usdc, true]);
  return { usdc, ...platform };
});
