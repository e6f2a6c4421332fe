// Issue 17: passkey accounts and sponsored gas on chain. A local chain with the platform, the
// EntryPoint v0.8, the passkey verifier, the account factory and the paymaster (Ignition's
// Accounts module). User operations are built with lib/smart-account (viem's SmartAccount),
// signed by a software WebAuthn authenticator, sponsored by a key standing for the server's
// sponsorship service, and handed to the EntryPoint by an EOA acting as the bundler (the real
// bundler's test is bundler.test.ts). A fan's account exists only as an address until its first
// user operation, which deploys it and buys a USDC ticket in one go, approval included, with no
// ETH anywhere in the account.
import { expect } from "chai";
import { SiweMessage } from "siwe";
import {
  BaseError,
  encodeFunctionData,
  hashMessage,
  hashTypedData,
  parseEventLogs,
  zeroAddress,
  type Address,
  type Hex,
} from "viem";
import { entryPoint08Abi, toPackedUserOperation, type SmartAccount, type UserOperation } from "viem/account-abstraction";

import { chainpassAccountAbi, chainpassEventAbi, chainpassPaymasterAbi } from "../../lib/abi/index.js";
import { toChainpassAccount, type PasskeySigning } from "../../lib/smart-account/account.js";
import { encodePaymasterData, type SponsorshipTerms } from "../../lib/smart-account/sponsorship.js";
import { multiSignerSignature } from "../../lib/smart-account/webauthn.js";
import type { AccountStack } from "../../scripts/lib/account-stack.js";
import { localAccount, type Platform } from "../../scripts/lib/local-chain.js";
import { verifySignIn } from "../../server/auth/siwe.js";
import { MOCK_USDC_ABI, ORGANIZER, SPONSOR, startAccountChain } from "../helpers/account-chain.js";
import { softwarePasskey } from "../helpers/software-passkey.js";
import { sponsorOperation, userOperation as buildUserOperation } from "../helpers/user-operations.js";

