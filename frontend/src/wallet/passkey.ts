// The passkey wallet (issue 17): a fan's smart account (contracts/account/ChainpassAccount.sol)
// controlled by a WebAuthn passkey on their device, with gas paid by the platform's paymaster. It
// is an EIP-1193 provider, so wagmi and every page use it like any wallet: eth_sendTransaction and
// EIP-5792's wallet_sendCalls become user operations sent to the bundler and sponsored by the
// sponsorship service (ERC-7677); personal_sign and eth_signTypedData_v4 are ERC-1271 signatures
// (ERC-7739, with ERC-6492's wrapper until the account is deployed). Loaded on demand
// (wallet/config.ts): nothing of it is in a route's first load.
//
// The passkey's credential id and public key are kept in localStorage (both are public; the
// private key never leaves the authenticator). On another device, or after the storage is
// cleared, the fan signs in with the passkey (synced by their platform) and the public key is
// recovered from two signatures: the account's address follows from it.
import { p256 } from "@noble/curves/nist.js";
import {
  bytesToHex,
  concat,
  createPublicClient,
  encodeFunctionData,
  getAddress,
  hexToBytes,
  http,
  numberToHex,
  sha256,
  type Address,
  type EIP1193Provider,
  type Hex,
} from "viem";
import { createBundlerClient, createPaymasterClient } from "viem/account-abstraction";

import { chainpassAccountAbi } from "../../../lib/abi/chainpassAccount.js";
import { toChainpassAccount, type ChainpassSmartAccount } from "../../../lib/smart-account/account.js";
import { callsStatusOf } from "../../../lib/smart-account/calls-status.js";
import { passkeySigner, type PasskeyPublicKey, type WebAuthnAssertion } from "../../../lib/smart-account/webauthn.js";
import { absoluteUrl, chain, network } from "./network.js";
import { ProviderEvents } from "./provider-events.js";

export const PASSKEY_WALLET_ID = "chainpass-passkey";
const STORAGE_KEY = "chainpass.passkey";
const CONNECTED_KEY = "chainpass.passkey.connected";

/** What the app keeps of a passkey: public data only. */
interface StoredPasskey {
  credentialId: string;
  x: string;
  y: string;
  /** The account, when the passkey was added to an existing one (its address is the passkey's user handle). */
  account?: Address;
}

const passkeys = () => {
  const config = network.passkeys;
  if (!config) throw new Error(`Passkey wallets are not available on ${network.name}`);
  return config;
};

const fromBase64url = (text: string) => Uint8Array.from(atob(text.replace(/-/g, "+").replace(/_/g, "/")), (c) => c.charCodeAt(0));

function loadPasskey(): StoredPasskey | undefined {
  try {
    const stored = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? "null") as StoredPasskey | null;
    return stored?.credentialId && stored.x && stored.y ? stored : undefined;
  } catch {
    return undefined;
  }
}

const keyOf = (stored: StoredPasskey): PasskeyPublicKey => ({ x: BigInt(stored.x), y: BigInt(stored.y) });

/** Whether this browser can use passkeys at all. */
export const passkeysSupported = () => typeof window !== "undefined" && typeof window.PublicKeyCredential === "function" && !!navigator.credentials;

/**
 * Creates a passkey on this device, or on a phone through the browser's QR code (Face ID, Touch ID,
 * Windows Hello, a screen lock), and returns its public key. For a new account the user handle is
 * random; a passkey added to an existing account carries the account's address as its user handle,
 * so that signing in with it on another device finds the account.
 */
async function newPasskey(account?: Address): Promise<{ id: string; key: PasskeyPublicKey }> {
  const credential = (await navigator.credentials.create({
    publicKey: {
      rp: { name: "Chainpass", id: window.location.hostname },
      user: { id: account ? new Uint8Array(hexToBytes(account)) : crypto.getRandomValues(new Uint8Array(16)), name: `Chainpass ${new Date().toISOString().slice(0, 10)}`, displayName: "Chainpass tickets" },
      challenge: crypto.getRandomValues(new Uint8Array(32)),
      pubKeyCredParams: [{ type: "public-key", alg: -7 }], // ES256: P-256, what the accounts verify
      authenticatorSelection: { residentKey: "required", userVerification: "required" },
      timeout: 120_000,
    },
  })) as PublicKeyCredential | null;
  if (!credential) throw new Error("No passkey was created");
  const spki = new Uint8Array((credential.response as AuthenticatorAttestationResponse).getPublicKey() ?? new ArrayBuffer(0));
  // An ES256 key's SPKI ends with the uncompressed point: 0x04, x, y.
  const point = spki.slice(-65);
  if (point[0] !== 0x04) throw new Error("The passkey's public key is not a P-256 key");
  return { id: credential.id, key: { x: BigInt(bytesToHex(point.slice(1, 33))), y: BigInt(bytesToHex(point.slice(33))) } };
}

/** Creates a passkey for a new account and keeps it as this device's wallet. */
export async function createPasskey(): Promise<void> {
  const { id, key } = await newPasskey();
  savePasskey(id, key);
}

