// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IEventTicketErrors} from "./IEventTicketErrors.sol";
import {IEventTicketEvents} from "./IEventTicketEvents.sol";
import {SeatBlock} from "./IEventTicketTypes.sol";

/// @title An event's standing settings: seat maps, the deny list, payout, metadata, check-in lead,
/// gift allowance, voucher revocation. Organizer only. Implemented by EventTicketTreasury (reached
/// through the manager's fallback, in the event's own storage), which has room for them.
interface IEventTicketSettings is IEventTicketErrors, IEventTicketEvents {
    /// @notice Makes a tier seated with the given seat map; its supply becomes the number of seats.
    /// @dev Requirements: organizer; no seat of the tier sold yet. Emits {SeatMapSet}.
    function setSeatMap(uint256 tierId, SeatBlock[] calldata blocks) external;

    /// @notice Kills a voucher code for good. Emits {VoucherRevoked}.
    function revokeVoucher(bytes32 codeId) external;

    /// @notice How many hours before the start gates may begin checking tickets in (default 6).
    /// Emits {CheckInLeadChanged}.
    function setCheckInLead(uint8 hours_) external;

    /// @notice Changes where proceeds and royalties go. Emits {PayoutChanged}.
    function setPayout(address payout) external;

    /// @notice Replaces the event metadata URI. Emits {MetadataURIChanged}, ERC-7572
    /// `ContractURIUpdated` and an ERC-4906 `BatchMetadataUpdate` over every token.
    function setMetadataURI(string calldata metadataURI) external;

    /// @notice Adds or removes addresses from the deny list. Denied addresses cannot buy, receive,
    /// send, gift or list tickets, nor be refunded to another address. Emits {DenyListUpdated} per address.
    function setDenied(address[] calldata accounts, bool denied) external;

    /// @notice Sets the number of free gifts each holder may make under the Capped policy.
    /// Emits {GiftAllowanceChanged}.
    function setGiftsPerHolder(uint8 giftsPerHolder) external;
}
