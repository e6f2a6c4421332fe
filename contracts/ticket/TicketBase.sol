// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AccessControlUpgradeable} from "@openzeppelin/contracts-upgradeable/access/AccessControlUpgradeable.sol";
import {ERC721Upgradeable} from "@openzeppelin/contracts-upgradeable/token/ERC721/ERC721Upgradeable.sol";
import {Clones} from "@openzeppelin/contracts/proxy/Clones.sol";
import {IERC2981} from "@openzeppelin/contracts/interfaces/IERC2981.sol";
import {IERC165} from "@openzeppelin/contracts/utils/introspection/IERC165.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Address} from "@openzeppelin/contracts/utils/Address.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {BitMaps} from "@openzeppelin/contracts/utils/structs/BitMaps.sol";

import {IERC5192} from "../interfaces/IERC5192.sol";
import {IEventTicketErrors} from "../interfaces/IEventTicketErrors.sol";
import {IEventTicketEvents} from "../interfaces/IEventTicketEvents.sol";
import {Listing, ListingState, SeatBlock, TransferPolicy} from "../interfaces/IEventTicketTypes.sol";
import {SlotCalendar} from "../libraries/SlotCalendar.sol";

/// @title Storage, roles, token-id scheme, money helpers and the single transfer-policy gate,
/// shared by EventTicket and EventTicketManager.
/// @dev All state of an event lives here, in this declaration order, and the mixins declare none:
/// EventTicketManager runs by delegatecall in the event's storage, so both contracts must have
/// exactly this layout (a test compares the compiler's storage layouts).
abstract contract TicketBase is
    IEventTicketErrors,
    IEventTicketEvents,
    IERC5192,
    ERC721Upgradeable,
    AccessControlUpgradeable,
    ReentrancyGuardTransient,
    IERC2981,
    EIP712
{
    using BitMaps for BitMaps.BitMap;
    using SafeERC20 for IERC20;

    /// @notice The organizer is the admin of every role (it is AccessControl's default admin).
    bytes32 public constant ORGANIZER_ROLE = 0x00;
    bytes32 public constant GATE_ROLE = keccak256("GATE_ROLE");
    bytes32 public constant FINANCE_ROLE = keccak256("FINANCE_ROLE");
    /// @notice May sign discount vouchers besides the organizer.
    bytes32 public constant VOUCHER_SIGNER_ROLE = keccak256("VOUCHER_SIGNER_ROLE");

    /// @notice `tokenId = tierId * TOKENS_PER_TIER + serial`: a token's tier and refund price are
    /// derived from its id, so a sale writes no per-token record beyond ERC-721 ownership.
    uint256 public constant TOKENS_PER_TIER = 1_000_000;
    /// @notice A calendar slot's tickets add `slot * TOKENS_PER_SLOT` to their id, so the slot (and
    /// with it the entry window) is read from the id, like the tier and the seat.
    uint256 public constant TOKENS_PER_SLOT = 1_000_000_000;
    uint256 public constant MAX_SUPPLY_PER_TIER = TOKENS_PER_TIER - 1;
    uint256 public constant MAX_TIERS = type(uint8).max;
    uint256 public constant MAX_ROYALTY_BPS = 1_000;
    uint256 internal constant BPS = 10_000;
    /// @dev A refund pays `price * ratio / REFUND_FULL` (see `_refundRatio`).
    uint256 internal constant REFUND_FULL = 1e18;
    /// @dev Gates may check in from this many hours before the start, unless the organizer changes it.
    uint8 internal constant DEFAULT_CHECK_IN_LEAD_HOURS = 6;
    /// @dev Gas forwarded when pushing ETH to a seller or holder: enough for a smart-contract
    /// wallet's receive, not enough to grief the buyer's transaction.
    uint256 internal constant PUSH_GAS = 50_000;

    uint8 internal constant TIER_PAUSED = 1;
    uint8 internal constant TIER_SEATED = 2;
    /// @dev The tier has a TierExtras slot worth reading (early price, entry window, presale).
    uint8 internal constant TIER_HAS_OPTIONS = 4;
    /// @dev The tier has membership perks (`_tierPerks`), and whether only members may buy it.
    uint8 internal constant TIER_MEMBER_PERKS = 8;
    uint8 internal constant TIER_MEMBERS_ONLY = 16;

    /// @dev Marks a recorded price in `_paidOverride`, so that a free (0) price is still a record.
    uint256 internal constant PRICE_RECORDED = 1 << 255;
    /// @dev Marks a revoked code in `_voucherUses`.
    uint256 internal constant VOUCHER_REVOKED = 1 << 255;

    // Per-token and per-account data packed into ERC-721's own words, the way Solady's ERC721
    // keeps `extraData` and `aux`: a sale, listing or transfer writes those words anyway, so data
    // kept beside them costs no new storage slot.
    //
    // Ownership word of a token: [LISTED][RECORDED][APPROVED][channel: 8 bits][value: 85 bits][owner: 160 bits].
    // value is the listing price when LISTED, the primary price paid when RECORDED (never both);
    // channel the sales channel of its primary sale (0: none).

    /// @dev ERC721Upgradeable's `_owners` and `_balances`: the third and fourth members of its
    /// ERC-7201 storage at 0x80bb...9300.
    uint256 private constant _OWNERS_SLOT = 0x80bb2b638cc20bc4d0a60d66940f3ab4a00c1d7b313497ca82fb0b4ab0079302;
    uint256 private constant _BALANCES_SLOT = 0x80bb2b638cc20bc4d0a60d66940f3ab4a00c1d7b313497ca82fb0b4ab0079303;
    uint256 internal constant ADDRESS_MASK = (1 << 160) - 1;
    /// @dev The holder listed the token at `value` (the seller is the holder).
    uint256 internal constant OWNER_LISTED = 1 << 255;
    /// @dev `value` is the token's primary price (it differed from the tier's price).
    uint256 internal constant OWNER_RECORDED = 1 << 254;
    /// @dev A single-token approval may be set, so a transfer must clear it.
    uint256 internal constant OWNER_APPROVED = 1 << 253;
    uint256 internal constant VALUE_MAX = (1 << 85) - 1;
    uint256 internal constant VALUE_BITS = VALUE_MAX << 160;
    /// @dev The sales channel the ticket was sold through (0: none), kept across transfers.
    uint256 internal constant CHANNEL_SHIFT = 245;
    uint256 internal constant CHANNEL_BITS = uint256(0xff) << CHANNEL_SHIFT;

    // Channel word: [unused: 110][CLOSED][EXISTS][commission bps: 16][commission owed: 128].
    uint256 internal constant CHANNEL_OWED_MASK = type(uint128).max;
    uint256 internal constant CHANNEL_EXISTS = 1 << 144;
    uint256 internal constant CHANNEL_CLOSED = 1 << 145;
    uint256 public constant MAX_CHANNELS = type(uint8).max;
    uint256 public constant MAX_COMMISSION_BPS = 5_000;

    // Account word: [DENIED][SPILLED][PRESALE_RECEIVED][unused: 29][6 purchase entries of 32 bits][ERC-721 balance: 32 bits].
    // The balance never exceeds 255 tiers x 999,999 tickets < 2^32. A purchase entry is
    // [count: 24 bits][tierId: 8 bits]; tier 0 marks a free entry.

    uint256 internal constant ACCOUNT_DENIED = 1 << 255;
    /// @dev Some of the account's purchase counts are in `_purchased`.
    uint256 internal constant ACCOUNT_SPILLED = 1 << 254;
    /// @dev Other wallets bought tickets for this one during a presale: counted apart, in
    /// `_purchased[tierId | PRESALE_RECEIVED_KEY]`, against its per-wallet limit only, so they
    /// never use up its own presale allowance.
    uint256 internal constant ACCOUNT_PRESALE_RECEIVED = 1 << 253;
    uint256 internal constant PRESALE_RECEIVED_KEY = 1 << 8;
    uint256 internal constant BALANCE_MASK = (1 << 32) - 1;
    uint256 internal constant ENTRIES_START = 32;
    uint256 internal constant ENTRIES_END = 224;

    /// @dev Two slots. Slot 1 holds everything a sale, transfer or resale reads; slot 2 the rest
    /// of the terms (listing and check-in read it too).
    struct EventState {
        // slot 1
        address currency;
        uint40 end;
        uint16 royaltyBps;
        uint16 platformFeeBps;
        TransferPolicy policy;
        bool cancelled;
        uint8 checkInLeadHours;
        // slot 2
        address payout;
        uint40 start;
        uint24 settlementDelay;
        uint16 resaleCapBps;
        uint8 giftsPerHolder;
        uint8 tierCount;
    }

    /// @dev One slot per tier.
    struct TierState {
        uint96 price;
        uint24 supply;
        uint24 sold;
        uint16 maxPerWallet;
        uint40 saleStart;
        uint40 saleEnd;
        uint8 flags;
        /// The calendar whose slots the tier sells (0: not timed by a calendar).
        uint8 calendar;
    }

    EventState internal _event;
    /// @dev Set only when the organizer replaces the URI given at creation (kept in the clone's code).
    string internal _updatedMetadataURI;
    mapping(uint256 tierId => TierState) internal _tiers;
    mapping(uint256 tierId => string) internal _tierNames;
    /// @dev Only the counts that do not fit in the wallet's account word (see `_countPurchase`).
    mapping(uint256 tierId => mapping(address wallet => uint256)) internal _purchased;
    mapping(address holder => uint256) internal _giftsUsed;
    BitMaps.BitMap internal _checkedIn;

    /// @dev Written only for tiers that use them, so plain tiers pay nothing for these features.
    struct TierExtras {
        uint96 earlyPrice;
        uint40 earlyUntil;
        uint40 entryStart;
        uint40 entryEnd;
        uint40 presaleStart;
    }

    mapping(uint256 tierId => TierExtras) internal _tierExtras;
    mapping(uint256 tierId => bytes32) internal _presaleRoots;
    mapping(uint256 tierId => SeatBlock[]) internal _seatMaps;
    /// @dev Keyed like token ids (`tierId * TOKENS_PER_TIER + seat`).
    BitMaps.BitMap internal _seatsTaken;
    /// @dev A token's price when it differs from its tier's price (early price, voucher) and is not
    /// kept in the token's ownership word (see OWNER_RECORDED).
    mapping(uint256 tokenId => uint256) internal _paidOverride;
    /// @dev Uses so far, with the top bit set once revoked.
    mapping(bytes32 codeId => uint256) internal _voucherUses;

    /// @dev Listings that are not kept in the token's ownership word (see OWNER_LISTED): one whose
    /// token moved by another path (kept so its state reads TokenMoved), or whose price is too big.
    mapping(uint256 tokenId => Listing) internal _listings;
    mapping(address account => uint256) internal _credits;

    /// @dev Money in the contract that is not primary escrow.
    struct Owed {
        uint128 royalties;
        uint128 platformFees;
    }

    Owed internal _owed;
    uint256 internal _creditsOwed;

    /// @dev What each tier's live tickets paid, beside `sold` (the refund books): tickets burned by
    /// a refund without giving their place back, and the sum over live tickets of (price paid -
    /// tier price) for those that paid another price (early price, voucher). So what every live
    /// ticket paid is `sum(price * (sold - burned) + recordedDelta)`, without a write on plain sales.
    struct TierBooks {
        uint64 burned;
        int192 recordedDelta;
    }

    mapping(uint256 tierId => TierBooks) internal _tierBooks;
    /// @dev Set when the event is cancelled: the share of its price each refund pays, of
    /// REFUND_FULL (below it only if the escrow fell short of what the live tickets paid).
    uint256 internal _refundRatio;

    /// @dev The refund policy for returns and exchanges, packed by `RefundPolicy` (0: none).
    uint256 internal _refundPolicy;
    /// @dev Set when the event is cancelled: what the escrow held beyond every live ticket's price
    /// (the shares returns kept). Refunds never need it; the organizer withdraws it after settlement.
    uint256 internal _cancelSurplus;
    /// @dev Seats the organizer holds back (also set in `_seatsTaken`, and counted in the tier's
    /// `sold`, with their price taken off the refund books); keyed like token ids.
    BitMaps.BitMap internal _seatsHeld;

    /// @dev Timed-entry calendars, packed by `SlotCalendar`, by id (the id of their first tier).
    mapping(uint256 calendarId => uint256) internal _calendars;
    /// @dev Closed dates, a bit per day index: keyed `calendarId << 32 | day >> 8`.
    mapping(uint256 key => uint256) internal _closedDays;
    /// @dev Places booked per slot, 16 slots of 16 bits a word: keyed `calendarId << 32 | slot >> 4`.
    mapping(uint256 key => uint256) internal _slotBookings;

    /// @dev Sales channels by id (1..`_channelCount`), packed as the channel word above: what a
    /// purchase reads and writes. Their payout addresses, read at settlement only, apart.
    mapping(uint256 channelId => uint256) internal _channels;
    mapping(uint256 channelId => address) internal _channelPayouts;
    uint256 internal _channelCount;

    /// @dev The membership program contract this event counts in (address(0): none), and each
    /// tier's perks for its members, packed by `MemberPerks` (read only for tiers flagged
    /// TIER_MEMBER_PERKS, so other sales pay nothing for them).
    struct MemberTerms {
        address membership;
        mapping(uint256 tierId => uint256) tierPerks;
    }

    MemberTerms internal _memberTerms;

    /// @dev Set for the duration of a transfer the policy itself authorizes (gift, resale).
    bool private transient _policyTransfer;

    // ------------------------------------------------------------------ token ids

    function _tierOf(uint256 tokenId) internal pure returns (uint256) {
        return tokenId % TOKENS_PER_SLOT / TOKENS_PER_TIER;
    }

    function _slotOf(uint256 tokenId) internal pure returns (uint256) {
        return tokenId / TOKENS_PER_SLOT;
    }

    function _tokenId(uint256 tierId, uint256 serial) internal pure returns (uint256) {
        return tierId * TOKENS_PER_TIER + serial;
    }

    /// @dev Every tier closes its sale after it opens, so a zero `saleEnd` means "no such tier".
    function _requireTier(uint256 tierId) internal view {
        if (_tiers[tierId].saleEnd == 0) revert UnknownTier(tierId);
    }

    /// @dev The factory that created this event: the first 20 bytes of the clone's immutable
    /// arguments (see TicketFactory.createEvent). Fees go there; its owner and arbiter may cancel.
    function _factory() internal view returns (address) {
        return address(bytes20(Clones.fetchCloneArgs(address(this))));
    }

    /// @dev The refund price: the recorded price if the buyer paid something other than the
    /// tier's price, else the tier's price (fixed once the tier has sold).
    function _pricePaid(uint256 tokenId) internal view returns (uint256) {
        uint256 word = _load(_ownerSlot(tokenId));
        if (word & OWNER_RECORDED != 0) return (word >> 160) & VALUE_MAX;
        uint256 recorded = _paidOverride[tokenId];
        return recorded != 0 ? recorded & ~PRICE_RECORDED : _tiers[_tierOf(tokenId)].price;
    }

    /// @dev The tier's price now: its early price until `earlyUntil`, then its regular price.
    function _listPrice(uint256 tierId, TierState memory t) internal view returns (uint256) {
        if (t.flags & TIER_HAS_OPTIONS != 0) {
            TierExtras storage x = _tierExtras[tierId];
            if (block.timestamp < x.earlyUntil) return x.earlyPrice;
        }
        return t.price;
    }

    /// @dev When a ticket starts, for its return and exchange deadlines: its calendar slot's start,
    /// a timed tier's entry, else the event's start.
    function _ticketStart(uint256 tokenId) internal view returns (uint256) {
        uint256 slot = _slotOf(tokenId);
        uint256 tierId = _tierOf(tokenId);
        if (slot != 0) {
            (, uint256 start,) = _slotWindow(_tiers[tierId].calendar, slot);
            return start;
        }
        if (_tiers[tierId].flags & TIER_HAS_OPTIONS != 0) {
            uint256 entryStart = _tierExtras[tierId].entryStart;
            if (entryStart != 0) return entryStart;
        }
        return _event.start;
    }

    // ------------------------------------------------------------------ calendars

    /// @dev The calendar's word, or {UnknownCalendar}.
    function _calendar(uint256 calendarId) internal view returns (uint256 word) {
        word = _calendars[calendarId];
        if (word == 0) revert UnknownCalendar(calendarId);
    }

    /// @dev `slot`'s word, day and entry window, or {SlotNotOffered} when the rule does not offer
    /// it or its day is closed.
    function _slotWindow(uint256 calendarId, uint256 slot) internal view returns (uint256 word, uint256 start, uint256 end) {
        word = _calendar(calendarId);
        (bool offered, uint256 day, uint256 s, uint256 e) = SlotCalendar.window(word, slot);
        if (offered && word & SlotCalendar.CLOSED_DAYS != 0) {
            offered = _closedDays[calendarId << 32 | day >> 8] & (1 << (day & 0xff)) == 0;
        }
        if (!offered) revert SlotNotOffered(calendarId, slot);
        return (word, s, e);
    }

    /// @dev Checks the slot's sale is open (until its start less the calendar's lead time, and
    /// before the event ends) and books `places` in it.
    function _openSlot(uint256 calendarId, uint256 slot, uint256 places) internal {
        (uint256 word, uint256 start,) = _slotWindow(calendarId, slot);
        uint256 closesAt = start - SlotCalendar.saleLead(word);
        if (block.timestamp >= closesAt) revert SlotSaleClosed(calendarId, slot, closesAt);
        if (start >= _event.end) revert SlotNotOffered(calendarId, slot);
        _bookSlot(calendarId, word, slot, places);
    }

    /// @dev Books `places` in `slot` within the calendar's shared capacity (when it has one).
    function _bookSlot(uint256 calendarId, uint256 word, uint256 slot, uint256 places) internal {
        uint256 key = calendarId << 32 | slot >> 4;
        uint256 lanes = _slotBookings[key];
        uint256 shift = (slot & 0xf) * 16;
        uint256 booked = (lanes >> shift) & 0xffff;
        uint256 cap = SlotCalendar.capacity(word);
        uint256 limit = cap == 0 ? 0xffff : cap;
        if (booked + places > limit) revert SlotFull(calendarId, slot, places, limit - booked);
        _slotBookings[key] = lanes + (places << shift);
    }

    /// @dev Gives one place of `slot` back (a return, an exchange, a refund).
    function _unbookSlot(uint256 calendarId, uint256 slot) internal {
        _slotBookings[calendarId << 32 | slot >> 4] -= 1 << ((slot & 0xf) * 16);
    }

    // ------------------------------------------------------------------ packed ERC-721 words

    function _ownerSlot(uint256 tokenId) internal pure returns (bytes32 slot) {
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            mstore(0x00, tokenId)
            mstore(0x20, _OWNERS_SLOT)
            slot := keccak256(0x00, 0x40)
        }
    }

    function _accountSlot(address account) internal pure returns (bytes32 slot) {
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            mstore(0x00, and(account, 0xffffffffffffffffffffffffffffffffffffffff))
            mstore(0x20, _BALANCES_SLOT)
            slot := keccak256(0x00, 0x40)
        }
    }

    function _load(bytes32 slot) internal view returns (uint256 word) {
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            word := sload(slot)
        }
    }

    function _store(bytes32 slot, uint256 word) internal {
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            sstore(slot, word)
        }
    }

    function _isDenied(address account) internal view returns (bool) {
        return _load(_accountSlot(account)) & ACCOUNT_DENIED != 0;
    }

    /// @dev Tickets of `tierId` bought for `wallet`, from its account word or `_purchased`; also
    /// where the count lives: `shift` is its entry's position (0: not inline), `free` the first
    /// free entry's.
    function _purchaseEntry(uint256 account, uint256 tierId, address wallet)
        internal
        view
        returns (uint256 bought, uint256 shift, uint256 free)
    {
        for (uint256 s = ENTRIES_START; s < ENTRIES_END; s += 32) {
            uint256 entry = (account >> s) & 0xffffffff;
            if (entry & 0xff == tierId) return (entry >> 8, s, 0);
            if (entry == 0 && free == 0) free = s;
        }
        if (account & ACCOUNT_SPILLED != 0) bought = _purchased[tierId][wallet];
    }

    /// @dev Counts tickets bought for `wallet` against the tier's per-wallet limit and, during a
    /// presale, the allowance in its allowlist leaf. Passing tickets on does not reset the count.
    /// The count lives in the wallet's account word (which the mint writes anyway) while it has a
    /// free entry and fits 24 bits, otherwise in `_purchased`.
    function _countPurchase(
        uint256 tierId,
        address wallet,
        uint256 quantity,
        uint256 limit,
        bool presale,
        uint256 allowance
    ) internal {
        bytes32 slot = _accountSlot(wallet);
        uint256 account = _load(slot);
        (uint256 bought, uint256 shift, uint256 free) = _purchaseEntry(account, tierId, wallet);
        if (limit != 0) {
            _requireWithinLimit(tierId, wallet, quantity, limit, bought + _presaleReceived(account, tierId, wallet));
        }
        if (presale && bought + quantity > allowance) {
            revert PresaleAllowanceExceeded(tierId, wallet, quantity, allowance > bought ? allowance - bought : 0);
        }
        uint256 count = bought + quantity;
        if (shift == 0 && bought == 0) shift = free;
        if (shift != 0) account &= ~(uint256(0xffffffff) << shift);
        if (shift != 0 && count < 1 << 24) {
            account |= ((count << 8) | tierId) << shift;
        } else {
            _purchased[tierId][wallet] = count;
            account |= ACCOUNT_SPILLED;
        }
        _store(slot, account);
    }

    /// @dev `wallet` holds `held` tickets of the tier against its per-wallet `limit`.
    function _requireWithinLimit(uint256 tierId, address wallet, uint256 quantity, uint256 limit, uint256 held)
        internal
        pure
    {
        if (held + quantity > limit) revert WalletLimitExceeded(tierId, wallet, quantity, limit > held ? limit - held : 0);
    }

    /// @dev Tickets of `tierId` other wallets bought for `wallet` during the presale.
    function _presaleReceived(uint256 account, uint256 tierId, address wallet) internal view returns (uint256) {
        return account & ACCOUNT_PRESALE_RECEIVED != 0 ? _purchased[tierId | PRESALE_RECEIVED_KEY][wallet] : 0;
    }

    /// @dev ERC-721 balance: the low 32 bits of the account word.
    function balanceOf(address owner) public view override returns (uint256) {
        if (owner == address(0)) revert ERC721InvalidOwner(address(0));
        return _load(_accountSlot(owner)) & BALANCE_MASK;
    }

    function _metadataURI() internal view returns (string memory) {
        string memory updated = _updatedMetadataURI;
        if (bytes(updated).length != 0) return updated;
        bytes memory args = Clones.fetchCloneArgs(address(this));
        // The URI follows the factory's address in the clone's arguments.
        bytes memory uri = new bytes(args.length - 20);
        for (uint256 i; i < uri.length; ++i) {
            uri[i] = args[i + 20];
        }
        return string(uri);
    }

    // ------------------------------------------------------------------ lifecycle guards

    function _requireNotCancelled() internal view {
        if (_event.cancelled) revert EventIsCancelled();
    }

    /// @dev Organizer changes to an event are allowed until it is cancelled or over.
    function _requireLive() internal view {
        _requireNotCancelled();
        if (block.timestamp >= _event.end) revert EventAlreadyEnded(_event.end);
    }

    function _requireNotDenied(address account) internal view {
        if (_isDenied(account)) revert AddressDenied(account);
    }

    // ------------------------------------------------------------------ money

    function _isNative() internal view returns (bool) {
        return _event.currency == address(0);
    }

    /// @dev Takes exactly `amount` from `payer`: ETH must arrive as msg.value; ERC-20 is pulled
    /// (and msg.value must then be zero, so no ETH is stranded), and must arrive in full: a token
    /// that keeps a fee on transfer would otherwise leave the escrow short of what it owes.
    function _collect(address currency, address payer, uint256 amount) internal {
        if (currency == address(0)) {
            if (msg.value != amount) revert IncorrectPayment(amount, msg.value);
        } else {
            if (msg.value != 0) revert IncorrectPayment(0, msg.value);
            if (amount == 0) return;
            uint256 before = _tokenBalance(currency);
            IERC20(currency).safeTransferFrom(payer, address(this), amount);
            uint256 received = _tokenBalance(currency) - before;
            if (received != amount) revert PaymentNotReceived(amount, received);
        }
    }

    /// @dev This contract's balance of `token`, by a bare staticcall (the purchase path reads it
    /// twice, and the high-level call's encoding costs more than the read).
    function _tokenBalance(address token) private view returns (uint256 amount) {
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            mstore(0x00, 0x70a08231) // balanceOf(address)
            mstore(0x20, address())
            // Arguments run right to left: the call, then the returned size is checked.
            if iszero(and(gt(returndatasize(), 0x1f), staticcall(gas(), token, 0x1c, 0x24, 0x00, 0x20))) {
                returndatacopy(0x00, 0x00, returndatasize())
                revert(0x00, returndatasize())
            }
            amount := mload(0x00)
        }
    }

    function _pay(address to, uint256 amount) internal {
        if (amount == 0) return;
        if (_isNative()) Address.sendValue(payable(to), amount);
        else IERC20(_event.currency).safeTransfer(to, amount);
    }

    function _balance() internal view returns (uint256) {
        address currency = _event.currency;
        return currency == address(0) ? address(this).balance : _tokenBalance(currency);
    }

    /// @dev Pushes a payment to someone whose receiving code is not ours (a seller, a refunded
    /// holder); if that fails the amount is credited for `withdrawCredits`, so the caller's
    /// transaction never fails because of the recipient.
    function _payOrCredit(address currency, address to, uint256 amount) internal {
        if (amount == 0) return;
        bool paid;
        if (currency == address(0)) {
            // solhint-disable-next-line avoid-low-level-calls
            (paid,) = payable(to).call{value: amount, gas: PUSH_GAS}("");
        } else {
            paid = IERC20(currency).trySafeTransfer(to, amount);
        }
        if (!paid) {
            _credits[to] += amount;
            _creditsOwed += amount;
            emit PaymentCredited(to, amount);
        }
    }

    /// @dev Primary escrow: everything held except resale royalties, fees and credits owed.
    function _withdrawable() internal view returns (uint256) {
        return _balance() - _owed.royalties - _owed.platformFees - _creditsOwed;
    }

    /// @dev Burns a ticket on refund and forgets what was attached to it (`_update` clears the
    /// ownership word). Returns the price the ticket paid.
    function _burnTicket(uint256 tokenId) internal returns (uint256 paid) {
        paid = _pricePaid(tokenId);
        _reverseCommission(tokenId, _load(_ownerSlot(tokenId)), paid);
        delete _listings[tokenId];
        delete _paidOverride[tokenId];
        _burn(tokenId);
    }

    /// @dev Keeps the refund books of a ticket refunded before any cancellation (after one, the
    /// ratio is fixed and the books are not read again): `placeKept` when its place is not given
    /// back by lowering `sold` (everything but a released seat).
    function _bookRefund(uint256 tokenId, uint256 paid, bool placeKept) internal {
        uint256 tierId = _tierOf(tokenId);
        int256 delta = int256(paid) - int256(uint256(_tiers[tierId].price));
        if (!placeKept && delta == 0) return;
        TierBooks storage books = _tierBooks[tierId];
        if (placeKept) books.burned += 1;
        if (delta != 0) books.recordedDelta -= int192(delta);
    }

    /// @dev A ticket its holder may give back (return or exchange): the event live, the caller the
    /// holder or approved, the ticket not used, not listed (cancel first) and its holder not
    /// denied. Returns the holder.
    function _requireGiveBack(uint256 tokenId) internal view returns (address holder) {
        _requireLive();
        holder = _requireOwned(tokenId);
        _checkAuthorized(holder, msg.sender, tokenId);
        if (_checkedIn.get(tokenId)) revert TicketAlreadyUsed(tokenId, _event.end);
        if (_load(_ownerSlot(tokenId)) & OWNER_LISTED != 0 || _listings[tokenId].seller == holder) revert TicketListed(tokenId);
        _requireNotDenied(holder);
    }

    /// @dev Claims `seat` of a seated tier in `slot` (0 for a tier without a calendar) and returns
    /// its token id (`slot * TOKENS_PER_SLOT + tierId * TOKENS_PER_TIER + seat`).
    function _takeSeat(uint256 tierId, uint256 slot, uint256 seat, uint256 seats) internal returns (uint256 tokenId) {
        if (seat == 0 || seat > seats) revert InvalidSeat(tierId, seat);
        tokenId = slot * TOKENS_PER_SLOT + _tokenId(tierId, seat);
        if (_seatsTaken.get(tokenId)) revert SeatTaken(tierId, seat);
        _seatsTaken.set(tokenId);
    }

    /// @dev Mints a sold ticket, its price recorded when `recordPrice` (it differs from the tier's),
    /// its sales channel (0: none) in the ownership word.
    function _mintTicket(
        address recipient,
        uint256 tokenId,
        uint256 unitPrice,
        bool recordPrice,
        bool soulbound,
        uint256 channelId
    ) internal {
        _mint(recipient, tokenId);
        uint256 word = channelId << CHANNEL_SHIFT;
        if (recordPrice) {
            // Kept in the ownership word the mint just wrote, unless it does not fit there.
            if (unitPrice <= VALUE_MAX) word |= OWNER_RECORDED | unitPrice << 160;
            else _paidOverride[tokenId] = unitPrice | PRICE_RECORDED;
        }
        if (word != 0) _store(_ownerSlot(tokenId), word | uint160(recipient));
        if (soulbound) emit Locked(tokenId);
    }

    // ------------------------------------------------------------------ sales channels

    /// @dev Commission on one ticket at `price` for a channel word.
    function _commissionOn(uint256 channel, uint256 price) internal pure returns (uint256) {
        return price * ((channel >> 128) & 0xffff) / BPS;
    }

    /// @dev Credits `channelId` (open) with its commission on `quantity` tickets at `unitPrice`,
    /// owed to it at settlement out of the organizer's proceeds.
    function _creditChannel(uint256 channelId, uint256 firstTokenId, uint256 quantity, uint256 unitPrice) internal {
        uint256 channel = _channels[channelId];
        // Exists and not closed.
        if (channel & (CHANNEL_EXISTS | CHANNEL_CLOSED) != CHANNEL_EXISTS) revert UnknownChannel(channelId);
        uint256 commission = _commissionOn(channel, unitPrice) * quantity;
        uint256 owed = SafeCast.toUint128((channel & CHANNEL_OWED_MASK) + commission);
        _channels[channelId] = (channel & ~CHANNEL_OWED_MASK) | owed;
        emit ChannelSale(channelId, firstTokenId, quantity, commission);
    }

    /// @dev Takes back the commission a ticket earned its channel (the sale was undone: a refund,
    /// a return, or the old ticket of an exchange). Returns the channel (0: none).
    function _reverseCommission(uint256 tokenId, uint256 word, uint256 paid) internal returns (uint256 channelId) {
        channelId = (word & CHANNEL_BITS) >> CHANNEL_SHIFT;
        if (channelId == 0) return 0;
        uint256 channel = _channels[channelId];
        uint256 commission = _commissionOn(channel, paid);
        // Never below zero: commissions paid out at settlement are not taken back.
        uint256 owed = channel & CHANNEL_OWED_MASK;
        if (commission > owed) commission = owed;
        _channels[channelId] = channel - commission;
        emit ChannelCommissionReversed(channelId, tokenId, commission);
    }

    /// @dev `amount`, but never more than the escrow holds should a token currency lose funds. ETH
    /// escrow needs no check before the end: nothing but refunds of at most the price paid leaves it,
    /// so every live ticket's price is there (the check's two reads saved on returns and exchanges).
    function _capToTokenEscrow(uint256 amount) internal view returns (uint256) {
        if (_isNative()) return amount;
        uint256 available = _withdrawable();
        return amount > available ? available : amount;
    }

    /// @dev Puts a burned ticket's place back on sale: a seat becomes free again (its token id can
    /// be sold again); otherwise the tier gains one unit of supply, as serials are never reused.
    /// The caller emits the event that says so ({InventoryReleased}, or {TicketReturned}, which implies it).
    function _releaseInventory(uint256 tokenId, uint256 tierId, uint256 paid) internal {
        TierState storage t = _tiers[tierId];
        bool seated = t.flags & TIER_SEATED != 0;
        _bookRefund(tokenId, paid, !seated);
        uint256 slot = _slotOf(tokenId);
        if (slot != 0) _unbookSlot(t.calendar, slot);
        if (seated) {
            _seatsTaken.unset(tokenId);
            t.sold -= 1;
        } else if (slot != 0) {
            // A calendar tier's supply caps its serials over the season; the slot's place is what
            // goes back on sale (its supply grows too, unless it has no cap).
            if (t.supply != MAX_SUPPLY_PER_TIER) t.supply += 1;
        } else {
            if (t.supply == MAX_SUPPLY_PER_TIER) revert InvalidTierSupply(tierId, t.supply + 1, t.sold);
            t.supply += 1;
        }
    }

    /// @dev What every live ticket paid: what refunds would pay in all.
    function _refundsOwed() internal view returns (uint256 owed) {
        uint256 tiers = _event.tierCount;
        for (uint256 tierId = 1; tierId <= tiers; ++tierId) {
            TierState storage t = _tiers[tierId];
            TierBooks storage books = _tierBooks[tierId];
            owed = uint256(int256(owed) + int256(uint256(t.price) * (uint256(t.sold) - books.burned)) + books.recordedDelta);
        }
    }

    // ------------------------------------------------------------------ resale

    /// @dev The price the ticket was bought for times the cap, at most what a listing in the
    /// ownership word can hold (2^85 - 1, about 3.9e25). Against the price paid, not the face
    /// value: a comp or a discounted ticket cannot be flipped above what it cost, and its buyer's
    /// refund after a cancellation (the price paid) is what the cap is based on.
    function _resaleCap(uint256 tokenId) internal view returns (uint256) {
        uint256 cap = _pricePaid(tokenId) * _event.resaleCapBps / BPS;
        return cap > VALUE_MAX ? VALUE_MAX : cap;
    }

    function _requireListable(uint256 tokenId, uint256 price) internal view {
        _requireLive();
        if (_event.resaleCapBps == 0) revert ResaleDisabled();
        if (_event.policy == TransferPolicy.Locked) revert TransferLocked(tokenId, _event.end);
        uint256 cap = _resaleCap(tokenId);
        if (price > cap) revert ResalePriceAboveCap(tokenId, price, cap);
        _requireNotDenied(msg.sender);
    }

    /// @dev The listing in the ownership word `word` (seller: the holder) or else in `_listings`.
    function _listingOf(uint256 tokenId, uint256 word) internal view returns (Listing memory) {
        if (word & OWNER_LISTED != 0) {
            return Listing({seller: address(uint160(word)), price: uint96((word >> 160) & VALUE_MAX)});
        }
        return _listings[tokenId];
    }

    function _listingState(uint256 tokenId, Listing memory offer, address holder) internal view returns (ListingState) {
        ListingState state = _listingMarketState(offer, holder);
        if (state != ListingState.Active) return state;
        if (_checkedIn.get(tokenId)) return ListingState.CheckedIn;
        if (_isDenied(offer.seller)) return ListingState.SellerDenied;
        return ListingState.Active;
    }

    /// @dev The listing's state as far as the market decides it; a used ticket and a denied seller
    /// are refused by the transfer itself (`_update`), which a purchase runs anyway.
    function _listingMarketState(Listing memory offer, address holder) internal view returns (ListingState) {
        if (offer.seller == address(0)) return ListingState.NotListed;
        if (_event.cancelled) return ListingState.EventCancelled;
        if (block.timestamp >= _event.end) return ListingState.EventEnded;
        if (holder != offer.seller) return ListingState.TokenMoved;
        return ListingState.Active;
    }

    // ------------------------------------------------------------------ transfer policy

    /// @dev Runs `_transfer` with the policy's blessing (gifts, the resale market).
    function _policyTransferFrom(address from, address to, uint256 tokenId) internal {
        _policyTransfer = true;
        _transfer(from, to, tokenId);
        _policyTransfer = false;
    }

    /// @dev The one place where the deny list, the check-in lock and the transfer policy apply,
    /// for mints, transfers and burns alike.
    /// The token's ownership word keeps its recorded price across transfers; a listing dies with
    /// the move (a move the market did not make keeps it in `_listings`, where it reads
    /// TokenMoved), and so does the approval.
    function _update(address to, uint256 tokenId, address auth) internal virtual override returns (address) {
        bytes32 slot = _ownerSlot(tokenId);
        uint256 word = _load(slot);
        address from = address(uint160(word));
        if (to != address(0)) _requireNotDenied(to);
        if (from != address(0) && to != address(0)) {
            // A denied holder can neither sell, gift nor pass a ticket on (a refund burns it).
            _requireNotDenied(from);
            uint40 end = _event.end;
            if (block.timestamp < end) {
                if (_checkedIn.get(tokenId)) revert TicketAlreadyUsed(tokenId, end);
                TransferPolicy policy = _event.policy;
                if (policy == TransferPolicy.Locked) revert TransferLocked(tokenId, end);
                if (policy == TransferPolicy.Capped && !_policyTransfer) revert TransferRestricted(tokenId);
            } else if (_event.policy == TransferPolicy.Locked) {
                // ERC-5192: the lock lapsed at the end; say so when the token first moves again.
                emit Unlocked(tokenId);
            }
        }
        super._update(to, tokenId, auth);
        if (word > ADDRESS_MASK && from != address(0)) {
            if (word & OWNER_LISTED != 0 && to != address(0) && !_policyTransfer) {
                // Listing{seller: from, price}: the same layout as the word, without the flags.
                Listing storage stale = _listings[tokenId];
                bytes32 staleSlot;
                // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
                    staleSlot := stale.slot
                }
                _store(staleSlot, word & (VALUE_BITS | ADDRESS_MASK));
            }
            uint256 kept;
            if (to != address(0)) kept = word & (word & OWNER_RECORDED == 0 ? CHANNEL_BITS : CHANNEL_BITS | OWNER_RECORDED | VALUE_BITS);
            _store(slot, kept | uint160(to));
        }
        return from;
    }

    /// @dev Capped and Locked: no ERC-721 approvals before the end (clearing one, `to == 0`, is always fine).
    /// Setting an approval marks the ownership word, so that transfers of tokens never approved
    /// (nearly all) skip ERC721's clearing write.
    function _approve(address to, uint256 tokenId, address auth, bool emitEvent) internal virtual override {
        bytes32 slot = _ownerSlot(tokenId);
        if (to != address(0)) {
            if (_approvalsRestricted()) revert ApprovalsDisabled();
        } else if (!emitEvent && auth == address(0) && _load(slot) & OWNER_APPROVED == 0) {
            return; // ERC721._update clearing an approval that was never set
        }
        super._approve(to, tokenId, auth, emitEvent);
        if (to != address(0)) _store(slot, _load(slot) | OWNER_APPROVED);
    }

    function _setApprovalForAll(address owner, address operator, bool approved) internal virtual override {
        if (approved && _approvalsRestricted()) revert ApprovalsDisabled();
        super._setApprovalForAll(owner, operator, approved);
    }

    function _approvalsRestricted() private view returns (bool) {
        return _event.policy != TransferPolicy.Open && block.timestamp < _event.end;
    }

    /// @inheritdoc IERC5192
    function locked(uint256 tokenId) public view returns (bool) {
        _requireOwned(tokenId);
        return _event.policy == TransferPolicy.Locked && block.timestamp < _event.end;
    }

    /// @inheritdoc IERC2981
    /// @dev Read from the event terms rather than ERC2981's own slot: the royalty always follows
    /// the current payout address, and creating an event writes one slot less.
    function royaltyInfo(uint256, uint256 salePrice) external view returns (address receiver, uint256 amount) {
        return (_event.payout, salePrice * _event.royaltyBps / BPS);
    }

    /// @inheritdoc IERC165
    function supportsInterface(bytes4 interfaceId)
        public
        view
        override(ERC721Upgradeable, AccessControlUpgradeable, IERC165)
        returns (bool)
    {
        return interfaceId == type(IERC2981).interfaceId || interfaceId == bytes4(0x49064906) // ERC-4906
            || interfaceId == type(IERC5192).interfaceId || super.supportsInterface(interfaceId);
    }
}
