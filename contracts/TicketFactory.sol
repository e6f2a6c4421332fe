// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Ownable, Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";
import {Clones} from "@openzeppelin/contracts/proxy/Clones.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Address} from "@openzeppelin/contracts/utils/Address.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

import {IEventTicketManager} from "./interfaces/IEventTicketManager.sol";
import {EventParams, TierParams} from "./interfaces/IEventTicketTypes.sol";
import {ITicketFactory} from "./interfaces/ITicketFactory.sol";

/// @title Chainpass registry: deploys each event as a clone of one locked EventTicket implementation.
/// @notice The platform's fee and the escrow delay are set here and fixed into each event at
/// creation; the platform decides which currencies events may sell in, and who may cancel an
/// event for a dispute. The implementation (with EventTicketManager and EventTicketViews behind
/// it) is deployed beforehand and passed in, so each contract stays well under the size limit.
contract TicketFactory is ITicketFactory, Ownable2Step, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    uint16 public constant MAX_PLATFORM_FEE_BPS = 1_000;
    uint24 public constant MAX_SETTLEMENT_DELAY = 30 days;

    /// @inheritdoc ITicketFactory
    address public immutable implementation;

    struct Platform {
        address feeRecipient;
        uint16 feeBps;
        uint24 settlementDelay;
    }

    Platform private _platform;
    address[] private _events;
    mapping(address organizer => address[]) private _eventsByOrganizer;
    mapping(address currency => bool) private _currencyAllowed;
    /// @inheritdoc ITicketFactory
    address public arbiter;

    /// @param implementation_ A deployed EventTicket; clones of it are initialized by this factory only.
    /// @param currencies The currencies events may sell in at first (address(0): ETH).
    constructor(
        address owner,
        address implementation_,
        address feeRecipient_,
        uint16 feeBps_,
        uint24 delay_,
        address[] memory currencies
    ) Ownable(owner) {
        implementation = implementation_;
        _setFeeRecipient(feeRecipient_);
        _setPlatformFee(feeBps_);
        _setSettlementDelay(delay_);
        for (uint256 i; i < currencies.length; ++i) {
            _currencyAllowed[currencies[i]] = true;
            emit CurrencyAllowed(currencies[i], true);
        }
    }

    /// @notice Platform fees arrive here from event withdrawals; accepting ETH never fails.
    receive() external payable {}

    /// @inheritdoc ITicketFactory
    function createEvent(EventParams calldata params, TierParams[] calldata tiers, uint16 maxPlatformFeeBps)
        external
        returns (address ticket)
    {
        Platform memory p = _platform;
        if (!_currencyAllowed[params.currency]) revert CurrencyNotAllowed(params.currency);
        if (p.feeBps > maxPlatformFeeBps) revert PlatformFeeAboveLimit(p.feeBps, maxPlatformFeeBps);
        // The factory's address and the metadata URI travel in the clone's code (200 gas a byte)
        // instead of storage slots: the event reads whom it pays fees to and answers to from there.
        ticket = Clones.cloneWithImmutableArgs(implementation, abi.encodePacked(address(this), params.metadataURI));
        uint256 eventId = _events.length;
        _events.push(ticket);
        _eventsByOrganizer[msg.sender].push(ticket);
        emit EventCreated(eventId, ticket, msg.sender, params, p.feeBps, p.settlementDelay);
        IEventTicketManager(ticket).initialize(msg.sender, params, tiers, p.feeBps, p.settlementDelay);
    }

    /// @inheritdoc ITicketFactory
    function setCurrencyAllowed(address currency, bool allowed) external onlyOwner {
        _currencyAllowed[currency] = allowed;
        emit CurrencyAllowed(currency, allowed);
    }

    /// @inheritdoc ITicketFactory
    function isCurrencyAllowed(address currency) external view returns (bool) {
        return _currencyAllowed[currency];
    }

    /// @inheritdoc ITicketFactory
    function setArbiter(address arbiter_) external onlyOwner {
        arbiter = arbiter_;
        emit ArbiterChanged(arbiter_);
    }

    /// @inheritdoc ITicketFactory
    function setPlatformFee(uint16 feeBps) external onlyOwner {
        _setPlatformFee(feeBps);
    }

    /// @inheritdoc ITicketFactory
    function setFeeRecipient(address recipient) external onlyOwner {
        _setFeeRecipient(recipient);
    }

    /// @inheritdoc ITicketFactory
    function setSettlementDelay(uint24 delay) external onlyOwner {
        _setSettlementDelay(delay);
    }

    /// @inheritdoc ITicketFactory
    function withdrawFees(address currency) external nonReentrant {
        address recipient = _platform.feeRecipient;
        uint256 amount = currency == address(0) ? address(this).balance : IERC20(currency).balanceOf(address(this));
        emit FeesWithdrawn(currency, recipient, amount);
        if (currency == address(0)) Address.sendValue(payable(recipient), amount);
        else IERC20(currency).safeTransfer(recipient, amount);
    }

    /// @inheritdoc ITicketFactory
    function platformFeeBps() external view returns (uint16) {
        return _platform.feeBps;
    }

    /// @inheritdoc ITicketFactory
    function feeRecipient() external view returns (address) {
        return _platform.feeRecipient;
    }

    /// @inheritdoc ITicketFactory
    function settlementDelay() external view returns (uint24) {
        return _platform.settlementDelay;
    }

    /// @inheritdoc ITicketFactory
    function eventCount() external view returns (uint256) {
        return _events.length;
    }

    /// @inheritdoc ITicketFactory
    function eventAt(uint256 index) external view returns (address) {
        if (index >= _events.length) revert EventIndexOutOfRange(index, _events.length);
        return _events[index];
    }

    /// @inheritdoc ITicketFactory
    function eventsOf(address organizer) external view returns (address[] memory) {
        return _eventsByOrganizer[organizer];
    }

    function _setPlatformFee(uint16 feeBps) private {
        if (feeBps > MAX_PLATFORM_FEE_BPS) revert PlatformFeeTooHigh(feeBps, MAX_PLATFORM_FEE_BPS);
        _platform.feeBps = feeBps;
        emit PlatformFeeChanged(feeBps);
    }

    function _setFeeRecipient(address recipient) private {
        if (recipient == address(0)) revert InvalidFeeRecipient(recipient);
        _platform.feeRecipient = recipient;
        emit FeeRecipientChanged(recipient);
    }

    function _setSettlementDelay(uint24 delay) private {
        if (delay > MAX_SETTLEMENT_DELAY) revert SettlementDelayTooLong(delay, MAX_SETTLEMENT_DELAY);
        _platform.settlementDelay = delay;
        emit SettlementDelayChanged(delay);
    }
}
