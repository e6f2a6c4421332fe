import { expect } from "chai";

import { buildApp } from "../../server/app.js";
import { getAddress, type Address } from "viem";

import { artifact, localAccount } from "../../scripts/lib/local-chain.js";
import { captureOutput, siweMessage, startLocalChain, testConfig } from "../helpers/server.js";

// Sign-in needs no chain: the RPC URL is never called by /auth.
const platform = { factory: "0x5FbDB2315678afecb367f032d93F642f64180aa3", factoryBlock: 0n, membership: "0x0000000000000000000000000000000000000004", implementation: "0x0000000000000000000000000000000000000003", renderer: "0x0000000000000000000000000000000000000001", usdc: "0x0000000000000000000000000000000000000002" } as const;

describe("Server: Sign-In with Ethereum", function () {
  const alice = localAccount(5);
  const mallory = localAccount(6);
  let app: ReturnType<typeof buildApp>;

  beforeEach(function () {
    app = buildApp(testConfig("http://127.0.0.1:1", platform));
  });
  afterEach(async function () {
    await app.close();
  });

  async function nonce() {
    const response = await app.server.inject({ method: "GET", url: "/auth/nonce" });
    expect(response.statusCode).to.equal(200);
    expect(response.headers["cache-control"]).to.equal("no-store");
    return response.json().nonce as string;
  }

  async function verify(message: string, signature: string) {
    return app.server.inject({ method: "POST", url: "/auth/verify", payload: { message, signature } });
  }

  it("signs in with a valid message and sets an HttpOnly, SameSite=Strict, Secure session cookie", async function () {
    const message = siweMessage(alice, await nonce());
    const response = await verify(message, await alice.signMessage({ message }));
    expect(response.statusCode).to.equal(200);
    expect(response.json()).to.include({ address: alice.address, chainId: 31337 });
    const cookie = response.cookies.find((c: { name: string }) => c.name === "chainpass_session") as Record<string, unknown>;
    expect(cookie).to.include({ httpOnly: true, sameSite: "Strict", secure: true, path: "/" });
    const session = await app.server.inject({ method: "GET", url: "/auth/session", cookies: { chainpass_session: cookie.value as string } });
    expect(session.json()).to.include({ address: alice.address });
  });

  it("signs out: the session is gone", async function () {
    const message = siweMessage(alice, await nonce());
    const signedIn = await verify(message, await alice.signMessage({ message }));
    const value = (signedIn.cookies.find((c: { name: string }) => c.name === "chainpass_session") as { value: string }).value;
    const out = await app.server.inject({ method: "POST", url: "/auth/logout", cookies: { chainpass_session: value } });
    expect(out.statusCode).to.equal(200);
    expect(out.headers["set-cookie"]).to.match(/chainpass_session=;/);
    const session = await app.server.inject({ method: "GET", url: "/auth/session", cookies: { chainpass_session: value } });
    // Asked on every page: "nobody" is an answer (200), not an error; protected routes say 401.
    expect([session.statusCode, session.json()]).to.deep.equal([200, { signedIn: false }]);
    const upload = await app.server.inject({ method: "POST", url: "/metadata/event", cookies: { chainpass_session: value }, payload: {} });
    expect([upload.statusCode, upload.json().error]).to.deep.equal([401, "not-signed-in"]);
  });

  const refusal = async (response: Awaited<ReturnType<typeof verify>>) => {
    expect(response.statusCode).to.equal(401);
    expect(response.cookies).to.have.length(0);
    return response.json().error as string;
  };

  it("refuses a forged signature (another key signed Alice's message)", async function () {
    const message = siweMessage(alice, await nonce());
    expect(await refusal(await verify(message, await mallory.signMessage({ message })))).to.equal("bad-signature");
  });

  it("refuses a replayed nonce", async function () {
    const message = siweMessage(alice, await nonce());
    const signature = await alice.signMessage({ message });
    expect((await verify(message, signature)).statusCode).to.equal(200);
    expect(await refusal(await verify(message, signature))).to.equal("nonce-used");
  });

  it("does not let a forged attempt spend someone's nonce", async function () {
    const message = siweMessage(alice, await nonce());
    expect(await refusal(await verify(message, await mallory.signMessage({ message })))).to.equal("bad-signature");
    expect((await verify(message, await alice.signMessage({ message }))).statusCode).to.equal(200);
  });

  it("refuses a nonce the server never issued", async function () {
    const message = siweMessage(alice, "abcdef0123456789");
    expect(await refusal(await verify(message, await alice.signMessage({ message })))).to.equal("unknown-nonce");
  });

  it("refuses a message for another domain, origin or chain", async function () {
    for (const [overrides, reason] of [
      [{ domain: "evil.test" }, "wrong-domain"],
      [{ uri: "https://evil.test/login" }, "wrong-uri"],
      [{ chainId: 1 }, "wrong-chain"],
    ] as const) {
      const message = siweMessage(alice, await nonce(), overrides);
      expect(await refusal(await verify(message, await alice.signMessage({ message })))).to.equal(reason);
    }
  });

  it("refuses an expired message and one not valid yet", async function () {
    const expired = siweMessage(alice, await nonce(), { expirationTime: new Date(Date.now() - 1000).toISOString() });
    expect(await refusal(await verify(expired, await alice.signMessage({ message: expired })))).to.equal("expired");
    const early = siweMessage(alice, await nonce(), { notBefore: new Date(Date.now() + 60_000).toISOString() });
    expect(await refusal(await verify(early, await alice.signMessage({ message: early })))).to.equal("not-yet-valid");
  });

  it("prints nothing for forged, truncated or malformed signatures (anyone could flood the logs)", async function () {
    const message = siweMessage(alice, await nonce());
    const good = await alice.signMessage({ message });
    const printed = await captureOutput(async () => {
      for (const signature of [await mallory.signMessage({ message }), good.slice(0, 40), `${good.slice(0, -2)}ff`, "0x0", `0x${"00".repeat(65)}`, `0x${"12".repeat(300)}`]) {
        expect(await refusal(await verify(message, signature))).to.equal("bad-signature");
      }
    });
    expect(printed).to.deep.equal([]);
  });

  it("refuses a message that is not EIP-4361, and a request that is not well-formed", async function () {
    expect(await refusal(await verify("Please let me in", await alice.signMessage({ message: "x" })))).to.equal("malformed-message");
    const bad = await app.server.inject({ method: "POST", url: "/auth/verify", payload: { message: "x" } });
    expect(bad.statusCode).to.equal(400);
    expect(bad.json().error).to.equal("invalid-request");
  });

  describe("from a static build of the app on another origin (CHAINPASS_APP_ORIGINS)", function () {
    const APP = "https://tickets.example";
    let hosted: ReturnType<typeof buildApp>;
    beforeEach(function () {
      hosted = buildApp(testConfig("http://127.0.0.1:1", platform, {}, { CHAINPASS_APP_ORIGINS: `${APP}, *` }));
    });
    afterEach(async function () {
      await hosted.close();
    });

    const signInFrom = async (origin: string | undefined, site = APP) => {
      const issued = await hosted.server.inject({ method: "GET", url: "/auth/nonce" });
      const message = siweMessage(alice, issued.json().nonce, { domain: new URL(site).host, uri: site });
      return hosted.server.inject({
        method: "POST",
        url: "/auth/verify",
        headers: origin ? { origin } : {},
        payload: { message, signature: await alice.signMessage({ message }) },
      });
    };

    it("signs in a message for the app's origin sent from it: the session comes back as a token, not a cookie", async function () {
      const response = await signInFrom(APP);
      expect(response.statusCode, response.body).to.equal(200);
      expect(response.cookies).to.have.length(0);
      const { token, address } = response.json() as { token: string; address: string };
      expect(address).to.equal(alice.address);
      expect(token).to.match(/^[A-Za-z0-9_-]{40,}$/);

      const bearer = { authorization: `Bearer ${token}`, origin: APP };
      const session = await hosted.server.inject({ method: "GET", url: "/auth/session", headers: bearer });
      expect([session.statusCode, session.json().address]).to.deep.equal([200, alice.address]);
      expect((await hosted.server.inject({ method: "POST", url: "/auth/logout", headers: bearer })).statusCode).to.equal(200);
      expect((await hosted.server.inject({ method: "GET", url: "/auth/session", headers: bearer })).json(), "signed out").to.deep.equal({ signedIn: false });
    });

    it("refuses it sent from another origin or none (a signature phished elsewhere), and a site only * allows", async function () {
      for (const origin of ["https://evil.test", undefined]) {
        const response = await signInFrom(origin);
        expect(response.statusCode).to.equal(401);
        expect(response.json()).to.include({ error: "wrong-uri" });
        expect(response.json().message).to.contain(`sent from ${origin ?? "no origin"}`);
      }
      const elsewhere = await signInFrom("https://other.example", "https://other.example");
      expect(elsewhere.json()).to.include({ error: "wrong-domain" });
      expect(elsewhere.json().message).to.contain("gate.test or tickets.example");
    });

    it("ignores a token that is not one, and never sets a cookie for a bearer", async function () {
      for (const authorization of ["Bearer nope", "Bearer " + "x".repeat(43), "Basic Zm9vOmJhcg==", `Bearer ${"a".repeat(500)}`]) {
        const response = await hosted.server.inject({ method: "GET", url: "/auth/session", headers: { authorization } });
        expect(response.json(), authorization).to.deep.equal({ signedIn: false });
      }
    });

    it("the same-origin app keeps its cookie and gets no token", async function () {
      const response = await signInFrom(undefined, "https://gate.test");
      expect(response.statusCode).to.equal(200);
      expect(response.json()).to.not.have.property("token");
      expect(response.cookies.map((c: { name: string }) => c.name)).to.deep.equal(["chainpass_session"]);
    });
  });

  describe("contract wallets (EIP-1271), checked on the chain", function () {
    let chain: Awaited<ReturnType<typeof startLocalChain>>;
    let wallet: Address;
    let onChain: ReturnType<typeof buildApp>;
    before(async function () {
      chain = await startLocalChain();
      // A smart-contract wallet whose valid signatures are alice's: a Safe with one owner, in short.
      const { abi, bytecode } = artifact("test/TicketHolderContracts.sol/MockERC1271Wallet.json");
      const deployer = localAccount(0);
      const hash = await chain.clients.wallet(deployer).deployContract({ abi, bytecode, args: [alice.address], account: deployer, chain: chain.clients.chain });
      wallet = getAddress((await chain.clients.publicClient.waitForTransactionReceipt({ hash })).contractAddress!);
    });
    beforeEach(function () {
      onChain = buildApp(testConfig(chain.rpcUrl, platform));
    });
    afterEach(async function () {
      await onChain.close();
    });
    after(async function () {
      await chain.rpc.close();
    });

    const signInAs = async (signer: typeof alice) => {
      const nonce = (await onChain.server.inject({ method: "GET", url: "/auth/nonce" })).json().nonce as string;
      const message = siweMessage({ ...alice, address: wallet } as typeof alice, nonce);
      return onChain.server.inject({ method: "POST", url: "/auth/verify", payload: { message, signature: await signer.signMessage({ message }) } });
    };

    it("signs in the wallet's address when the wallet accepts its owner's signature", async function () {
      const response = await signInAs(alice);
      expect(response.statusCode).to.equal(200);
      expect(response.json()).to.include({ address: wallet, chainId: 31337 });
    });

    it("refuses a signature the wallet does not accept, with bad-signature", async function () {
      const response = await signInAs(mallory);
      expect(response.statusCode).to.equal(401);
      expect(response.json().error).to.equal("bad-signature");
    });
  });
});

