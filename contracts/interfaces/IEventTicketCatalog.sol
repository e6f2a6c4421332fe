// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IEventTicketErrors} from "./IEventTicketErrors.sol";
import {IEventTicketEvents} from "./IEventTicketEvents.sol";
import {TierOptions, TierParams, TierPerks} from "./IEventTicketTypes.sol";

/// @title What an event sells and who sells it: ticket types and sales channels. Organizer only.
/// Implemented by EventTicketCatalog (reached through EventTicketSettings' fallback, in the
/// event's own storage).
interface IEventTicketCatalog is IEventTicketErrors, IEventTicketEvents {
    /// @notice Adds a ticket type.
    /// @dev Requirements: organizer role; event not cancelled or ended; valid supply and window.
    /// Emits {TierAdded}.
    /// @return tierId The new tier's id (tiers are numbered from 1).
    function addTier(TierParams calldata tier) external returns (uint256 tierId);

    /// @notice Changes a ticket type. Price is fixed once a ticket of the tier has sold; supply
    /// can never drop below what is sold.
    /// @dev Requirements: organizer role; event not cancelled or ended; a timed tier's sale ends by
    /// its entry slot's start. Emits {TierUpdated}.
    function updateTier(uint256 tierId, TierParams calldata tier) external;

    /// @notice Pauses or resumes sales of a tier. Emits {TierPauseChanged}.
    function setTierPaused(uint256 tierId, bool paused) external;

    /// @notice Sets a tier's early price, entry window and presale. A timed tier stops selling when
    /// its entry slot starts: a later sale end moves to the slot's start ({TierUpdated}); an earlier
    /// one is the organizer's lead time and stays.
    /// @dev Reverts {InvalidEntryWindow} for a slot starting before the tier's sale. Emits {TierOptionsSet}.
    function setTierOptions(uint256 tierId, TierOptions calldata options) external;

    /// @notice Adds a sales channel (a box office, a travel agency, an influencer's link): purchases
    /// naming it in `PurchaseOptions.channel` earn `payout` `commissionBps` of their price, owed
    /// at settlement out of the organizer's proceeds and taken back if the ticket is refunded,
    /// returned or exchanged. The rate is fixed for the channel's life.
    /// @dev Requirements: organizer; event live; payout not zero ({InvalidPayout}); commission at
    /// most `MAX_COMMISSION_BPS` ({CommissionTooHigh}); at most `MAX_CHANNELS` ({TooManyChannels}).
    /// Emits {ChannelAdded}.
    /// @param label What the organizer calls it (shown in the console and reports; not stored).
    /// @return channelId The new channel's id (1, 2, ...).
    function addChannel(address payout, uint256 commissionBps, string calldata label) external returns (uint256 channelId);

    /// @notice Changes where a channel's commission is paid at settlement.
    /// @dev Requirements: organizer; the channel exists ({UnknownChannel}); payout not zero. Emits {ChannelPayoutChanged}.
    function setChannelPayout(uint256 channelId, address payout) external;

    /// @notice Stops a channel taking sales; what it earned stays owed to it.
    /// @dev Requirements: organizer; the channel exists and is open ({UnknownChannel}). Emits {ChannelClosed}.
    function closeChannel(uint256 channelId) external;

    /// @notice Counts the event in the caller's membership program at `membership` (the platform's
    /// ChainpassMembership): its purchases and check-ins earn the program's points, its tiers may
    /// give members perks, and the program may sign vouchers members redeem points for (it is
    /// given the voucher-signer role; a previous program loses it).
    /// @dev Requirements: organizer, with a program there ({UnknownProgram}); event live. Emits
    /// {MembershipSet} (and the program's {EventEnrolled}).
    function setMembership(address membership) external;

    /// @notice Sets a tier's member perks: members only from a level (a members' presale), and a
    /// discount and a higher per-wallet limit from a level. All zero: none.
    /// @dev Requirements: organizer; event live; a program ({NoMembershipProgram}); discount at most
    /// 100%, levels at most 8, a minimum level only for a members-only tier ({InvalidTierPerks}).
    /// Emits {TierPerksSet}.
    function setTierPerks(uint256 tierId, TierPerks calldata perks) external;
}
