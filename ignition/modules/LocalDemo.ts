// Local chains only: a stand-in USDC (MockUSDC, anyone may mint) that the platform allows beside
// ETH, and Chainlink-style price feeds for both (MockPriceFeed: ETH / USD at 2,500 and USDC / USD
// at 1.00, 8 decimals, the deployer may set new answers), from which the app shows its estimates
// in US dollars. Public networks use Platform.ts alone, with the chain's real USDC in `currencies`
// and Chainlink's own feeds (lib/networks.ts `priceFeeds`).
import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";

import PlatformModule from "./Platform.js";

/** The feeds' answers at deployment, with FEED_DECIMALS decimals (as Chainlink's USD feeds). */
export const FEED_DECIMALS = 8;
export const ETH_USD_ANSWER = 2_500n * 10n ** 8n;
export const USDC_USD_ANSWER = 10n ** 8n;

export default buildModule("ChainpassLocalDemo", (m) => {
  const usdc = m.contract("MockUSDC");
  const platform = m.useModule(PlatformModule);
  // The deployer owns the factory on a local chain (the module's default owner).
  const allowUsdc = m.call(platform.TicketFactory, "setCurrencyAllowed", [usdc, true]);
  // After everything else, so the platform's addresses (lib/networks.ts LOCALHOST) stay where they were.
  const ethUsdFeed = m.contract("MockPriceFeed", [FEED_DECIMALS, "ETH / USD", ETH_USD_ANSWER], { id: "EthUsdFeed", after: [allowUsdc] });
  const usdcUsdFeed = m.contract("MockPriceFeed", [FEED_DECIMALS, "USDC / USD", USDC_USD_ANSWER], { id: "UsdcUsdFeed", after: [ethUsdFeed] });
  return { usdc, ethUsdFeed, usdcUsdFeed, ...platform };
});
