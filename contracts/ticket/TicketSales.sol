// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";

import {IChainpassMembership} from "../interfaces/IChainpassMembership.sol";
import {IEventTicket} from "../interfaces/IEventTicket.sol";
import {PurchaseOptions, TransferPolicy} from "../interfaces/IEventTicketTypes.sol";
import {TicketVouchers} from "./TicketVouchers.sol";

/// @title Primary sale: plain purchases, and purchases with seats, an allowlist proof or a voucher.
abstract contract TicketSales is TicketVouchers, IEventTicket {
    /// @inheritdoc IEventTicket
    function buy(uint256 tierId, uint256 quantity, address recipient, uint256 maxTotal)
        external
        payable
        nonReentrant
        returns (uint256 firstTokenId)
    {
        return _buy(tierId, quantity, recipient, maxTotal, 0);
    }

    /// @inheritdoc IEventTicket
    function buyThrough(uint256 tierId, uint256 quantity, address recipient, uint256 maxTotal, uint256 channelId)
        external
        payable
        nonReentrant
        returns (uint256 firstTokenId)
    {
        return _buy(tierId, quantity, recipient, maxTotal, channelId);
    }

    function _buy(uint256 tierId, uint256 quantity, address recipient, uint256 maxTotal, uint256 channelId)
        private
        returns (uint256 firstTokenId)
    {
        (TierState memory t, bool presale) = _openTier(tierId);
        if (presale) revert NotOnAllowlist(tierId, msg.sender);
        if (t.flags & TIER_SEATED != 0) revert SeatSelectionRequired(tierId);
        if (t.calendar != 0) revert SlotSelectionRequired(tierId);
        _requireSupply(tierId, t, quantity);
        if (t.maxPerWallet != 0) _countPurchase(tierId, recipient, quantity, t.maxPerWallet, false, 0);
        uint256 unitPrice = _listPrice(tierId, t);
        firstTokenId = _mintSerials(tierId, t, quantity, recipient, unitPrice, 0, channelId);
        if (channelId != 0) _creditChannel(channelId, firstTokenId, quantity, unitPrice);
        _charge(unitPrice * quantity, maxTotal);
    }

    /// @inheritdoc IEventTicket
    function buySlot(
        uint256 slot,
        uint256[] calldata tierIds,
        uint256[] calldata quantities,
        address recipient,
        uint256 maxTotal
    ) external payable nonReentrant returns (uint256 firstTokenId) {
        if (tierIds.length != quantities.length) revert InvalidQuantity(quantities.length);
        uint256 calendarId;
        uint256 total;
        uint256 places;
        for (uint256 i; i < tierIds.length; ++i) {
            uint256 tierId = tierIds[i];
            uint256 quantity = quantities[i];
            (TierState memory t, bool presale) = _openTier(tierId);
            if (presale) revert NotOnAllowlist(tierId, msg.sender);
            if (i == 0) {
                calendarId = t.calendar;
                // The slot is checked after the mints (with the places they add up to); one far
                // past any calendar must not overflow the token ids first (a panic, not a reason).
                if (slot >> 32 != 0) revert SlotNotOffered(calendarId, slot);
            }
            if (t.calendar == 0 || t.calendar != calendarId) revert TierNotOnCalendar(tierId, calendarId);
            if (t.flags & TIER_SEATED != 0) revert SeatSelectionRequired(tierId);
            _requireSupply(tierId, t, quantity);
            if (t.maxPerWallet != 0) _countPurchase(tierId, recipient, quantity, t.maxPerWallet, false, 0);
            uint256 unitPrice = _listPrice(tierId, t);
            uint256 first = _mintSerials(tierId, t, quantity, recipient, unitPrice, slot * TOKENS_PER_SLOT, 0);
            if (i == 0) firstTokenId = first;
            total += unitPrice * quantity;
            places += quantity;
        }
        if (places == 0) revert InvalidQuantity(0);
        _openSlot(calendarId, slot, places);
        _charge(total, maxTotal);
    }

    /// @inheritdoc IEventTicket
    function buyWith(uint256 tierId, uint256 quantity, address recipient, PurchaseOptions calldata options)
        external
        payable
        nonReentrant
        returns (uint256 firstTokenId)
    {
        (TierState memory t, bool presale) = _openTier(tierId);
        if (presale) {
            // The buyer's own leaf, and its own allowance spent: nobody can use up a listed
            // wallet's allowance by buying for it. StandardMerkleTree leaf:
            // keccak256(bytes.concat(keccak256(abi.encode(address, uint256)))).
            bytes32 leaf = keccak256(bytes.concat(keccak256(abi.encode(msg.sender, options.allowance))));
            if (!MerkleProof.verifyCalldata(options.proof, _presaleRoots[tierId], leaf)) {
                revert NotOnAllowlist(tierId, msg.sender);
            }
        }
        bool seated = t.flags & TIER_SEATED != 0;
        if (seated && options.seats.length != quantity) revert SeatSelectionRequired(tierId);
        if (!seated && options.seats.length != 0) revert NotSeatedTier(tierId);
        uint256 slot = options.slot;
        if (t.calendar != 0) {
            if (slot == 0) revert SlotSelectionRequired(tierId);
            _openSlot(t.calendar, slot, quantity);
        } else if (slot != 0) {
            revert TierNotOnCalendar(tierId, 0);
        }
        // A seated calendar tier (a run) sells its seat map once per slot (performance): the seat
        // bitmap, keyed by token id, is the limit there, not the tier's supply.
        if (!seated || slot == 0) _requireSupply(tierId, t, quantity);
        // The presale allowance is the buyer's; the per-wallet limit the recipient's (one count
        // when they are the same wallet). What others buy for a wallet in the presale is counted
        // apart, so it never spends that wallet's own allowance.
        (uint256 unitPrice, uint256 limit) = _termsOf(tierId, t, quantity, options);
        bool separate = presale && recipient != msg.sender;
        if (presale) _countPurchase(tierId, msg.sender, quantity, separate ? 0 : limit, true, options.allowance);
        if (limit != 0) {
            if (separate) _countPresaleReceipt(tierId, recipient, quantity, limit);
            else if (!presale) _countPurchase(tierId, recipient, quantity, limit, false, 0);
        }
        uint256 channelId = options.channel;
        firstTokenId = seated
            ? _sellSeats(tierId, t, options.seats, recipient, unitPrice, slot, channelId)
            : _mintSerials(tierId, t, quantity, recipient, unitPrice, slot * TOKENS_PER_SLOT, channelId);
        if (channelId != 0) _creditChannel(channelId, firstTokenId, quantity, unitPrice);
        _charge(unitPrice * quantity, options.maxTotal);
    }

    /// @dev Checks that `tierId` can be bought from now by the caller; `presale` is true when only
    /// allowlisted wallets can buy (the tier's presale runs and its public sale has not opened).
    function _openTier(uint256 tierId) private view returns (TierState memory t, bool presale) {
        _requireNotCancelled();
        _requireNotDenied(msg.sender);
        t = _tiers[tierId];
        if (t.saleEnd == 0) revert UnknownTier(tierId);
        if (t.flags & (TIER_PAUSED | TIER_MEMBERS_ONLY) != 0) {
            if (t.flags & TIER_PAUSED != 0) revert TierIsPaused(tierId);
            // Only `buyWith` carries a member's proof (the membership contract checks it there).
            if (msg.sig != this.buyWith.selector) revert MembersOnly(tierId);
        }
        if (block.timestamp >= t.saleStart && block.timestamp < t.saleEnd) return (t, false);
        if (t.flags & TIER_HAS_OPTIONS != 0) {
            uint40 presaleStart = _tierExtras[tierId].presaleStart;
            if (presaleStart != 0 && block.timestamp >= presaleStart && block.timestamp < t.saleStart) {
                return (t, true);
            }
        }
        revert SaleNotOpen(tierId, t.saleStart, t.saleEnd);
    }

    /// @dev The unit price the buyer pays (a voucher's, then their membership's discount and points)
    /// and the tier's per-wallet limit for them (a member's level may lift it).
    function _termsOf(uint256 tierId, TierState memory t, uint256 quantity, PurchaseOptions calldata options)
        private
        returns (uint256 unitPrice, uint256 limit)
    {
        unitPrice = _listPrice(tierId, t);
        if (options.voucher.codeId != 0) {
            unitPrice = _redeemVoucher(options.voucher, options.voucherSignature, tierId, quantity, unitPrice);
        }
        limit = t.maxPerWallet;
        if (t.flags & TIER_MEMBER_PERKS != 0 || options.member.length != 0) {
            address membership = _memberTerms.membership;
            if (membership == address(0)) revert NoMembershipProgram();
            uint256 extra;
            (unitPrice, extra) = IChainpassMembership(membership).terms(
                _memberTerms.tierPerks[tierId], msg.sender, unitPrice, quantity, _event.currency, options.member
            );
            if (limit != 0) limit += extra;
        }
    }

    function _requireSupply(uint256 tierId, TierState memory t, uint256 quantity) private pure {
        if (quantity == 0) revert InvalidQuantity(quantity);
        uint256 remaining = t.supply - t.sold;
        if (quantity > remaining) revert SoldOut(tierId, quantity, remaining);
    }

    /// @dev Counts tickets another wallet bought for `wallet` during the presale against its
    /// per-wallet limit (not its allowance).
    function _countPresaleReceipt(uint256 tierId, address wallet, uint256 quantity, uint256 limit) private {
        bytes32 slot = _accountSlot(wallet);
        uint256 account = _load(slot);
        (uint256 bought,,) = _purchaseEntry(account, tierId, wallet);
        uint256 received = _presaleReceived(account, tierId, wallet);
        _requireWithinLimit(tierId, wallet, quantity, limit, bought + received);
        _purchased[tierId | PRESALE_RECEIVED_KEY][wallet] = received + quantity;
        if (account & ACCOUNT_PRESALE_RECEIVED == 0) _store(slot, account | ACCOUNT_PRESALE_RECEIVED);
    }

    /// @dev Mints `quantity` consecutive serials of the tier, from `base` (a slot's offset, or 0),
    /// sold through `channelId` (0: none).
    function _mintSerials(
        uint256 tierId,
        TierState memory t,
        uint256 quantity,
        address recipient,
        uint256 unitPrice,
        uint256 base,
        uint256 channelId
    ) private returns (uint256 firstTokenId) {
        _tiers[tierId].sold = t.sold + uint24(quantity);
        firstTokenId = base + _tokenId(tierId, uint256(t.sold) + 1);
        (bool recordPrice, bool soulbound) = _mintFlags(unitPrice, t.price);
        for (uint256 tokenId = firstTokenId; tokenId < firstTokenId + quantity; ++tokenId) {
            _mintTicket(recipient, tokenId, unitPrice, recordPrice, soulbound, channelId);
        }
        _recordSale(tierId, t, firstTokenId, quantity, recipient, unitPrice);
    }

    function _sellSeats(
        uint256 tierId,
        TierState memory t,
        uint256[] calldata seats,
        address recipient,
        uint256 unitPrice,
        uint256 slot,
        uint256 channelId
    ) private returns (uint256 firstTokenId) {
        _tiers[tierId].sold = t.sold + uint24(seats.length);
        (bool recordPrice, bool soulbound) = _mintFlags(unitPrice, t.price);
        for (uint256 i; i < seats.length; ++i) {
            uint256 tokenId = _takeSeat(tierId, slot, seats[i], t.supply);
            if (i == 0) firstTokenId = tokenId;
            _mintTicket(recipient, tokenId, unitPrice, recordPrice, soulbound, channelId);
        }
        _recordSale(tierId, t, firstTokenId, seats.length, recipient, unitPrice);
    }

    /// @dev The price is recorded only when it differs from the tier's, so plain sales stay cheap.
    function _mintFlags(uint256 unitPrice, uint256 tierPrice) private view returns (bool recordPrice, bool soulbound) {
        return (unitPrice != tierPrice, _event.policy == TransferPolicy.Locked);
    }

    function _recordSale(
        uint256 tierId,
        TierState memory t,
        uint256 firstTokenId,
        uint256 quantity,
        address recipient,
        uint256 unitPrice
    ) private {
        // A price other than the tier's goes into the refund books (plain sales write nothing).
        if (unitPrice != t.price) {
            _tierBooks[tierId].recordedDelta += int192((int256(unitPrice) - int256(uint256(t.price))) * int256(quantity));
        }
        emit TicketsPurchased(msg.sender, recipient, tierId, firstTokenId, quantity, unitPrice * quantity);
    }

    /// @dev Takes the purchase's `total` from the buyer, at most `maxTotal`.
    function _charge(uint256 total, uint256 maxTotal) private {
        if (total > maxTotal) revert PriceAboveLimit(total, maxTotal);
        _collect(_event.currency, msg.sender, total);
    }
}
