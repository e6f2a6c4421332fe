// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @notice The few cheatcodes the Solidity tests use, at the standard cheatcode address.
/// forge-std is not installable from npm here, so tests declare what they need.
interface Vm {
    function warp(uint256 timestamp) external;
    function roll(uint256 blockNumber) external;
    function deal(address account, uint256 balance) external;
    function prank(address sender) external;
    function startPrank(address sender) external;
    function stopPrank() external;
    function expectRevert(bytes calldata revertData) external;
    function assume(bool condition) external pure;
}

Vm constant VM = Vm(address(uint160(uint256(keccak256("hevm cheat code")))));
