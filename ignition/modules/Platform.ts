// The Chainpass platform as an Ignition module: the renderer, the four event contracts and the
// factory, in PLATFORM_STEPS's order (scripts/lib/platform-plan.ts). Every deployment runs it:
// `hardhat ignition deploy` on a network, and scripts/lib/ignition-deploy.ts for local chains and
// tests.
// Per-network values are module parameters, e.g. ignition/parameters/<network>.json:
//   { "ChainpassPlatform": { "owner": "0x…", "feeRecipient": "0x…", "feeBps": 250,
//     "settlementDelay": 604800, "currencies": ["0x0000…0000", "<the chain's USDC>"] } }
import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import type { NamedArtifactContractDeploymentFuture } from "@nomicfoundation/ignition-core";

import { PLATFORM_STEPS, type PlatformContract } from "../../scripts/lib/platform-plan.js";

const ETH = "0x0000000000000000000000000000000000000000";
const WEEK = 7 * 24 * 3600;

export default buildModule("ChainpassPlatform", (m) => {
  const settings = {
    // The factory's owner should be a multisig in production; the deployer by default.
    owner: m.getParameter("owner", m.getAccount(0)),
    feeRecipient: m.getParameter("feeRecipient", m.getAccount(0)),
    feeBps: m.getParameter("feeBps", 250),
    settlementDelay: m.getParameter("settlementDelay", WEEK),
    currencies: m.getParameter<string[]>("currencies", [ETH]),
  };
  type Future = NamedArtifactContractDeploymentFuture<PlatformContract>;
  const deployed: Partial<Record<PlatformContract, Future>> = {};
  for (const step of PLATFORM_STEPS) {
    // Futures stand where the plan puts addresses; Ignition resolves them in order.
    const after = (step.after ?? []).map((contract) => deployed[contract]!);
    deployed[step.contract] = m.contract(step.contract, step.args(deployed as never, settings as never) as never, { after });
  }
  return deployed as Record<PlatformContract, Future>;
});
