// wagmi: injected wallets found through EIP-6963 (multiInjectedProviderDiscovery), plus the
// development wallet on the local chain.
import { createConfig, http } from "wagmi";
import { injected } from "wagmi/connectors";

import { devWalletProvider } from "./dev-wallet.js";
import { chain, network } from "./network.js";

export const DEV_WALLET_ID = "chainpass-dev";

export const wagmiConfig = createConfig({
  chains: [chain],
  multiInjectedProviderDiscovery: true,
  connectors: network.devWallet
    ? [injected({ target: { id: DEV_WALLET_ID, name: "Development wallet (local accounts)", provider: () => devWalletProvider } })]
    : [],
  transports: { [chain.id]: http() },
});

declare module "wagmi" {
  interface Register {
    config: typeof wagmiConfig;
  }
}
