// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";

import {Voucher} from "../interfaces/IEventTicketTypes.sol";
import {VoucherHash} from "../libraries/VoucherHash.sol";
import {TicketBase} from "./TicketBase.sol";

/// @title Redeeming organizer-signed discount vouchers (EIP-712), counted per code.
/// @dev The domain binds a voucher to this event's address and chain, so it cannot be replayed on
/// another event or chain; the use counter stops it past `maxUses`.
abstract contract TicketVouchers is TicketBase {
    bytes32 internal constant VOUCHER_TYPEHASH = VoucherHash.TYPEHASH;
    /// @dev Checks the voucher's terms for `buyer` buying `quantity` of `tierId` and returns the
    /// discounted unit price. The signature is checked separately (see `_redeemVoucher`).
    function _voucherPrice(Voucher calldata v, uint256 tierId, address buyer, uint256 quantity, uint256 unitPrice)
        internal
        view
        returns (uint256)
    {
        bytes32 code = v.codeId;
        if (code == 0 || (v.percentOffBps == 0) == (v.amountOff == 0) || v.percentOffBps > BPS) {
            revert InvalidVoucher(code);
        }
        if (v.eventAddress != address(this)) revert VoucherWrongEvent(code, v.eventAddress);
        uint256 used = _voucherUses[code];
        if (used & VOUCHER_REVOKED != 0) revert VoucherIsRevoked(code);
        if (block.timestamp >= v.expiresAt) revert VoucherExpired(code, v.expiresAt);
        if (v.tierId != 0 && v.tierId != tierId) revert VoucherNotForTier(code, tierId);
        if (v.buyer != address(0) && v.buyer != buyer) revert VoucherNotForBuyer(code, buyer);
        if (used + quantity > v.maxUses) {
            revert VoucherUsedUp(code, quantity, v.maxUses > used ? v.maxUses - used : 0);
        }
        uint256 off = v.amountOff + unitPrice * v.percentOffBps / BPS;
        return off >= unitPrice ? 0 : unitPrice - off;
    }

    /// @dev Validates terms and signature, counts the uses and returns the discounted unit price.
    function _redeemVoucher(
        Voucher calldata v,
        bytes calldata signature,
        uint256 tierId,
        uint256 quantity,
        uint256 unitPrice
    ) internal returns (uint256 discounted) {
        discounted = _voucherPrice(v, tierId, msg.sender, quantity, unitPrice);
        if (!hasRole(ORGANIZER_ROLE, v.signer) && !hasRole(VOUCHER_SIGNER_ROLE, v.signer)) {
            revert VoucherSignerNotAuthorized(v.codeId, v.signer);
        }
        bytes32 digest = _hashTypedDataV4(
            keccak256(
                abi.encode(
                    VOUCHER_TYPEHASH,
                    v.eventAddress,
                    v.tierId,
                    v.percentOffBps,
                    v.amountOff,
                    v.maxUses,
                    v.expiresAt,
                    v.buyer,
                    v.signer,
                    v.codeId
                )
            )
        );
        if (!SignatureChecker.isValidSignatureNowCalldata(v.signer, digest, signature)) {
            revert VoucherBadSignature(v.codeId);
        }
        _voucherUses[v.codeId] += quantity;
        emit VoucherRedeemed(v.codeId, msg.sender, tierId, quantity, (unitPrice - discounted) * quantity);
    }
}
