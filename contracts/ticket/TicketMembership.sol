// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IChainpassMembership} from "../interfaces/IChainpassMembership.sol";
import {IEventTicketCatalog} from "../interfaces/IEventTicketCatalog.sol";
import {TierPerks} from "../interfaces/IEventTicketTypes.sol";
import {MemberPerks} from "../libraries/MemberPerks.sol";
import {TicketBase} from "./TicketBase.sol";

/// @title The event's place in its organizer's membership program, and each tier's member perks.
abstract contract TicketMembership is TicketBase, IEventTicketCatalog {
    uint256 private constant MAX_LEVEL = 8;

    /// @inheritdoc IEventTicketCatalog
    function setMembership(address membership) external onlyRole(ORGANIZER_ROLE) {
        _requireLive();
        address previous = _memberTerms.membership;
        // The program signs (ERC-1271) the vouchers its members redeem points for.
        if (previous != address(0)) _revokeRole(VOUCHER_SIGNER_ROLE, previous);
        _memberTerms.membership = membership;
        _grantRole(VOUCHER_SIGNER_ROLE, membership);
        // The program must be the caller's own: the membership contract files the event under it.
        IChainpassMembership(membership).enroll(msg.sender);
        emit MembershipSet(membership);
    }

    /// @inheritdoc IEventTicketCatalog
    function setTierPerks(uint256 tierId, TierPerks calldata perks) external onlyRole(ORGANIZER_ROLE) {
        _requireLive();
        _requireTier(tierId);
        if (_memberTerms.membership == address(0)) revert NoMembershipProgram();
        if (
            perks.discountBps > BPS || perks.minLevel > MAX_LEVEL || perks.perkLevel > MAX_LEVEL
                || (!perks.membersOnly && perks.minLevel != 0)
        ) revert InvalidTierPerks(tierId);
        uint256 word = MemberPerks.pack(perks);
        _memberTerms.tierPerks[tierId] = word;
        TierState storage t = _tiers[tierId];
        uint8 flags = t.flags & ~(TIER_MEMBER_PERKS | TIER_MEMBERS_ONLY);
        if (word & MemberPerks.HAS_PERK != 0 || perks.membersOnly) flags |= TIER_MEMBER_PERKS;
        if (perks.membersOnly) flags |= TIER_MEMBERS_ONLY;
        t.flags = flags;
        emit TierPerksSet(
            tierId, perks.membersOnly, perks.minLevel, perks.perkLevel, perks.discountBps, perks.extraPerWallet
        );
    }
}
