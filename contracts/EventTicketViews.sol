// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {BitMaps} from "@openzeppelin/contracts/utils/structs/BitMaps.sol";

import {IEventTicketViews} from "./interfaces/IEventTicketViews.sol";
import {
    ChannelInfo,
    EventInfo,
    Listing,
    ListingState,
    RefundStep,
    Seat,
    SeatBlock,
    SlotInfo,
    TicketInfo,
    Tier,
    TierOptions,
    TierPerks,
    Voucher
} from "./interfaces/IEventTicketTypes.sol";
import {MemberPerks} from "./libraries/MemberPerks.sol";
import {RefundPolicy} from "./libraries/RefundPolicy.sol";
import {SlotCalendar} from "./libraries/SlotCalendar.sol";
import {TicketVouchers} from "./ticket/TicketVouchers.sol";

/// @title The read API shared by every Chainpass event.
/// @notice Deployed once, beside EventTicketManager, whose fallback reaches it by delegatecall: it
/// always runs in an event's storage (the same TicketBase layout), and only reads it. Kept apart
/// so that the contracts an event's writes run in stay well under the size limit.
contract EventTicketViews is TicketVouchers, IEventTicketViews {
    using BitMaps for BitMaps.BitMap;

    constructor() EIP712("Chainpass", "1") {
        _disableInitializers();
    }

    /// @inheritdoc IEventTicketViews
    function tier(uint256 tierId) external view returns (Tier memory) {
        _requireTier(tierId);
        TierState memory t = _tiers[tierId];
        return Tier({
            name: _tierNames[tierId],
            price: t.price,
            supply: t.supply,
            sold: t.sold,
            maxPerWallet: t.maxPerWallet,
            saleStart: t.saleStart,
            saleEnd: t.saleEnd,
            paused: t.flags & TIER_PAUSED != 0,
            calendar: t.calendar
        });
    }
    /// @inheritdoc IEventTicketViews
    function tierOptions(uint256 tierId) external view returns (TierOptions memory) {
        TierExtras memory x = _tierExtras[tierId];
        return TierOptions({
            earlyPrice: x.earlyPrice,
            earlyUntil: x.earlyUntil,
            entryStart: x.entryStart,
            entryEnd: x.entryEnd,
            presaleStart: x.presaleStart,
            presaleRoot: _presaleRoots[tierId]
        });
    }
    /// @inheritdoc IEventTicketViews
    function entryWindow(uint256 tokenId) external view returns (uint40 start, uint40 end) {
        uint256 tierId = _tierOf(tokenId);
        uint256 slot = _slotOf(tokenId);
        if (slot != 0) {
            (, , uint256 s, uint256 e) = SlotCalendar.window(_calendars[_tiers[tierId].calendar], slot);
            return (uint40(s), uint40(e));
        }
        TierExtras storage x = _tierExtras[tierId];
        return (x.entryStart, x.entryEnd);
    }

    /// @inheritdoc IEventTicketViews
    function slotInfo(uint256 calendarId, uint256 slot) external view returns (SlotInfo memory info) {
        uint256 word = _calendars[calendarId];
        if (word == 0) revert UnknownCalendar(calendarId);
        (bool offered, uint256 day, uint256 start, uint256 end) = SlotCalendar.window(word, slot);
        if (offered && _closedDays[calendarId << 32 | day >> 8] & (1 << (day & 0xff)) != 0) offered = false;
        if (!offered) return info;
        return SlotInfo({
            offered: true,
            start: uint40(start),
            end: uint40(end),
            saleClosesAt: uint40(start - SlotCalendar.saleLead(word)),
            booked: uint16(_slotBookings[calendarId << 32 | slot >> 4] >> ((slot & 0xf) * 16)),
            capacity: uint16(SlotCalendar.capacity(word))
        });
    }
    /// @inheritdoc IEventTicketViews
    function seatMap(uint256 tierId) external view returns (SeatBlock[] memory) {
        return _seatMaps[tierId];
    }
    /// @inheritdoc IEventTicketViews
    function seatOf(uint256 tokenId) external view returns (Seat memory seat) {
        SeatBlock[] storage map = _seatMaps[_tierOf(tokenId)];
        uint256 serial = tokenId % TOKENS_PER_TIER;
        if (serial == 0) return seat;
        uint256 index = serial - 1; // 0-based seat index within the tier
        for (uint256 i; i < map.length; ++i) {
            SeatBlock memory b = map[i];
            uint256 inBlock = uint256(b.rows) * b.seatsPerRow;
            if (index < inBlock) {
                return Seat({
                    section: b.section,
                    row: uint16(b.firstRow + index / b.seatsPerRow),
                    number: uint16(b.firstSeat + index % b.seatsPerRow),
                    letteredRow: b.letteredRows
                });
            }
            index -= inBlock;
        }
    }
    /// @inheritdoc IEventTicketViews
    function isSeatTaken(uint256 tierId, uint256 seat) external view returns (bool) {
        return _seatsTaken.get(_tokenId(tierId, seat));
    }

    /// @inheritdoc IEventTicketViews
    function eventInfo() external view returns (EventInfo memory) {
        EventState memory e = _event;
        return EventInfo({
            name: name(),
            symbol: symbol(),
            metadataURI: _metadataURI(),
            factory: _factory(),
            currency: e.currency,
            payout: e.payout,
            start: e.start,
            end: e.end,
            settlementDelay: e.settlementDelay,
            platformFeeBps: e.platformFeeBps,
            royaltyBps: e.royaltyBps,
            resaleCapBps: e.resaleCapBps,
            policy: e.policy,
            giftsPerHolder: e.giftsPerHolder,
            tierCount: e.tierCount,
            cancelled: e.cancelled,
            checkInLeadHours: e.checkInLeadHours
        });
    }

    /// @inheritdoc IEventTicketViews
    function ticketInfo(uint256 tokenId) external view returns (TicketInfo memory) {
        return TicketInfo({
            holder: _requireOwned(tokenId),
            tierId: _tierOf(tokenId),
            serial: tokenId % TOKENS_PER_TIER,
            pricePaid: _pricePaid(tokenId),
            checkedIn: _checkedIn.get(tokenId)
        });
    }

    /// @inheritdoc IEventTicketViews
    function pricePaid(uint256 tokenId) external view returns (uint256) {
        _requireOwned(tokenId);
        return _pricePaid(tokenId);
    }

    /// @inheritdoc IEventTicketViews
    function faceValue(uint256 tokenId) external view returns (uint256) {
        _requireOwned(tokenId);
        return _tiers[_tierOf(tokenId)].price;
    }

    /// @inheritdoc IEventTicketViews
    function isCheckedIn(uint256 tokenId) external view returns (bool) {
        return _checkedIn.get(tokenId);
    }

    /// @inheritdoc IEventTicketViews
    function isDenied(address account) external view returns (bool) {
        return _isDenied(account);
    }

    /// @inheritdoc IEventTicketViews
    function purchased(uint256 tierId, address wallet) external view returns (uint256) {
        uint256 account = _load(_accountSlot(wallet));
        (uint256 bought,,) = _purchaseEntry(account, tierId, wallet);
        return bought + _presaleReceived(account, tierId, wallet);
    }

    /// @inheritdoc IEventTicketViews
    function giftsUsed(address holder) external view returns (uint256) {
        return _giftsUsed[holder];
    }

    /// @inheritdoc IEventTicketViews
    function escrowBalance() external view returns (uint256) {
        return _withdrawable();
    }

    /// @inheritdoc IEventTicketViews
    function contractURI() external view returns (string memory) {
        return _metadataURI();
    }

    /// @inheritdoc IEventTicketViews
    function voucherUses(bytes32 codeId) external view returns (uint256 used, bool revoked) {
        uint256 packed = _voucherUses[codeId];
        return (packed & ~VOUCHER_REVOKED, packed & VOUCHER_REVOKED != 0);
    }

    /// @inheritdoc IEventTicketViews
    function refundBooks() external view returns (uint256 owed, uint256 ratio) {
        return (_refundsOwed(), _event.cancelled ? _refundRatio : REFUND_FULL);
    }

    /// @inheritdoc IEventTicketViews
    function isSeatHeld(uint256 tierId, uint256 seat) external view returns (bool) {
        uint256 inMap = seat % TOKENS_PER_SLOT;
        return inMap != 0 && inMap < TOKENS_PER_TIER && _seatsHeld.get(_tokenId(tierId, seat));
    }

    /// @inheritdoc IEventTicketViews
    function refundPolicy() external view returns (RefundStep[] memory steps, bool exchanges) {
        return RefundPolicy.unpack(_refundPolicy);
    }

    /// @inheritdoc IEventTicketViews
    function returnQuote(uint256 tokenId) external view returns (uint256 refund, uint256 until) {
        _requireOwned(tokenId);
        uint256 shareBps;
        (shareBps, until) = RefundPolicy.shareAt(_refundPolicy, _ticketStart(tokenId), block.timestamp);
        refund = _pricePaid(tokenId) * shareBps / BPS;
    }

    /// @inheritdoc IEventTicketViews
    function priceOf(uint256 tierId, address buyer, Voucher calldata voucher) external view returns (uint256 price) {
        TierState memory t = _tiers[tierId];
        if (t.saleEnd == 0) revert UnknownTier(tierId);
        price = _listPrice(tierId, t);
        if (voucher.codeId != 0) price = _voucherPrice(voucher, tierId, buyer, 1, price);
    }

    /// @inheritdoc IEventTicketViews
    function listing(uint256 tokenId) external view returns (Listing memory) {
        return _listingOf(tokenId, _load(_ownerSlot(tokenId)));
    }

    /// @inheritdoc IEventTicketViews
    function listingState(uint256 tokenId) external view returns (ListingState) {
        uint256 word = _load(_ownerSlot(tokenId));
        return _listingState(tokenId, _listingOf(tokenId, word), address(uint160(word)));
    }

    /// @inheritdoc IEventTicketViews
    function resaleCap(uint256 tokenId) external view returns (uint256) {
        return _resaleCap(tokenId);
    }

    /// @inheritdoc IEventTicketViews
    function credits(address account) external view returns (uint256) {
        return _credits[account];
    }

    /// @inheritdoc IEventTicketViews
    function accruedRoyalties() external view returns (uint256 royalties, uint256 platformFees) {
        return (_owed.royalties, _owed.platformFees);
    }

    /// @inheritdoc IEventTicketViews
    function channel(uint256 channelId) external view returns (ChannelInfo memory) {
        uint256 word = _channels[channelId];
        if (word & CHANNEL_EXISTS == 0) revert UnknownChannel(channelId);
        return ChannelInfo({
            payout: _channelPayouts[channelId],
            commissionBps: uint16(word >> 128),
            open: word & CHANNEL_CLOSED == 0,
            owed: uint128(word)
        });
    }

    /// @inheritdoc IEventTicketViews
    function channelCount() external view returns (uint256) {
        return _channelCount;
    }

    /// @inheritdoc IEventTicketViews
    function membership() external view returns (address) {
        return _memberTerms.membership;
    }

    /// @inheritdoc IEventTicketViews
    function tierPerks(uint256 tierId) external view returns (TierPerks memory) {
        return MemberPerks.unpack(_memberTerms.tierPerks[tierId]);
    }
}
