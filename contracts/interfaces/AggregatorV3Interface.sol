// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title Chainlink's price feed interface (AggregatorV3Interface), as its feeds' proxies answer
/// it. The app reads `decimals` and `latestRoundData` of a feed to show a currency's amounts in US
/// dollars (an estimate); written out here rather than imported from Chainlink's npm package.
// Chainlink's name, so the ABI and the artifact read as what every feed implements.
// solhint-disable-next-line interface-starts-with-i
interface AggregatorV3Interface {
    function decimals() external view returns (uint8);

    function description() external view returns (string memory);

    function version() external view returns (uint256);

    function getRoundData(uint80 roundId_)
        external
        view
        returns (uint80 roundId, int256 answer, uint256 startedAt, uint256 updatedAt, uint80 answeredInRound);

    function latestRoundData()
        external
        view
        returns (uint80 roundId, int256 answer, uint256 startedAt, uint256 updatedAt, uint80 answeredInRound);
}
