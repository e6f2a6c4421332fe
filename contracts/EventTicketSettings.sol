// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Proxy} from "@openzeppelin/contracts/proxy/Proxy.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";

import {TicketAdmin} from "./ticket/TicketAdmin.sol";
import {TicketCalendars} from "./ticket/TicketCalendars.sol";
import {TicketSeatMaps} from "./ticket/TicketSeatMaps.sol";
import {TicketSettings} from "./ticket/TicketSettings.sol";

/// @title The standing settings shared by every Chainpass event: seat maps and seat holds, calendars, the deny
/// list, payout, metadata, check-in lead, gift allowance, voucher revocation (IEventTicketSettings).
/// @notice Deployed once, reached from EventTicketTreasury's fallback by delegatecall, so it runs in
/// an event's storage. Whatever it does not define (the read API) goes on to EventTicketViews.
contract EventTicketSettings is TicketAdmin, TicketSeatMaps, TicketCalendars, TicketSettings, Proxy {
    address private immutable _NEXT;

    constructor(address next) EIP712("Chainpass", "1") {
        _NEXT = next;
        _disableInitializers();
    }

    function _implementation() internal view override returns (address) {
        return _NEXT;
    }
}
