// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Proxy} from "@openzeppelin/contracts/proxy/Proxy.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";

import {TicketChannels} from "./ticket/TicketChannels.sol";
import {TicketMembership} from "./ticket/TicketMembership.sol";
import {TicketTiers} from "./ticket/TicketTiers.sol";

/// @title What an event sells and who sells it: the console's ticket-type calls, its sales
/// channels and its members' perks. Reached through EventTicketSettings' fallback (delegatecall), in the event's own
/// storage; its own fallback reaches EventTicketViews.
contract EventTicketCatalog is TicketTiers, TicketChannels, TicketMembership, Proxy {
    address private immutable _VIEWS;

    constructor(address views) EIP712("Chainpass", "1") {
        _VIEWS = views;
        _disableInitializers();
    }

    function _implementation() internal view override returns (address) {
        return _VIEWS;
    }
}
