// What the connect dialog offers, from the build's configuration and what the browser has. Pure
// (no wagmi, no DOM, no import.meta.env) so the unit tests run it under Node for each configuration
// (test/lib/wallet-options.test.ts); wallet/config.ts and app/ConnectDialog.tsx feed it.

/**
 * Chains the Base Account SDK supports (@base-org/account 2.5, dist/store/chain-clients/utils.js:
 * SUPPORTED_MAINNET_CHAINS and SUPPORTED_TESTNET_CHAINS). Elsewhere, a local chain included, its
 * smart wallet has no bundler or paymaster to send the fan's transactions through.
 */
export const BASE_ACCOUNT_CHAIN_IDS: ReadonlySet<number> = new Set([
  8453, // Base
  43114, // Avalanche
  42161, // Arbitrum One
  137, // Polygon
  1, // Ethereum
  56, // BNB Smart Chain
  7777777, // Zora
  10, // OP Mainnet
  84532, // Base Sepolia
  11155111, // Sepolia
  11155420, // OP Sepolia
]);

/** What a build is configured with (fixed for the build's lifetime). */
export interface WalletBuild {
  chainId: number;
  /** The network's development wallet (lib/networks.ts `devWallet`: local chains only). */
  devWallet: boolean;
  /** VITE_WALLETCONNECT_PROJECT_ID (WalletConnect Cloud / Reown); unset or blank: no WalletConnect. */
  walletConnectProjectId?: string;
  /** The network has passkey accounts (lib/networks.ts `passkeys`: EntryPoint, bundler, paymaster). */
  passkeys?: boolean;
}

/** The wallets that need an SDK, which config.ts creates on demand. */
export interface SdkWallets {
  /** A WalletConnect project id, when WalletConnect is offered. */
  walletConnect?: string;
  /** The Base Account smart wallet (passkeys, no app to install). */
  baseAccount: boolean;
  /** Chainpass's own passkey account, gas sponsored (wallet/passkey.ts). */
  passkey: boolean;
}

export function sdkWallets(build: WalletBuild): SdkWallets {
  const projectId = build.walletConnectProjectId?.trim();
  return {
    walletConnect: projectId ? projectId : undefined,
    // Test accounts and a local node are what the development wallet is for; a smart wallet
    // cannot reach a local chain anyway.
    baseAccount: !build.devWallet && BASE_ACCOUNT_CHAIN_IDS.has(build.chainId),
    passkey: build.passkeys === true,
  };
}

/** What the browser the dialog opens in has. */
export interface WalletDevice {
  /** Wallets that announced themselves through EIP-6963 (or window.ethereum). */
  injectedWallets: number;
  phone: boolean;
}

/** One line of the explanation shown when the browser has no wallet. */
export type WalletHint =
  /** Phone: open the page in the in-app browser of a wallet app. */
  | "walletBrowser"
  /** Desktop: install a wallet extension and reload. */
  | "installExtension"
  /** WalletConnect: deep links to wallet apps on a phone, a QR code to scan on a desktop. */
  | "walletConnect"
  /** Base Account: a smart wallet made with a passkey. */
  | "baseAccount"
  /** Chainpass's passkey account: nothing to install, no coins needed for fees. */
  | "passkey";

export interface WalletOptions {
  /** List the EIP-6963 wallets found (one button each). */
  injected: boolean;
  walletConnect: boolean;
  baseAccount: boolean;
  passkey: boolean;
  devWallet: boolean;
  /** Set when no wallet was found in the browser: why the list is short, and what the fan can do. */
  explanation?: { device: "phone" | "desktop"; hints: WalletHint[] };
}

export function walletOptions(build: WalletBuild, device: WalletDevice): WalletOptions {
  const sdk = sdkWallets(build);
  const walletConnect = sdk.walletConnect !== undefined;
  const options: WalletOptions = { injected: device.injectedWallets > 0, walletConnect, baseAccount: sdk.baseAccount, passkey: sdk.passkey, devWallet: build.devWallet };
  if (device.injectedWallets === 0) {
    // Only the ways that work in this build: never point at an option the dialog does not show.
    // A passkey first: it needs nothing installed and no coins for fees.
    const hints: WalletHint[] = sdk.passkey ? ["passkey"] : [];
    hints.push(device.phone ? "walletBrowser" : "installExtension");
    if (walletConnect) hints.push("walletConnect");
    if (sdk.baseAccount) hints.push("baseAccount");
    options.explanation = { device: device.phone ? "phone" : "desktop", hints };
  }
  return options;
}

/** The parts of `navigator` that tell a phone from a desktop. */
export interface NavigatorLike {
  userAgent: string;
  maxTouchPoints?: number;
  /** User-Agent Client Hints (Chromium): the browser's own answer. */
  userAgentData?: { mobile: boolean };
}

/** A phone or tablet browser, where wallets are apps rather than extensions. */
export function isPhone(nav: NavigatorLike): boolean {
  // Client Hints say "not mobile" on Android tablets, so the user agent is checked as well.
  if (nav.userAgentData?.mobile) return true;
  if (/Android|iPhone|iPad|iPod|Mobile/i.test(nav.userAgent)) return true;
  // iPadOS asks for desktop sites: a "Macintosh" with a touch screen.
  return /Macintosh/.test(nav.userAgent) && (nav.maxTouchPoints ?? 0) > 1;
}
