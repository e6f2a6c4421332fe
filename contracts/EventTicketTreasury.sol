// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Proxy} from "@openzeppelin/contracts/proxy/Proxy.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";

import {TicketMoney} from "./ticket/TicketMoney.sol";

/// @title The money functions shared by every Chainpass event: proceeds, royalties, platform fees,
/// credits.
/// @notice Deployed once, reached from EventTicketManager's fallback by delegatecall, so it runs in
/// an event's storage. Whatever it does not define (the read API) goes on to EventTicketViews.
contract EventTicketTreasury is TicketMoney, Proxy {
    address private immutable _VIEWS;

    constructor(address views) EIP712("Chainpass", "1") {
        _VIEWS = views;
        _disableInitializers();
    }

    function _implementation() internal view override returns (address) {
        return _VIEWS;
    }
}
