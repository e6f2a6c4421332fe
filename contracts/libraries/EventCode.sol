// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title Recognising a Chainpass event by its code: every event is an EIP-1167 clone of the
/// platform's EventTicket (its immutable arguments appended), so its code starts with the same 45
/// bytes. The membership contract lets only those enroll; the paymaster lets only their
/// organizers withdraw an event's gas budget.
library EventCode {
    uint256 private constant PROXY_CODE_LENGTH = 45;

    /// @dev The hash of the 45-byte proxy code of a clone of `implementation`.
    function prefixHashFor(address implementation) internal pure returns (bytes32) {
        return keccak256(abi.encodePacked(hex"363d3d373d3d3d363d73", implementation, hex"5af43d82803e903d91602b57fd5bf3"));
    }

    /// @dev The hash of the first 45 bytes of `account`'s code.
    function prefixHashOf(address account) internal view returns (bytes32 hash) {
        // EXTCODECOPY of the 45 bytes only: Solidity's `account.code` would copy the whole code.
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            let ptr := mload(0x40)
            extcodecopy(account, ptr, 0, PROXY_CODE_LENGTH)
            hash := keccak256(ptr, PROXY_CODE_LENGTH)
        }
    }
}
