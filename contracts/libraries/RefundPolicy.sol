// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {RefundStep} from "../interfaces/IEventTicketTypes.sol";

/// @title An event's refund policy in one storage word, and what it refunds when.
/// @dev Word: [exchanges: bit 255][unused][step count: bits 192-199][4 steps of 48 bits from bit 0,
/// each (shareBps: 16 bits << 32) | secondsBefore: 32 bits]. Steps run from the earliest deadline
/// (largest `secondsBefore`, largest share) to the latest, so the first step whose deadline has
/// not passed is the share that applies. A zero word offers nothing: no returns, no exchanges.
library RefundPolicy {
    uint256 internal constant MAX_STEPS = 4;
    uint256 internal constant FULL_BPS = 10_000;
    uint256 private constant EXCHANGES = 1 << 255;
    uint256 private constant COUNT_SHIFT = 192;
    uint256 private constant STEP_BITS = 48;

    /// @dev Packs `steps` after checking their shape; returns the index of the first bad step
    /// (`type(uint256).max` when all are good) rather than reverting, so callers name it.
    function pack(RefundStep[] calldata steps, bool withExchanges) internal pure returns (uint256 word, uint256 bad) {
        uint256 n = steps.length;
        if (n > MAX_STEPS) return (0, MAX_STEPS);
        for (uint256 i; i < n; ++i) {
            RefundStep calldata s = steps[i];
            if (s.shareBps == 0 || s.shareBps > FULL_BPS) return (0, i);
            if (i != 0 && (s.secondsBefore >= steps[i - 1].secondsBefore || s.shareBps >= steps[i - 1].shareBps)) {
                return (0, i);
            }
            word |= ((uint256(s.shareBps) << 32) | s.secondsBefore) << (i * STEP_BITS);
        }
        word |= n << COUNT_SHIFT;
        if (withExchanges) word |= EXCHANGES;
        bad = type(uint256).max;
    }

    function count(uint256 word) internal pure returns (uint256) {
        return (word >> COUNT_SHIFT) & 0xff;
    }

    function offersExchanges(uint256 word) internal pure returns (bool) {
        return word & EXCHANGES != 0;
    }

    function stepAt(uint256 word, uint256 i) internal pure returns (uint256 secondsBefore, uint256 shareBps) {
        uint256 bits = word >> (i * STEP_BITS);
        return (bits & 0xffffffff, (bits >> 32) & 0xffff);
    }

    /// @dev The share refunded at `time` for a ticket starting at `start`, and until when it
    /// applies (`until`); (0, last deadline) once every deadline has passed, (0, 0) with no steps.
    function shareAt(uint256 word, uint256 start, uint256 time) internal pure returns (uint256 shareBps, uint256 until) {
        uint256 n = count(word);
        for (uint256 i; i < n; ++i) {
            (uint256 before, uint256 share) = stepAt(word, i);
            // A deadline before the epoch (a start closer to 0 than `before`) has always passed.
            if (start < before) continue;
            until = start - before;
            if (time <= until) return (share, until);
        }
        return (0, until);
    }

    /// @dev The share `word` refunds `secondsBefore` seconds before the start.
    function shareBefore(uint256 word, uint256 secondsBefore) internal pure returns (uint256) {
        uint256 n = count(word);
        for (uint256 i; i < n; ++i) {
            (uint256 before, uint256 share) = stepAt(word, i);
            if (secondsBefore >= before) return share;
        }
        return 0;
    }

    /// @dev Whether `next` refunds at least what `current` does at every moment, and keeps
    /// exchanges if offered. Both are step functions that only grow with the time left, so it is
    /// enough to compare at each of `current`'s deadlines. Returns the first step that would get
    /// worse, or `type(uint256).max`.
    function firstWorse(uint256 current, uint256 next) internal pure returns (uint256) {
        uint256 n = count(current);
        for (uint256 i; i < n; ++i) {
            (uint256 before, uint256 share) = stepAt(current, i);
            if (shareBefore(next, before) < share) return i;
        }
        return type(uint256).max;
    }

    function unpack(uint256 word) internal pure returns (RefundStep[] memory steps, bool withExchanges) {
        uint256 n = count(word);
        steps = new RefundStep[](n);
        for (uint256 i; i < n; ++i) {
            (uint256 before, uint256 share) = stepAt(word, i);
            steps[i] = RefundStep({secondsBefore: uint32(before), shareBps: uint16(share)});
        }
        withExchanges = offersExchanges(word);
    }
}
