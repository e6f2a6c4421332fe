// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ERC7913WebAuthnVerifier} from "@openzeppelin/contracts/utils/cryptography/verifiers/ERC7913WebAuthnVerifier.sol";

/// @title OpenZeppelin's ERC-7913 WebAuthn verifier, as deployed for the passkey accounts: a passkey
/// signer is this contract's address followed by the key (ChainpassAccount). It requires user
/// verification (Face ID, a fingerprint, a PIN), not only presence.
contract PasskeyVerifier is ERC7913WebAuthnVerifier {}
