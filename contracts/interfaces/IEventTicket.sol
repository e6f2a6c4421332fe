// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {PurchaseOptions, Voucher} from "./IEventTicketTypes.sol";
import {ITicketResale} from "./ITicketResale.sol";

/// @title One event's ticket collection: what fans and gates call (sale, gifts, resale, check-in,
/// refunds) and the organizer's withdrawal. Implemented by EventTicket.
/// @notice Token ids encode their tier: `tokenId = tierId * 1_000_000 + serial`, serial from 1
/// (for seated tiers, the seat id).
interface IEventTicket is ITicketResale {
    /// @notice Buys `quantity` tickets of `tierId` for `recipient`, paying the exact price in the
    /// event's currency (msg.value for ETH, an approved `transferFrom` for the ERC-20).
    /// @dev Requirements: event not cancelled; tier exists, not paused, sale window open; supply
    /// left; recipient's per-wallet limit; neither buyer nor recipient denied.
    /// Emits {TicketsPurchased} and one {IERC721-Transfer} per ticket.
    /// @return firstTokenId Tokens are `firstTokenId` .. `firstTokenId + quantity - 1`.
    function buy(uint256 tierId, uint256 quantity, address recipient) external payable returns (uint256 firstTokenId);

    /// @notice Buys with the options a plain {buy} cannot carry: chosen seats, an allowlist proof
    /// during presale, a discount voucher. Same payment rules as {buy}.
    /// @dev Seated tiers mint the chosen seats' ids (`tierId * 1_000_000 + seat`); other tiers mint
    /// consecutive ids. Emits {TicketsPurchased}, and {VoucherRedeemed} when a voucher applies.
    /// @return firstTokenId The first token minted.
    function buyWith(uint256 tierId, uint256 quantity, address recipient, PurchaseOptions calldata options)
        external
        payable
        returns (uint256 firstTokenId);

    /// @notice The unit price `buyer` pays for `tierId` now: the early price while it runs, less
    /// the voucher's discount (pass codeId 0 for none; the signature is checked only at purchase).
    function priceOf(uint256 tierId, address buyer, Voucher calldata voucher) external view returns (uint256);

    /// @notice Gives a ticket away for free. Under the Capped policy this is the only transfer
    /// outside the resale market, limited to `giftsPerHolder` per holder.
    /// @dev Requirements: caller owns or is approved for the token; recipient not denied; the
    /// policy allows it. Emits {Gifted} and {IERC721-Transfer}.
    function gift(uint256 tokenId, address to) external;

    /// @notice Admits tickets at the gate. Tokens already used or not minted are skipped, so one
    /// used ticket never reverts a batch.
    /// @dev Requirements: GATE role; event not cancelled; before `end + settlementDelay` (gates
    /// that were offline can still record the night's admissions).
    /// Emits {CheckedIn} per admission (and {CheckInSkipped} per skip), plus ERC-4906
    /// {MetadataUpdate} for a single admission or one {BatchMetadataUpdate} spanning a batch.
    /// @return admitted How many tokens were newly checked in.
    function checkIn(uint256[] calldata tokenIds) external returns (uint256 admitted);

    /// @notice Refunds a ticket of a cancelled event to its holder: the token's primary price is
    /// paid back and the token burned.
    /// @dev Requirements: event cancelled; caller owns or is approved for the token.
    /// Emits {Refunded} and {IERC721-Transfer} to address(0).
    function claimRefund(uint256 tokenId) external;

    /// @notice As {claimRefund}, paying `recipient`. A denied holder can only be refunded to itself.
    function claimRefundTo(uint256 tokenId, address recipient) external;

    /// @notice Pays primary proceeds to the payout address, less the platform fee, once the event
    /// has ended and the settlement delay has passed.
    /// @dev Requirements: organizer or FINANCE role; not cancelled; `block.timestamp >= end +
    /// settlementDelay`; something to withdraw. Emits {ProceedsWithdrawn}.
    function withdraw() external;
}
