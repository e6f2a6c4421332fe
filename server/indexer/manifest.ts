// The local index's subgraph.yaml: which contract logs go to which handler. The factory is a
// data source at a fixed address; each event contract is a data source of the EventTicket
// template, created by handleEventCreated. The subscribed logs are those of
// subgraph/subgraph.template.yaml (the ERC-4906/5192 and approval logs carry nothing the index
// keeps); a test checks that both manifests name the same handlers.
import type { Abi } from "viem";

import { chainpassEventAbi, ticketFactoryAbi } from "../../lib/abi/index.js";
import type { FactoryEvent, FactoryEventName, Handler, TemplateName, TicketEvent, TicketEventName } from "./mapping.js";
import {
  handleArbiterChanged,
  handleCurrencyAllowed,
  handleEventCreated,
  handleFeeRecipientChanged,
  handlePlatformFeeChanged,
  handleSettlementDelayChanged,
} from "./mappings/factory.js";
import * as eventTicket from "./mappings/event-ticket.js";

export interface SourceKind {
  name: string;
  abi: Abi;
  /** Handler of each subscribed log, by event name. */
  handlers: Record<string, Handler<never>>;
}

const factory: SourceKind & { handlers: { [N in FactoryEventName]?: Handler<FactoryEvent<N>> } } = {
  name: "TicketFactory",
  abi: ticketFactoryAbi,
  handlers: {
    EventCreated: handleEventCreated,
    PlatformFeeChanged: handlePlatformFeeChanged,
    FeeRecipientChanged: handleFeeRecipientChanged,
    SettlementDelayChanged: handleSettlementDelayChanged,
    CurrencyAllowed: handleCurrencyAllowed,
    ArbiterChanged: handleArbiterChanged,
  },
};

const ticketTemplate: SourceKind & { handlers: { [N in TicketEventName]?: Handler<TicketEvent<N>> } } = {
  name: "EventTicket",
  abi: chainpassEventAbi,
  handlers: {
    TierAdded: eventTicket.handleTierAdded,
    TierUpdated: eventTicket.handleTierUpdated,
    TierPauseChanged: eventTicket.handleTierPauseChanged,
    TierOptionsSet: eventTicket.handleTierOptionsSet,
    SeatMapSet: eventTicket.handleSeatMapSet,
    InventoryReleased: eventTicket.handleInventoryReleased,
    SeatsHeld: eventTicket.handleSeatsHeld,
    SeatsReleased: eventTicket.handleSeatsReleased,
    CalendarAdded: eventTicket.handleCalendarAdded,
    CalendarDaysClosed: eventTicket.handleCalendarDaysClosed,
    TicketsPurchased: eventTicket.handleTicketsPurchased,
    VoucherRedeemed: eventTicket.handleVoucherRedeemed,
    VoucherRevoked: eventTicket.handleVoucherRevoked,
    ChannelAdded: eventTicket.handleChannelAdded,
    ChannelPayoutChanged: eventTicket.handleChannelPayoutChanged,
    ChannelClosed: eventTicket.handleChannelClosed,
    ChannelSale: eventTicket.handleChannelSale,
    ChannelCommissionReversed: eventTicket.handleChannelCommissionReversed,
    ChannelCommissionPaid: eventTicket.handleChannelCommissionPaid,
    Transfer: eventTicket.handleTransfer,
    Gifted: eventTicket.handleGifted,
    CheckedIn: eventTicket.handleCheckedIn,
    CheckInUndone: eventTicket.handleCheckInUndone,
    CheckInLeadChanged: eventTicket.handleCheckInLeadChanged,
    Listed: eventTicket.handleListed,
    ListingUpdated: eventTicket.handleListingUpdated,
    ListingCancelled: eventTicket.handleListingCancelled,
    ResaleSold: eventTicket.handleResaleSold,
    Refunded: eventTicket.handleRefunded,
    TicketReturned: eventTicket.handleTicketReturned,
    TicketExchanged: eventTicket.handleTicketExchanged,
    RefundPolicySet: eventTicket.handleRefundPolicySet,
    EventCancelled: eventTicket.handleEventCancelled,
    RefundsOpened: eventTicket.handleRefundsOpened,
    EventRescheduled: eventTicket.handleEventRescheduled,
    PayoutChanged: eventTicket.handlePayoutChanged,
    GiftAllowanceChanged: eventTicket.handleGiftAllowanceChanged,
    MetadataURIChanged: eventTicket.handleMetadataURIChanged,
    ProceedsWithdrawn: eventTicket.handleProceedsWithdrawn,
    RoyaltiesWithdrawn: eventTicket.handleRoyaltiesWithdrawn,
    PlatformFeesWithdrawn: eventTicket.handlePlatformFeesWithdrawn,
    PaymentCredited: eventTicket.handlePaymentCredited,
    CreditsWithdrawn: eventTicket.handleCreditsWithdrawn,
    RoleGranted: eventTicket.handleRoleGranted,
    RoleRevoked: eventTicket.handleRoleRevoked,
    DenyListUpdated: eventTicket.handleDenyListUpdated,
  },
};

export const manifest: { dataSource: SourceKind; templates: Record<TemplateName, SourceKind> } = {
  dataSource: factory as SourceKind,
  templates: { EventTicket: ticketTemplate as SourceKind },
};
