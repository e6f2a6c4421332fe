// An injected wallet for browser tests: `window.ethereum` (EIP-1193) and an EIP-6963
// announcement in the page, backed in Node by a viem local account and the local chain's
// JSON-RPC. The app under test talks to it exactly as to a browser extension wallet: it asks for
// accounts, switches chains, signs SIWE messages and EIP-712 data, and sends transactions that
// the wallet fills (nonce, gas, fees), signs and broadcasts. Nothing is mocked: every call ends
// on the chain. Errors travel as EIP-1193 errors ({code, message, data}); JSON-RPC errors from
// the node (reverts in eth_call or eth_estimateGas) are passed on untouched, revert data
// included, so viem in the page decodes custom errors as it would with a real wallet.
import { randomUUID } from "node:crypto";

import type { BrowserContext, Page } from "playwright-core";
import {
  createPublicClient,
  getAddress,
  hexToBigInt,
  http,
  isAddressEqual,
  isHex,
  numberToHex,
  type Address,
  type Hex,
  type LocalAccount,
  type PrivateKeyAccount,
  type PublicClient,
} from "viem";

import { SmartWalletCalls, type SmartWalletOptions } from "./smart-wallet.js";

export const WALLET_NAME = "Chainpass Test Wallet";
export const WALLET_RDNS = "local.chainpass.testwallet";
export const WALLET_ICON =
  "data:image/svg+xml;base64," +
  Buffer.from(
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="7" fill="#4f46e5"/><path d="M9 11h14v10H9z" fill="none" stroke="#fff" stroke-width="2.5"/><circle cx="19" cy="16" r="1.8" fill="#fff"/></svg>',
  ).toString("base64");

/** EIP-1193 error codes the wallet answers with. */
export const ProviderErrorCode = {
  userRejected: 4001,
  unauthorized: 4100,
  unsupportedMethod: 4200,
  disconnected: 4900,
  unrecognizedChain: 4902,
  invalidParams: -32602,
  internal: -32603,
} as const;

export interface ProviderError {
  code: number;
  message: string;
  data?: unknown;
}

export interface RequestArguments {
  method: string;
  params?: unknown[] | Record<string, unknown>;
}

export interface WalletOptions {
  account: LocalAccount;
  /** The node's JSON-RPC URL, as Node reaches it (the stack's rpcUrl). */
  rpcUrl: string;
  /** The chain the wallet starts on. Default 31337. */
  chainId?: number;
  /**
   * Chains the wallet knows and will switch to (wallet_switchEthereumChain); others answer 4902
   * until added with wallet_addEthereumChain. Default 31337, Ethereum (1) and Sepolia (11155111).
   * Only 31337 has a node behind it: on another chain sends fail as they would against a real one.
   */
  chains?: number[];
  /**
   * The site is already authorised: eth_accounts answers the account before eth_requestAccounts.
   * Default false: the app has to connect first, as with a fresh extension.
   */
  preauthorized?: boolean;
  /** A smart wallet (EIP-7702, EIP-5792 calls as user operations, a dapp's paymaster taken): ./smart-wallet.ts. */
  smartWallet?: SmartWalletOptions;
}

export interface RecordedRequest {
  method: string;
  params: unknown;
  /** The result, or the error returned to the page. */
  outcome: { result: unknown } | { error: ProviderError };
}

class RpcFailure extends Error {
  constructor(readonly error: ProviderError) {
    super(error.message);
  }
}

const fail = (code: number, message: string, data?: unknown): never => {
  throw new RpcFailure({ code, message, ...(data === undefined ? {} : { data }) });
};

const BINDING = "__chainpassTestWallet";
const EMIT = "__chainpassTestWalletEmit";

/**
 * The wallet's Node side. `request` is the EIP-1193 entry point (usable directly from Node too,
 * e.g. with viem's `custom` transport); `install` wires it into pages.
 */
