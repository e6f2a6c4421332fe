// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IChainpassEvent} from "../interfaces/IChainpassEvent.sol";
import {EventParams, TierParams, TransferPolicy} from "../interfaces/IEventTicketTypes.sol";
import {ChainpassMembership} from "../ChainpassMembership.sol";
import {EventTicket} from "../EventTicket.sol";
import {EventTicketManager} from "../EventTicketManager.sol";
import {EventTicketCatalog} from "../EventTicketCatalog.sol";
import {EventTicketSettings} from "../EventTicketSettings.sol";
import {EventTicketTreasury} from "../EventTicketTreasury.sol";
import {EventTicketViews} from "../EventTicketViews.sol";
import {TicketFactory} from "../TicketFactory.sol";
import {TicketRenderer} from "../TicketRenderer.sol";
import {VM} from "./Vm.sol";

/// @notice Shared setup and assertions for the Solidity fuzz and invariant tests.
abstract contract TestBase {
    address internal constant FEE_RECIPIENT = address(0xFEE);
    address internal constant PAYOUT = address(0xBA1);
    uint16 internal constant FEE_BPS = 250;
    uint24 internal constant DELAY = 3 days;
    uint40 internal constant START = 2_000_000_000;
    uint40 internal constant END = START + 6 hours;

    TicketFactory internal factory;
    ChainpassMembership internal membership;

    function _deployFactory() internal {
        VM.warp(START - 30 days);
        address catalog = address(new EventTicketCatalog(address(new EventTicketViews())));
        address settings = address(new EventTicketSettings(catalog));
        address treasury = address(new EventTicketTreasury(settings));
        address manager = address(new EventTicketManager(treasury));
        address implementation = address(new EventTicket(new TicketRenderer(), manager));
        address[] memory currencies = new address[](1); // ETH
        factory = new TicketFactory(address(this), implementation, FEE_RECIPIENT, FEE_BPS, DELAY, currencies);
        membership = new ChainpassMembership(implementation);
    }

    function _params(TransferPolicy policy) internal pure returns (EventParams memory) {
        return EventParams({
            name: "Fuzz Fest",
            symbol: "FUZZ",
            metadataURI: "ipfs://bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy",
            start: START,
            end: END,
            currency: address(0),
            payout: PAYOUT,
            royaltyBps: 500,
            resaleCapBps: 11_000,
            policy: policy,
            giftsPerHolder: 2
        });
    }

    function _tier(uint96 price, uint24 supply, uint16 maxPerWallet) internal pure returns (TierParams memory) {
        return TierParams({
            name: "Adult",
            price: price,
            supply: supply,
            maxPerWallet: maxPerWallet,
            saleStart: START - 30 days,
            saleEnd: START
        });
    }

    function _createEvent(TierParams[] memory tiers) internal returns (IChainpassEvent) {
        return IChainpassEvent(factory.createEvent(_params(TransferPolicy.Open), tiers, FEE_BPS));
    }

    function _buyAs(IChainpassEvent ticket, address buyer, uint256 tierId, uint256 quantity) internal returns (uint256) {
        uint256 cost = uint256(ticket.tier(tierId).price) * quantity;
        VM.deal(buyer, cost);
        VM.prank(buyer);
        return ticket.buy{value: cost}(tierId, quantity, buyer, cost);
    }

    function _bound(uint256 x, uint256 min, uint256 max) internal pure returns (uint256) {
        return min + (x % (max - min + 1));
    }

    function _eq(uint256 a, uint256 b, string memory what) internal pure {
        if (a != b) revert(string.concat(what, ": values differ"));
    }
}
