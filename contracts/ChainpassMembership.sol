// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {IERC1271} from "@openzeppelin/contracts/interfaces/IERC1271.sol";

import {IChainpassMembership, MemberProof, ProgramInfo, VoucherOffer} from "./interfaces/IChainpassMembership.sol";
import {TierPerks, Voucher} from "./interfaces/IEventTicketTypes.sol";
import {EventCode} from "./libraries/EventCode.sol";
import {MemberPerks} from "./libraries/MemberPerks.sol";
import {VoucherHash} from "./libraries/VoucherHash.sol";

/// @title Chainpass membership programs (see IChainpassMembership).
/// @dev Accrual is off chain by design: purchases, returns and check-ins are already on chain, so
/// balances are derived from them (the local index and the subgraph do it the same way) and only
/// anchored here: a root of credited points, and each member's level. What must be enforced on
/// chain is: levels at purchase (read from the member's word, so a perk costs the buyer one read,
/// not a proof) and spending (a counter per member, so a point is spent once). A ticket bought
/// with points that is returned or refunded gives them back as credited points in the next root.
contract ChainpassMembership is IChainpassMembership {
    uint256 public constant MAX_LEVELS = 8;
    uint256 private constant BPS = 10_000;
    /// @dev Member word: points spent (low 128 bits), the joined flag, the level (8 bits).
    uint256 private constant SPENT_MASK = type(uint128).max;
    uint256 private constant JOINED = 1 << 128;
    uint256 private constant LEVEL_SHIFT = 136;
    /// @dev Announcement audiences: an event's holders, all members, members from a level.
    uint8 private constant TO_HOLDERS = 0;
    uint8 private constant TO_MEMBERS = 1;
    uint8 private constant TO_LEVEL = 2;
    /// @dev The events' organizer role (their AccessControl default admin).
    bytes32 private constant ORGANIZER_ROLE = 0x00;

    /// @notice Hash of the EIP-1167 proxy code every event's code starts with (events are clones of
    /// the platform's EventTicket, their immutable arguments appended): only those can enroll, so
    /// only EventTicket's own purchase code can spend members' points, always the buyer's own.
    bytes32 public immutable EVENT_CODE_PREFIX_HASH;

    mapping(address organizer => ProgramInfo) private _programs;
    mapping(address organizer => mapping(address currency => uint256)) private _pointValues;
    mapping(address organizer => mapping(address member => uint256)) private _members;
    mapping(address eventAddress => address organizer) private _programOf;

    /// @dev A redeemed voucher: whose, which offer, until when.
    struct Redemption {
        address organizer;
        uint40 expiresAt;
        uint32 offerId;
        address member;
    }

    mapping(address organizer => VoucherOffer[]) private _offers;
    mapping(bytes32 codeId => Redemption) private _redemptions;
    uint256 private _redemptionCount;

    constructor(address eventImplementation) {
        EVENT_CODE_PREFIX_HASH = EventCode.prefixHashFor(eventImplementation);
    }

    modifier onlyProgram() {
        if (!_programs[msg.sender].exists) revert UnknownProgram(msg.sender);
        _;
    }

    /// @inheritdoc IChainpassMembership
    function createProgram(string calldata name, address pointsSigner) external {
        ProgramInfo storage p = _programs[msg.sender];
        if (p.exists) revert ProgramExists(msg.sender);
        p.exists = true;
        p.pointsSigner = pointsSigner;
        emit ProgramCreated(msg.sender, name, pointsSigner);
    }

    /// @inheritdoc IChainpassMembership
    function setPointsSigner(address pointsSigner) external onlyProgram {
        _programs[msg.sender].pointsSigner = pointsSigner;
        emit PointsSignerChanged(msg.sender, pointsSigner);
    }

    /// @inheritdoc IChainpassMembership
    function setEarnRate(address currency, uint256 unit, uint256 points) external onlyProgram {
        if (unit == 0) revert InvalidEarnRate(currency, unit);
        emit EarnRateSet(msg.sender, currency, unit, points);
    }

    /// @inheritdoc IChainpassMembership
    function setRewards(uint256 attendancePoints, uint256 firstPurchaseBonus) external onlyProgram {
        emit RewardsSet(msg.sender, attendancePoints, firstPurchaseBonus);
    }

    /// @inheritdoc IChainpassMembership
    function setLevels(uint256[] calldata thresholds, string[] calldata names) external onlyProgram {
        uint256 count = thresholds.length;
        if (count == 0 || count > MAX_LEVELS || names.length != count) revert InvalidLevels(count);
        uint256 last;
        for (uint256 i; i < count; ++i) {
            if (thresholds[i] <= last || bytes(names[i]).length == 0) revert InvalidLevels(count);
            last = thresholds[i];
        }
        emit LevelsSet(msg.sender, thresholds, names);
    }

    /// @inheritdoc IChainpassMembership
    function setPointValue(address currency, uint256 value) external onlyProgram {
        _pointValues[msg.sender][currency] = value;
        emit PointValueSet(msg.sender, currency, value);
    }

    /// @inheritdoc IChainpassMembership
    function adjustPoints(address member, int256 delta, string calldata reason) external onlyProgram {
        if (_members[msg.sender][member] & JOINED == 0) revert NotAMember(msg.sender, member);
        if (delta == 0) revert ZeroAdjustment();
        if (bytes(reason).length == 0) revert EmptyReason();
        emit PointsAdjusted(msg.sender, member, delta, reason);
    }

    /// @inheritdoc IChainpassMembership
    function join(address organizer) external {
        if (!_programs[organizer].exists) revert UnknownProgram(organizer);
        uint256 word = _members[organizer][msg.sender];
        if (word & JOINED != 0) revert AlreadyMember(organizer, msg.sender);
        _members[organizer][msg.sender] = word | JOINED;
        emit MemberJoined(organizer, msg.sender);
    }

    /// @inheritdoc IChainpassMembership
    function postRoot(address organizer, bytes32 root, uint64 asOfBlock, uint256 members) external {
        ProgramInfo storage p = _signedProgram(organizer);
        if (asOfBlock <= p.rootBlock || asOfBlock >= block.number) revert StaleRoot(asOfBlock, p.rootBlock);
        p.previousRoot = p.root;
        p.root = root;
        p.rootBlock = asOfBlock;
        emit RootPosted(organizer, root, asOfBlock, members);
    }

    /// @inheritdoc IChainpassMembership
    function setMemberLevels(address organizer, address[] calldata members, uint256[] calldata levels) external {
        _signedProgram(organizer);
        if (members.length != levels.length) revert LengthMismatch(members.length, levels.length);
        mapping(address => uint256) storage words = _members[organizer];
        for (uint256 i; i < members.length; ++i) {
            (address member, uint256 level) = (members[i], levels[i]);
            uint256 word = words[member];
            if (word & JOINED == 0) revert NotAMember(organizer, member);
            if (level > MAX_LEVELS) revert InvalidLevel(member, level);
            words[member] = word & ~(uint256(0xff) << LEVEL_SHIFT) | level << LEVEL_SHIFT;
            emit MemberLevelSet(organizer, member, level);
        }
    }

    /// @dev The program, if the caller may post for it (its points signer or its organizer).
    function _signedProgram(address organizer) private view returns (ProgramInfo storage p) {
        p = _programs[organizer];
        if (!p.exists) revert UnknownProgram(organizer);
        if (msg.sender != organizer && msg.sender != p.pointsSigner) revert NotPointsSigner(organizer, msg.sender);
    }

    /// @inheritdoc IChainpassMembership
    function enroll(address organizer) external {
        if (EventCode.prefixHashOf(msg.sender) != EVENT_CODE_PREFIX_HASH) revert NotAnEvent(msg.sender);
        if (!_programs[organizer].exists) revert UnknownProgram(organizer);
        _programOf[msg.sender] = organizer;
        emit EventEnrolled(organizer, msg.sender);
    }

    /// @inheritdoc IChainpassMembership
    function terms(
        uint256 perks,
        address member,
        uint256 unitPrice,
        uint256 quantity,
        address currency,
        bytes calldata data
    ) external returns (uint256 price, uint256 extraPerWallet) {
        address organizer = _programOf[msg.sender];
        if (organizer == address(0)) revert NotEnrolled(msg.sender);
        TierPerks memory p = MemberPerks.unpack(perks);
        uint256 word = _members[organizer][member];
        bool joined = word & JOINED != 0;
        uint256 level = uint8(word >> LEVEL_SHIFT);
        if (p.membersOnly) {
            if (!joined) revert NotAMember(organizer, member);
            if (level < p.minLevel) revert LevelTooLow(member, level, p.minLevel);
        }
        price = unitPrice;
        if (joined && perks & MemberPerks.HAS_PERK != 0 && level >= p.perkLevel) {
            price -= price * p.discountBps / BPS;
            extraPerWallet = p.extraPerWallet;
        }
        if (data.length != 0) {
            MemberProof memory m = abi.decode(data, (MemberProof));
            _verify(organizer, member, m.credited, m.proof);
            price -= _spend(organizer, member, word, m, price, quantity, currency);
        }
    }

    /// @dev Reverts unless [member, credited] is a leaf of the current or previous root.
    function _verify(address organizer, address member, uint256 credited, bytes32[] memory proof) private view {
        // StandardMerkleTree leaf: keccak256(bytes.concat(keccak256(abi.encode(address, uint256)))).
        bytes32 leaf = keccak256(bytes.concat(keccak256(abi.encode(member, credited))));
        ProgramInfo storage p = _programs[organizer];
        bytes32 root = p.root;
        if (root == 0 || !MerkleProof.verify(proof, root, leaf)) {
            bytes32 previous = p.previousRoot;
            if (previous == 0 || !MerkleProof.verify(proof, previous, leaf)) revert InvalidMemberProof(organizer, member);
        }
    }

    /// @dev Counts `m.pointsPerTicket * quantity` points spent and returns what they pay off each ticket.
    function _spend(
        address organizer,
        address member,
        uint256 word,
        MemberProof memory m,
        uint256 price,
        uint256 quantity,
        address currency
    ) private returns (uint256 value) {
        uint256 points = m.pointsPerTicket * quantity;
        uint256 spentWord = _withSpent(member, word, m.credited, points);
        uint256 perPoint = _pointValues[organizer][currency];
        if (perPoint == 0) revert PointsNotAccepted(organizer, currency);
        value = m.pointsPerTicket * perPoint;
        if (value > price) revert PointsAbovePrice(value, price);
        _members[organizer][member] = spentWord;
        emit PointsSpent(organizer, member, msg.sender, m.pointsPerTicket, quantity, value * quantity);
    }

    /// @dev The member's word with `points` more spent, if `credited` leaves that many (and at least
    /// one): the one check of every spend, a purchase's or a voucher's.
    function _withSpent(address member, uint256 word, uint256 credited, uint256 points) private pure returns (uint256) {
        uint256 used = word & SPENT_MASK;
        uint256 available = credited > used ? credited - used : 0;
        // The second test keeps the spent count inside its 128 bits whatever credited total a signer posts.
        if (points == 0 || points > available || used + points > SPENT_MASK) revert NotEnoughPoints(member, available, points);
        return word + points;
    }

    /// @inheritdoc IChainpassMembership
    function addVoucherOffer(VoucherOffer calldata offer) external onlyProgram returns (uint256 offerId) {
        if (
            (offer.percentOffBps == 0) == (offer.amountOff == 0) || offer.percentOffBps > BPS || offer.points == 0
                || offer.validFor == 0
        ) revert InvalidVoucherOffer();
        if (_programOf[offer.eventAddress] != msg.sender) revert NotEnrolled(offer.eventAddress);
        offerId = _offers[msg.sender].length;
        _offers[msg.sender].push(offer);
        _offers[msg.sender][offerId].active = true;
        emit VoucherOfferAdded(msg.sender, offerId, _offers[msg.sender][offerId]);
    }

    /// @inheritdoc IChainpassMembership
    function setVoucherOfferActive(uint256 offerId, bool active) external onlyProgram {
        if (offerId >= _offers[msg.sender].length) revert UnknownVoucherOffer(msg.sender, offerId);
        _offers[msg.sender][offerId].active = active;
        emit VoucherOfferActiveChanged(msg.sender, offerId, active);
    }

    /// @inheritdoc IChainpassMembership
    function redeemPoints(address organizer, uint256 offerId, uint256 credited, bytes32[] calldata proof)
        external
        returns (bytes32 codeId)
    {
        VoucherOffer[] storage offers = _offers[organizer];
        if (offerId >= offers.length || !offers[offerId].active) revert UnknownVoucherOffer(organizer, offerId);
        VoucherOffer memory offer = offers[offerId];
        _verify(organizer, msg.sender, credited, proof);
        _members[organizer][msg.sender] = _withSpent(msg.sender, _members[organizer][msg.sender], credited, offer.points);
        codeId = keccak256(abi.encode(block.chainid, address(this), ++_redemptionCount));
        uint40 expiresAt = uint40(block.timestamp + offer.validFor);
        _redemptions[codeId] = Redemption({organizer: organizer, expiresAt: expiresAt, offerId: uint32(offerId), member: msg.sender});
        emit PointsRedeemed(organizer, msg.sender, offerId, codeId, offer.points, expiresAt);
    }

    /// @inheritdoc IChainpassMembership
    function voucherFor(bytes32 codeId) public view returns (Voucher memory) {
        Redemption memory r = _redemptions[codeId];
        if (r.member == address(0)) revert UnknownRedemption(codeId);
        VoucherOffer memory offer = _offers[r.organizer][r.offerId];
        return Voucher({
            eventAddress: offer.eventAddress,
            tierId: offer.tierId,
            percentOffBps: offer.percentOffBps,
            amountOff: offer.amountOff,
            maxUses: 1,
            expiresAt: r.expiresAt,
            buyer: r.member,
            signer: address(this),
            codeId: codeId
        });
    }

    /// @inheritdoc IChainpassMembership
    function voucherOffer(address organizer, uint256 offerId) external view returns (VoucherOffer memory) {
        if (offerId >= _offers[organizer].length) revert UnknownVoucherOffer(organizer, offerId);
        return _offers[organizer][offerId];
    }

    /// @inheritdoc IChainpassMembership
    function isValidSignature(bytes32 hash, bytes calldata signature) external view returns (bytes4) {
        if (signature.length != 32) return 0xffffffff;
        bytes32 codeId = abi.decode(signature, (bytes32));
        if (_redemptions[codeId].member == address(0)) return 0xffffffff;
        return VoucherHash.digest(voucherFor(codeId)) == hash ? IERC1271.isValidSignature.selector : bytes4(0xffffffff);
    }

    /// @inheritdoc IChainpassMembership
    function announce(address eventAddress, uint8 audience, uint8 level, string calldata uri) external {
        bool valid = bytes(uri).length != 0
            && (audience == TO_HOLDERS
                ? eventAddress != address(0) && level == 0
                : eventAddress == address(0) && (audience == TO_MEMBERS ? level == 0 : audience == TO_LEVEL && level != 0 && level <= MAX_LEVELS));
        if (!valid) revert InvalidAnnouncement(audience, level);
        if (audience == TO_HOLDERS) {
            if (eventAddress.code.length == 0 || !IAccessControl(eventAddress).hasRole(ORGANIZER_ROLE, msg.sender)) {
                revert NotEventOrganizer(eventAddress, msg.sender);
            }
        } else if (!_programs[msg.sender].exists) {
            revert UnknownProgram(msg.sender);
        }
        emit Announced(msg.sender, eventAddress, audience, level, uri);
    }

    /// @inheritdoc IChainpassMembership
    function program(address organizer) external view returns (ProgramInfo memory) {
        return _programs[organizer];
    }

    /// @inheritdoc IChainpassMembership
    function isMember(address organizer, address member) external view returns (bool) {
        return _members[organizer][member] & JOINED != 0;
    }

    /// @inheritdoc IChainpassMembership
    function levelOf(address organizer, address member) external view returns (uint256) {
        return uint8(_members[organizer][member] >> LEVEL_SHIFT);
    }

    /// @inheritdoc IChainpassMembership
    function spent(address organizer, address member) external view returns (uint256) {
        return _members[organizer][member] & SPENT_MASK;
    }

    /// @inheritdoc IChainpassMembership
    function pointValue(address organizer, address currency) external view returns (uint256) {
        return _pointValues[organizer][currency];
    }

    /// @inheritdoc IChainpassMembership
    function programOf(address eventAddress) external view returns (address) {
        return _programOf[eventAddress];
    }
}
