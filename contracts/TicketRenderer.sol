// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Base64} from "@openzeppelin/contracts/utils/Base64.sol";
import {Strings} from "@openzeppelin/contracts/utils/Strings.sol";

import {EventInfo, IEventTicket, TicketInfo, Tier} from "./interfaces/IEventTicket.sol";
import {ITicketRenderer} from "./interfaces/ITicketRenderer.sol";

/// @title On-chain ERC-721 metadata for Chainpass tickets: JSON with OpenSea-style attributes and
/// an SVG ticket stub that turns into an "attended" keepsake after check-in.
// JSON and SVG fragments are single-quoted so their double quotes need no escaping.
// solhint-disable quotes
contract TicketRenderer is ITicketRenderer {
    using Strings for uint256;

    /// @inheritdoc ITicketRenderer
    function tokenURI(IEventTicket ticket, uint256 tokenId) external view returns (string memory) {
        EventInfo memory e = ticket.eventInfo();
        TicketInfo memory t = ticket.ticketInfo(tokenId);
        Tier memory tier = ticket.tier(t.tierId);
        string memory status = e.cancelled ? "Cancelled" : t.checkedIn ? "Attended" : "Valid";
        string memory title = string.concat(e.name, " - ", tier.name, " #", t.serial.toString());

        bytes memory json = abi.encodePacked(
            '{"name":"',
            Strings.escapeJSON(title),
            '","description":"',
            Strings.escapeJSON(string.concat("Chainpass ticket for ", e.name, ".")),
            '","image":"data:image/svg+xml;base64,',
            Base64.encode(_svg(e.name, tier.name, t.serial, status, t.checkedIn)),
            '","attributes":[',
            _attribute("Event", e.name),
            ",",
            _attribute("Tier", tier.name),
            ",",
            _attribute("Status", status),
            ',{"trait_type":"Starts","display_type":"date","value":',
            uint256(e.start).toString(),
            '}],"event_metadata":"',
            Strings.escapeJSON(e.metadataURI),
            '"}'
        );
        return string.concat("data:application/json;base64,", Base64.encode(json));
    }

    function _attribute(string memory traitType, string memory value) private pure returns (bytes memory) {
        return abi.encodePacked('{"trait_type":"', traitType, '","value":"', Strings.escapeJSON(value), '"}');
    }

    function _svg(string memory eventName, string memory tierName, uint256 serial, string memory status, bool attended)
        private
        pure
        returns (bytes memory)
    {
        return abi.encodePacked(
            '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 400 220"><rect width="400" height="220" rx="18" fill="',
            attended ? "#1f3d2b" : "#1d2440",
            '"/><text x="24" y="56" fill="#fff" font-family="sans-serif" font-size="22">',
            _xml(eventName),
            '</text><text x="24" y="96" fill="#cbd5e1" font-family="sans-serif" font-size="16">',
            _xml(tierName),
            " #",
            serial.toString(),
            '</text><text x="24" y="190" fill="',
            attended ? "#4ade80" : "#facc15",
            '" font-family="sans-serif" font-size="18" font-weight="bold">',
            status,
            "</text></svg>"
        );
    }

    /// @dev Escapes text for an SVG text node (names are organizer input).
    function _xml(string memory text) private pure returns (bytes memory out) {
        bytes memory input = bytes(text);
        for (uint256 i; i < input.length; ++i) {
            bytes1 c = input[i];
            if (c == "&") out = abi.encodePacked(out, "&amp;");
            else if (c == "<") out = abi.encodePacked(out, "&lt;");
            else if (c == ">") out = abi.encodePacked(out, "&gt;");
            else if (c == '"') out = abi.encodePacked(out, "&quot;");
            else out = abi.encodePacked(out, c);
        }
    }
}
