// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Voucher} from "./IEventTicketTypes.sol";

/// @notice A membership program as the contract keeps it: who may post balances and the roots
/// they posted. Rules, level thresholds and corrections live in the program's events (the index
/// reads them); members' levels and spent points are kept per member.
struct ProgramInfo {
    bool exists;
    /// Posts the balance roots (the organizer may too).
    address pointsSigner;
    /// The current root of [member, credited] and the one before it (proofs against either are
    /// accepted, so a purchase signed just before a new root is posted still goes through).
    bytes32 root;
    bytes32 previousRoot;
    /// The block whose chain state the current root's balances were computed at.
    uint64 rootBlock;
}

/// @notice What a member proves to pay with points (ABI-encoded into `PurchaseOptions.member`): a
/// leaf of the program's balance tree and the points to spend on each ticket.
struct MemberProof {
    /// Points credited to the member over the program's life (earned, corrected, given back);
    /// the member may spend `credited - spent`.
    uint256 credited;
    /// Points to spend on each ticket.
    uint256 pointsPerTicket;
    /// StandardMerkleTree proof of [member, credited].
    bytes32[] proof;
}

/// @notice A discount voucher an organizer offers for points at one of their events: redeemed, it
/// is a voucher for the redeeming member only, used once, that the membership contract signs for
/// (ERC-1271), valid `validFor` seconds.
struct VoucherOffer {
    address eventAddress;
    /// 0: any tier.
    uint256 tierId;
    uint16 percentOffBps;
    uint96 amountOff;
    uint32 validFor;
    uint128 points;
    bool active;
}

/// @title Chainpass membership programs: one per organizer, across all of their events.
/// @notice A fan joins with their wallet; points are earned by rules the organizer publishes here
/// (per unit spent on primary purchases, per event attended, a first-purchase bonus) and derived
/// from the chain's own purchase, return and check-in records, so neither buyers nor the gate pay
/// for accrual. The organizer's points signer posts a Merkle root of every member's credited points
/// and sets members' levels as they cross the published thresholds; members prove their leaf to
/// spend points, and the points they spend are counted here, so no point is spent twice. Level
/// perks need no proof: the level is read here at purchase. Points are never transferable. Anyone
/// can recompute every balance and level from the chain and check what the signer posted.
interface IChainpassMembership {
    error ProgramExists(address organizer);
    error UnknownProgram(address organizer);
    /// @notice Only a Chainpass event (a clone of the platform's EventTicket) may enroll.
    error NotAnEvent(address caller);
    error NotEnrolled(address eventAddress);
    error AlreadyMember(address organizer, address member);
    error NotAMember(address organizer, address member);
    error NotPointsSigner(address organizer, address caller);
    /// @notice The leaf [member, credited] is not in the current or the previous root.
    error InvalidMemberProof(address organizer, address member);
    error LevelTooLow(address member, uint256 level, uint256 required);
    error NotEnoughPoints(address member, uint256 available, uint256 requested);
    error PointsNotAccepted(address organizer, address currency);
    /// @notice Points may pay a ticket's price, never more.
    error PointsAbovePrice(uint256 value, uint256 price);
    /// @notice Roots go forward: each is computed at a later block than the last, and a past one.
    error StaleRoot(uint64 asOfBlock, uint64 lastBlock);
    /// @notice Levels need 1 to MAX_LEVELS strictly rising thresholds above 0, each named.
    error InvalidLevels(uint256 count);
    error InvalidLevel(address member, uint256 level);
    error LengthMismatch(uint256 members, uint256 levels);
    error InvalidEarnRate(address currency, uint256 unit);
    error EmptyReason();
    error ZeroAdjustment();
    /// @notice An offer needs exactly one of a percentage (at most 100%) and an amount off, a price
    /// in points and a validity, at an event in the organizer's program.
    error InvalidVoucherOffer();
    error UnknownVoucherOffer(address organizer, uint256 offerId);
    error UnknownRedemption(bytes32 codeId);
    /// @notice Announcing to an event's holders takes the event's organizer role.
    error NotEventOrganizer(address eventAddress, address caller);
    /// @notice Audience 0 (an event's holders) names an event; 1 (all members) and 2 (members from
    /// a level, 1 to MAX_LEVELS) name none; the text's URI is not empty.
    error InvalidAnnouncement(uint8 audience, uint8 level);

