// A fan's passkey account (contracts/account/ChainpassAccount.sol) as a viem smart account, for
// viem's bundler client: its counterfactual address and initCode (ChainpassAccountFactory), calls
// batched through ERC-7821 `execute`, user operations signed by a passkey for EntryPoint v0.8, and
// ERC-1271 signatures (SIWE, the gate's pass delegation, permits) as ERC-7739 nested typed data
// (viem's toSmartAccount wraps them per ERC-6492 while the account is not deployed).
import {
  decodeAbiParameters,
  decodeFunctionData,
  encodeAbiParameters,
  encodeFunctionData,
  type Address,
  type Hex,
  type TypedData,
  type TypedDataDefinition,
} from "viem";
import { entryPoint08Abi, getUserOperationHash, toSmartAccount, type SmartAccountImplementation } from "viem/account-abstraction";
import { readContract } from "viem/actions";
import { hashMessage, hashTypedData, wrapTypedDataSignature } from "viem/experimental/erc7739";

import { chainpassAccountAbi } from "../abi/chainpassAccount.js";
import { chainpassAccountFactoryAbi } from "../abi/chainpassAccountFactory.js";
import { encodeWebAuthnSignature, multiSignerSignature, type WebAuthnAssertion } from "./webauthn.js";

/** ERC-7821's batch mode: call type 0x01 (batch), exec type 0x00 (revert on failure), no selector or payload. */
export const BATCH_MODE: Hex = "0x0100000000000000000000000000000000000000000000000000000000000000";
const CALLS = [{ type: "tuple[]", components: [{ name: "target", type: "address" }, { name: "value", type: "uint256" }, { name: "callData", type: "bytes" }] }] as const;
/** The accounts' EIP-712 name and version (ChainpassAccount's constructor): ERC-7739 binds signatures to them. */
export const ACCOUNT_DOMAIN = { name: "Chainpass Account", version: "1" } as const;

/** One of the account's signers, able to sign now: a passkey (its ERC-7913 signer bytes and the authenticator). */
export interface PasskeySigning {
  signer: Hex;
  /** Signs a 32-byte challenge with the passkey (navigator.credentials.get, or a software key in tests). */
  sign(challenge: Hex): Promise<WebAuthnAssertion>;
}

export interface ChainpassAccountParameters {
  /** A client of the account's chain (reads the factory; its chain id signs user operations). */
  client: SmartAccountImplementation["client"];
  entryPoint: Address;
  factory: Address;
  /** The signers the account was created with: its address follows from them and `salt`. */
  initialSigners: readonly Hex[];
  salt?: Hex;
  /** Who signs now: one of the account's current signers. */
  passkey: PasskeySigning;
  /** The address, when known (saves a read of the factory). */
  address?: Address;
}

// A realistic WebAuthn signature for gas estimation: the same size as a real one, never valid.
const STUB_ASSERTION: WebAuthnAssertion = {
  authenticatorData: `0x${"49".repeat(32)}0500000000`,
  clientDataJSON: `{"type":"webauthn.get","challenge":"${"A".repeat(43)}","origin":"https://chainpass.example","crossOrigin":false}`,
  r: 0x7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffn,
  s: 0x7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffn,
};

/** The passkey account as a viem SmartAccount (EntryPoint v0.8). */
export async function toChainpassAccount(parameters: ChainpassAccountParameters) {
  const { client, factory, initialSigners, passkey, salt = `0x${"00".repeat(32)}` } = parameters;
  const entryPoint = { abi: entryPoint08Abi, address: parameters.entryPoint, version: "0.8" } as const;
  let address = parameters.address;
  const sign = async (hash: Hex): Promise<Hex> => multiSignerSignature([passkey.signer], [encodeWebAuthnSignature(await passkey.sign(hash))]);
  const getAddress = async (): Promise<Address> => {
    address ??= await readContract(client, { address: factory, abi: chainpassAccountFactoryAbi, functionName: "accountAddress", args: [initialSigners, salt] });
    return address;
  };
  /** The account's EIP-712 domain: ERC-7739 signatures are bound to it. */
  const verifierDomain = async () => ({ ...ACCOUNT_DOMAIN, chainId: client.chain!.id, verifyingContract: await getAddress(), salt: `0x${"00".repeat(32)}` as Hex });

  return toSmartAccount({
    client,
    entryPoint,

    async encodeCalls(calls) {
      const batch = calls.map((call) => ({ target: call.to, value: call.value ?? 0n, callData: call.data ?? "0x" }));
      return encodeFunctionData({ abi: chainpassAccountAbi, functionName: "execute", args: [BATCH_MODE, encodeAbiParameters(CALLS, [batch])] });
    },

    async decodeCalls(data) {
      const { args } = decodeFunctionData({ abi: chainpassAccountAbi, data });
      const [batch] = decodeAbiParameters(CALLS, (args as readonly [Hex, Hex])[1]);
      return batch.map((call) => ({ to: call.target, value: call.value, data: call.callData }));
    },

    getAddress,

    async getFactoryArgs() {
      return { factory, factoryData: encodeFunctionData({ abi: chainpassAccountFactoryAbi, functionName: "createAccount", args: [initialSigners, salt] }) };
    },

    async getStubSignature() {
      return multiSignerSignature([passkey.signer], [encodeWebAuthnSignature(STUB_ASSERTION)]);
    },

    async signMessage({ message }) {
      return sign(hashMessage({ message, verifierDomain: await verifierDomain() }));
    },

    async signTypedData(typedData) {
      const { domain, types, primaryType, message } = typedData as TypedDataDefinition<TypedData, string>;
      const hash = hashTypedData({ domain, types, primaryType, message, verifierDomain: await verifierDomain() } as never);
      return wrapTypedDataSignature({ domain, types, primaryType, message, signature: await sign(hash) } as never);
    },

    async signUserOperation(userOperation) {
      const { chainId = client.chain!.id, ...operation } = userOperation;
      const hash = getUserOperationHash({
        chainId,
        entryPointAddress: entryPoint.address,
        entryPointVersion: "0.8",
        userOperation: { ...operation, sender: await getAddress() } as never,
      });
      return sign(hash);
    },
  });
}

export type ChainpassSmartAccount = Awaited<ReturnType<typeof toChainpassAccount>>;

