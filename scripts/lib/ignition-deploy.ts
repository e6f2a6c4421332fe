// Deploys an Ignition module (ignition/modules/) through Ignition's engine on any EIP-1193
// provider: viem's over JSON-RPC for `npm run dev`, the server and browser tests and the
// benchmarks; Hardhat's in-process chain for the contract tests. Operators deploy the same modules
// with `hardhat ignition deploy`, which journals each step; a local chain starts empty every time,
// so nothing is journaled here.
import {
  deploy,
  DeploymentResultType,
  type Artifact,
  type ArtifactResolver,
  type DeploymentParameters,
  type IgnitionModule,
} from "@nomicfoundation/ignition-core";
import { getAddress, type Address } from "viem";

export interface Eip1193 {
  request(args: { method: string; params?: unknown[] | object }): Promise<unknown>;
}

/** Ignition's artifact resolver over this project's Hardhat artifacts. */
async function hardhatArtifacts(): Promise<ArtifactResolver> {
  const { artifacts } = (await import("hardhat")).default;
  return {
    loadArtifact: (name) => artifacts.readArtifact(name) as Promise<Artifact>,
    getBuildInfo: async () => undefined, // only verification reads build infos
  };
}

/**
 * Runs `module` from the provider's first account and resolves with the address of each contract
 * it returns, by the module's names. Throws with Ignition's account of what failed.
 */
export async function deployModule(
  provider: Eip1193,
  module: IgnitionModule,
  parameters: DeploymentParameters = {},
): Promise<Record<string, Address>> {
  const result = await deploy({
    ignitionModule: module,
    provider,
    artifactResolver: await hardhatArtifacts(),
    accounts: (await provider.request({ method: "eth_accounts" })) as string[],
    deploymentParameters: parameters,
    // Local chains mine each transaction at once: look for receipts often.
    config: { blockPollingInterval: 10 },
  });
  if (result.type !== DeploymentResultType.SUCCESSFUL_DEPLOYMENT) {
    throw new Error(`deploying ${module.id} failed (${result.type}): ${JSON.stringify(result).slice(0, 2_000)}`);
  }
  // Ignition reports contracts by future id ("Module#Name"); the module's results name them.
  return Object.fromEntries(
    Object.entries(module.results as Record<string, { id: string }>).map(([name, future]) => [name, getAddress(result.contracts[future.id].address)]),
  );
}
