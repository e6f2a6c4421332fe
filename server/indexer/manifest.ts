// The local index's subgraph.yaml: which contract logs go to which handler. The factory and the
// membership programs are data sources at fixed addresses; each event contract is a data source
// of the EventTicket template, created by handleEventCreated. The subscribed logs are those of
// subgraph/subgraph.template.yaml (the ERC-4906/5192 and approval logs carry nothing the index
// keeps); a test checks that both manifests name the same handlers.
import type { Abi } from "viem";

import { chainpassEventAbi, chainpassMembershipAbi, ticketFactoryAbi } from "../../lib/abi/index.js";
import type { FactoryEvent, FactoryEventName, Handler, MembershipEvent, MembershipEventName, TemplateName, TicketEvent, TicketEventName } from "./mapping.js";
import {
  handleArbiterChanged,
  handleCurrencyAllowed,
  handleEventCreated,
  handleFeeRecipientChanged,
  handlePlatformFeeChanged,
  handleSettlementDelayChanged,
} from "./mappings/factory.js";
import * as eventTicket from "./mappings/event-ticket.js";
import * as membershipProgram from "./mappings/membership.js";

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

const membership: SourceKind & { handlers: { [N in MembershipEventName]?: Handler<MembershipEvent<N>> } } = {
  name: "ChainpassMembership",
  abi: chainpassMembershipAbi,
  handlers: {
    ProgramCreated: membershipProgram.handleProgramCreated,
    PointsSignerChanged: membershipProgram.handlePointsSignerChanged,
    EarnRateSet: membershipProgram.handleEarnRateSet,
    RewardsSet: membershipProgram.handleRewardsSet,
    LevelsSet: membershipProgram.handleLevelsSet,
    PointValueSet: membershipProgram.handlePointValueSet,
    EventEnrolled: membershipProgram.handleEventEnrolled,
    MemberJoined: membershipProgram.handleMemberJoined,
    PointsAdjusted: membershipProgram.handlePointsAdjusted,
    MemberLevelSet: membershipProgram.handleMemberLevelSet,
    RootPosted: membershipProgram.handleRootPosted,
    PointsSpent: membershipProgram.handlePointsSpent,
    VoucherOfferAdded: membershipProgram.handleVoucherOfferAdded,
    VoucherOfferActiveChanged: membershipProgram.handleVoucherOfferActiveChanged,
    PointsRedeemed: membershipProgram.handlePointsRedeemed,
    Announced: membershipProgram.handleAnnounced,
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
    TierPerksSet: eventTicket.handleTierPerksSet,
    RoleGranted: eventTicket.handleRoleGranted,
    RoleRevoked: eventTicket.handleRoleRevoked,
    DenyListUpdated: eventTicket.handleDenyListUpdated,
  },
};

export type StaticSourceName = "TicketFactory" | "ChainpassMembership";

export const manifest: { dataSources: Record<StaticSourceName, SourceKind>; templates: Record<TemplateName, SourceKind> } = {
  dataSources: { TicketFactory: factory as SourceKind, ChainpassMembership: membership as SourceKind },
  templates: { EventTicket: ticketTemplate as SourceKind },
};
