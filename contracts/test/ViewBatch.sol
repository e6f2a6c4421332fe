// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @notice Test helper: runs many read calls against one contract in a single eth_call, keeping
/// each call's outcome (success flag, and the return data or the revert data). The differential
/// test reads every view of an event after every step through it; one eth_call instead of a
/// thousand keeps that fast.
contract ViewBatch {
    struct Outcome {
        bool success;
        bytes data;
    }

    function read(address target, bytes[] calldata calls) external view returns (Outcome[] memory outcomes) {
        outcomes = new Outcome[](calls.length);
        for (uint256 i; i < calls.length; ++i) {
            (bool success, bytes memory data) = target.staticcall(calls[i]);
            outcomes[i] = Outcome(success, data);
        }
    }
}
