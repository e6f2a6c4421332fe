// Entry point of the EventTicket template (one data source per event clone): the handlers,
// one file per concern.
export { handleTierAdded, handleTierUpdated, handleTierPauseChanged, handleTierOptionsSet, handleSeatMapSet, handleInventoryReleased, handleSeatsHeld, handleSeatsReleased } from "./tiers";
export { handleTicketsPurchased } from "./sales";
export { handleCalendarAdded, handleCalendarDaysClosed } from "./calendars";
export { handleVoucherRedeemed, handleVoucherRevoked } from "./vouchers";
export { handleChannelAdded, handleChannelPayoutChanged, handleChannelClosed, handleChannelSale, handleChannelCommissionReversed, handleChannelCommissionPaid } from "./channels";
export { handleTransfer, handleGifted } from "./transfers";
export { handleCheckedIn, handleCheckInUndone, handleCheckInLeadChanged } from "./check-ins";
export { handleListed, handleListingUpdated, handleListingCancelled, handleResaleSold } from "./resale";
export { handleRefunded, handleTicketReturned, handleTicketExchanged, handleRefundPolicySet } from "./refunds";
export { handleEventCancelled, handleRefundsOpened, handleEventRescheduled, handlePayoutChanged, handleGiftAllowanceChanged, handleMetadataURIChanged } from "./lifecycle";
export { handleProceedsWithdrawn, handleRoyaltiesWithdrawn, handlePlatformFeesWithdrawn, handlePaymentCredited, handleCreditsWithdrawn } from "./payouts";
export { handleRoleGranted, handleRoleRevoked, handleDenyListUpdated } from "./roles";
export { handleTierPerksSet } from "./membership";
