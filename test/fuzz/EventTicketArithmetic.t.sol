// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IChainpassEvent} from "../../contracts/interfaces/IChainpassEvent.sol";
import {IEventTicketErrors} from "../../contracts/interfaces/IEventTicketErrors.sol";
import {TierParams, TransferPolicy} from "../../contracts/interfaces/IEventTicketTypes.sol";
import {TestBase} from "../../contracts/test/TestBase.sol";
import {VM} from "../../contracts/test/Vm.sol";

/// @notice Fuzz tests of the price, supply and refund arithmetic.
contract EventTicketArithmeticTest is TestBase {
    function setUp() public {
        _deployFactory();
    }

    function _single(uint96 price, uint24 supply, uint16 limit) private returns (IChainpassEvent) {
        TierParams[] memory tiers = new TierParams[](1);
        tiers[0] = _tier(price, supply, limit);
        return _createEvent(tiers);
    }

    function testFuzz_BuyChargesExactlyPriceTimesQuantity(uint96 price, uint24 supply, uint256 quantity) public {
        supply = uint24(_bound(supply, 1, 999_999));
        quantity = _bound(quantity, 1, 40);
        VM.assume(quantity <= supply);
        IChainpassEvent ticket = _single(price, supply, 0);
        address buyer = address(0xB0B);
        uint256 first = _buyAs(ticket, buyer, 1, quantity);

        _eq(address(ticket).balance, uint256(price) * quantity, "escrow");
        _eq(ticket.tier(1).sold, quantity, "sold");
        _eq(ticket.balanceOf(buyer), quantity, "balance");
        _eq(first, 1_000_001, "first id");
        _eq(ticket.pricePaid(first + quantity - 1), price, "price paid");
    }

    function testFuzz_SupplyIsNeverExceeded(uint24 supply, uint8[6] memory quantities) public {
        supply = uint24(_bound(supply, 1, 60));
        IChainpassEvent ticket = _single(1 gwei, supply, 0);
        uint256 sold;
        for (uint256 i; i < quantities.length; ++i) {
            uint256 quantity = _bound(quantities[i], 1, 20);
            address buyer = address(uint160(0x1000 + i));
            if (sold + quantity > supply) {
                VM.deal(buyer, quantity * 1 gwei);
                VM.expectRevert(abi.encodeWithSelector(IEventTicketErrors.SoldOut.selector, 1, quantity, supply - sold));
                VM.prank(buyer);
                ticket.buy{value: quantity * 1 gwei}(1, quantity, buyer, quantity * 1 gwei);
            } else {
                _buyAs(ticket, buyer, 1, quantity);
                sold += quantity;
            }
            _eq(ticket.tier(1).sold, sold, "sold");
            if (ticket.tier(1).sold > supply) revert("oversold");
        }
    }

    function testFuzz_WalletLimitCountsEveryPurchase(uint16 limit, uint8[5] memory quantities) public {
        limit = uint16(_bound(limit, 1, 12));
        IChainpassEvent ticket = _single(1 gwei, 1_000, limit);
        address fan = address(0xFA);
        uint256 bought;
        for (uint256 i; i < quantities.length; ++i) {
            uint256 quantity = _bound(quantities[i], 1, 6);
            if (bought + quantity > limit) {
                VM.deal(fan, quantity * 1 gwei);
                VM.expectRevert(
                    abi.encodeWithSelector(
                        IEventTicketErrors.WalletLimitExceeded.selector, 1, fan, quantity, limit - bought
                    )
                );
                VM.prank(fan);
                ticket.buy{value: quantity * 1 gwei}(1, quantity, fan, quantity * 1 gwei);
            } else {
                _buyAs(ticket, fan, 1, quantity);
                bought += quantity;
            }
            _eq(ticket.purchased(1, fan), bought, "purchased");
        }
    }

    function testFuzz_RefundsReturnExactlyWhatWasPaid(uint96[3] memory prices, uint8[3] memory quantities) public {
        TierParams[] memory tiers = new TierParams[](3);
        for (uint256 i; i < 3; ++i) {
            tiers[i] = _tier(uint96(_bound(prices[i], 0, 1e24)), 100, 0);
        }
        IChainpassEvent ticket = _createEvent(tiers);
        uint256 paid;
        for (uint256 i; i < 3; ++i) {
            uint256 quantity = _bound(quantities[i], 1, 8);
            _buyAs(ticket, address(uint160(0xA000 + i)), i + 1, quantity);
            paid += uint256(tiers[i].price) * quantity;
        }
        _eq(address(ticket).balance, paid, "escrow before");
        ticket.cancel();
        for (uint256 i; i < 3; ++i) {
            address holder = address(uint160(0xA000 + i));
            uint256 held = ticket.balanceOf(holder);
            for (uint256 serial = 1; serial <= held; ++serial) {
                VM.prank(holder);
                ticket.claimRefund((i + 1) * 1_000_000 + serial);
            }
            _eq(holder.balance, uint256(tiers[i].price) * held, "refunded to holder");
        }
        _eq(address(ticket).balance, 0, "escrow after");
    }

    function testFuzz_WithdrawSplitsWithoutRemainder(uint96 price, uint8 quantity, uint16 feeBps) public {
        feeBps = uint16(_bound(feeBps, 0, 1_000));
        factory.setPlatformFee(feeBps);
        quantity = uint8(_bound(quantity, 1, 50));
        price = uint96(_bound(price, 1, 1e26));
        TierParams[] memory tiers = new TierParams[](1);
        tiers[0] = _tier(price, 100, 0);
        // The organizer accepts the fee in force (createEvent refuses one above its limit).
        IChainpassEvent ticket = IChainpassEvent(factory.createEvent(_params(TransferPolicy.Open), tiers, feeBps));
        _buyAs(ticket, address(0xB0B), 1, quantity);
        uint256 gross = uint256(price) * quantity;
        VM.warp(END + DELAY);
        ticket.withdraw();
        uint256 fee = gross * feeBps / 10_000;
        _eq(PAYOUT.balance, gross - fee, "payout");
        // The fee stays in the event, owed to the platform, until it is sent to the factory.
        _eq(address(ticket).balance, fee, "fee held");
        (, uint256 platformFees) = ticket.accruedRoyalties();
        _eq(platformFees, fee, "fee accrued");
        if (fee != 0) ticket.withdrawPlatformFees();
        _eq(address(factory).balance, fee, "fee");
        _eq(address(ticket).balance, 0, "left");
    }

    function testFuzz_RoyaltyNeverExceedsSalePrice(uint256 salePrice) public {
        salePrice = _bound(salePrice, 0, type(uint256).max / 10_000);
        IChainpassEvent ticket = _single(1, 1, 0);
        (address receiver, uint256 royalty) = ticket.royaltyInfo(1_000_001, salePrice);
        _eq(uint160(receiver), uint160(PAYOUT), "receiver");
        _eq(royalty, salePrice * 500 / 10_000, "royalty");
        if (royalty > salePrice) revert("royalty above price");
    }

    function testFuzz_SupplyCannotDropBelowSold(uint8 sold, uint24 newSupply) public {
        sold = uint8(_bound(sold, 1, 30));
        newSupply = uint24(_bound(newSupply, 0, 60));
        IChainpassEvent ticket = _single(1 gwei, 60, 0);
        _buyAs(ticket, address(0xB0B), 1, sold);
        TierParams memory update = _tier(1 gwei, newSupply, 0);
        if (newSupply < sold) {
            VM.expectRevert(abi.encodeWithSelector(IEventTicketErrors.InvalidTierSupply.selector, 1, newSupply, sold));
        }
        ticket.updateTier(1, update);
        if (newSupply >= sold) _eq(ticket.tier(1).supply, newSupply, "supply");
    }

    function testFuzz_ResaleSplitAddsUpToThePrice(uint96 face, uint256 price) public {
        face = uint96(_bound(face, 1, 1e26));
        IChainpassEvent ticket = _single(face, 10, 0);
        address seller = address(0x5E11);
        address buyer = address(0xB0B);
        uint256 tokenId = _buyAs(ticket, seller, 1, 1);
        price = _bound(price, 0, ticket.resaleCap(tokenId));
        VM.prank(seller);
        ticket.list(tokenId, price);
        VM.deal(buyer, price);
        VM.prank(buyer);
        ticket.buyListing{value: price}(tokenId, price);

        (uint256 royalty, uint256 fee) = ticket.accruedRoyalties();
        _eq(royalty, price * 500 / 10_000, "royalty");
        _eq(fee, price * FEE_BPS / 10_000, "fee");
        _eq(seller.balance + royalty + fee, price, "seller + royalty + fee");
        _eq(address(ticket).balance, uint256(face) + royalty + fee, "contract holds escrow and accruals");
        _eq(uint160(ticket.ownerOf(tokenId)), uint160(buyer), "new holder");
    }

    function testFuzz_ListingAboveTheCapIsRefused(uint96 face, uint256 excess) public {
        face = uint96(_bound(face, 1, 1e26));
        IChainpassEvent ticket = _single(face, 10, 0);
        address seller = address(0x5E11);
        uint256 tokenId = _buyAs(ticket, seller, 1, 1);
        // At most what a listing in the ownership word holds (2^85 - 1).
        uint256 cap = uint256(face) * 11_000 / 10_000;
        if (cap > (1 << 85) - 1) cap = (1 << 85) - 1;
        _eq(ticket.resaleCap(tokenId), cap, "cap");
        uint256 price = cap + _bound(excess, 1, 1e30);
        VM.expectRevert(abi.encodeWithSelector(IEventTicketErrors.ResalePriceAboveCap.selector, tokenId, price, cap));
        VM.prank(seller);
        ticket.list(tokenId, price);
    }
}
