// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Proxy} from "@openzeppelin/contracts/proxy/Proxy.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";

import {ITicketRenderer} from "./interfaces/ITicketRenderer.sol";
import {TicketResale} from "./ticket/TicketResale.sol";
import {TicketSales} from "./ticket/TicketSales.sol";

/// @title Chainpass event: one ERC-721 collection per event, cloned (EIP-1167) by TicketFactory.
/// @notice Primary sale (tiers, seats, presale, vouchers), gifts, the capped resale market, gate
/// check-in and the escrow. The organizer console and the read API live in EventTicketManager,
/// which this contract's fallback reaches by delegatecall: one event address, one storage, and
/// code split in two only to stay under the 24,576-byte contract size limit. Clients use the
/// combined `IChainpassEvent` ABI.
contract EventTicket is TicketSales, TicketResale, Proxy {
    /// @notice Runs the organizer functions and views, in this event's storage.
    address private immutable _MANAGER;
    ITicketRenderer private immutable _RENDERER;

    /// @dev The implementation itself can never be initialized; only its clones are (through the
    /// manager's `initialize`).
    constructor(ITicketRenderer renderer, address manager) EIP712("Chainpass", "1") {
        _RENDERER = renderer;
        _MANAGER = manager;
        _disableInitializers();
    }

    /// @notice On-chain JSON metadata (tier, seat, entry, attendance, an SVG ticket) from the
    /// shared renderer.
    function tokenURI(uint256 tokenId) public view override returns (string memory) {
        _requireOwned(tokenId);
        return _RENDERER.tokenURI(address(this), tokenId);
    }

    function _implementation() internal view override returns (address) {
        return _MANAGER;
    }
}
