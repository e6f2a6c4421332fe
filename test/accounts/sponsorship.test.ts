// Issue 17, requirement 2: the sponsorship service (server/sponsorship, ERC-7677) with the real
// bundler (Pimlico's Alto, started as `npm run dev` starts it) and the paymaster on a local chain. viem's bundler client asks the service for
// paymaster data as any ERC-7677 wallet does. The service pays for a fan's Chainpass actions from
// the event's budget (the platform's when the event's is empty) and refuses, with the reason,
// anything else, an account over its daily limit, and requests for another chain or EntryPoint.
import { expect } from "chai";
import Fastify, { type FastifyInstance } from "fastify";
import { join } from "node:path";
import { BaseError, encodeFunctionData, type SignedAuthorization, http, parseEther, parseEventLogs, zeroAddress, type Address, type Hex } from "viem";
import { createBundlerClient, createPaymasterClient, entryPoint08Address, type SmartAccount } from "viem/account-abstraction";

import { chainpassEventAbi, chainpassMembershipAbi, chainpassPaymasterAbi } from "../../lib/abi/index.js";
import { toChainpassAccount } from "../../lib/smart-account/account.js";
import { BUNDLER_ACCOUNTS, startBundler, type AccountStack, type Bundler } from "../../scripts/lib/account-stack.js";
import { localAccount, type Platform } from "../../scripts/lib/local-chain.js";
import { tempFolder } from "../../scripts/lib/supervisor.js";
import { openDatabase } from "../../server/db.js";
import { registerSponsorship } from "../../server/sponsorship/routes.js";
import { SponsorshipStore } from "../../server/sponsorship/store.js";
import { MOCK_USDC_ABI, ORGANIZER, SPONSOR, startAccountChain } from "../helpers/account-chain.js";
import { softwarePasskey } from "../helpers/software-passkey.js";

