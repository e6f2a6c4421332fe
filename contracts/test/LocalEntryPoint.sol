// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {EntryPoint} from "@account-abstraction/contracts/core/EntryPoint.sol";

/// @title The ERC-4337 EntryPoint v0.8 (eth-infinitism's @account-abstraction/contracts), compiled
/// here so that tests and `npm run dev` deploy it on the local chain; public chains have it at its
/// canonical address.
contract LocalEntryPoint is EntryPoint {}
