// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Base64} from "@openzeppelin/contracts/utils/Base64.sol";
import {Strings} from "@openzeppelin/contracts/utils/Strings.sol";

import {IEventTicketViews} from "./interfaces/IEventTicketViews.sol";
import {EventInfo, Seat, TicketInfo, Tier} from "./interfaces/IEventTicketTypes.sol";
import {ITicketRenderer} from "./interfaces/ITicketRenderer.sol";

/// @title On-chain ERC-721 metadata for Chainpass tickets: JSON with OpenSea-style attributes
/// (event, tier, seat, entry window, status) and an SVG ticket stub that turns into an
/// "Attended" keepsake after check-in.
// JSON and SVG fragments are single-quoted so their double quotes need no escaping.
// solhint-disable quotes
contract TicketRenderer is ITicketRenderer {
    using Strings for uint256;

    struct Ticket {
        EventInfo e;
        TicketInfo t;
        string tierName;
        string seat;
        string status;
        uint40 entryStart;
        uint40 entryEnd;
    }

    /// @inheritdoc ITicketRenderer
    function tokenURI(address ticketAddress, uint256 tokenId) external view returns (string memory) {
        Ticket memory k = _load(IEventTicketViews(ticketAddress), tokenId);
        string memory title = string.concat(k.e.name, " - ", k.tierName, " #", k.t.serial.toString());
        if (bytes(k.seat).length != 0) title = string.concat(k.e.name, " - ", k.tierName, " - ", k.seat);

        bytes memory json = abi.encodePacked(
            '{"name":"',
            Strings.escapeJSON(title),
            '","description":"',
            Strings.escapeJSON(string.concat("Chainpass ticket for ", k.e.name, ".")),
            '","image":"data:image/svg+xml;base64,',
            Base64.encode(_svg(k)),
            '","attributes":[',
            _attributes(k),
            '],"event_metadata":"',
            Strings.escapeJSON(k.e.metadataURI),
            '"}'
        );
        return string.concat("data:application/json;base64,", Base64.encode(json));
    }

    /// @inheritdoc ITicketRenderer
    function seatLabel(address ticketAddress, uint256 tokenId) public view returns (string memory) {
        Seat memory s = IEventTicketViews(ticketAddress).seatOf(tokenId);
        if (s.number == 0) return "";
        string memory row = s.letteredRow ? _letters(s.row) : uint256(s.row).toString();
        return string.concat(_trim(s.section), ", Row ", row, ", Seat ", uint256(s.number).toString());
    }

    function _load(IEventTicketViews ticket, uint256 tokenId) private view returns (Ticket memory k) {
        k.e = ticket.eventInfo();
        k.t = ticket.ticketInfo(tokenId);
        Tier memory tier = ticket.tier(k.t.tierId);
        k.tierName = tier.name;
        k.seat = seatLabel(address(ticket), tokenId);
        k.status = k.e.cancelled ? "Cancelled" : k.t.checkedIn ? "Attended" : "Valid";
        (k.entryStart, k.entryEnd) = ticket.entryWindow(tokenId);
    }

    function _attributes(Ticket memory k) private pure returns (bytes memory out) {
        out = abi.encodePacked(
            _attribute("Event", k.e.name),
            ",",
            _attribute("Tier", k.tierName),
            ",",
            _attribute("Status", k.status),
            ",",
            _date("Starts", k.e.start)
        );
        if (bytes(k.seat).length != 0) out = abi.encodePacked(out, ",", _attribute("Seat", k.seat));
        if (k.entryEnd != 0) {
            out = abi.encodePacked(out, ",", _date("Entry from", k.entryStart), ",", _date("Entry until", k.entryEnd));
        }
    }

    function _attribute(string memory traitType, string memory value) private pure returns (bytes memory) {
        return abi.encodePacked('{"trait_type":"', traitType, '","value":"', Strings.escapeJSON(value), '"}');
    }

    function _date(string memory traitType, uint256 timestamp) private pure returns (bytes memory) {
        return abi.encodePacked('{"trait_type":"', traitType, '","display_type":"date","value":', timestamp.toString(), "}");
    }

    function _svg(Ticket memory k) private pure returns (bytes memory) {
        bool attended = k.t.checkedIn;
        string memory detail = bytes(k.seat).length != 0 ? k.seat : string.concat("#", k.t.serial.toString());
        return abi.encodePacked(
            '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 400 220"><rect width="400" height="220" rx="18" fill="',
            attended ? "#1f3d2b" : "#1d2440",
            '"/><text x="24" y="56" fill="#fff" font-family="sans-serif" font-size="22">',
            _xml(k.e.name),
            '</text><text x="24" y="96" fill="#cbd5e1" font-family="sans-serif" font-size="16">',
            _xml(k.tierName),
            '</text><text x="24" y="124" fill="#cbd5e1" font-family="sans-serif" font-size="14">',
            _xml(detail),
            '</text><text x="24" y="190" fill="',
            attended ? "#4ade80" : "#facc15",
            '" font-family="sans-serif" font-size="18" font-weight="bold">',
            k.status,
            "</text></svg>"
        );
    }

    /// @dev Row 1 is "A", 26 is "Z", 27 is "AA".
    function _letters(uint256 n) private pure returns (string memory out) {
        while (n != 0) {
            n -= 1;
            out = string.concat(string(abi.encodePacked(bytes1(uint8(65 + (n % 26))))), out);
            n /= 26;
        }
    }

    /// @dev A bytes16 section name without its trailing zero bytes.
    function _trim(bytes16 text) private pure returns (string memory) {
        uint256 length;
        while (length < 16 && text[length] != 0) ++length;
        bytes memory out = new bytes(length);
        for (uint256 i; i < length; ++i) out[i] = text[i];
        return string(out);
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
