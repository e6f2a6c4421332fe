// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @notice A stand-in for ENS's Universal Resolver, for tests only: the two calls viem 2.x makes
/// (`getEnsName` → `reverseWithGateways`, `getEnsAddress` → `resolveWithGateways` with
/// `addr(bytes32)`), answered from records the test sets, with the real contract's outcomes: an
/// unknown name reverts `ResolverNotFound`, an address without a primary name gets "", and a primary
/// name whose forward record is another address reverts `ReverseAddressMismatch`. No registry, no
/// resolvers, no CCIP-Read; the gateways argument is ignored.
contract MockEnsUniversalResolver {
    // The Universal Resolver's errors that viem reads as "no result" (same signatures).
    error ResolverNotFound(bytes name);
    error ReverseAddressMismatch(string primary, bytes primaryAddress);
    error UnsupportedResolverProfile(bytes4 selector);
    error EmptyAddress();

    uint256 private constant COIN_TYPE_ETH = 60;
    /// addr(bytes32): what getEnsAddress asks when no coin type is given.
    bytes4 private constant ADDR_SELECTOR = 0x3b3b57de;

    mapping(bytes32 node => bool) public registered;
    mapping(bytes32 node => address) public addrOf;
    mapping(address account => string) public primaryOf;

    /// @notice Registers `name` (dotted, normalized) with its ETH address (forward record).
    function setAddr(string calldata name, address account) external {
        bytes32 node = namehash(bytes(name));
        registered[node] = true;
        addrOf[node] = account;
    }

    /// @notice Sets `account`'s primary name (reverse record); its forward record is set apart.
    function setPrimary(address account, string calldata name) external {
        primaryOf[account] = name;
    }

    function resolveWithGateways(bytes calldata name, bytes calldata data, string[] calldata) external view returns (bytes memory, address) {
        if (!registered[_dnsNamehash(name, 0)]) revert ResolverNotFound(name);
        if (data.length != 36 || bytes4(data[:4]) != ADDR_SELECTOR) revert UnsupportedResolverProfile(bytes4(data[:4]));
        // The resolver answers for the node in the call, as a real one does.
        return (abi.encode(addrOf[bytes32(data[4:36])]), address(this));
    }

    function reverseWithGateways(bytes calldata lookupAddress, uint256 coinType, string[] calldata) external view returns (string memory, address, address) {
        if (lookupAddress.length == 0) revert EmptyAddress();
        // Only ETH addresses have reverse records here.
        if (coinType != COIN_TYPE_ETH || lookupAddress.length != 20) revert ResolverNotFound(lookupAddress);
        address account = address(bytes20(lookupAddress));
        string memory primary = primaryOf[account];
        if (bytes(primary).length == 0) return ("", address(0), address(this));
        // The check that makes a primary name trustworthy: it must resolve back to the address.
        bytes32 node = namehash(bytes(primary));
        if (!registered[node]) revert ResolverNotFound(bytes(primary));
        address forward = addrOf[node];
        if (forward != account) revert ReverseAddressMismatch(primary, abi.encodePacked(forward));
        return (primary, address(this), address(this));
    }

    /// @notice ENS namehash of a dotted name ("alice.eth"), labels hashed from the right.
    function namehash(bytes memory name) public pure returns (bytes32 node) {
        uint256 end = name.length;
        for (uint256 i = name.length; i > 0; --i) {
            if (name[i - 1] == ".") {
                node = keccak256(abi.encodePacked(node, _labelhash(name, i, end - i)));
                end = i - 1;
            }
        }
        if (end > 0) node = keccak256(abi.encodePacked(node, _labelhash(name, 0, end)));
    }

    /// @dev Namehash of a DNS-encoded name (length-prefixed labels ending in 0) from `offset`.
    function _dnsNamehash(bytes memory name, uint256 offset) private pure returns (bytes32) {
        uint256 length = uint8(name[offset]);
        if (length == 0) return bytes32(0);
        return keccak256(abi.encodePacked(_dnsNamehash(name, offset + 1 + length), _labelhash(name, offset + 1, length)));
    }

    function _labelhash(bytes memory name, uint256 start, uint256 length) private pure returns (bytes32 hash) {
        require(start + length <= name.length, "label out of range");
        assembly ("memory-safe") {
            hash := keccak256(add(add(name, 32), start), length)
        }
    }
}