const PRICE = 5_000_000n; // 5 USDC
const DAILY_LIMIT = 3;
describe("Gas sponsorship service (ERC-7677) with the real bundler", function () {
  this.timeout(180_000);
  let chain: Awaited<ReturnType<typeof startAccountChain>>["chain"];
  let platform: Platform;
  let stack: AccountStack;
  let bundler: Bundler | undefined;
  let service: FastifyInstance | undefined;
  let serviceUrl: string;
  let funded: Address;
  let unfunded: Address;
  let output = "";
  let send: Awaited<ReturnType<typeof startAccountChain>>["send"];
  let usdcEvent: Awaited<ReturnType<typeof startAccountChain>>["usdcEvent"];
  let ownWallet: Awaited<ReturnType<typeof startAccountChain>>["ownWallet"];
  const organizer = ORGANIZER;
  const sponsor = SPONSOR;

  const budgetOf = (budget: Address) => chain.clients.publicClient.readContract({ address: stack.paymaster, abi: chainpassPaymasterAbi, functionName: "budgetOf", args: [budget] });

  before(async function () {
    ({ chain, platform, stack, send, usdcEvent, ownWallet } = await startAccountChain());
    funded = await usdcEvent("Funded Night", PRICE);
    unfunded = await usdcEvent("Unfunded Night", PRICE);
    await send(organizer, stack.paymaster, chainpassPaymasterAbi, "fund", [funded], parseEther("0.1"));

    service = Fastify();
    registerSponsorship(service, {
      client: chain.clients.publicClient,
      factory: platform.factory,
      membership: platform.membership,
      chainId: chain.clients.chain.id,
      entryPoint: stack.entryPoint,
      paymaster: stack.paymaster,
      sponsor,
      store: new SponsorshipStore(openDatabase(join(tempFolder("chainpass-sponsor-"), "content.db"))),
      dailyLimit: DAILY_LIMIT,
    });
    serviceUrl = `${await service.listen({ host: "127.0.0.1", port: 0 })}/paymaster`;
    bundler = await startBundler({ rpcUrl: chain.rpcUrl, entryPoint: stack.entryPoint, log: (chunk) => (output += chunk) });
  });
  after(async () => {
    await bundler?.stop();
    await service?.close();
    await chain.rpc.close();
  });
  afterEach(function () {
    if (this.currentTest?.state === "failed") console.log(output.split("\n").slice(-30).join("\n"));
  });

  /** A new fan's passkey account (or `account`, e.g. an own wallet), with `usdc` minted to it, and its bundler client, sponsored by the service. */
  async function fan(usdc = 4n * PRICE, account?: SmartAccount) {
    const passkey = softwarePasskey(stack.passkeyVerifier);
    account ??= await toChainpassAccount({ client: chain.clients.publicClient, entryPoint: stack.entryPoint, factory: stack.accountFactory, initialSigners: [passkey.signer], passkey });
    const address = await account.getAddress();
    if (usdc > 0n) await send(organizer, platform.usdc, MOCK_USDC_ABI, "mint", [address, usdc]);
    const client = createBundlerClient({ account, client: chain.clients.publicClient, transport: http(bundler!.url), paymaster: createPaymasterClient({ transport: http(serviceUrl) }), pollingInterval: 100 });
    const run = async (calls: { to: Address; data: Hex }[], authorization?: SignedAuthorization) => {
      const hash = await client.sendUserOperation({ calls, authorization });
      return client.waitForUserOperationReceipt({ hash, timeout: 60_000 });
    };
    return { address, run };
  }
  const buy = (event: Address, buyer: Address) => [
    { to: platform.usdc, data: encodeFunctionData({ abi: MOCK_USDC_ABI, functionName: "approve", args: [event, PRICE] }) },
    { to: event, data: encodeFunctionData({ abi: chainpassEventAbi, functionName: "buy", args: [1n, 1n, buyer, PRICE] }) },
  ];

  /** The service's refusal of `calls` (its reason, from the JSON-RPC error's message). */
  async function refused(run: () => Promise<unknown>): Promise<string> {
    try {
      await run();
    } catch (error) {
      return error instanceof BaseError ? error.details ?? error.shortMessage : String(error);
    }
    throw new Error("the operation was sponsored");
  }

  it("sponsors a purchase (approval batched) from the event's budget, and a gift of the ticket", async function () {
    const { address, run } = await fan();
    const before = await budgetOf(funded);
    const { success, receipt } = await run(buy(funded, address));
    expect(success).to.equal(true);
    const [purchase] = parseEventLogs({ abi: chainpassEventAbi, logs: receipt.logs, eventName: "TicketsPurchased" });
    const [gas] = parseEventLogs({ abi: chainpassPaymasterAbi, logs: receipt.logs, eventName: "GasSponsored" });
    expect(gas.args.budget).to.equal(funded);
    expect(await budgetOf(funded)).to.equal(before - gas.args.cost);
    expect(await chain.clients.publicClient.getBalance({ address })).to.equal(0n);
    expect(await chain.clients.publicClient.getCode({ address }), "deployed by this first operation").to.not.equal(undefined);
    // The bundler sent the bundle from its executor, not the fan.
    expect(receipt.from.toLowerCase()).to.equal(localAccount(BUNDLER_ACCOUNTS.executor).address.toLowerCase());
    // A gift is a fan's action too.
    const friend = localAccount(9).address;
    const gift = await run([{ to: funded, data: encodeFunctionData({ abi: chainpassEventAbi, functionName: "gift", args: [purchase.args.firstTokenId, friend] }) }]);
    expect(gift.success).to.equal(true);
    expect(await chain.clients.publicClient.readContract({ address: funded, abi: chainpassEventAbi, functionName: "ownerOf", args: [purchase.args.firstTokenId] })).to.equal(friend);
  });

  it("pays from the platform's budget when the event has none, and refuses when neither covers the operation", async function () {
    const { address, run } = await fan();
    expect(await budgetOf(unfunded)).to.equal(0n);
    expect(await refused(() => run(buy(unfunded, address)))).to.match(/Neither the event's gas budget nor the platform's covers/);
    await send(localAccount(0), stack.paymaster, chainpassPaymasterAbi, "fund", [zeroAddress], parseEther("0.05"));
    const { receipt } = await run(buy(unfunded, address));
    const [gas] = parseEventLogs({ abi: chainpassPaymasterAbi, logs: receipt.logs, eventName: "GasSponsored" });
    expect(gas.args.budget).to.equal(zeroAddress);
  });

  it("refuses what is not a fan's Chainpass action: a token transfer, an organizer's call, ETH sent away, two events at once", async function () {
    const { address, run } = await fan();
    const stranger = localAccount(8).address;
    expect(await refused(() => run([{ to: platform.usdc, data: encodeFunctionData({ abi: MOCK_USDC_ABI, functionName: "transfer", args: [stranger, 1n] }) }]))).to.match(/Call 1 \(to 0x[0-9a-fA-F]+\) is not a Chainpass action/);
    expect(await refused(() => run([{ to: funded, data: encodeFunctionData({ abi: chainpassEventAbi, functionName: "setDenied", args: [[stranger], true] }) }]))).to.match(/calls setDenied, which is not a fan's action/);
    expect(await refused(() => run([{ to: stranger, data: "0x" }]))).to.match(/is not a Chainpass action/);
    expect(await refused(() => run([...buy(funded, address), ...buy(unfunded, address)]))).to.match(/another event than call 1's/);
    // Approving a Chainpass event for a token that is not its currency.
    expect(await refused(() => run([{ to: stack.paymaster, data: encodeFunctionData({ abi: MOCK_USDC_ABI, functionName: "approve", args: [funded, 1n] }) }]))).to.match(/not the event's currency/);
    // Joining the platform's membership program is a fan's action (no program here: it reverts on chain, but is sponsored).
    expect(await refused(() => run([{ to: platform.membership, data: encodeFunctionData({ abi: chainpassMembershipAbi, functionName: "join", args: [organizer.address] }) }]))).to.not.match(/not a Chainpass action|not joining/);
  });

  it(`refuses an account's operations past its daily limit (${DAILY_LIMIT})`, async function () {
    const { address, run } = await fan(8n * PRICE);
    for (let i = 0; i < DAILY_LIMIT; i++) expect((await run(buy(funded, address))).success).to.equal(true);
    expect(await refused(() => run(buy(funded, address)))).to.match(new RegExp(`has had ${DAILY_LIMIT} operations sponsored today, the most a day \\(${DAILY_LIMIT}\\)`));
  });

  it("sponsors a refund claim after the event is cancelled", async function () {
    const event = await usdcEvent("Cancelled Night", PRICE);
    await send(organizer, stack.paymaster, chainpassPaymasterAbi, "fund", [event], parseEther("0.05"));
    const { address, run } = await fan(PRICE);
    const { receipt } = await run(buy(event, address));
    const [purchase] = parseEventLogs({ abi: chainpassEventAbi, logs: receipt.logs, eventName: "TicketsPurchased" });
    expect(await chain.clients.publicClient.readContract({ address: platform.usdc, abi: MOCK_USDC_ABI, functionName: "balanceOf", args: [address] })).to.equal(0n);
    await send(organizer, event, chainpassEventAbi, "cancel", []);
    const claim = await run([{ to: event, data: encodeFunctionData({ abi: chainpassEventAbi, functionName: "claimRefund", args: [purchase.args.firstTokenId] }) }]);
    expect(claim.success).to.equal(true);
    expect(parseEventLogs({ abi: chainpassPaymasterAbi, logs: claim.receipt.logs, eventName: "GasSponsored" })[0].args.budget).to.equal(event);
    expect(await chain.clients.publicClient.readContract({ address: platform.usdc, abi: MOCK_USDC_ABI, functionName: "balanceOf", args: [address] }), "the price paid back").to.equal(PRICE);
    expect(await chain.clients.publicClient.getBalance({ address })).to.equal(0n);
  });

  it("sponsors resale and returns: a listing, its purchase by another passkey account (approval batched), and a return under the refund policy", async function () {
    const event = await usdcEvent("Resale Night", PRICE);
    await send(organizer, stack.paymaster, chainpassPaymasterAbi, "fund", [event], parseEther("0.05"));
    await send(organizer, event, chainpassEventAbi, "setRefundPolicy", [[{ secondsBefore: 3_600, shareBps: 10_000 }], false]);
    const seller = await fan(PRICE);
    const [listed] = parseEventLogs({ abi: chainpassEventAbi, logs: (await seller.run(buy(event, seller.address))).receipt.logs, eventName: "TicketsPurchased" });
    const ticket = listed.args.firstTokenId;
    expect((await seller.run([{ to: event, data: encodeFunctionData({ abi: chainpassEventAbi, functionName: "list", args: [ticket, PRICE] }) }])).success).to.equal(true);

    const buyer = await fan(2n * PRICE);
    const bought = await buyer.run([
      { to: platform.usdc, data: encodeFunctionData({ abi: MOCK_USDC_ABI, functionName: "approve", args: [event, PRICE] }) },
      { to: event, data: encodeFunctionData({ abi: chainpassEventAbi, functionName: "buyListing", args: [ticket, PRICE] }) },
    ]);
    expect(bought.success).to.equal(true);
    expect(await chain.clients.publicClient.readContract({ address: event, abi: chainpassEventAbi, functionName: "ownerOf", args: [ticket] })).to.equal(buyer.address);

    // The buyer's own ticket, bought and returned: the whole price back (the policy's 100 %).
    const [own] = parseEventLogs({ abi: chainpassEventAbi, logs: (await buyer.run(buy(event, buyer.address))).receipt.logs, eventName: "TicketsPurchased" });
    const balance = () => chain.clients.publicClient.readContract({ address: platform.usdc, abi: MOCK_USDC_ABI, functionName: "balanceOf", args: [buyer.address] });
    const before = await balance();
    const returned = await buyer.run([{ to: event, data: encodeFunctionData({ abi: chainpassEventAbi, functionName: "returnTicket", args: [own.args.firstTokenId] }) }]);
    expect(returned.success).to.equal(true);
    expect(parseEventLogs({ abi: chainpassEventAbi, logs: returned.receipt.logs, eventName: "TicketReturned" })[0].args.refunded).to.equal(PRICE);
    expect(await balance()).to.equal(before + PRICE);
    for (const { address } of [seller, buyer]) expect(await chain.clients.publicClient.getBalance({ address }), "no ETH").to.equal(0n);
    const sponsored = await chain.clients.publicClient.getContractEvents({ address: stack.paymaster, abi: chainpassPaymasterAbi, eventName: "GasSponsored", args: { budget: event }, fromBlock: 0n });
    expect(sponsored, "buy and list; buy the listing, buy, return").to.have.length(5);
  });

  it("sponsors a fan's own wallet (an EOA upgraded through EIP-7702 by its first operation) only on an event whose organizer opened its budget to wallets, and only from that budget", async function () {
    const wallet = await ownWallet();
    const { address, run } = await fan(4n * PRICE, wallet.account);
    expect(await chain.clients.publicClient.getCode({ address }), "a plain EOA").to.equal(undefined);
    expect(await budgetOf(zeroAddress), "the platform has a budget, but it is not for wallets").to.be.greaterThan(0n);
    expect(await refused(() => run(buy(funded, address)))).to.match(/pays gas only for Chainpass passkey accounts, not for other wallets/);
    await send(organizer, stack.paymaster, chainpassPaymasterAbi, "setWalletSponsorship", [funded, true]);
    // The wallet signs the delegation to its account code, which the bundler's transaction carries.
    const authorization = await wallet.owner.signAuthorization({ contractAddress: wallet.implementation, chainId: chain.clients.chain.id, nonce: 0 });
    const { success, receipt } = await run(buy(funded, address), authorization);
    expect(success).to.equal(true);
    expect(await chain.clients.publicClient.getCode({ address }), "delegated by the operation's authorization").to.equal(`0xef0100${wallet.implementation.slice(2).toLowerCase()}`);
    expect(parseEventLogs({ abi: chainpassPaymasterAbi, logs: receipt.logs, eventName: "GasSponsored" })[0].args.budget).to.equal(funded);
    expect(await chain.clients.publicClient.getBalance({ address })).to.equal(0n);
    // Only an event's actions, and only the opened event's budget: never the platform's.
    expect(await refused(() => run([{ to: platform.membership, data: encodeFunctionData({ abi: chainpassMembershipAbi, functionName: "join", args: [organizer.address] }) }]))).to.match(/only for actions on an event/);
    await send(organizer, stack.paymaster, chainpassPaymasterAbi, "setWalletSponsorship", [unfunded, true]);
    expect(await budgetOf(unfunded)).to.equal(0n);
    expect(await refused(() => run(buy(unfunded, address)))).to.match(/The event's gas budget does not cover/);
  });

  it("answers requests for another chain, another EntryPoint, an unknown method or a malformed operation with a JSON-RPC error naming why, never an HTTP error", async function () {
    const op = { sender: localAccount(8).address, nonce: "0x0", callData: "0x", callGasLimit: "0x0", verificationGasLimit: "0x0", preVerificationGas: "0x0", maxFeePerGas: "0x0", maxPriorityFeePerGas: "0x0", signature: "0x" };
    const ask = async (body: unknown) => {
      const response = await fetch(serviceUrl, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
      expect(response.status).to.equal(200);
      return (await response.json()) as { error?: { message: string; data?: { reason: string } } };
    };
    const chainId = `0x${chain.clients.chain.id.toString(16)}`;
    expect((await ask({ jsonrpc: "2.0", id: 1, method: "pm_getPaymasterData", params: [op, stack.entryPoint, "0x1", {}] })).error?.data?.reason).to.equal("wrong-chain");
    expect((await ask({ jsonrpc: "2.0", id: 2, method: "pm_getPaymasterData", params: [op, "0x0000000071727De22E5E9d8BAf0edAc6f37da032", chainId, {}] })).error?.data?.reason).to.equal("unknown-entrypoint");
    expect((await ask({ jsonrpc: "2.0", id: 3, method: "eth_sendTransaction", params: [] })).error?.message).to.match(/Unknown method/);
    expect((await ask({ jsonrpc: "2.0", id: 4, method: "pm_getPaymasterStubData", params: [op, entryPoint08Address, chainId, {}] })).error?.data?.reason).to.equal("not-a-batch");
    expect((await ask({ jsonrpc: "2.0", id: 5, method: "pm_getPaymasterStubData", params: [{ sender: 5 }, entryPoint08Address, chainId, {}] })).error?.data?.reason).to.equal("bad-request");
    expect((await ask({ jsonrpc: "2.0", id: 6, method: "pm_getPaymasterStubData", params: "nope" })).error?.data?.reason).to.equal("bad-request");
  });
});
