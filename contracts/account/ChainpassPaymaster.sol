// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {Paymaster} from "@openzeppelin/contracts/account/paymaster/Paymaster.sol";
import {ERC4337Utils} from "@openzeppelin/contracts/account/utils/ERC4337Utils.sol";
import {IEntryPoint, IPaymaster, PackedUserOperation} from "@openzeppelin/contracts/interfaces/IERC4337.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {SignerECDSA} from "@openzeppelin/contracts/utils/cryptography/signers/SignerECDSA.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

import {EventCode} from "../libraries/EventCode.sol";

/// @title Pays the gas of Chainpass actions out of gas budgets: one per event, funded by its
/// organizer (or anyone), and the platform's own (budget address 0).
/// @notice What to sponsor is decided off chain by the platform's sponsorship service (the
/// server's paymaster endpoint), which checks that every call of a user operation is a Chainpass
/// action on a Chainpass event and that the account is within its daily limit, then signs the
/// operation with the budget it is paid from. On chain, the paymaster accepts an operation only
/// with that signature, within its validity window, and only while the budget covers the
/// operation's maximum cost; the budget is charged what the operation actually cost.
/// Fans' own wallets (an EOA upgraded through EIP-7702, or another smart wallet that accepts a
/// paymaster) are paid for only from the budget of an event whose organizer opened it to them
/// ({setWalletSponsorship}); the platform's budget pays only for Chainpass's own passkey accounts.
/// @dev `paymasterData` = validAfter (6 bytes) ‖ validUntil (6) ‖ budget (20) ‖ the sponsor's
/// ECDSA signature of {sponsorshipHash}. Validation reads only this contract's storage, which
/// ERC-7562 allows a staked paymaster: stake it ({addStake}) on a public network.
contract ChainpassPaymaster is Paymaster, EIP712, SignerECDSA, AccessControl, ReentrancyGuardTransient {
    using ERC4337Utils for PackedUserOperation;

    /// @notice May change the sponsor signer, stake, and withdraw the platform's budget.
    bytes32 public constant PLATFORM_ROLE = keccak256("PLATFORM_ROLE");
    /// @dev The events' organizer role (their AccessControl default admin).
    bytes32 private constant ORGANIZER_ROLE = 0x00;
    /// @dev What postOp itself costs, charged to the budget on top of the cost EntryPoint reports
    /// to postOp (which excludes postOp).
    uint256 public constant POST_OP_GAS = 30_000;

    bytes32 private constant SPONSORSHIP_TYPEHASH = keccak256(
        "Sponsorship(address sender,uint256 nonce,bytes initCode,bytes callData,bytes32 accountGasLimits,"
        "uint256 preVerificationGas,bytes32 gasFees,uint256 paymasterVerificationGasLimit,"
        "uint256 paymasterPostOpGasLimit,uint48 validAfter,uint48 validUntil,address budget)"
    );

    IEntryPoint private immutable _entryPoint;
    /// @notice Hash of the proxy code every Chainpass event starts with (see EventCode).
    bytes32 public immutable EVENT_CODE_PREFIX_HASH;
    /// @notice Hash of the code of every Chainpass passkey account (an ERC-1167 clone of the
    /// factory's implementation).
    bytes32 public immutable ACCOUNT_CODE_HASH;

    /// @notice Wei each budget may still spend (held in this paymaster's EntryPoint deposit).
    mapping(address budget => uint256) public budgetOf;
    /// @notice Wei each budget has spent on gas.
    mapping(address budget => uint256) public spentOf;
    /// @notice Whether an event's budget also pays for fans' own wallets (not only passkey accounts).
    mapping(address budget => bool) public walletsSponsored;

    event BudgetFunded(address indexed budget, address indexed from, uint256 amount);
    event BudgetWithdrawn(address indexed budget, address indexed to, uint256 amount);
    /// @notice A sponsored user operation, and what its gas cost the budget.
    event GasSponsored(address indexed budget, address indexed account, bytes32 indexed userOpHash, uint256 cost);
    event SponsorSignerChanged(address indexed signer);
    event WalletSponsorshipSet(address indexed budget, bool sponsored);

    error BudgetTooLow(address budget, uint256 available, uint256 maxCost);
    error NotAnEvent(address budget);
    error NotBudgetOwner(address budget, address caller);
    error WalletNotSponsored(address account, address budget);
    error ZeroAmount();
    error ZeroAddress();

    /// @param entryPoint_ The EntryPoint (v0.8).
    /// @param eventImplementation The platform's EventTicket (events are its clones).
    /// @param accountImplementation The passkey accounts' implementation (the factory's).
    /// @param sponsor The sponsorship service's signing address.
    /// @param platform The platform's administrator.
    constructor(
        IEntryPoint entryPoint_,
        address eventImplementation,
        address accountImplementation,
        address sponsor,
        address platform
    ) EIP712("Chainpass Paymaster", "1") SignerECDSA(sponsor) {
        if (sponsor == address(0) || platform == address(0) || accountImplementation == address(0)) {
            revert ZeroAddress();
        }
        _entryPoint = entryPoint_;
        EVENT_CODE_PREFIX_HASH = EventCode.prefixHashFor(eventImplementation);
        ACCOUNT_CODE_HASH = keccak256(
            abi.encodePacked(hex"363d3d373d3d3d363d73", accountImplementation, hex"5af43d82803e903d91602b57fd5bf3")
        );
        _grantRole(DEFAULT_ADMIN_ROLE, platform);
        _grantRole(PLATFORM_ROLE, platform);
    }

    /// @inheritdoc Paymaster
    function entryPoint() public view override returns (IEntryPoint) {
        return _entryPoint;
    }

    /// @notice Adds the value sent to `budget` (an event, or address 0 for the platform's), held
    /// in this paymaster's EntryPoint deposit. Emits {BudgetFunded}.
    function fund(address budget) external payable {
        if (msg.value == 0) revert ZeroAmount();
        if (budget != address(0) && EventCode.prefixHashOf(budget) != EVENT_CODE_PREFIX_HASH) revert NotAnEvent(budget);
        budgetOf[budget] += msg.value;
        emit BudgetFunded(budget, msg.sender, msg.value);
        _deposit(msg.value);
    }

    /// @notice Takes `amount` of what `budget` has left back to `to`: an event's by its organizer,
    /// the platform's by the platform. Emits {BudgetWithdrawn}.
    function withdrawBudget(address budget, address payable to, uint256 amount) external nonReentrant {
        if (amount == 0) revert ZeroAmount();
        if (to == address(0)) revert ZeroAddress();
        bool allowed = budget == address(0)
            ? hasRole(PLATFORM_ROLE, msg.sender)
            : IAccessControl(budget).hasRole(ORGANIZER_ROLE, msg.sender);
        if (!allowed) revert NotBudgetOwner(budget, msg.sender);
        uint256 available = budgetOf[budget];
        if (available < amount) revert BudgetTooLow(budget, available, amount);
        budgetOf[budget] = available - amount;
        emit BudgetWithdrawn(budget, to, amount);
        _withdraw(to, amount);
    }

    /// @notice Lets (or stops) `budget`'s gas budget pay for fans' own wallets too: an EOA
    /// upgraded through EIP-7702 or a smart wallet that accepts a paymaster. Only the event's
    /// organizer. Emits {WalletSponsorshipSet}.
    function setWalletSponsorship(address budget, bool sponsored) external {
        if (budget == address(0) || EventCode.prefixHashOf(budget) != EVENT_CODE_PREFIX_HASH) revert NotAnEvent(budget);
        if (!IAccessControl(budget).hasRole(ORGANIZER_ROLE, msg.sender)) {
            revert NotBudgetOwner(budget, msg.sender);
        }
        walletsSponsored[budget] = sponsored;
        emit WalletSponsorshipSet(budget, sponsored);
    }

    /// @notice Changes the sponsorship service's signing address. Emits {SponsorSignerChanged}.
    function setSponsorSigner(address sponsor) external onlyRole(PLATFORM_ROLE) {
        if (sponsor == address(0)) revert ZeroAddress();
        _setSigner(sponsor);
        emit SponsorSignerChanged(sponsor);
    }

    /// @notice Stakes the paymaster in the EntryPoint (bundlers require a staked paymaster that
    /// keeps state).
    function addStake(uint32 unstakeDelaySec) external payable onlyRole(PLATFORM_ROLE) {
        _addStake(msg.value, unstakeDelaySec);
    }

    /// @notice Starts the unstake delay.
    function unlockStake() external onlyRole(PLATFORM_ROLE) {
        _unlockStake();
    }

    /// @notice Withdraws the stake after the delay.
    function withdrawStake(address payable to) external onlyRole(PLATFORM_ROLE) nonReentrant {
        _withdrawStake(to);
    }

    /// @notice The EIP-712 digest the sponsor signs for `userOp`, its validity window and budget.
    function sponsorshipHash(PackedUserOperation calldata userOp, uint48 validAfter, uint48 validUntil, address budget)
        public
        view
        returns (bytes32)
    {
        return _hashTypedDataV4(
            keccak256(
                abi.encode(
                    SPONSORSHIP_TYPEHASH,
                    userOp.sender,
                    userOp.nonce,
                    keccak256(userOp.initCode),
                    keccak256(userOp.callData),
                    userOp.accountGasLimits,
                    userOp.preVerificationGas,
                    userOp.gasFees,
                    userOp.paymasterVerificationGasLimit(),
                    userOp.paymasterPostOpGasLimit(),
                    validAfter,
                    validUntil,
                    budget
                )
            )
        );
    }

    /// @dev Reserves the operation's maximum cost from its budget; the signature decides.
    function _validatePaymasterUserOp(PackedUserOperation calldata userOp, bytes32 userOpHash, uint256 maxCost)
        internal
        override
        returns (bytes memory context, uint256 validationData)
    {
        bytes calldata data = userOp.paymasterData();
        if (data.length < 32) return ("", ERC4337Utils.SIG_VALIDATION_FAILED);
        uint48 validAfter = uint48(bytes6(data[0:6]));
        uint48 validUntil = uint48(bytes6(data[6:12]));
        address budget = address(bytes20(data[12:32]));
        // Anything but a passkey account needs an event's budget opened to fans' wallets.
        if (userOp.sender.codehash != ACCOUNT_CODE_HASH && !walletsSponsored[budget]) {
            revert WalletNotSponsored(userOp.sender, budget);
        }
        uint256 available = budgetOf[budget];
        if (available < maxCost) revert BudgetTooLow(budget, available, maxCost);
        budgetOf[budget] = available - maxCost;
        // Mixed block-range flags between validAfter and validUntil are refused (as PaymasterSigner).
        bool signed = (validAfter ^ validUntil) & ERC4337Utils.BLOCK_RANGE_FLAG == 0
            && _rawSignatureValidation(sponsorshipHash(userOp, validAfter, validUntil, budget), data[32:]);
        return (
            abi.encode(budget, userOp.sender, userOpHash, maxCost),
            ERC4337Utils.packValidationData(signed, validAfter, validUntil)
        );
    }

    /// @dev Gives back to the budget what the operation did not use.
    function _postOp(IPaymaster.PostOpMode, bytes calldata context, uint256 actualGasCost, uint256 feePerGas)
        internal
        override
    {
        (address budget, address account, bytes32 userOpHash, uint256 maxCost) =
            abi.decode(context, (address, address, bytes32, uint256));
        uint256 cost = actualGasCost + POST_OP_GAS * feePerGas;
        if (cost > maxCost) cost = maxCost;
        budgetOf[budget] += maxCost - cost;
        spentOf[budget] += cost;
        emit GasSponsored(budget, account, userOpHash, cost);
    }
}