    event ProgramCreated(address indexed organizer, string name, address pointsSigner);
    event PointsSignerChanged(address indexed organizer, address pointsSigner);
    /// @notice Primary purchases earn `points` per `unit` of `currency` paid (smallest units; floor per ticket).
    event EarnRateSet(address indexed organizer, address indexed currency, uint256 unit, uint256 points);
    /// @notice Points for each event a member attends (a ticket they hold is checked in), and a
    /// one-time bonus on their first purchase in the program.
    event RewardsSet(address indexed organizer, uint256 attendancePoints, uint256 firstPurchaseBonus);
    /// @notice Level `i + 1` is reached with `thresholds[i]` points earned.
    event LevelsSet(address indexed organizer, uint256[] thresholds, string[] names);
    /// @notice A point pays `value` of `currency` (smallest units) at purchase (0: not accepted).
    event PointValueSet(address indexed organizer, address indexed currency, uint256 value);
    event EventEnrolled(address indexed organizer, address indexed eventAddress);
    event MemberJoined(address indexed organizer, address indexed member);
    /// @notice The organizer's correction of a member's balance, with its reason.
    event PointsAdjusted(address indexed organizer, address indexed member, int256 delta, string reason);
    /// @notice The points signer moved `member` to `level` (the thresholds their earned points cross).
    event MemberLevelSet(address indexed organizer, address indexed member, uint256 level);
    /// @notice A new balance root, computed from the chain's state at block `asOfBlock`.
    event RootPosted(address indexed organizer, bytes32 root, uint64 asOfBlock, uint256 members);
    /// @notice An announcement whose text (JSON: title, body, optional link) is at `uri` (ipfs://),
    /// for `audience`: 0 the holders of `eventAddress`, 1 every member of the organizer's program,
    /// 2 its members at `level` or above. The transaction is the organizer's signature.
    event Announced(address indexed organizer, address indexed eventAddress, uint8 audience, uint8 level, string uri);
    event VoucherOfferAdded(address indexed organizer, uint256 indexed offerId, VoucherOffer offer);
    event VoucherOfferActiveChanged(address indexed organizer, uint256 indexed offerId, bool active);
    /// @notice `member` spent `points` on a voucher of offer `offerId`: code `codeId` at its event,
    /// for them only, once, until `expiresAt` (read it with `voucherFor`).
    event PointsRedeemed(
        address indexed organizer, address indexed member, uint256 indexed offerId, bytes32 codeId, uint256 points, uint40 expiresAt
    );
    /// @notice `points` spent on a purchase at `eventAddress` (the next `TicketsPurchased` of that
    /// event in the transaction), paying `value` of its price; given back if a ticket is returned.
    event PointsSpent(
        address indexed organizer,
        address indexed member,
        address indexed eventAddress,
        uint256 pointsPerTicket,
        uint256 quantity,
        uint256 value
    );

    /// @notice Starts the caller's program. Emits {ProgramCreated}.
    /// @param pointsSigner Posts balance roots (a server key; address(0): only the organizer).
    function createProgram(string calldata name, address pointsSigner) external;

    /// @notice Emits {PointsSignerChanged}. Organizer only.
    function setPointsSigner(address pointsSigner) external;

    /// @notice Publishes how purchases in `currency` earn points. `unit` is the currency amount
    /// (e.g. 1e18 for ETH, 1e6 for USDC) that earns `points`. Emits {EarnRateSet}.
    function setEarnRate(address currency, uint256 unit, uint256 points) external;

    /// @notice Emits {RewardsSet}.
    function setRewards(uint256 attendancePoints, uint256 firstPurchaseBonus) external;

    /// @notice Replaces the levels. Reverts {InvalidLevels}. Emits {LevelsSet}.
    function setLevels(uint256[] calldata thresholds, string[] calldata names) external;

    /// @notice What a point pays in `currency` (0: points cannot pay in it). Emits {PointValueSet}.
    function setPointValue(address currency, uint256 value) external;

    /// @notice Corrects `member`'s balance by `delta`, saying why. The only way an organizer changes
    /// a balance. Reverts {NotAMember}, {ZeroAdjustment}, {EmptyReason}. Emits {PointsAdjusted}.
    function adjustPoints(address member, int256 delta, string calldata reason) external;

