// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC1271} from "@openzeppelin/contracts/interfaces/IERC1271.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";

import {IChainpassEvent} from "../interfaces/IChainpassEvent.sol";

/// @notice A ticket holder whose receive() reverts until told otherwise: a resale to or refund
/// of it must still go through (it gets credited instead).
contract RefusingHolder {
    IChainpassEvent public immutable ticket;
    bool public accepting;

    constructor(IChainpassEvent ticket_) {
        ticket = ticket_;
    }

    function buy(uint256 tierId, uint256 quantity) external payable {
        ticket.buy{value: msg.value}(tierId, quantity, address(this), msg.value);
    }

    function list(uint256 tokenId, uint256 price) external {
        ticket.list(tokenId, price);
    }

    function setAccepting(bool accepting_) external {
        accepting = accepting_;
    }

    function withdrawCredits() external {
        ticket.withdrawCredits();
    }

    function withdrawCreditsTo(address recipient) external {
        ticket.withdrawCreditsTo(recipient);
    }

    receive() external payable {
        if (!accepting) revert("no thanks");
    }
}

/// @notice A minimal smart-contract wallet: valid signatures are its owner's (EIP-1271).
contract MockERC1271Wallet is IERC1271 {
    address public immutable owner;

    constructor(address owner_) {
        owner = owner_;
    }

    function isValidSignature(bytes32 hash, bytes calldata signature) external view returns (bytes4) {
        return ECDSA.recover(hash, signature) == owner ? IERC1271.isValidSignature.selector : bytes4(0xffffffff);
    }
}
