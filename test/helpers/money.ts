// Money in either currency an event can use: native ETH or the 6-decimal MockUSDC. Contract tests
// run their money paths once per entry of CURRENCIES.
import type { HardhatEthers, HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";

import type { MockUSDC } from "../../types/ethers-contracts/index.js";

export interface Currency {
  label: string;
  erc20: boolean;
  /** A typical ticket price in this currency's smallest unit. */
  price: bigint;
}

export const CURRENCIES: Currency[] = [
  { label: "ETH", erc20: false, price: 10n ** 17n },
  { label: "USDC (6 decimals)", erc20: true, price: 45_500_000n },
];

export function money(ethers: HardhatEthers, currency: Currency, usdc: MockUSDC) {
  return {
    /** Funds `from` (ERC-20: mint and approve `spender`) and returns the call overrides. */
    async pay(from: HardhatEthersSigner, spender: string, amount: bigint) {
      if (!currency.erc20) return { value: amount };
      await usdc.connect(from).mint(from.address, amount);
      await usdc.connect(from).approve(spender, amount);
      return {};
    },
    balanceOf(who: string): Promise<bigint> {
      return currency.erc20 ? usdc.balanceOf(who) : ethers.provider.getBalance(who);
    },
    /** Gas a transaction cost its sender, in this currency (0 for the ERC-20). */
    async gasCost(tx: { wait(): Promise<{ gasUsed: bigint; gasPrice: bigint } | null> }) {
      const receipt = (await tx.wait())!;
      return currency.erc20 ? 0n : receipt.gasUsed * receipt.gasPrice;
    },
  };
}