export class TestWallet {
  readonly uuid = randomUUID();
  private chainValue: number;
  private readonly chains: Set<number>;
  readonly rpcUrl: string;
  /** Every request the page made, in order, with what it got back. */
  readonly requests: RecordedRequest[] = [];
  private accountValue: LocalAccount;
  private authorized: boolean;
  private readonly publicClient: PublicClient;
  private readonly targets = new Set<Page | BrowserContext>();
  private readonly rejections: string[] = [];
  private sending: Promise<unknown> = Promise.resolve();
  private rpcId = 0;
  private readonly smart?: SmartWalletCalls;

  constructor(opts: WalletOptions) {
    this.accountValue = opts.account;
    this.rpcUrl = opts.rpcUrl;
    this.chainValue = opts.chainId ?? 31337;
    this.chains = new Set([...(opts.chains ?? [31337, 1, 11155111]), this.chainValue]);
    this.authorized = opts.preauthorized ?? false;
    this.publicClient = createPublicClient({ transport: http(opts.rpcUrl), cacheTime: 0 });
    if (opts.smartWallet) {
      const chain = { id: this.chainValue, name: "local", nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 }, rpcUrls: { default: { http: [opts.rpcUrl] } } };
      this.smart = new SmartWalletCalls(opts.account as PrivateKeyAccount, createPublicClient({ chain, transport: http(opts.rpcUrl), cacheTime: 0 }), opts.smartWallet);
    }
  }

  /** The wallet's active chain. */
  get chainId(): number {
    return this.chainValue;
  }

  /** The user picks another network in the wallet: the pages get chainChanged. */
  async switchChain(chainId: number): Promise<void> {
    this.chains.add(chainId);
    if (chainId === this.chainValue) return;
    this.chainValue = chainId;
    await this.emit("chainChanged", [numberToHex(chainId)]);
  }

  get account(): LocalAccount {
    return this.accountValue;
  }

  get address(): Address {
    return this.accountValue.address;
  }

  /** Switches the wallet to another account and tells the pages (accountsChanged). */
  async setAccount(account: LocalAccount): Promise<void> {
    this.accountValue = account;
    if (this.authorized) await this.emit("accountsChanged", [[account.address]]);
  }

  /** The user disconnects the site in the wallet: accountsChanged with no accounts. */
  async disconnect(): Promise<void> {
    this.authorized = false;
    await this.emit("accountsChanged", [[]]);
  }

  /**
   * The user rejects the next request for `method` (e.g. "eth_sendTransaction", "personal_sign",
   * "eth_requestAccounts"): it fails with code 4001, as when the user presses Reject.
   */
  rejectNext(method: string): void {
    this.rejections.push(method);
  }

  /** Requests made for one method, oldest first. */
  requestsFor(method: string): RecordedRequest[] {
    return this.requests.filter((r) => r.method === method);
  }

  /** EIP-1193 `request`, as the page calls it. Throws a `ProviderError`-shaped Error on failure. */
  async request({ method, params }: RequestArguments): Promise<unknown> {
    const outcome = await this.handle(method, params);
    if ("error" in outcome) throw Object.assign(new Error(outcome.error.message), outcome.error);
    return outcome.result;
  }

  /** Installs the provider in `target` (a page, or every page of a context). Call before navigating. */
  async install(target: Page | BrowserContext): Promise<void> {
    this.targets.add(target);
    await target.exposeBinding(BINDING, async (_source, method: string, params: unknown) => this.handle(method, params as RequestArguments["params"]));
    const config = {
      binding: BINDING,
      emit: EMIT,
      info: { uuid: this.uuid, name: WALLET_NAME, icon: WALLET_ICON, rdns: WALLET_RDNS },
      chainId: numberToHex(this.chainId),
    };
    // As source text: tsx (esbuild, keepNames) compiles pageProvider with calls to its `__name`
    // helper, which does not exist in the page; a no-op stands in for it.
    await target.addInitScript({ content: `(() => { const __name = (f) => f; (${pageProvider.toString()})(${JSON.stringify(config)}); })();` });
  }

  /** Sends an EIP-1193 event to every page the wallet is installed in. */
  async emit(event: "accountsChanged" | "chainChanged" | "connect" | "disconnect", args: unknown[]): Promise<void> {
    const pages = [...this.targets].flatMap((t) => ("pages" in t ? t.pages() : [t]));
    await Promise.all(
      pages.flatMap((page) =>
        page.isClosed()
          ? []
          : page.frames().map((frame) =>
              frame.evaluate(({ emit, event, args }) => (window as unknown as Record<string, (e: string, a: unknown[]) => void>)[emit]?.(event, args), { emit: EMIT, event, args }).catch(() => undefined),
            ),
      ),
    );
  }

  private async handle(method: string, params: RequestArguments["params"]): Promise<RecordedRequest["outcome"]> {
    let outcome: RecordedRequest["outcome"];
    try {
      outcome = { result: await this.dispatch(method, params) };
    } catch (error) {
      outcome = { error: toProviderError(error) };
    }
    this.requests.push({ method, params, outcome });
    return outcome;
  }

  private async dispatch(method: string, paramsIn: RequestArguments["params"]): Promise<unknown> {
    const params = (Array.isArray(paramsIn) ? paramsIn : paramsIn === undefined ? [] : [paramsIn]) as unknown[];
    const rejected = this.rejections.indexOf(method);
    if (rejected >= 0) {
      this.rejections.splice(rejected, 1);
      fail(ProviderErrorCode.userRejected, "User rejected the request.");
    }
    switch (method) {
      case "eth_requestAccounts":
        if (!this.authorized) {
          this.authorized = true;
          void this.emit("connect", [{ chainId: numberToHex(this.chainId) }]);
        }
        return [this.address];
      case "eth_accounts":
        return this.authorized ? [this.address] : [];
      case "eth_coinbase":
        return this.authorized ? this.address : null;
      case "eth_chainId":
        return numberToHex(this.chainId);
      case "net_version":
        return String(this.chainId);
      case "wallet_switchEthereumChain":
      case "wallet_addEthereumChain": {
        const requested = (params[0] as { chainId?: string } | undefined)?.chainId;
        if (!requested || !isHex(requested)) fail(ProviderErrorCode.invalidParams, `${method} needs {chainId: hex}`);
        const id = Number(hexToBigInt(requested as Hex));
        // Adding a chain makes it known; like MetaMask, it then switches to it too.
        if (method === "wallet_addEthereumChain") this.chains.add(id);
        if (!this.chains.has(id)) {
          fail(ProviderErrorCode.unrecognizedChain, `Unrecognized chain ID "${requested}". Try adding the chain using wallet_addEthereumChain first.`);
        }
        await this.switchChain(id);
        return null;
      }
      case "wallet_getPermissions":
        return this.authorized ? [this.permission()] : [];
      case "wallet_requestPermissions":
        this.authorized = true;
        return [this.permission()];
      case "wallet_revokePermissions":
        this.authorized = false;
        return null;
      case "personal_sign": {
        const [message, address] = params as [Hex | string, Address];
        this.requireAccount(address);
        // personal_sign carries the message as hex of its bytes (SIWE, viem); plain text is accepted too.
        return this.accountValue.signMessage({ message: isHex(message) ? { raw: message } : message });
      }
      case "eth_signTypedData_v4": {
        const [address, json] = params as [Address, string | Record<string, unknown>];
        this.requireAccount(address);
        const typed = (typeof json === "string" ? JSON.parse(json) : json) as {
          domain?: { chainId?: number | string };
          types: Record<string, { name: string; type: string }[]>;
          primaryType: string;
          message: Record<string, unknown>;
        };
        const domainChain = typed.domain?.chainId;
        if (domainChain !== undefined && Number(domainChain) !== this.chainId) {
          fail(ProviderErrorCode.invalidParams, `Provided chainId "${domainChain}" must match the active chainId "${this.chainId}"`);
        }
        const { EIP712Domain: _domain, ...types } = typed.types;
        return this.accountValue.signTypedData({ domain: typed.domain as never, types, primaryType: typed.primaryType, message: typed.message } as never);
      }
      case "eth_sendTransaction": {
        // One at a time, so two quick sends never take the same nonce.
        const send = this.sending.then(() => this.sendTransaction(params[0] as TransactionParams));
        this.sending = send.catch(() => undefined);
        return send;
      }
      case "wallet_getCapabilities":
        if (!this.smart) break;
        return this.smart.capabilities(this.chainId);
      case "wallet_sendCalls":
        if (!this.smart) break;
        this.requireAccount((params[0] as { from?: Address } | undefined)?.from ?? this.address);
        return this.smart.sendCalls(params[0] as Parameters<SmartWalletCalls["sendCalls"]>[0]);
      case "wallet_getCallsStatus":
        if (!this.smart) break;
        return this.smart.callsStatus(params[0] as Hex, this.chainId);
      case "eth_sign":
      case "eth_signTransaction":
      case "eth_signTypedData":
      case "eth_signTypedData_v3":
      case "eth_subscribe":
      case "eth_unsubscribe":
        return fail(ProviderErrorCode.unsupportedMethod, `The Chainpass test wallet does not support ${method}`);
    }
    // EIP-5792 when not a smart wallet, and anything else of the wallet's own, is not supported.
    if (method.startsWith("wallet_")) fail(ProviderErrorCode.unsupportedMethod, `The Chainpass test wallet does not support ${method}`);
    return this.rpc(method, params);
  }

  private permission() {
    return { parentCapability: "eth_accounts", invoker: "*", caveats: [{ type: "restrictReturnedAccounts", value: [this.address] }] };
  }

  private requireAccount(address: unknown) {
    if (!this.authorized) fail(ProviderErrorCode.unauthorized, "The site is not connected to the wallet; call eth_requestAccounts first.");
    if (typeof address !== "string" || !isHex(address) || !isAddressEqual(getAddress(address), this.address)) {
      fail(ProviderErrorCode.unauthorized, `The wallet's account is ${this.address}, not ${String(address)}`);
    }
  }

  private async sendTransaction(tx: TransactionParams): Promise<Hex> {
    if (!tx || typeof tx !== "object") fail(ProviderErrorCode.invalidParams, "eth_sendTransaction needs a transaction object");
    this.requireAccount(tx.from ?? this.address);
    if (tx.chainId !== undefined && Number(tx.chainId) !== this.chainId) {
      fail(ProviderErrorCode.invalidParams, `Transaction chainId ${tx.chainId} does not match the active chain ${this.chainId}`);
    }
    const from = this.address;
    const value = tx.value ? hexToBigInt(tx.value) : 0n;
    const data = tx.data ?? tx.input;
    // Gas estimation over raw JSON-RPC: a revert comes back as the node's error, data included.
    const gas = tx.gas ?? tx.gasLimit ?? ((await this.rpc("eth_estimateGas", [{ from, to: tx.to, value: numberToHex(value), data }])) as Hex);
    const nonce = tx.nonce !== undefined ? Number(tx.nonce) : await this.publicClient.getTransactionCount({ address: from, blockTag: "pending" });
    const base = { chainId: this.chainId, to: tx.to ?? null, value, data, gas: hexToBigInt(gas), nonce };
    let serialized: Hex;
    if (tx.gasPrice !== undefined && tx.maxFeePerGas === undefined) {
      serialized = await this.accountValue.signTransaction({ ...base, type: "legacy", gasPrice: hexToBigInt(tx.gasPrice) });
    } else {
      const estimated =
        tx.maxFeePerGas === undefined || tx.maxPriorityFeePerGas === undefined ? await this.publicClient.estimateFeesPerGas() : undefined;
      serialized = await this.accountValue.signTransaction({
        ...base,
        type: "eip1559",
        maxFeePerGas: tx.maxFeePerGas !== undefined ? hexToBigInt(tx.maxFeePerGas) : estimated!.maxFeePerGas,
        maxPriorityFeePerGas: tx.maxPriorityFeePerGas !== undefined ? hexToBigInt(tx.maxPriorityFeePerGas) : estimated!.maxPriorityFeePerGas,
        accessList: tx.accessList,
      });
    }
    return (await this.rpc("eth_sendRawTransaction", [serialized])) as Hex;
  }

  /** Forwards a call to the node; a JSON-RPC error becomes the same EIP-1193 error. */
  private async rpc(method: string, params: unknown[]): Promise<unknown> {
    let response: Response;
    try {
      response = await fetch(this.rpcUrl, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ jsonrpc: "2.0", id: ++this.rpcId, method, params }),
      });
    } catch (error) {
      return fail(ProviderErrorCode.disconnected, `The wallet cannot reach ${this.rpcUrl}: ${(error as Error).message}`);
    }
    const body = (await response.json()) as { result?: unknown; error?: ProviderError };
    if (body.error) throw new RpcFailure(body.error);
    return body.result;
  }
}

