// The order in which Chainpass's contracts are deployed, as the Platform Ignition module
// (ignition/modules/Platform.ts) runs it for every deployment: operators' networks, `npm run dev`,
// the tests and the benchmarks (scripts/lib/ignition-deploy.ts). Each event module points at the
// next one (EventTicket → Manager → Treasury → Settings → Catalog → Views), so they go up from the end of the chain; the
// factory is given the implementation and its currencies; the membership programs come last.

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
  | "EventTicketCatalog"
  | "EventTicketSettings"
  | "EventTicketTreasury"
  | "EventTicketManager"
  | "EventTicket"
  | "TicketFactory"
  | "ChainpassMembership";

export type PlatformAddresses = Record<PlatformContract, string>;

interface Step {
  contract: PlatformContract;
  args: (deployed: Partial<PlatformAddresses>, settings: PlatformSettings) => unknown[];
  /**
   * Contracts deployed before it though it takes none of their addresses: Ignition deploys the
   * contracts that wait on nothing else in the order of their names, not the plan's.
   */
  after?: PlatformContract[];
}

export const PLATFORM_STEPS: readonly Step[] = [
  { contract: "TicketRenderer", args: () => [] },
  { contract: "EventTicketViews", args: () => [] },
  { contract: "EventTicketCatalog", args: (d) => [d.EventTicketViews] },
  { contract: "EventTicketSettings", args: (d) => [d.EventTicketCatalog] },
  { contract: "EventTicketTreasury", args: (d) => [d.EventTicketSettings] },
  { contract: "EventTicketManager", args: (d) => [d.EventTicketTreasury] },
  { contract: "EventTicket", args: (d) => [d.TicketRenderer, d.EventTicketManager] },
  {
    contract: "TicketFactory",
    args: (d, s) => [s.owner, d.EventTicket, s.feeRecipient, s.feeBps, s.settlementDelay, s.currencies],
  },
  // Organizers' membership programs; only clones of this EventTicket may enroll in them. Last, so
  // the factory's address does not move.
  { contract: "ChainpassMembership", args: (d) => [d.EventTicket], after: ["TicketFactory"] },
];
