// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title Renders a ticket's ERC-721 metadata; shared by every event, kept out of EventTicket for size.
interface ITicketRenderer {
    /// @notice A `data:application/json;base64,` URI describing the ticket (tier, holder state,
    /// attendance) with an SVG image, read from the ticket contract's views.
    function tokenURI(address ticket, uint256 tokenId) external view returns (string memory);

    /// @notice A seated ticket's seat as people read it ("Stalls, Row C, Seat 12"); empty if unseated.
    function seatLabel(address ticket, uint256 tokenId) external view returns (string memory);
}