const USDC = (amount: number) => BigInt(amount * 1_000_000);
const PRICE = USDC(5);
describe("Passkey accounts and sponsored gas on chain (EntryPoint v0.8)", function () {
  this.timeout(120_000);
  let chain: Awaited<ReturnType<typeof startAccountChain>>["chain"];
  let platform: Platform;
  let stack: AccountStack;
  let event: Address;
  let send: Awaited<ReturnType<typeof startAccountChain>>["send"];
  let ownWallet: Awaited<ReturnType<typeof startAccountChain>>["ownWallet"];
  const organizer = ORGANIZER;
  const sponsor = SPONSOR;
  const bundler = localAccount(17);
  const stranger = localAccount(8);

  before(async function () {
    let usdcEvent: Awaited<ReturnType<typeof startAccountChain>>["usdcEvent"];
    ({ chain, platform, stack, send, usdcEvent, ownWallet } = await startAccountChain());
    event = await usdcEvent("Passkey Night", PRICE);
    // The organizer funds the event's gas budget.
    await send(organizer, stack.paymaster, chainpassPaymasterAbi, "fund", [event], 10n ** 17n);
  });
  after(async () => chain.rpc.close());

  /** The message a call that must fail fails with. */
  async function failure(call: Promise<unknown>): Promise<string> {
    try {
      await call;
    } catch (error) {
      return String(error instanceof BaseError ? error.message : error);
    }
    throw new Error("the call did not fail");
  }
  const read = <T>(address: Address, abi: readonly unknown[], functionName: string, args: readonly unknown[] = []) =>
    chain.clients.publicClient.readContract({ address, abi, functionName, args } as never) as Promise<T>;

  async function passkeyAccount(passkey: PasskeySigning, initialSigners: Hex[] = [passkey.signer]) {
    return toChainpassAccount({ client: chain.clients.publicClient, entryPoint: stack.entryPoint, factory: stack.accountFactory, initialSigners, passkey });
  }

  /** A user operation of `account` making `calls`, gas paid by `budget` (or by the account when undefined). */
  const userOperation = (account: SmartAccount, calls: { to: Address; data: Hex; value?: bigint }[], budget?: Address, terms: { validAfter?: number; validUntil?: number } = {}) =>
    buildUserOperation(chain.clients.publicClient, account, calls, budget === undefined ? undefined : { paymaster: stack.paymaster, sponsor, budget, ...terms });
  /** The sponsor's (or `signer`'s) paymasterData for `op`. */
  const sponsored = (op: UserOperation<"0.8">, terms: SponsorshipTerms, signer = sponsor) =>
    sponsorOperation(op, chain.clients.chain.id, { paymaster: stack.paymaster, sponsor, ...terms }, signer);

  /** The bundler's part: handleOps with `ops`, from an EOA. Resolves with the receipt; rejects with the EntryPoint's reason. */
  async function handleOps(ops: UserOperation<"0.8">[]) {
    const packed = ops.map((op) => toPackedUserOperation(op));
    return send(bundler, stack.entryPoint, entryPoint08Abi, "handleOps", [packed, bundler.address]);
  }

  /** The EntryPoint's reason for refusing `ops` ("AA24 signature error", …). */
  async function refusal(ops: UserOperation<"0.8">[]): Promise<string> {
    try {
      await chain.clients.publicClient.simulateContract({ address: stack.entryPoint, abi: entryPoint08Abi, functionName: "handleOps", args: [ops.map((op) => toPackedUserOperation(op)), bundler.address], account: bundler });
    } catch (error) {
      const message = error instanceof BaseError ? error.shortMessage + " " + error.message : String(error);
      const reason = message.match(/AA\d\d [^"\n,)]+/)?.[0];
      if (reason) return reason.trim();
      throw error;
    }
    throw new Error("handleOps did not revert");
  }

  const buyCalls = (buyer: Address, amount = PRICE) => [
    { to: platform.usdc, data: encodeFunctionData({ abi: MOCK_USDC_ABI, functionName: "approve", args: [event, amount] }) },
    { to: event, data: encodeFunctionData({ abi: chainpassEventAbi, functionName: "buy", args: [1n, 1n, buyer, amount] }) },
  ];

  it("a passkey account exists first as an address; its first user operation deploys it and buys a USDC ticket (approval and purchase batched), the gas paid from the event's budget", async function () {
    const passkey = softwarePasskey(stack.passkeyVerifier);
    const account = await passkeyAccount(passkey);
    const address = await account.getAddress();
    expect(await chain.clients.publicClient.getCode({ address }), "counterfactual").to.equal(undefined);
    // USDC can be sent to the address before the account exists.
    await send(stranger, platform.usdc, MOCK_USDC_ABI, "mint", [address, USDC(20)]);

    const budgetBefore = await read<bigint>(stack.paymaster, chainpassPaymasterAbi, "budgetOf", [event]);
    const receipt = await handleOps([await userOperation(account, buyCalls(address), event)]);

    expect(await chain.clients.publicClient.getCode({ address }), "deployed").to.not.equal(undefined);
    const [purchase] = parseEventLogs({ abi: chainpassEventAbi, logs: receipt.logs, eventName: "TicketsPurchased" });
    expect(purchase.args.buyer).to.equal(address);
    expect(await read<Address>(event, chainpassEventAbi, "ownerOf", [purchase.args.firstTokenId])).to.equal(address);
    expect(await read<bigint>(platform.usdc, MOCK_USDC_ABI, "balanceOf", [address])).to.equal(USDC(15));
    expect(await chain.clients.publicClient.getBalance({ address }), "the account never held ETH").to.equal(0n);

    const [sponsoredGas] = parseEventLogs({ abi: chainpassPaymasterAbi, logs: receipt.logs, eventName: "GasSponsored" });
    expect(sponsoredGas.args).to.deep.include({ budget: event, account: address });
    const spent = await read<bigint>(stack.paymaster, chainpassPaymasterAbi, "spentOf", [event]);
    expect(spent).to.equal(sponsoredGas.args.cost);
    expect(await read<bigint>(stack.paymaster, chainpassPaymasterAbi, "budgetOf", [event])).to.equal(budgetBefore - spent);
    // The budget pays at least what the EntryPoint charged the paymaster for the operation.
    const [handled] = parseEventLogs({ abi: entryPoint08Abi, logs: receipt.logs, eventName: "UserOperationEvent" });
    expect(handled.args.success).to.equal(true);
    expect(spent >= handled.args.actualGasCost, `budget charged ${spent}, EntryPoint charged ${handled.args.actualGasCost}`).to.equal(true);
  });

  it("refuses an operation signed by another passkey, or by the passkey without user verification", async function () {
    const passkey = softwarePasskey(stack.passkeyVerifier);
    const account = await passkeyAccount(passkey);
    // Another key claiming to be the account's signer.
    const impostor = softwarePasskey(stack.passkeyVerifier);
    const forged = await passkeyAccount({ signer: passkey.signer, sign: impostor.sign }, [passkey.signer]);
    expect(await refusal([await userOperation(forged, buyCalls(await account.getAddress()), event)])).to.equal("AA24 signature error");
    // The right key, but the authenticator did not verify the user (presence only).
    const unverified = softwarePasskey(stack.passkeyVerifier, { userVerified: false });
    const lazy = await passkeyAccount(unverified);
    expect(await refusal([await userOperation(lazy, buyCalls(await lazy.getAddress()), event)])).to.equal("AA24 signature error");
  });

  it("pays only with the sponsor's signature, for the budget signed, within its window, and while the budget covers the operation", async function () {
    const passkey = softwarePasskey(stack.passkeyVerifier);
    const account = await passkeyAccount(passkey);
    const calls = buyCalls(await account.getAddress());
    // Signed by someone else than the sponsor.
    const op = await userOperation(account, calls, event);
    op.paymasterData = await sponsored(op, { validAfter: 0, validUntil: 0, budget: event }, stranger);
    op.signature = await account.signUserOperation(op);
    expect(await refusal([op])).to.equal("AA34 signature error");
    // Signed for the event's budget, but claiming another (the platform's, empty): the signature no longer matches.
    const other = await userOperation(account, calls, event);
    other.paymasterData = encodePaymasterData({ validAfter: 0, validUntil: 0, budget: zeroAddress }, `0x${(other.paymasterData as Hex).slice(2 + 64)}`);
    other.signature = await account.signUserOperation(other);
    expect(await refusal([other])).to.match(/^AA3[34]/);
    // Expired.
    const now = Number((await chain.clients.publicClient.getBlock()).timestamp);
    expect(await refusal([await userOperation(account, calls, event, { validAfter: 0, validUntil: now - 10 })])).to.equal("AA32 paymaster expired or not due");
    // The platform's budget is empty: the paymaster cannot cover the operation.
    expect(await refusal([await userOperation(account, calls, zeroAddress)])).to.equal("AA33 reverted");
  });

  it("adds a second passkey and a recovery wallet through a user operation; each then signs for the account", async function () {
    const phone = softwarePasskey(stack.passkeyVerifier);
    const account = await passkeyAccount(phone);
    const address = await account.getAddress();
    await send(stranger, platform.usdc, MOCK_USDC_ABI, "mint", [address, USDC(20)]);
    const laptop = softwarePasskey(stack.passkeyVerifier);
    const recovery = localAccount(9);
    const addSigners = { to: address, data: encodeFunctionData({ abi: chainpassAccountAbi, functionName: "addSigners", args: [[laptop.signer, recovery.address]] }) };
    await handleOps([await userOperation(account, [addSigners], event)]);
    expect(await read<boolean>(address, chainpassAccountAbi, "isSigner", [laptop.signer])).to.equal(true);
    expect(await read<boolean>(address, chainpassAccountAbi, "isSigner", [recovery.address.toLowerCase()])).to.equal(true);

    // The laptop's passkey buys a ticket.
    const fromLaptop = await toChainpassAccount({ client: chain.clients.publicClient, entryPoint: stack.entryPoint, factory: stack.accountFactory, initialSigners: [phone.signer], passkey: laptop, address });
    await handleOps([await userOperation(fromLaptop, buyCalls(address), event)]);
    // The recovery wallet (an ordinary key) signs the user operation hash itself, e.g. to remove a lost phone.
    const removePhone = { to: address, data: encodeFunctionData({ abi: chainpassAccountAbi, functionName: "removeSigners", args: [[phone.signer]] }) };
    const op = await userOperation(fromLaptop, [removePhone], event);
    const hash = await read<Hex>(stack.entryPoint, entryPoint08Abi, "getUserOpHash", [toPackedUserOperation(op)]);
    op.signature = multiSignerSignature([recovery.address], [await recovery.sign({ hash })]);
    await handleOps([op]);
    expect(await read<boolean>(address, chainpassAccountAbi, "isSigner", [phone.signer])).to.equal(false);
    // The removed phone can no longer sign.
    expect(await refusal([await userOperation(account, buyCalls(address), event)])).to.equal("AA24 signature error");
  });

  it("signs messages by ERC-1271 with the passkey (ERC-7739, bound to the account): valid for its account, not for another the same passkey controls", async function () {
    const passkey = softwarePasskey(stack.passkeyVerifier);
    const account = await passkeyAccount(passkey);
    const address = await account.getAddress();
    await handleOps([await userOperation(account, [{ to: address, data: "0x" }], event)]); // deploys it
    const message = "Sign in to Chainpass";
    const signature = await account.signMessage({ message });
    expect(await read<Hex>(address, chainpassAccountAbi, "isValidSignature", [hashMessage(message), signature])).to.equal("0x1626ba7e");
    expect(await chain.clients.publicClient.verifyMessage({ address, message, signature })).to.equal(true);
    // Typed data too (the gate's pass delegation is EIP-712): nested as ERC-7739's TypedDataSign.
    const typed = {
      domain: { name: "Chainpass", version: "1", chainId: chain.clients.chain.id, verifyingContract: event },
      types: { Delegation: [{ name: "passKey", type: "bytes32" }, { name: "validUntil", type: "uint64" }] },
      primaryType: "Delegation" as const,
      message: { passKey: `0x${"ab".repeat(32)}` as Hex, validUntil: 2_000_000_000n },
    };
    const typedSignature = await account.signTypedData(typed);
    expect(await read<Hex>(address, chainpassAccountAbi, "isValidSignature", [hashTypedData(typed), typedSignature])).to.equal("0x1626ba7e");
    expect(await chain.clients.publicClient.verifyTypedData({ address, ...typed, signature: typedSignature })).to.equal(true);
    // A second account of the same passkey (another salt) refuses the first one's signature.
    const twin = await toChainpassAccount({ client: chain.clients.publicClient, entryPoint: stack.entryPoint, factory: stack.accountFactory, initialSigners: [passkey.signer], passkey, salt: `0x${"01".padStart(64, "0")}` });
    await handleOps([await userOperation(twin, [{ to: await twin.getAddress(), data: "0x" }], event)]);
    expect(await read<Hex>(await twin.getAddress(), chainpassAccountAbi, "isValidSignature", [hashMessage(message), signature])).to.equal("0xffffffff");
  });

  it("signs in with SIWE as the server checks it: ERC-6492 while the account is only an address, ERC-1271 once deployed", async function () {
    const passkey = softwarePasskey(stack.passkeyVerifier);
    const account = await passkeyAccount(passkey);
    const address = await account.getAddress();
    let nonce = 0;
    /** The server's SIWE check (server/auth/siwe.ts), contract wallets asked through viem's verifyMessage. */
    const serverChecks = (message: string, signature: Hex) =>
      verifySignIn(message, signature, {
        domain: "app.test",
        origin: "https://app.test",
        chainId: chain.clients.chain.id,
        now: new Date(),
        consumeNonce: () => "ok",
        verifyContractSignature: (holder, text, sig) => chain.clients.publicClient.verifyMessage({ address: holder, message: text, signature: sig }),
      });
    const signIn = async () => {
      const message = new SiweMessage({ domain: "app.test", address, statement: "Sign in to Chainpass", uri: "https://app.test", version: "1", chainId: chain.clients.chain.id, nonce: `passkeynonce${++nonce}`, issuedAt: new Date().toISOString() }).prepareMessage();
      // viem wraps the signature per ERC-6492 while the account is not deployed.
      const signature = await account.signMessage({ message });
      return serverChecks(message, signature);
    };
    expect(await chain.clients.publicClient.getCode({ address })).to.equal(undefined);
    const first = await signIn();
    expect(first, JSON.stringify(first)).to.deep.include({ ok: true, address });
    await handleOps([await userOperation(account, [{ to: address, data: "0x" }], event)]);
    expect(await signIn()).to.deep.include({ ok: true, address });
    // Another passkey claiming the same account is refused.
    const impostor = await passkeyAccount({ signer: passkey.signer, sign: softwarePasskey(stack.passkeyVerifier).sign }, [passkey.signer]);
    const message = new SiweMessage({ domain: "app.test", address, statement: "Sign in to Chainpass", uri: "https://app.test", version: "1", chainId: chain.clients.chain.id, nonce: "passkeynonce99", issuedAt: new Date().toISOString() }).prepareMessage();
    const forged = await serverChecks(message, await impostor.signMessage({ message }));
    expect(forged).to.deep.include({ ok: false, reason: "bad-signature" });
  });

  it("lets only an event's organizer withdraw its budget, and funds only Chainpass events", async function () {
    const before = await read<bigint>(stack.paymaster, chainpassPaymasterAbi, "budgetOf", [event]);
    expect(await failure(send(stranger, stack.paymaster, chainpassPaymasterAbi, "withdrawBudget", [event, stranger.address, 1n]))).to.match(/NotBudgetOwner/);
    const receipt = await send(organizer, stack.paymaster, chainpassPaymasterAbi, "withdrawBudget", [event, organizer.address, 1_000n]);
    expect(parseEventLogs({ abi: chainpassPaymasterAbi, logs: receipt.logs, eventName: "BudgetWithdrawn" })[0].args).to.deep.include({ budget: event, to: organizer.address, amount: 1_000n });
    expect(await read<bigint>(stack.paymaster, chainpassPaymasterAbi, "budgetOf", [event])).to.equal(before - 1_000n);
    expect(await failure(send(stranger, stack.paymaster, chainpassPaymasterAbi, "fund", [platform.usdc], 1n))).to.match(/NotAnEvent/);
  });

  it("pays for a fan's own wallet (EIP-7702) only from the budget of an event whose organizer opened it to wallets; only the organizer opens it", async function () {
    const { owner, implementation, account } = await ownWallet();
    const address = owner.address;
    // The wallet delegates to Simple7702Account (a type-4 transaction anyone may send for it).
    const authorization = await owner.signAuthorization({ contractAddress: implementation, chainId: chain.clients.chain.id, nonce: 0 });
    const hash = await chain.clients.wallet(stranger).sendTransaction({ account: stranger, chain: chain.clients.chain, to: address, authorizationList: [authorization] });
    await chain.clients.publicClient.waitForTransactionReceipt({ hash });
    expect(await chain.clients.publicClient.getCode({ address })).to.equal(`0xef0100${implementation.slice(2).toLowerCase()}`);
    await send(stranger, platform.usdc, MOCK_USDC_ABI, "mint", [address, USDC(20)]);
    await send(stranger, stack.paymaster, chainpassPaymasterAbi, "fund", [zeroAddress], 10n ** 17n);

    // Even with the sponsor's signature the paymaster refuses (WalletNotSponsored): the event's
    // budget is not open to wallets, and the platform's never pays for them.
    for (const budget of [event, zeroAddress]) {
      const op = await userOperation(account, buyCalls(address), budget);
      expect(await refusal([op])).to.equal("AA33 reverted");
      expect(await failure(chain.clients.publicClient.simulateContract({ address: stack.paymaster, abi: chainpassPaymasterAbi, functionName: "validatePaymasterUserOp", args: [toPackedUserOperation(op), `0x${"11".repeat(32)}`, 1n], account: stack.entryPoint }))).to.match(/WalletNotSponsored/);
    }
    expect(await failure(send(stranger, stack.paymaster, chainpassPaymasterAbi, "setWalletSponsorship", [event, true]))).to.match(/NotBudgetOwner/);
    expect(await failure(send(organizer, stack.paymaster, chainpassPaymasterAbi, "setWalletSponsorship", [zeroAddress, true]))).to.match(/NotAnEvent/);
    const opened = await send(organizer, stack.paymaster, chainpassPaymasterAbi, "setWalletSponsorship", [event, true]);
    expect(parseEventLogs({ abi: chainpassPaymasterAbi, logs: opened.logs, eventName: "WalletSponsorshipSet" })[0].args).to.deep.equal({ budget: event, sponsored: true });
    expect(await refusal([await userOperation(account, buyCalls(address), zeroAddress)]), "still not the platform's budget").to.equal("AA33 reverted");

    const receipt = await handleOps([await userOperation(account, buyCalls(address), event)]);
    const [purchase] = parseEventLogs({ abi: chainpassEventAbi, logs: receipt.logs, eventName: "TicketsPurchased" });
    expect(purchase.args.buyer).to.equal(address);
    expect(parseEventLogs({ abi: chainpassPaymasterAbi, logs: receipt.logs, eventName: "GasSponsored" })[0].args).to.deep.include({ budget: event, account: address });
    expect(await chain.clients.publicClient.getBalance({ address }), "the wallet never held ETH").to.equal(0n);
    await send(organizer, stack.paymaster, chainpassPaymasterAbi, "setWalletSponsorship", [event, false]);
    expect(await refusal([await userOperation(account, buyCalls(address), event)]), "closed again").to.equal("AA33 reverted");
  });
});
