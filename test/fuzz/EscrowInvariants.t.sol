// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IChainpassEvent} from "../../contracts/interfaces/IChainpassEvent.sol";
import {RefundStep, TierParams} from "../../contracts/interfaces/IEventTicketTypes.sol";
import {EscrowHandler} from "../../contracts/test/EscrowHandler.sol";
import {TestBase} from "../../contracts/test/TestBase.sol";
import {VM} from "../../contracts/test/Vm.sol";

/// @notice Invariants of the escrow, fuzzed over random sequences of handler calls.
contract EscrowInvariantsTest is TestBase {
    IChainpassEvent private ticket;
    EscrowHandler private handler;

    function setUp() public {
        _deployFactory();
        TierParams[] memory tiers = new TierParams[](2);
        tiers[0] = _tier(0.037 ether + 3, 60, 0);
        tiers[1] = _tier(0.019 ether + 1, 25, 4);
        ticket = _createEvent(tiers);
        handler = new EscrowHandler(ticket);
        // The test contract is the organizer: let the handler act as organizer and gate too.
        ticket.grantRole(ticket.GATE_ROLE(), address(handler));
        ticket.grantRole(ticket.ORGANIZER_ROLE(), address(handler));
        // The event starts in 30 days: returns pay in full for 2 days, half for 2 more, then close
        // (the handler's warps cross both deadlines in some sequences).
        RefundStep[] memory steps = new RefundStep[](2);
        steps[0] = RefundStep({secondsBefore: 28 days, shareBps: 10_000});
        steps[1] = RefundStep({secondsBefore: 26 days, shareBps: 5_000});
        ticket.setRefundPolicy(steps, false);
        // A sales channel that some of the handler's purchases go through.
        ticket.addChannel(address(0xC0FFEE), handler.CHANNEL_BPS(), "agency");
        // A membership program (the test contract is its organizer) whose four members pay with
        // points, each credited the handler's CREDITED in the posted root.
        membership.createProgram("fuzz club", address(this));
        membership.setPointValue(address(0), handler.POINT_VALUE());
        ticket.setMembership(address(membership));
        address[4] memory members = handler.fans();
        for (uint256 i; i < members.length; ++i) {
            VM.prank(members[i]);
            membership.join(address(this));
        }
        VM.roll(10);
        membership.postRoot(address(this), handler.memberRoot(), 5, members.length);
        handler.setMembership(membership);
    }

    /// @dev The fuzzer calls only the handler.
    function targetContracts() public view returns (address[] memory targets) {
        targets = new address[](1);
        targets[0] = address(handler);
    }

    function invariant_EscrowCoversEveryOutstandingRefund() public view {
        if (address(ticket).balance < handler.outstandingRefunds()) revert("escrow short of refunds");
    }

    function invariant_MoneyIsConserved() public view {
        // Resale money passes through: the seller's share leaves at once, royalties and fees stay
        // until withdrawn. What remains is the primary escrow plus those accruals.
        (uint256 royalties, uint256 fees) = ticket.accruedRoyalties();
        _eq(address(ticket).balance, handler.paidIn() - handler.refundedOut() + royalties + fees, "balance vs ghost totals");
        // Escrow = every live ticket's refund + what returns kept (the organizer's).
        _eq(ticket.escrowBalance(), handler.outstandingRefunds() + handler.kept(), "escrow vs owed refunds and kept shares");
    }

    /// @dev The handler's points purchases go through (the root and proofs it builds are right).
    function test_HandlerPaysWithPoints() public {
        handler.buyWithPoints(0, 1, 9); // fan 0, 2 tickets, 10 points each
        _eq(membership.spent(address(this), handler.fans()[0]), 20, "points spent by the first purchase");
        _eq(handler.pointsSpent(handler.fans()[0]), 20, "the handler's count");
    }

    /// @dev Points paid are counted spent exactly once, and never beyond what a member was credited.
    function invariant_PointsSpentOnceWithinBalance() public view {
        address[4] memory members = handler.fans();
        for (uint256 i; i < members.length; ++i) {
            uint256 spent = membership.spent(address(this), members[i]);
            _eq(spent, handler.pointsSpent(members[i]), "spent counter vs points paid");
            if (spent > handler.CREDITED()) revert("points spent beyond the balance");
        }
    }

    /// @dev A channel is owed its commission on exactly the live tickets it sold (refunds and
    /// returns took the rest back), and never more than the escrow holds.
    function invariant_ChannelCommissionMatchesLiveSales() public view {
        uint256 owed = ticket.channel(1).owed;
        _eq(owed, handler.channelCommissionOwed(), "channel commission vs its live tickets");
        if (owed > ticket.escrowBalance()) revert("commission above the escrow");
    }

    function invariant_NoResaleAboveTheCap() public view {
        _eq(handler.maxResaleOverCap(), 0, "resale above cap");
    }

    function invariant_SoldNeverExceedsSupply() public view {
        for (uint256 tierId = 1; tierId <= 2; ++tierId) {
            if (ticket.tier(tierId).sold > ticket.tier(tierId).supply) revert("oversold");
        }
    }

    function invariant_NoTokenRefundedTwice() public view {
        _eq(handler.doubleRefunds(), 0, "double refunds");
    }

    function invariant_WalletLimitHolds() public view {
        for (uint160 fan = 0xF1; fan <= 0xF4; ++fan) {
            if (ticket.purchased(2, address(fan)) > 4) revert("wallet limit exceeded");
        }
    }
}
