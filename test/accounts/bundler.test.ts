// Issue 17, with the real bundler: Pimlico's Alto (an npm dependency) started on the local chain
// against the EntryPoint v0.8, as `npm run dev` starts it. viem's bundler client prepares the user
// operation (Alto estimates its gas, the paymaster's included), the sponsor signs it as the
// sponsorship service does (ERC-7677's stub and final data), Alto bundles it, and the fan's
// passkey account, holding no ETH, is deployed and owns a USDC ticket.
import { expect } from "chai";
import { encodeFunctionData, http, parseEventLogs, type Address } from "viem";
import { createBundlerClient, entryPoint08Abi, type UserOperation } from "viem/account-abstraction";

import { chainpassEventAbi, chainpassPaymasterAbi } from "../../lib/abi/index.js";
import { toChainpassAccount } from "../../lib/smart-account/account.js";
import { encodePaymasterData, sponsorshipTypedData, STUB_SPONSOR_SIGNATURE, type SponsorshipTerms } from "../../lib/smart-account/sponsorship.js";
import { deployAccountStack, startBundler, type AccountStack, type Bundler } from "../../scripts/lib/account-stack.js";
import { createEvent, deployPlatform, localAccount, type Platform } from "../../scripts/lib/local-chain.js";
import { startLocalChain } from "../helpers/server.js";
import { softwarePasskey } from "../helpers/software-passkey.js";

const PRICE = 5_000_000n; // 5 USDC
const ERC20_ABI = [
  { type: "function", name: "mint", stateMutability: "nonpayable", inputs: [{ name: "to", type: "address" }, { name: "amount", type: "uint256" }], outputs: [] },
  { type: "function", name: "approve", stateMutability: "nonpayable", inputs: [{ name: "spender", type: "address" }, { name: "amount", type: "uint256" }], outputs: [{ type: "bool" }] },
] as const;

describe("Passkey accounts through a real ERC-4337 bundler (Alto)", function () {
  this.timeout(180_000);
  let chain: Awaited<ReturnType<typeof startLocalChain>>;
  let platform: Platform;
  let stack: AccountStack;
  let bundler: Bundler | undefined;
  let event: Address;
  let output = "";
  const organizer = localAccount(2);
  const sponsor = localAccount(15);

  before(async function () {
    chain = await startLocalChain();
    platform = await deployPlatform(chain.clients);
    stack = await deployAccountStack(chain.clients, platform, sponsor.address);
    const now = Number((await chain.clients.publicClient.getBlock()).timestamp);
    event = await createEvent(
      chain.clients,
      platform.factory,
      organizer,
      { name: "Bundled Night", symbol: "BDN", metadataURI: "ipfs://bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy", start: now + 86_400, end: now + 90_000, currency: platform.usdc },
      [{ name: "General", price: PRICE, supply: 100, saleStart: now - 60, saleEnd: now + 86_400 }],
    );
    const hash = await chain.clients.wallet(organizer).writeContract({ address: stack.paymaster, abi: chainpassPaymasterAbi, functionName: "fund", args: [event], value: 10n ** 17n, account: organizer, chain: chain.clients.chain });
    await chain.clients.publicClient.waitForTransactionReceipt({ hash });
    bundler = await startBundler({ rpcUrl: chain.rpcUrl, entryPoint: stack.entryPoint, log: (chunk) => (output += chunk) });
  });
  after(async () => {
    await bundler?.stop();
    await chain.rpc.close();
  });
  afterEach(function () {
    if (this.currentTest?.state === "failed") console.log(output.split("\n").slice(-40).join("\n"));
  });

  it("deploys a fan's passkey account and buys a USDC ticket in one sponsored user operation: the fan holds no ETH", async function () {
    const passkey = softwarePasskey(stack.passkeyVerifier);
    const account = await toChainpassAccount({ client: chain.clients.publicClient, entryPoint: stack.entryPoint, factory: stack.accountFactory, initialSigners: [passkey.signer], passkey });
    const address = await account.getAddress();
    const mint = await chain.clients.wallet(organizer).writeContract({ address: platform.usdc, abi: ERC20_ABI, functionName: "mint", args: [address, PRICE], account: organizer, chain: chain.clients.chain });
    await chain.clients.publicClient.waitForTransactionReceipt({ hash: mint });

    const terms: SponsorshipTerms = { validAfter: 0, validUntil: 0, budget: event };
    const client = createBundlerClient({
      account,
      client: chain.clients.publicClient,
      transport: http(bundler!.url),
      // ERC-7677's two steps, as the sponsorship service answers them.
      paymaster: {
        getPaymasterStubData: async () => ({ paymaster: stack.paymaster, paymasterData: encodePaymasterData(terms, STUB_SPONSOR_SIGNATURE), paymasterVerificationGasLimit: 150_000n, paymasterPostOpGasLimit: 60_000n }),
        getPaymasterData: async (op) => {
          const signature = await sponsor.signTypedData(sponsorshipTypedData({ ...op, signature: "0x" } as UserOperation<"0.8">, terms, { chainId: chain.clients.chain.id, paymaster: stack.paymaster }));
          return { paymaster: stack.paymaster, paymasterData: encodePaymasterData(terms, signature) };
        },
      },
    });
    const hash = await client.sendUserOperation({
      calls: [
        { to: platform.usdc, data: encodeFunctionData({ abi: ERC20_ABI, functionName: "approve", args: [event, PRICE] }) },
        { to: event, data: encodeFunctionData({ abi: chainpassEventAbi, functionName: "buy", args: [1n, 1n, address, PRICE] }) },
      ],
    });
    const { success, receipt } = await client.waitForUserOperationReceipt({ hash, timeout: 60_000 });
    expect(success).to.equal(true);
    const [purchase] = parseEventLogs({ abi: chainpassEventAbi, logs: receipt.logs, eventName: "TicketsPurchased" });
    expect(await chain.clients.publicClient.readContract({ address: event, abi: chainpassEventAbi, functionName: "ownerOf", args: [purchase.args.firstTokenId] })).to.equal(address);
    expect(await chain.clients.publicClient.getBalance({ address })).to.equal(0n);
    const [handled] = parseEventLogs({ abi: entryPoint08Abi, logs: receipt.logs, eventName: "UserOperationEvent" });
    expect(handled.args.paymaster).to.equal(stack.paymaster);
    // The bundler sent the bundle from its executor, not the fan.
    expect(receipt.from.toLowerCase()).to.equal(localAccount(17).address.toLowerCase());
  });
});
