// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {MulticallUpgradeable} from "@openzeppelin/contracts-upgradeable/utils/MulticallUpgradeable.sol";
import {Proxy} from "@openzeppelin/contracts/proxy/Proxy.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";

import {IEventTicketTreasury} from "./interfaces/IEventTicketTreasury.sol";
import {TicketExchanges} from "./ticket/TicketExchanges.sol";
import {TicketListingChanges} from "./ticket/TicketListingChanges.sol";
import {TicketMoney} from "./ticket/TicketMoney.sol";

/// @title The money functions shared by every Chainpass event: proceeds, royalties, platform fees,
/// credits; exchanges; currency permits, and multicall (a permit and a purchase in one transaction).
/// @notice Deployed once, reached from EventTicketManager's fallback by delegatecall, so it runs in
/// an event's storage. Whatever it does not define goes on to EventTicketSettings, and from there
/// the read API to EventTicketViews.
contract EventTicketTreasury is TicketMoney, TicketExchanges, TicketListingChanges, MulticallUpgradeable, Proxy {
    address private immutable _NEXT;

    /// @param next EventTicketSettings (whose own fallback reaches EventTicketViews).
    constructor(address next) EIP712("Chainpass", "1") {
        _NEXT = next;
        _disableInitializers();
    }

    /// @inheritdoc IEventTicketTreasury
    function multicall(bytes[] calldata data) public override(IEventTicketTreasury, MulticallUpgradeable) returns (bytes[] memory results) {
        return super.multicall(data);
    }

    function _implementation() internal view override returns (address) {
        return _NEXT;
    }
}
