// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Account} from "@openzeppelin/contracts/account/Account.sol";
import {ERC7821} from "@openzeppelin/contracts/account/extensions/draft-ERC7821.sol";
import {IEntryPoint} from "@openzeppelin/contracts/interfaces/IERC4337.sol";
import {Initializable} from "@openzeppelin/contracts/proxy/utils/Initializable.sol";
import {ERC721Holder} from "@openzeppelin/contracts/token/ERC721/utils/ERC721Holder.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {AbstractSigner} from "@openzeppelin/contracts/utils/cryptography/signers/AbstractSigner.sol";
import {ERC7739} from "@openzeppelin/contracts/utils/cryptography/signers/draft-ERC7739.sol";
import {MultiSignerERC7913} from "@openzeppelin/contracts/utils/cryptography/signers/MultiSignerERC7913.sol";

/// @title A fan's smart account (ERC-4337), controlled by passkeys.
/// @notice Its signers are ERC-7913 keys: a WebAuthn passkey is the WebAuthn verifier's address
/// followed by the key's 64-byte public key; an ordinary wallet (a recovery signer) is its
/// 20-byte address. Any one signer authorises a user operation or an ERC-1271 signature (threshold
/// 1): a passkey on the fan's phone, a second passkey on a laptop, or the recovery wallet. Calls
/// are batched through ERC-7821 `execute` (an approval and a purchase in one user operation), and
/// ERC-1271 signatures are ERC-7739 nested typed data, bound to this account, so a signature for
/// one account can never be replayed on another the same passkey controls.
/// @dev Deployed as EIP-1167 clones by ChainpassAccountFactory; the implementation itself is
/// never initialised.
contract ChainpassAccount is Account, EIP712, ERC7739, ERC7821, MultiSignerERC7913, ERC721Holder, Initializable {
    IEntryPoint private immutable _entryPoint;

    /// @param entryPoint_ The EntryPoint (v0.8) this account answers to.
    constructor(IEntryPoint entryPoint_)
        EIP712("Chainpass Account", "1")
        // The implementation's own signer set is never used (only clones run): a placeholder that
        // satisfies the threshold check. No key is known for address 0xdead.
        MultiSignerERC7913(_placeholderSigners(), 1)
    {
        _entryPoint = entryPoint_;
        _disableInitializers();
    }

    /// @notice Sets a new clone's signers (threshold 1). Called by the factory in the same
    /// transaction that creates the clone.
    function initialize(bytes[] calldata signers) external initializer {
        _addSigners(signers);
        _setThreshold(1);
    }

    /// @inheritdoc Account
    function entryPoint() public view override returns (IEntryPoint) {
        return _entryPoint;
    }

    /// @notice Adds signers: another passkey, or a recovery wallet. Only through a user operation
    /// (or a call from the account itself). Emits {ERC7913SignerAdded} for each.
    function addSigners(bytes[] calldata signers) external onlyEntryPointOrSelf {
        _addSigners(signers);
    }

    /// @notice Removes signers (a lost device); at least one must remain. Emits
    /// {ERC7913SignerRemoved} for each.
    function removeSigners(bytes[] calldata signers) external onlyEntryPointOrSelf {
        _removeSigners(signers);
    }

    /// @dev The EntryPoint executes user operations' batches; the account may call itself.
    function _erc7821AuthorizedExecutor(address caller, bytes32 mode, bytes calldata executionData)
        internal
        view
        override
        returns (bool)
    {
        return caller == address(_entryPoint) || super._erc7821AuthorizedExecutor(caller, mode, executionData);
    }

    function _rawSignatureValidation(bytes32 hash, bytes calldata signature)
        internal
        view
        override(AbstractSigner, MultiSignerERC7913)
        returns (bool)
    {
        return super._rawSignatureValidation(hash, signature);
    }

    function _placeholderSigners() private pure returns (bytes[] memory signers) {
        signers = new bytes[](1);
        signers[0] = abi.encodePacked(address(0xdead));
    }
}
