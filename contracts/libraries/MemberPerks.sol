// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {TierPerks} from "../interfaces/IEventTicketTypes.sol";

/// @title A tier's membership perks in one word: what the event stores and hands the membership
/// contract at purchase.
/// @dev bits 0-7 minLevel, 8-15 perkLevel, 16-31 discountBps, 32-47 extraPerWallet, 48 membersOnly,
/// 49 has a perk (so an all-zero perk still reads as "none").
library MemberPerks {
    uint256 internal constant MEMBERS_ONLY = 1 << 48;
    uint256 internal constant HAS_PERK = 1 << 49;

    function pack(TierPerks memory p) internal pure returns (uint256 word) {
        word = uint256(p.minLevel) | uint256(p.perkLevel) << 8 | uint256(p.discountBps) << 16
            | uint256(p.extraPerWallet) << 32;
        if (p.membersOnly) word |= MEMBERS_ONLY;
        if (p.discountBps != 0 || p.extraPerWallet != 0) word |= HAS_PERK;
    }

    function unpack(uint256 word) internal pure returns (TierPerks memory p) {
        p.minLevel = uint8(word);
        p.perkLevel = uint8(word >> 8);
        p.discountBps = uint16(word >> 16);
        p.extraPerWallet = uint16(word >> 32);
        p.membersOnly = word & MEMBERS_ONLY != 0;
    }
}
