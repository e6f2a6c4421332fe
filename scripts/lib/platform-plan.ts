// The order in which Chainpass's contracts are deployed, once, for every runner (viem over
// JSON-RPC for dev, servers and benchmarks; ethers in the contract tests). Each event module
// points at the next one (EventTicket → Manager → Treasury → Views), so they go up from the end
// of the chain; the factory comes last and is given the implementation and its currencies.

export interface PlatformSettings {
  owner: string;
  feeRecipient: string;
  feeBps: number;
  settlementDelay: number;
  /** Currencies events may sell in from the start (the zero address: ETH). */
  currencies: string[];
}

export type PlatformContract =
  | "TicketRenderer"
  | "EventTicketViews"
  | "EventTicketTreasury"
  | "EventTicketManager"
  | "EventTicket"
  | "TicketFactory";

export type PlatformAddresses = Record<PlatformContract, string>;

interface Step {
  contract: PlatformContract;
  args: (deployed: Partial<PlatformAddresses>, settings: PlatformSettings) => unknown[];
}

export const PLATFORM_STEPS: readonly Step[] = [
  { contract: "TicketRenderer", args: () => [] },
  { contract: "EventTicketViews", args: () => [] },
  { contract: "EventTicketTreasury", args: (d) => [d.EventTicketViews] },
  { contract: "EventTicketManager", args: (d) => [d.EventTicketTreasury] },
  { contract: "EventTicket", args: (d) => [d.TicketRenderer, d.EventTicketManager] },
  {
    contract: "TicketFactory",
    args: (d, s) => [s.owner, d.EventTicket, s.feeRecipient, s.feeBps, s.settlementDelay, s.currencies],
  },
];

/** Runs the plan with `deploy` (which deploys one contract and resolves to its address). */
export async function deployPlan<A extends string>(
  settings: PlatformSettings,
  deploy: (contract: PlatformContract, args: unknown[]) => Promise<A>,
): Promise<Record<PlatformContract, A>> {
  const deployed: Partial<Record<PlatformContract, A>> = {};
  for (const step of PLATFORM_STEPS) {
    deployed[step.contract] = await deploy(step.contract, step.args(deployed, settings));
  }
  return deployed as Record<PlatformContract, A>;
}