function savePasskey(credentialId: string, key: PasskeyPublicKey, account?: Address) {
  const stored: StoredPasskey = { credentialId, x: numberToHex(key.x), y: numberToHex(key.y), ...(account ? { account } : {}) };
  localStorage.setItem(STORAGE_KEY, JSON.stringify(stored));
}

/** Asks the authenticator to sign `challenge` with the passkey (`credentialId`, or any of this site's). */
async function assert(challenge: Uint8Array<ArrayBuffer>, credentialId?: string): Promise<{ id: string; assertion: WebAuthnAssertion; digest: Uint8Array; userHandle?: Uint8Array }> {
  const credential = (await navigator.credentials.get({
    publicKey: {
      challenge,
      rpId: window.location.hostname,
      allowCredentials: credentialId ? [{ type: "public-key", id: fromBase64url(credentialId) }] : [],
      userVerification: "required",
      timeout: 120_000,
    },
  })) as PublicKeyCredential | null;
  if (!credential) throw new Error("The passkey did not sign");
  const response = credential.response as AuthenticatorAssertionResponse;
  const authenticatorData = bytesToHex(new Uint8Array(response.authenticatorData));
  const clientDataJSON = new TextDecoder().decode(response.clientDataJSON);
  const signature = p256.Signature.fromBytes(new Uint8Array(response.signature), "der");
  // What the authenticator signed: SHA-256 of authenticatorData and of clientDataJSON's hash.
  const digest = hexToBytes(sha256(concat([authenticatorData, sha256(new TextEncoder().encode(clientDataJSON))])));
  const userHandle = response.userHandle ? new Uint8Array(response.userHandle) : undefined;
  return { id: credential.id, assertion: { authenticatorData, clientDataJSON, r: signature.r, s: signature.s }, digest, userHandle };
}

/** The two public keys a P-256 signature of `digest` can come from. */
function candidates(assertion: WebAuthnAssertion, digest: Uint8Array): string[] {
  const signature = new p256.Signature(assertion.r, assertion.s);
  return [0, 1].flatMap((bit) => {
    try {
      const { x, y } = signature.addRecoveryBit(bit).recoverPublicKey(digest).toAffine();
      return [`${x}:${y}`];
    } catch {
      return [];
    }
  });
}

/**
 * Finds this site's passkey (synced from another device, or created before the storage was
 * cleared): two signatures, and the public key both can come from.
 */
export async function recoverPasskey(): Promise<void> {
  const first = await assert(crypto.getRandomValues(new Uint8Array(32)));
  const second = await assert(crypto.getRandomValues(new Uint8Array(32)), first.id);
  const both = candidates(first.assertion, first.digest).filter((key) => candidates(second.assertion, second.digest).includes(key));
  if (both.length !== 1) throw new Error("The passkey's public key could not be recovered");
  const [x, y] = both[0].split(":").map(BigInt);
  // A passkey added to an account names it in its user handle (20 bytes); a first passkey's account follows from its key.
  const account = first.userHandle?.length === 20 ? getAddress(bytesToHex(first.userHandle)) : undefined;
  savePasskey(first.id, { x, y }, account);
}

export const hasPasskey = () => loadPasskey() !== undefined;

let cached: { credentialId: string; account: ChainpassSmartAccount } | undefined;

/** The stored passkey's account (its address known before it is deployed). */
async function passkeyAccount(): Promise<ChainpassSmartAccount> {
  const stored = loadPasskey();
  if (!stored) throw Object.assign(new Error("No passkey on this device: create one or use one you have"), { code: 4100 });
  if (cached?.credentialId === stored.credentialId) return cached.account;
  const config = passkeys();
  const signer = passkeySigner(config.passkeyVerifier, keyOf(stored));
  const account = await toChainpassAccount({
    client: publicClient,
    entryPoint: config.entryPoint,
    factory: config.accountFactory,
    initialSigners: [signer],
    passkey: { signer, sign: async (challenge: Hex) => (await assert(new Uint8Array(hexToBytes(challenge)), stored.credentialId)).assertion },
    address: stored.account,
  });
  cached = { credentialId: stored.credentialId, account };
  return account;
}

const publicClient = createPublicClient({ chain, transport: http() });

let bundlers: { account: ChainpassSmartAccount; client: ReturnType<typeof createBundlerClient> } | undefined;

/** The bundler client for `account` (one per account: a fan's session makes many calls). */
function bundler(account: ChainpassSmartAccount) {
  if (bundlers?.account === account) return bundlers.client;
  const config = passkeys();
  const client = createBundlerClient({
    account,
    client: publicClient,
    transport: http(absoluteUrl(config.bundlerUrl)),
    paymaster: createPaymasterClient({ transport: http(absoluteUrl(config.paymasterUrl)) }),
    // viem's default is 4 s between receipt polls: a fan would wait that long after the block.
    pollingInterval: 500,
  });
  bundlers = { account, client };
  return client;
}

interface Call {
  to: Address;
  data?: Hex;
  value?: Hex;
}

