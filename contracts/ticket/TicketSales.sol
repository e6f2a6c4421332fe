// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";

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
        (TierState memory t, bool presale) = _openTier(tierId);
        if (presale) revert NotOnAllowlist(tierId, msg.sender);
        if (t.flags & TIER_SEATED != 0) revert SeatSelectionRequired(tierId);
        _requireSupply(tierId, t, quantity);
        if (t.maxPerWallet != 0) _countPurchase(tierId, recipient, quantity, t.maxPerWallet, false, 0);
        firstTokenId = _sellSerials(tierId, t, quantity, recipient, _listPrice(tierId, t), maxTotal);
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
        _requireSupply(tierId, t, quantity);
        // The presale allowance is the buyer's; the per-wallet limit the recipient's (one count
        // when they are the same wallet). What others buy for a wallet in the presale is counted
        // apart, so it never spends that wallet's own allowance.
        bool separate = presale && recipient != msg.sender;
        if (presale) _countPurchase(tierId, msg.sender, quantity, separate ? 0 : t.maxPerWallet, true, options.allowance);
        if (t.maxPerWallet != 0) {
            if (separate) _countPresaleReceipt(tierId, recipient, quantity, t.maxPerWallet);
            else if (!presale) _countPurchase(tierId, recipient, quantity, t.maxPerWallet, false, 0);
        }
        uint256 unitPrice = _listPrice(tierId, t);
        if (options.voucher.codeId != 0) {
            unitPrice = _redeemVoucher(options.voucher, options.voucherSignature, tierId, quantity, unitPrice);
        }
        firstTokenId = seated
            ? _sellSeats(tierId, t, options.seats, recipient, unitPrice, options.maxTotal)
            : _sellSerials(tierId, t, quantity, recipient, unitPrice, options.maxTotal);
    }

    /// @dev Checks that `tierId` can be bought from now by the caller; `presale` is true when only
    /// allowlisted wallets can buy (the tier's presale runs and its public sale has not opened).
    function _openTier(uint256 tierId) private view returns (TierState memory t, bool presale) {
        _requireNotCancelled();
        _requireNotDenied(msg.sender);
        t = _tiers[tierId];
        if (t.saleEnd == 0) revert UnknownTier(tierId);
        if (t.flags & TIER_PAUSED != 0) revert TierIsPaused(tierId);
        if (block.timestamp >= t.saleStart && block.timestamp < t.saleEnd) return (t, false);
        if (t.flags & TIER_HAS_OPTIONS != 0) {
            uint40 presaleStart = _tierExtras[tierId].presaleStart;
            if (presaleStart != 0 && block.timestamp >= presaleStart && block.timestamp < t.saleStart) {
                return (t, true);
            }
        }
        revert SaleNotOpen(tierId, t.saleStart, t.saleEnd);
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

    function _sellSerials(
        uint256 tierId,
        TierState memory t,
        uint256 quantity,
        address recipient,
        uint256 unitPrice,
        uint256 maxTotal
    ) private returns (uint256 firstTokenId) {
        _tiers[tierId].sold = t.sold + uint24(quantity);
        firstTokenId = _tokenId(tierId, uint256(t.sold) + 1);
        (bool recordPrice, bool soulbound) = _mintFlags(unitPrice, t.price);
        for (uint256 tokenId = firstTokenId; tokenId < firstTokenId + quantity; ++tokenId) {
            _mintTicket(recipient, tokenId, unitPrice, recordPrice, soulbound);
        }
        _settleSale(tierId, t, firstTokenId, quantity, recipient, unitPrice, maxTotal);
    }

    function _sellSeats(
        uint256 tierId,
        TierState memory t,
        uint256[] calldata seats,
        address recipient,
        uint256 unitPrice,
        uint256 maxTotal
    ) private returns (uint256 firstTokenId) {
        _tiers[tierId].sold = t.sold + uint24(seats.length);
        (bool recordPrice, bool soulbound) = _mintFlags(unitPrice, t.price);
        for (uint256 i; i < seats.length; ++i) {
            uint256 tokenId = _takeSeat(tierId, seats[i], t.supply);
            if (i == 0) firstTokenId = tokenId;
            _mintTicket(recipient, tokenId, unitPrice, recordPrice, soulbound);
        }
        _settleSale(tierId, t, firstTokenId, seats.length, recipient, unitPrice, maxTotal);
    }

    /// @dev The price is recorded only when it differs from the tier's, so plain sales stay cheap.
    function _mintFlags(uint256 unitPrice, uint256 tierPrice) private view returns (bool recordPrice, bool soulbound) {
        return (unitPrice != tierPrice, _event.policy == TransferPolicy.Locked);
    }

    function _settleSale(
        uint256 tierId,
        TierState memory t,
        uint256 firstTokenId,
        uint256 quantity,
        address recipient,
        uint256 unitPrice,
        uint256 maxTotal
    ) private {
        uint256 total = unitPrice * quantity;
        if (total > maxTotal) revert PriceAboveLimit(total, maxTotal);
        // A price other than the tier's goes into the refund books (plain sales write nothing).
        if (unitPrice != t.price) {
            _tierBooks[tierId].recordedDelta += int192((int256(unitPrice) - int256(uint256(t.price))) * int256(quantity));
        }
        emit TicketsPurchased(msg.sender, recipient, tierId, firstTokenId, quantity, total);
        _collect(_event.currency, msg.sender, total);
    }
}
