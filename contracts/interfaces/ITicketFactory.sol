// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {EventParams, TierParams} from "./IEventTicketTypes.sol";

/// @title Creates Chainpass events as EIP-1167 clones of one EventTicket implementation.
interface ITicketFactory {
    error PlatformFeeTooHigh(uint256 feeBps, uint256 maxBps);
    error SettlementDelayTooLong(uint256 delay, uint256 maxDelay);
    error InvalidFeeRecipient(address recipient);
    error EventIndexOutOfRange(uint256 index, uint256 count);
    /// @notice Events may sell only in currencies the platform allows (ETH and vetted stablecoins).
    error CurrencyNotAllowed(address currency);
    /// @notice The platform fee is above what the organizer accepted when creating the event.
    error PlatformFeeAboveLimit(uint256 feeBps, uint256 maxFeeBps);

    /// @notice A new event. Carries every field an indexer needs; the clone's own {TierAdded}
    /// events follow in the same transaction.
    event EventCreated(
        uint256 indexed eventId,
        address indexed ticket,
        address indexed organizer,
        EventParams params,
        uint16 platformFeeBps,
        uint24 settlementDelay
    );
    event PlatformFeeChanged(uint16 feeBps);
    event FeeRecipientChanged(address indexed recipient);
    event SettlementDelayChanged(uint24 delay);
    event FeesWithdrawn(address indexed currency, address indexed recipient, uint256 amount);
    event CurrencyAllowed(address indexed currency, bool allowed);
    /// @notice Who, besides the owner, may cancel any event for a dispute (see the event's `cancel`).
    event ArbiterChanged(address indexed arbiter);

    /// @notice Deploys and initializes a new event whose organizer is the caller.
    /// @dev The platform fee and settlement delay in force now are fixed for the event's life.
    /// Requirements: the currency is allowed; the fee is at most `maxPlatformFeeBps` (so a fee
    /// raised just before the transaction cannot surprise the organizer).
    /// Emits {EventCreated}, then the clone's {IEventTicket-TierAdded} events.
    /// @param params Event data; validated by the clone.
    /// @param tiers The first ticket types (more can be added later).
    /// @param maxPlatformFeeBps The highest platform fee the organizer accepts.
    /// @return ticket The new event's ERC-721 contract.
    function createEvent(EventParams calldata params, TierParams[] calldata tiers, uint16 maxPlatformFeeBps)
        external
        returns (address ticket);

    /// @notice Allows or disallows a currency for new events (address(0): ETH). Existing events
    /// keep theirs. Emits {CurrencyAllowed}.
    function setCurrencyAllowed(address currency, bool allowed) external;

    function isCurrencyAllowed(address currency) external view returns (bool);

    /// @notice Appoints who may cancel any event for a dispute besides the owner (address(0):
    /// the owner alone; a multisig in production). Emits {ArbiterChanged}.
    function setArbiter(address arbiter) external;

    function arbiter() external view returns (address);

    /// @notice Sets the platform fee on primary proceeds of events created from now on.
    /// @dev Requirements: owner; `feeBps <= MAX_PLATFORM_FEE_BPS`. Emits {PlatformFeeChanged}.
    function setPlatformFee(uint16 feeBps) external;

    /// @notice Sets who receives platform fees. Emits {FeeRecipientChanged}.
    function setFeeRecipient(address recipient) external;

    /// @notice Sets the escrow delay after an event's end for events created from now on.
    /// @dev Requirements: owner; `delay <= MAX_SETTLEMENT_DELAY`. Emits {SettlementDelayChanged}.
    function setSettlementDelay(uint24 delay) external;

    /// @notice Sends the fees collected in `currency` (address(0) for ETH) to the fee recipient.
    /// Anyone may call; the money only ever goes to the recipient. Emits {FeesWithdrawn}.
    function withdrawFees(address currency) external;

    /// @notice The EventTicket every event is a clone of (it delegates the organizer functions and
    /// views to EventTicketManager and EventTicketViews, deployed beside it).
    function implementation() external view returns (address);
    function platformFeeBps() external view returns (uint16);
    function feeRecipient() external view returns (address);
    function settlementDelay() external view returns (uint24);
    function eventCount() external view returns (uint256);
    function eventAt(uint256 index) external view returns (address);
    /// @notice Events created by `organizer`, in creation order.
    function eventsOf(address organizer) external view returns (address[] memory);
}