/** Sends `calls` as one sponsored user operation; resolves with its hash. */
async function sendCalls(calls: Call[]): Promise<Hex> {
  const account = await passkeyAccount();
  return bundler(account).sendUserOperation({
    calls: calls.map((call) => ({ to: call.to, data: call.data ?? "0x", value: call.value ? BigInt(call.value) : 0n })),
  });
}

/** The operation's outcome once included: its transaction, or an error when a call in it reverted. */
async function included(hash: Hex) {
  const account = await passkeyAccount();
  const receipt = await bundler(account).waitForUserOperationReceipt({ hash, timeout: 120_000 });
  if (!receipt.success) throw new Error(`The operation was included but a call in it failed${receipt.reason ? `: ${receipt.reason}` : ""}`);
  return receipt;
}

/** The connected account's signers: passkeys (their public keys) and recovery wallets (addresses). */
export async function accountSigners(): Promise<{ address: Address; deployed: boolean; signers: Hex[] }> {
  const account = await passkeyAccount();
  const address = await account.getAddress();
  const deployed = await account.isDeployed();
  const signers = deployed
    ? ((await publicClient.readContract({ address, abi: chainpassAccountAbi, functionName: "getSigners", args: [0n, 2n ** 64n - 1n] })) as Hex[])
    : [passkeySigner(passkeys().passkeyVerifier, keyOf(loadPasskey()!))];
  return { address, deployed, signers };
}

/** Adds signers to the account in one sponsored user operation (it deploys the account if need be). */
async function addSigners(signers: Hex[]): Promise<void> {
  const account = await passkeyAccount();
  const address = await account.getAddress();
  await included(await sendCalls([{ to: address, data: encodeFunctionData({ abi: chainpassAccountAbi, functionName: "addSigners", args: [signers] }) }]));
}

/** Creates another passkey (this device's, or a phone's through the browser's QR code) and adds it to the account. */
export async function addPasskey(): Promise<void> {
  const address = await (await passkeyAccount()).getAddress();
  const { key } = await newPasskey(address);
  await addSigners([passkeySigner(passkeys().passkeyVerifier, key)]);
}

/** Adds an ordinary wallet as a recovery signer: it can sign for the account if every passkey is lost. */
export async function addRecoveryWallet(wallet: Address): Promise<void> {
  await addSigners([wallet]);
}


class PasskeyWalletProvider extends ProviderEvents {

  async request({ method, params }: { method: string; params?: unknown[] }): Promise<unknown> {
    const args = (params ?? []) as unknown[];
    switch (method) {
      case "eth_chainId":
        return numberToHex(network.chainId);
      case "eth_accounts":
        if (localStorage.getItem(CONNECTED_KEY) !== "1" || !hasPasskey()) return [];
        return [await (await passkeyAccount()).getAddress()];
      case "eth_requestAccounts": {
        const address = await (await passkeyAccount()).getAddress();
        localStorage.setItem(CONNECTED_KEY, "1");
        return [address];
      }
      case "wallet_requestPermissions":
        localStorage.setItem(CONNECTED_KEY, "1");
        return [{ parentCapability: "eth_accounts" }];
      case "wallet_getPermissions":
        return localStorage.getItem(CONNECTED_KEY) === "1" ? [{ parentCapability: "eth_accounts" }] : [];
      case "wallet_revokePermissions":
        localStorage.removeItem(CONNECTED_KEY);
        return null;
      case "wallet_switchEthereumChain":
        if (Number((args[0] as { chainId: string }).chainId) !== network.chainId) throw Object.assign(new Error(`The passkey wallet is on ${network.name} only`), { code: 4902 });
        return null;
      case "wallet_getCapabilities":
        return { [numberToHex(network.chainId)]: { atomic: { status: "supported" }, paymasterService: { supported: true } } };
      case "personal_sign": {
        const account = await passkeyAccount();
        return account.signMessage({ message: { raw: args[0] as Hex } });
      }
      case "eth_signTypedData_v4": {
        const account = await passkeyAccount();
        const typed = JSON.parse(args[1] as string) as Parameters<ChainpassSmartAccount["signTypedData"]>[0] & { types: Record<string, unknown> };
        const { EIP712Domain: _, ...types } = typed.types;
        return account.signTypedData({ ...typed, types } as never);
      }
      case "eth_sendTransaction": {
        const [call] = args as Call[];
        return (await included(await sendCalls([call]))).receipt.transactionHash;
      }
      case "wallet_sendCalls": {
        const [request] = args as [{ calls: Call[] }];
        return { id: await sendCalls(request.calls) };
      }
      case "wallet_getCallsStatus": {
        const [id] = args as [Hex];
        const account = await passkeyAccount();
        const receipt = await bundler(account)
          .getUserOperationReceipt({ hash: id })
          .catch(() => undefined);
        return callsStatusOf(id, network.chainId, receipt);
      }
      default:
        return publicClient.request({ method, params } as never);
    }
  }
}

export const passkeyWalletProvider = new PasskeyWalletProvider() as unknown as EIP1193Provider;
