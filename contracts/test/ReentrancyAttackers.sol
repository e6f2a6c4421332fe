// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC721Receiver} from "@openzeppelin/contracts/token/ERC721/IERC721Receiver.sol";

import {IChainpassEvent} from "../interfaces/IChainpassEvent.sol";
import {IEventTicketManager} from "../interfaces/IEventTicketManager.sol";
import {IEventTicketTreasury} from "../interfaces/IEventTicketTreasury.sol";

/// @dev Records what a re-entrant call attempted from `receive` returned.
abstract contract ReentrancyProbe {
    bytes4 public reentryError;
    uint256 public reentryAttempts;
    uint256 public received;

    function _attempt(address target, bytes memory data) internal {
        reentryAttempts++;
        (bool ok, bytes memory reason) = target.call(data);
        if (ok) reentryError = bytes4(0xffffffff); // the re-entry went through: the test fails on this
        else reentryError = bytes4(reason);
    }
}

/// @notice Holds two tickets; while its first refund is being paid, tries to claim the second.
contract ReentrantRefundClaimer is ReentrancyProbe, IERC721Receiver {
    IChainpassEvent public immutable ticket;
    uint256 private _nextTokenId;

    constructor(IChainpassEvent ticket_) {
        ticket = ticket_;
    }

    function buy(uint256 tierId, uint256 quantity) external payable {
        ticket.buy{value: msg.value}(tierId, quantity, address(this), msg.value);
    }

    function claim(uint256 tokenId, uint256 reenterWith) external {
        _nextTokenId = reenterWith;
        ticket.claimRefund(tokenId);
    }

    receive() external payable {
        received += msg.value;
        if (reentryAttempts == 0) _attempt(address(ticket), abi.encodeCall(IEventTicketManager.claimRefund, (_nextTokenId)));
    }

    function onERC721Received(address, address, uint256, bytes calldata) external pure returns (bytes4) {
        return IERC721Receiver.onERC721Received.selector;
    }
}

/// @notice A payout address (with the FINANCE role) that tries to withdraw again while being paid.
contract ReentrantPayout is ReentrancyProbe {
    IEventTicketTreasury public immutable ticket;

    constructor(IEventTicketTreasury ticket_) {
        ticket = ticket_;
    }

    function withdraw() external {
        ticket.withdraw();
    }

    receive() external payable {
        received += msg.value;
        if (reentryAttempts == 0) _attempt(address(ticket), abi.encodeCall(IEventTicketTreasury.withdraw, ()));
    }
}