    /// @notice Joins `organizer`'s program with the caller's wallet (no personal data).
    /// Reverts {UnknownProgram}, {AlreadyMember}. Emits {MemberJoined}.
    function join(address organizer) external;

    /// @notice Posts a new root of every member's [address, credited], computed at block
    /// `asOfBlock`. Points signer or organizer. Reverts {NotPointsSigner}, {StaleRoot}. Emits {RootPosted}.
    function postRoot(address organizer, bytes32 root, uint64 asOfBlock, uint256 members) external;

    /// @notice Sets members' levels (0 to MAX_LEVELS), as their earned points cross the thresholds.
    /// Points signer or organizer. Reverts {NotPointsSigner}, {NotAMember}, {InvalidLevel},
    /// {LengthMismatch}. Emits {MemberLevelSet} for each.
    function setMemberLevels(address organizer, address[] calldata members, uint256[] calldata levels) external;

    /// @notice Called by an event (EventTicketCatalog.setMembership) to count in `organizer`'s
    /// program. Reverts {NotAnEvent}, {UnknownProgram}. Emits {EventEnrolled}.
    function enroll(address organizer) external;

    /// @notice Called by an enrolled event during a purchase: applies the tier's perks (EventTicketTypes
    /// `TierPerks`, packed by MemberPerks) for the buyer's level, spends the points their proof
    /// offers, and returns the unit price the buyer pays and how many more tickets the tier's
    /// per-wallet limit allows them. Reverts {NotAMember}, {LevelTooLow} for a members-only tier.
    /// Emits {PointsSpent} when points pay.
    /// @param member The buyer. @param data ABI-encoded {MemberProof} to pay with points, else empty.
    function terms(
        uint256 perks,
        address member,
        uint256 unitPrice,
        uint256 quantity,
        address currency,
        bytes calldata data
    ) external returns (uint256 price, uint256 extraPerWallet);

    /// @notice Offers a discount voucher at an event of the program for points. Reverts
    /// {InvalidVoucherOffer}, {NotEnrolled}. Emits {VoucherOfferAdded}.
    /// @return offerId The offer's number in the program (from 0).
    function addVoucherOffer(VoucherOffer calldata offer) external returns (uint256 offerId);

    /// @notice Opens or closes an offer to new redemptions (redeemed vouchers stay valid). Emits
    /// {VoucherOfferActiveChanged}.
    function setVoucherOfferActive(uint256 offerId, bool active) external;

    /// @notice Spends the offer's points on a voucher for the caller, proving their balance like a
    /// purchase with points. Reverts {UnknownVoucherOffer}, {InvalidMemberProof}, {NotEnoughPoints}.
    /// Emits {PointsRedeemed}.
    /// @return codeId The voucher's code: `voucherFor(codeId)` is the voucher, `abi.encode(codeId)` its signature.
    function redeemPoints(address organizer, uint256 offerId, uint256 credited, bytes32[] calldata proof)
        external
        returns (bytes32 codeId);

    /// @notice The voucher a redemption gave (signer: this contract). Reverts {UnknownRedemption}.
    function voucherFor(bytes32 codeId) external view returns (Voucher memory);

    function voucherOffer(address organizer, uint256 offerId) external view returns (VoucherOffer memory);

    /// @notice ERC-1271: valid for a redeemed voucher's digest, with `abi.encode(codeId)` as the signature.
    function isValidSignature(bytes32 hash, bytes calldata signature) external view returns (bytes4);

    /// @notice Posts an announcement to an event's holders (the caller holds the event's organizer
    /// role) or to the caller's members (all, or from a level). Reverts {NotEventOrganizer},
    /// {UnknownProgram}, {InvalidAnnouncement}. Emits {Announced}.
    function announce(address eventAddress, uint8 audience, uint8 level, string calldata uri) external;

    function program(address organizer) external view returns (ProgramInfo memory);
    function isMember(address organizer, address member) external view returns (bool);
    function levelOf(address organizer, address member) external view returns (uint256);
    /// @notice Points `member` has spent in `organizer`'s program.
    function spent(address organizer, address member) external view returns (uint256);
    function pointValue(address organizer, address currency) external view returns (uint256);
    /// @notice The program an event counts in (address(0): none).
    function programOf(address eventAddress) external view returns (address);
}
