// The development wallet: on the local chain only, the node's own unlocked accounts (Hardhat's
// public test mnemonic) as an EIP-1193 provider, so the demo runs without a browser extension.
// The node signs (eth_sendTransaction, personal_sign, eth_signTypedData_v4); nothing secret
// lives in the page. Never offered on another chain (lib/networks.ts `devWallet`).
import type { Address, EIP1193Provider } from "viem";

import { absoluteUrl, network } from "./network.js";
import { ProviderEvents } from "./provider-events.js";

/** Who is who in the demo seed (scripts/seed-demo.ts DEMO_ACCOUNTS). */
export const DEV_ACCOUNT_LABELS: Record<number, string> = {
  0: "Platform (deployer)",
  1: "Spare",
  2: "Organizer",
  3: "Gate staff",
  4: "Gate writer",
  5: "Fan 1",
  6: "Fan 2",
  7: "Fan 3",
  8: "Fan 4",
  9: "Points signer (server)",
};

const STORAGE_KEY = "chainpass.devWallet.account";
const CONNECTED_KEY = "chainpass.devWallet.connected";

class DevWalletProvider extends ProviderEvents {
  private accounts: Address[] | undefined;
  private nextId = 1;
  selected = Number(localStorage.getItem(STORAGE_KEY) ?? 5);

  private async rpc(method: string, params: unknown[] = []): Promise<unknown> {
    const response = await fetch(absoluteUrl(network.rpcUrl), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: this.nextId++, method, params }),
    });
    const body = (await response.json()) as { result?: unknown; error?: { code: number; message: string; data?: unknown } };
    if (body.error) throw Object.assign(new Error(body.error.message), body.error);
    return body.result;
  }

  async allAccounts(): Promise<Address[]> {
    return (this.accounts ??= (await this.rpc("eth_accounts")) as Address[]);
  }

  async request({ method, params }: { method: string; params?: unknown[] }): Promise<unknown> {
    switch (method) {
      // Like a real wallet: no accounts until the user connects, so opening the app does not
      // silently connect the development wallet.
      case "eth_accounts":
        if (localStorage.getItem(CONNECTED_KEY) !== "1") return [];
        return [await this.current()];
      case "eth_requestAccounts":
        localStorage.setItem(CONNECTED_KEY, "1");
        return [await this.current()];
      case "wallet_switchEthereumChain":
      case "wallet_addEthereumChain":
        return null;
      case "wallet_requestPermissions":
        localStorage.setItem(CONNECTED_KEY, "1");
        return [{ parentCapability: "eth_accounts" }];
      case "wallet_getPermissions":
        return localStorage.getItem(CONNECTED_KEY) === "1" ? [{ parentCapability: "eth_accounts" }] : [];
      case "wallet_revokePermissions":
        localStorage.removeItem(CONNECTED_KEY);
        return null;
      default:
        return this.rpc(method, params ?? []);
    }
  }

  private async current(): Promise<Address> {
    const all = await this.allAccounts();
    return all[this.selected] ?? all[0];
  }

  /** Changes the active account, as a wallet's account switcher does. */
  async select(index: number) {
    this.selected = index;
    localStorage.setItem(STORAGE_KEY, String(index));
    const all = await this.allAccounts();
    this.emit("accountsChanged", [all[index]]);
  }
}

export const devWallet = new DevWalletProvider();
export const devWalletProvider = devWallet as unknown as EIP1193Provider;