interface TransactionParams {
  from?: Address;
  to?: Address;
  value?: Hex;
  data?: Hex;
  input?: Hex;
  gas?: Hex;
  gasLimit?: Hex;
  gasPrice?: Hex;
  maxFeePerGas?: Hex;
  maxPriorityFeePerGas?: Hex;
  nonce?: Hex;
  chainId?: Hex;
  accessList?: { address: Address; storageKeys: Hex[] }[];
}

function toProviderError(error: unknown): ProviderError {
  if (error instanceof RpcFailure) return error.error;
  const e = error as { code?: unknown; message?: string; shortMessage?: string; data?: unknown };
  return {
    code: typeof e?.code === "number" ? e.code : ProviderErrorCode.internal,
    message: e?.shortMessage ?? e?.message ?? String(error),
    ...(e?.data === undefined ? {} : { data: e.data }),
  };
}

/**
 * Runs in the page before its scripts (addInitScript; serialised, so self-contained): defines
 * window.ethereum and announces it with EIP-6963.
 */
function pageProvider(config: { binding: string; emit: string; info: { uuid: string; name: string; icon: string; rdns: string }; chainId: string }) {
  const w = window as unknown as Record<string, unknown>;
  if (w[config.emit]) return; // installed twice (page and context): keep the first
  const listeners = new Map<string, Set<(...args: unknown[]) => void>>();
  const call = w[config.binding] as (method: string, params: unknown) => Promise<{ result: unknown } | { error: { code: number; message: string; data?: unknown } }>;
  const provider = {
    isChainpassTestWallet: true,
    isMetaMask: false,
    async request(args: { method: string; params?: unknown }) {
      if (!args || typeof args.method !== "string") {
        throw Object.assign(new Error("request() needs {method, params}"), { code: -32600 });
      }
      const binding = (w[config.binding] as typeof call | undefined) ?? call;
      const outcome = await binding(args.method, args.params);
      if ("error" in outcome) {
        const { code, message, data } = outcome.error;
        throw Object.assign(new Error(message), { code, ...(data === undefined ? {} : { data }) });
      }
      return outcome.result;
    },
    on(event: string, listener: (...args: unknown[]) => void) {
      if (!listeners.has(event)) listeners.set(event, new Set());
      listeners.get(event)!.add(listener);
      return provider;
    },
    removeListener(event: string, listener: (...args: unknown[]) => void) {
      listeners.get(event)?.delete(listener);
      return provider;
    },
    off(event: string, listener: (...args: unknown[]) => void) {
      return provider.removeListener(event, listener);
    },
    removeAllListeners(event?: string) {
      if (event) listeners.delete(event);
      else listeners.clear();
      return provider;
    },
    listenerCount(event: string) {
      return listeners.get(event)?.size ?? 0;
    },
    /** Legacy: as eth_requestAccounts. */
    enable() {
      return provider.request({ method: "eth_requestAccounts" });
    },
  };
  Object.defineProperty(window, config.emit, {
    value: (event: string, args: unknown[]) => {
      for (const listener of [...(listeners.get(event) ?? [])]) {
        try {
          listener(...args);
        } catch (error) {
          console.error(error);
        }
      }
    },
  });
  Object.defineProperty(window, "ethereum", { value: provider, configurable: true, writable: true });
  const detail = Object.freeze({ info: Object.freeze({ ...config.info }), provider });
  const announce = () => window.dispatchEvent(new CustomEvent("eip6963:announceProvider", { detail }));
  window.addEventListener("eip6963:requestProvider", announce);
  announce();
}

/**
 * Creates a wallet for `account` and installs it in `target` (a page, or a whole context so new
 * tabs get it too). Call before `page.goto`.
 */
export async function installWallet(target: Page | BrowserContext, opts: WalletOptions): Promise<TestWallet> {
  const wallet = new TestWallet(opts);
  await wallet.install(target);
  return wallet;
}
