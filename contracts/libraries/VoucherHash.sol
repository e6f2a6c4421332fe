// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Voucher} from "../interfaces/IEventTicketTypes.sol";

/// @title The EIP-712 hashing of a discount voucher: what an event checks a voucher's signature
/// against (TicketVouchers), and what the membership contract signs for by ERC-1271 when points
/// are redeemed for a voucher.
library VoucherHash {
    bytes32 internal constant TYPEHASH = keccak256(
        "Voucher(address eventAddress,uint256 tierId,uint16 percentOffBps,uint96 amountOff,uint32 maxUses,"
        "uint40 expiresAt,address buyer,address signer,bytes32 codeId)"
    );
    bytes32 private constant DOMAIN_TYPEHASH =
        keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)");

    /// @dev The typed-data digest of `v` in its event's domain ("Chainpass", "1", this chain, the event).
    function digest(Voucher memory v) internal view returns (bytes32) {
        bytes32 domain = keccak256(
            abi.encode(DOMAIN_TYPEHASH, keccak256("Chainpass"), keccak256("1"), block.chainid, v.eventAddress)
        );
        bytes32 structHash = keccak256(
            abi.encode(
                TYPEHASH, v.eventAddress, v.tierId, v.percentOffBps, v.amountOff, v.maxUses, v.expiresAt, v.buyer, v.signer, v.codeId
            )
        );
        return keccak256(abi.encodePacked(hex"1901", domain, structHash));
    }
}
