// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {MockUSDC} from "./MockUSDC.sol";

/// @notice MockUSDC that, like the real USDC, can block an address from receiving, so tests can
/// make a token transfer to a seller or holder fail. Not used for gas figures (the check costs).
contract MockBlocklistUSDC is MockUSDC {
    error Blocked(address account);

    mapping(address account => bool) public blocked;

    function setBlocked(address account, bool isBlocked) external {
        blocked[account] = isBlocked;
    }

    function _update(address from, address to, uint256 value) internal override {
        if (blocked[to]) revert Blocked(to);
        super._update(from, to, value);
    }
}
