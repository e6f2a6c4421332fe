// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IEntryPoint} from "@openzeppelin/contracts/interfaces/IERC4337.sol";
import {Clones} from "@openzeppelin/contracts/proxy/Clones.sol";

import {ChainpassAccount} from "./ChainpassAccount.sol";

/// @title Creates fans' passkey accounts at addresses known before they exist (counterfactual):
/// the address follows from the first signers and a salt, so the app shows it, and tickets can be
/// sent to it, before the account's first user operation deploys it (its initCode calls
/// {createAccount}).
contract ChainpassAccountFactory {
    /// @notice The account code every clone runs.
    ChainpassAccount public immutable IMPLEMENTATION;

    /// @notice A new account, with the signers it starts with.
    event AccountCreated(address indexed account, bytes[] signers, bytes32 salt);

    /// @param entryPoint The EntryPoint (v0.8) the accounts answer to.
    constructor(IEntryPoint entryPoint) {
        IMPLEMENTATION = new ChainpassAccount(entryPoint);
    }

    /// @notice Deploys the account for `signers` and `salt` unless it exists; returns its address
    /// either way (as ERC-4337 factories must, so a repeated initCode does not fail). Emits
    /// {AccountCreated} when it deploys one.
    function createAccount(bytes[] calldata signers, bytes32 salt) external returns (address account) {
        bytes32 cloneSalt = _cloneSalt(signers, salt);
        account = Clones.predictDeterministicAddress(address(IMPLEMENTATION), cloneSalt);
        if (account.code.length == 0) {
            Clones.cloneDeterministic(address(IMPLEMENTATION), cloneSalt);
            ChainpassAccount(payable(account)).initialize(signers);
            emit AccountCreated(account, signers, salt);
        }
    }

    /// @notice The address {createAccount} gives `signers` and `salt`, deployed or not.
    function accountAddress(bytes[] calldata signers, bytes32 salt) external view returns (address) {
        return Clones.predictDeterministicAddress(address(IMPLEMENTATION), _cloneSalt(signers, salt));
    }

    function _cloneSalt(bytes[] calldata signers, bytes32 salt) private pure returns (bytes32) {
        return keccak256(abi.encode(signers, salt));
    }
}
