// wagmi: injected wallets found through EIP-6963 (multiInjectedProviderDiscovery), plus the
// development wallet on the local chain. WalletConnect and the Base Account smart wallet
// (wallet/options.ts says when they are offered) are not in the config: wagmi sets up and reconnects
// every configured connector at startup, which would download their SDKs (hundreds of KB, over the
// fan routes' budget) and open connections to their servers on every page load. They are created
// by sdkConnector() when the fan picks one, or when a stored session of theirs is reconnected.
import { onlineManager } from "@tanstack/react-query";
import { createConfig, http, injected, type Connector, type CreateConnectorFn } from "wagmi";
import { reconnect } from "wagmi/actions";

import { LAST_ACCOUNT_KEY } from "../shared/offline.js";
import { devWalletProvider } from "./dev-wallet.js";
import { chain, network } from "./network.js";
import { sdkWallets } from "./options.js";

export const DEV_WALLET_ID = "chainpass-dev";

export const wagmiConfig = createConfig({
  chains: [chain],
  multiInjectedProviderDiscovery: true,
  connectors: network.devWallet
    ? [injected({ target: { id: DEV_WALLET_ID, name: "Development wallet (local accounts)", provider: () => devWalletProvider } })]
    : [],
  transports: { [chain.id]: http() },
  // How often a transaction's receipt is asked for. The local chain mines a transaction as it is
  // sent, so its confirmation shows within half a second rather than up to wagmi's 4 s (the
  // browser tests' transactions took that much longer); public chains keep the 4 s.
  pollingInterval: network.devWallet ? 500 : 4_000,
});

declare module "wagmi" {
  interface Register {
    config: typeof wagmiConfig;
  }
}

// The account last connected here, for the fan pages to show its tickets offline when the wallet
// does not reconnect (shared/offline.ts useTicketHolder). Forgotten when the wallet disconnects
// while online (Disconnect, or the wallet's own); a reconnect that fails offline keeps it. Online as
// the app knows it (shared/offline.ts), not navigator.onLine, which can say online with no network.
wagmiConfig.subscribe(
  (state) => state.connections.get(state.current!)?.accounts[0],
  (account, previous) => {
    if (account) localStorage.setItem(LAST_ACCOUNT_KEY, account);
    else if (previous && onlineManager.isOnline()) localStorage.removeItem(LAST_ACCOUNT_KEY);
  },
);

/** The build's configuration for the connect dialog (wallet/options.ts). */
export const walletBuild = {
  chainId: network.chainId,
  devWallet: network.devWallet,
  walletConnectProjectId: import.meta.env.VITE_WALLETCONNECT_PROJECT_ID as string | undefined,
  passkeys: network.passkeys !== undefined,
};

/** wagmi's ids of the connectors loaded on demand: an SDK's, or the passkey wallet (wallet/passkey.ts). */
export type SdkWalletId = "walletConnect" | "baseAccount" | "passkey";

const APP_NAME = "Chainpass";
// Absolute, as the wallets show it on their side; a static build (relative base) resolves it
// against the page, wherever it is served from.
const appIcon = () => new URL(`${import.meta.env.BASE_URL}favicon.svg`, document.baseURI).href;

async function createSdkConnector(id: SdkWalletId): Promise<CreateConnectorFn> {
  const offered = sdkWallets(walletBuild);
  // Each import() is its own chunk, and the connector imports its SDK with another import() when
  // it first needs its provider: nothing of either is in a route's first load.
  if (id === "walletConnect") {
    if (!offered.walletConnect) throw new Error("WalletConnect has no project id in this build (VITE_WALLETCONNECT_PROJECT_ID)");
    const { walletConnect } = await import("wagmi/connectors/walletConnect");
    return walletConnect({
      projectId: offered.walletConnect,
      // The SDK's modal: a QR code on a desktop, links that open wallet apps on a phone.
      showQrModal: true,
      metadata: { name: APP_NAME, description: "NFT tickets in your own wallet", url: window.location.origin, icons: [appIcon()] },
    });
  }
  if (id === "passkey") {
    if (!offered.passkey) throw new Error(`No passkey accounts on chain ${network.chainId}`);
    const { passkeyWalletProvider } = await import("./passkey.js");
    return injected({ target: { id: "passkey", name: "Passkey", provider: () => passkeyWalletProvider } });
  }
  if (!offered.baseAccount) throw new Error(`Base Account does not support chain ${network.chainId}`);
  const { baseAccount } = await import("wagmi/connectors/baseAccount");
  // No telemetry: the SDK would otherwise load a third-party analytics script.
  return baseAccount({ appName: APP_NAME, appLogoUrl: appIcon(), preference: { telemetry: false } });
}

const sdkConnectors = new Map<SdkWalletId, Promise<Connector>>();

/**
 * The WalletConnect or Base Account connector, created once (a second instance would start a second
 * SDK client) and set up on the config, so connect() and reconnect() take it like a configured one.
 */
export function sdkConnector(id: SdkWalletId): Promise<Connector> {
  let connector = sdkConnectors.get(id);
  if (!connector) {
    connector = createSdkConnector(id).then((fn) => wagmiConfig._internal.connectors.setup(fn));
    // A failed download may be retried with the next click.
    connector.catch(() => sdkConnectors.delete(id));
    sdkConnectors.set(id, connector);
  }
  return connector;
}

const isSdkWallet = (id: string | undefined): id is SdkWalletId => id === "walletConnect" || id === "baseAccount" || id === "passkey";

// A stored WalletConnect or Base Account session: WagmiProvider's reconnect on mount only tries the
// configured connectors, fails for it and ends "disconnected". The connection it tried is seen when
// that reconnect starts (the state read from storage); once it has ended without a connection, the
// SDK connector is loaded and reconnected alone. Subscribed before the app renders, so the first
// reconnect is never missed; one attempt per page load.
let storedSdkWallet: SdkWalletId | undefined;
const stopWatching = wagmiConfig.subscribe(
  (state) => state.status,
  (status) => {
    if (status === "reconnecting" || status === "connecting") {
      const { connections, current } = wagmiConfig.state;
      const id = current ? connections.get(current)?.connector.id : undefined;
      if (isSdkWallet(id)) storedSdkWallet ??= id;
      return;
    }
    stopWatching();
    const id = storedSdkWallet;
    if (status !== "disconnected" || !id) return;
    const offered = sdkWallets(walletBuild);
    if (id === "walletConnect" ? !offered.walletConnect : id === "passkey" ? !offered.passkey : !offered.baseAccount) return;
    sdkConnector(id)
      .then((connector) => reconnect(wagmiConfig, { connectors: [connector] }))
      .catch((error: unknown) => console.warn(`[wallet] could not reconnect ${id}:`, error));
  },
);
