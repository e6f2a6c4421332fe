// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IChainpassEvent} from "../interfaces/IChainpassEvent.sol";
import {IChainpassMembership, MemberProof} from "../interfaces/IChainpassMembership.sol";
import {PurchaseOptions, Voucher} from "../interfaces/IEventTicketTypes.sol";
import {VM} from "./Vm.sol";

/// @notice Drives an event through random buys, transfers, check-ins, returns under a refund
/// policy, a cancellation and refunds for the invariant fuzzer, keeping ghost totals the invariants
/// compare against.
contract EscrowHandler {
    IChainpassEvent public immutable ticket;
    uint256 public constant TIERS = 2;
    address[4] private _fans = [address(0xF1), address(0xF2), address(0xF3), address(0xF4)];

    uint256[] private _live;
    mapping(uint256 tokenId => bool) public refunded;
    /// @dev Sold through the event's sales channel 1 (the test adds it at `CHANNEL_BPS`).
    mapping(uint256 tokenId => bool) public viaChannel;
    uint256 public constant CHANNEL_BPS = 1_000;
    uint256 public paidIn;
    uint256 public refundedOut;
    /// @dev What returns kept of the prices paid: the organizer's, still in the escrow.
    uint256 public kept;
    uint256 public doubleRefunds;
    uint256 public calls;
    uint256 public resaleVolume;
    /// @dev 1 once a resale above its cap went through.
    uint256 public maxResaleOverCap;

    /// @dev Members of the event's program, all credited `CREDITED` points in a root of the four
    /// fans (built by `memberRoot`); points bought purchases count here as the spent counter should.
    IChainpassMembership public membership;
    uint256 public constant CREDITED = 400;
    uint256 public constant POINT_VALUE = 1e12;
    mapping(address fan => uint256) public pointsSpent;

    constructor(IChainpassEvent ticket_) {
        ticket = ticket_;
    }

    function fans() external view returns (address[4] memory) {
        return _fans;
    }

    function setMembership(IChainpassMembership membership_) external {
        membership = membership_;
    }

    function _leaf(address fan) private pure returns (bytes32) {
        return keccak256(bytes.concat(keccak256(abi.encode(fan, CREDITED))));
    }

    function _pair(bytes32 a, bytes32 b) private pure returns (bytes32) {
        return a < b ? keccak256(abi.encodePacked(a, b)) : keccak256(abi.encodePacked(b, a));
    }

    /// @notice The root of the fans' balances: ((0, 1), (2, 3)), pairs hashed sorted as OZ's MerkleProof does.
    function memberRoot() public view returns (bytes32) {
        return _pair(_pair(_leaf(_fans[0]), _leaf(_fans[1])), _pair(_leaf(_fans[2]), _leaf(_fans[3])));
    }

    function _proof(uint256 i) private view returns (bytes32[] memory proof) {
        proof = new bytes32[](2);
        proof[0] = _leaf(_fans[i ^ 1]);
        proof[1] = i < 2 ? _pair(_leaf(_fans[2]), _leaf(_fans[3])) : _pair(_leaf(_fans[0]), _leaf(_fans[1]));
    }

    /// @notice A member pays `points % 60 + 1` points a ticket (sometimes more than they have left:
    /// then nothing happens); the cash part goes to the escrow like any price.
    function buyWithPoints(uint256 seed, uint256 quantity, uint256 points) external {
        uint256 tierId = seed % TIERS + 1;
        quantity = quantity % 3 + 1;
        uint256 i = (seed >> 8) % _fans.length;
        address fan = _fans[i];
        uint256 perTicket = points % 60 + 1;
        uint256 cost = (uint256(ticket.tier(tierId).price) - perTicket * POINT_VALUE) * quantity;
        Voucher memory none;
        PurchaseOptions memory options = PurchaseOptions({
            seats: new uint256[](0),
            proof: new bytes32[](0),
            allowance: 0,
            voucher: none,
            voucherSignature: "",
            maxTotal: cost,
            slot: 0,
            channel: 0,
            member: abi.encode(MemberProof({credited: CREDITED, pointsPerTicket: perTicket, proof: _proof(i)}))
        });
        VM.deal(fan, cost);
        VM.prank(fan);
        try ticket.buyWith{value: cost}(tierId, quantity, fan, options) returns (uint256 first) {
            _bought(first, quantity, cost, false);
            pointsSpent[fan] += perTicket * quantity;
        } catch {}
        calls++;
    }

    function buy(uint256 seed, uint256 quantity) external {
        uint256 tierId = seed % TIERS + 1;
        quantity = quantity % 5 + 1;
        address fan = _fans[(seed >> 8) % _fans.length];
        uint256 cost = uint256(ticket.tier(tierId).price) * quantity;
        VM.deal(fan, cost);
        VM.prank(fan);
        if ((seed >> 16) & 1 == 1) {
            try ticket.buyThrough{value: cost}(tierId, quantity, fan, cost, 1) returns (uint256 first) {
                _bought(first, quantity, cost, true);
            } catch {}
        } else {
            try ticket.buy{value: cost}(tierId, quantity, fan, cost) returns (uint256 first) {
                _bought(first, quantity, cost, false);
            } catch {}
        }
        calls++;
    }

    function _bought(uint256 first, uint256 quantity, uint256 cost, bool throughChannel) private {
        for (uint256 i; i < quantity; ++i) {
            _live.push(first + i);
            viaChannel[first + i] = throughChannel;
        }
        paidIn += cost;
    }

    function transfer(uint256 seed) external {
        if (_live.length == 0) return;
        uint256 tokenId = _live[seed % _live.length];
        address holder = ticket.ownerOf(tokenId);
        VM.prank(holder);
        try ticket.transferFrom(holder, _fans[(seed >> 8) % _fans.length], tokenId) {} catch {}
        calls++;
    }

    function checkIn(uint256 seed) external {
        if (_live.length == 0) return;
        uint256[] memory ids = new uint256[](1);
        ids[0] = _live[seed % _live.length];
        try ticket.checkIn(ids) {} catch {}
        calls++;
    }

    function cancel(uint256 seed) external {
        if (seed % 8 != 0) return; // cancel late in most sequences
        try ticket.cancel() {} catch {}
        calls++;
    }

    function refund(uint256 seed) external {
        if (_live.length == 0) return;
        uint256 index = seed % _live.length;
        uint256 tokenId = _live[index];
        address holder = ticket.ownerOf(tokenId);
        uint256 before = holder.balance;
        VM.prank(holder);
        try ticket.claimRefund(tokenId) {
            if (refunded[tokenId]) doubleRefunds++;
            refunded[tokenId] = true;
            refundedOut += holder.balance - before;
            _live[index] = _live[_live.length - 1];
            _live.pop();
        } catch {}
        calls++;
    }

    function returnTicket(uint256 seed) external {
        if (_live.length == 0) return;
        uint256 index = seed % _live.length;
        uint256 tokenId = _live[index];
        address holder = ticket.ownerOf(tokenId);
        uint256 paid = ticket.pricePaid(tokenId);
        uint256 before = holder.balance;
        VM.prank(holder);
        try ticket.returnTicket(tokenId) {
            if (refunded[tokenId]) doubleRefunds++;
            refunded[tokenId] = true;
            uint256 back = holder.balance - before;
            refundedOut += back;
            kept += paid - back;
            _live[index] = _live[_live.length - 1];
            _live.pop();
        } catch {}
        calls++;
    }

    function list(uint256 seed, uint256 pricePct) external {
        if (_live.length == 0) return;
        uint256 tokenId = _live[seed % _live.length];
        uint256 cap = ticket.resaleCap(tokenId);
        VM.prank(ticket.ownerOf(tokenId));
        try ticket.list(tokenId, cap * (pricePct % 101) / 100) {} catch {}
        calls++;
    }

    function buyListing(uint256 seed) external {
        if (_live.length == 0) return;
        uint256 tokenId = _live[seed % _live.length];
        uint256 price = ticket.listing(tokenId).price;
        address buyer = _fans[(seed >> 8) % _fans.length];
        VM.deal(buyer, price);
        VM.prank(buyer);
        try ticket.buyListing{value: price}(tokenId, price) {
            resaleVolume += price;
            maxResaleOverCap = _max(maxResaleOverCap, price > ticket.resaleCap(tokenId) ? 1 : 0);
        } catch {}
        calls++;
    }

    function warp(uint256 seconds_) external {
        VM.warp(block.timestamp + seconds_ % 2 days);
    }

    /// @notice What channel 1 is owed: its commission on every live token it sold.
    function channelCommissionOwed() external view returns (uint256 total) {
        for (uint256 i; i < _live.length; ++i) {
            if (viaChannel[_live[i]]) total += ticket.pricePaid(_live[i]) * CHANNEL_BPS / 10_000;
        }
    }

    /// @notice What the contract owes: the primary price of every live token.
    function outstandingRefunds() external view returns (uint256 total) {
        for (uint256 i; i < _live.length; ++i) total += ticket.pricePaid(_live[i]);
    }

    function _max(uint256 a, uint256 b) private pure returns (uint256) {
        return a > b ? a : b;
    }

    function liveCount() external view returns (uint256) {
        return _live.length;
    }
}
