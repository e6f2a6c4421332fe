// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AggregatorV3Interface} from "../interfaces/AggregatorV3Interface.sol";

/// @notice A Chainlink-style price feed for local chains and tests: the answer its deployer sets,
/// one round per answer, each updated at the block's timestamp. Unknown rounds revert with
/// "No data present" like Chainlink's aggregators.
contract MockPriceFeed is AggregatorV3Interface {
    struct Round {
        int256 answer;
        uint64 startedAt;
        uint64 updatedAt;
    }

    error NotOwner(address caller);

    /// Chainlink's AggregatorInterface event for a new answer.
    event AnswerUpdated(int256 indexed current, uint256 indexed roundId, uint256 updatedAt);

    address public immutable owner;
    uint8 public immutable override decimals;
    string public override description;
    uint256 public constant override version = 4;

    uint80 private _latestRound;
    mapping(uint80 roundId => Round) private _rounds;

    constructor(uint8 decimals_, string memory description_, int256 initialAnswer) {
        owner = msg.sender;
        decimals = decimals_;
        description = description_;
        _record(initialAnswer);
    }

    /// @notice A new round with `answer`, updated now. Only the deployer may set it.
    function setAnswer(int256 answer) external {
        if (msg.sender != owner) revert NotOwner(msg.sender);
        _record(answer);
    }

    function getRoundData(uint80 roundId_)
        external
        view
        returns (uint80 roundId, int256 answer, uint256 startedAt, uint256 updatedAt, uint80 answeredInRound)
    {
        Round storage round = _rounds[roundId_];
        // solhint-disable-next-line gas-custom-errors
        require(round.updatedAt != 0, "No data present");
        return (roundId_, round.answer, round.startedAt, round.updatedAt, roundId_);
    }

    function latestRoundData()
        external
        view
        returns (uint80 roundId, int256 answer, uint256 startedAt, uint256 updatedAt, uint80 answeredInRound)
    {
        Round storage round = _rounds[_latestRound];
        return (_latestRound, round.answer, round.startedAt, round.updatedAt, _latestRound);
    }

    function _record(int256 answer) private {
        uint80 roundId = ++_latestRound;
        _rounds[roundId] = Round(answer, uint64(block.timestamp), uint64(block.timestamp));
        emit AnswerUpdated(answer, roundId, block.timestamp);
    }
}
