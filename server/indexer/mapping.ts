// What a handler receives, in the shape graph-ts gives the subgraph's mappings: the decoded log
// (`event.params`, `event.address`, `event.block`, `event.transaction`, `event.logIndex`) and the
// store. Addresses and bytes are lowercase hex, as the entities hold them.
import type { ContractEventArgsFromTopics, ContractEventName, Hex } from "viem";

import type { chainpassEventAbi, chainpassMembershipAbi, ticketFactoryAbi } from "../../lib/abi/index.js";
import type { MappingStore } from "./store.js";

export interface ChainEvent<Params> {
  address: Hex;
  logIndex: number;
  block: { number: bigint; timestamp: bigint; hash: Hex };
  transaction: { hash: Hex };
  params: Params;
}

export type FactoryEventName = ContractEventName<typeof ticketFactoryAbi>;
export type TicketEventName = ContractEventName<typeof chainpassEventAbi>;
export type MembershipEventName = ContractEventName<typeof chainpassMembershipAbi>;

/** A TicketFactory log (subgraph: generated/TicketFactory/TicketFactory). */
export type FactoryEvent<N extends FactoryEventName> = ChainEvent<ContractEventArgsFromTopics<typeof ticketFactoryAbi, N>>;
/** An event contract's log (subgraph: generated/templates/EventTicket/IChainpassEvent). */
export type TicketEvent<N extends TicketEventName> = ChainEvent<ContractEventArgsFromTopics<typeof chainpassEventAbi, N>>;

/** A ChainpassMembership log (subgraph: generated/ChainpassMembership/ChainpassMembership). */
export type MembershipEvent<N extends MembershipEventName> = ChainEvent<ContractEventArgsFromTopics<typeof chainpassMembershipAbi, N>>;

/** The templates of the manifest (subgraph.yaml `templates`). */
export type TemplateName = "EventTicket";

export interface HandlerStore extends MappingStore {
  /** graph-ts `EventTicket.create(address)`: follow the new contract's logs from this log on. */
  createDataSource(template: TemplateName, address: Hex): void;
}

export type Handler<E> = (event: E, store: HandlerStore) => void;
