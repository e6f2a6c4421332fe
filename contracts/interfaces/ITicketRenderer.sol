// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IEventTicket} from "./IEventTicket.sol";

/// @title Renders a ticket's ERC-721 metadata; shared by every event, kept out of EventTicket for size.
interface ITicketRenderer {
    /// @notice A `data:application/json;base64,` URI describing the ticket (tier, holder state,
    /// attendance) with an SVG image, read from the ticket contract's views.
    function tokenURI(IEventTicket ticket, uint256 tokenId) external view returns (string memory);
}
