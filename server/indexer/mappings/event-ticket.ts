// Entry point of the EventTicket template (one data source per event clone): the handlers,
// one file per concern. Mirror of subgraph/src/event-ticket.ts.
export { handleTierAdded, handleTierUpdated, handleTierPauseChanged, handleTierOptionsSet, handleSeatMapSet, handleInventoryReleased, handleSeatsHeld, handleSeatsReleased } from "./tiers.js";
export { handleTicketsPurchased } from "./sales.js";
export { handleCalendarAdded, handleCalendarDaysClosed } from "./calendars.js";
export { handleVoucherRedeemed, handleVoucherRevoked } from "./vouchers.js";
export { handleChannelAdded, handleChannelPayoutChanged, handleChannelClosed, handleChannelSale, handleChannelCommissionReversed, handleChannelCommissionPaid } from "./channels.js";
export { handleTransfer, handleGifted } from "./transfers.js";
export { handleCheckedIn, handleCheckInUndone, handleCheckInLeadChanged } from "./check-ins.js";
export { handleListed, handleListingUpdated, handleListingCancelled, handleResaleSold } from "./resale.js";
export { handleRefunded, handleTicketReturned, handleTicketExchanged, handleRefundPolicySet } from "./refunds.js";
export { handleEventCancelled, handleRefundsOpened, handleEventRescheduled, handlePayoutChanged, handleGiftAllowanceChanged, handleMetadataURIChanged } from "./lifecycle.js";
export { handleProceedsWithdrawn, handleRoyaltiesWithdrawn, handlePlatformFeesWithdrawn, handlePaymentCredited, handleCreditsWithdrawn } from "./payouts.js";
export { handleRoleGranted, handleRoleRevoked, handleDenyListUpdated } from "./roles.js";
export { handleTierPerksSet } from "./membership.js";
