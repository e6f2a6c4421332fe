// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {IERC2981} from "@openzeppelin/contracts/interfaces/IERC2981.sol";
import {IERC4906} from "@openzeppelin/contracts/interfaces/IERC4906.sol";
import {IERC5267} from "@openzeppelin/contracts/interfaces/IERC5267.sol";
import {IERC20Errors, IERC721Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {IERC721Metadata} from "@openzeppelin/contracts/token/ERC721/extensions/IERC721Metadata.sol";

import {IERC5192} from "./IERC5192.sol";
import {IEventTicket} from "./IEventTicket.sol";
import {IEventTicketCatalog} from "./IEventTicketCatalog.sol";
import {IEventTicketManager} from "./IEventTicketManager.sol";
import {IEventTicketSettings} from "./IEventTicketSettings.sol";
import {IEventTicketTreasury} from "./IEventTicketTreasury.sol";
import {IEventTicketViews} from "./IEventTicketViews.sol";

/// @title Everything callable at an event's address: the EventTicket functions, the manager's
/// and the views' functions reached through the fallbacks, and the ERC standards it implements. Clients (the web
/// app, the server, scripts, tests) use this one ABI, which also names every error a call can
/// revert with, so each can be decoded into words.
interface IChainpassEvent is
    IEventTicket,
    IEventTicketCatalog,
    IEventTicketManager,
    IEventTicketSettings,
    IEventTicketTreasury,
    IEventTicketViews,
    IERC721Metadata,
    IERC721Errors,
    // What an ERC-20 currency reverts with (OpenZeppelin's tokens): SafeERC20 passes it through.
    IERC20Errors,
    IAccessControl,
    IERC2981,
    IERC4906,
    IERC5192,
    IERC5267
{
    // Errors raised by OpenZeppelin code the event runs (Initializable, ReentrancyGuard,
    // SafeERC20, Address).
    error InvalidInitialization();
    error ReentrancyGuardReentrantCall();
    error SafeERC20FailedOperation(address token);
    error FailedCall();
    error InsufficientBalance(uint256 balance, uint256 needed);

    function ORGANIZER_ROLE() external view returns (bytes32);
    function GATE_ROLE() external view returns (bytes32);
    function FINANCE_ROLE() external view returns (bytes32);
    function VOUCHER_SIGNER_ROLE() external view returns (bytes32);
    function TOKENS_PER_TIER() external view returns (uint256);
    function TOKENS_PER_SLOT() external view returns (uint256);
}
