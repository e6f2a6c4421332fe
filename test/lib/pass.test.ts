import { SignTypedDataVersion, signTypedData } from "@metamask/eth-sig-util";
import { expect } from "chai";
import { bytesToHex, hexToBytes, type Address, type Hex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";

import {
  CannotVerifyOffline,
  DelegationCache,
  MAX_PASS_TEXT_LENGTH,
  PassFormatError,
  createPassKey,
  decodePass,
  delegationDigest,
  delegationTypedData,
  encodePass,
  makePass,
  passFromBytes,
  passKeyFromSecret,
  passToBytes,
  signDelegation,
  signFrame,
  verifyEd25519,
  verifyPass,
  type Pass,
  type PassDelegation,
  type VerifyContext,
} from "../../lib/pass/index.js";

const CHAIN = 31337n;
const EVENT = "0x5FbDB2315678afecb367f032d93F642f64180aa3" as Address;
const OTHER_EVENT = "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512" as Address;
const NOW = 1_800_000_000;
const TOKEN = 1_000_007n;

const holderKey = generatePrivateKey();
const holder = privateKeyToAccount(holderKey);
const stranger = privateKeyToAccount(generatePrivateKey());
const passKey = passKeyFromSecret(`0x${"11".repeat(32)}`);

function delegation(overrides: Partial<PassDelegation> = {}): PassDelegation {
  return { chainId: CHAIN, ticket: EVENT, tokenId: TOKEN, passKey: passKey.publicKey, validUntil: NOW + 86_400, ...overrides };
}

async function pass(
  opts: { d?: PassDelegation; signer?: typeof holder; tokenId?: bigint; timestamp?: number; key?: typeof passKey } = {},
) {
  const d = opts.d ?? delegation();
  const signer = opts.signer ?? holder;
  const walletSignature = await signDelegation(signer, d);
  return makePass({
    passKey: opts.key ?? passKey,
    delegation: d,
    holder: holder.address,
    walletSignature,
    tokenId: opts.tokenId ?? TOKEN,
    now: opts.timestamp ?? NOW,
  });
}

function gate(overrides: Partial<VerifyContext> = {}): VerifyContext {
  const owners = new Map<bigint, Address>([
    [TOKEN, holder.address],
    [TOKEN + 1n, holder.address],
  ]);
  return {
    chainId: CHAIN,
    ticket: EVENT,
    now: NOW + 3,
    ownerOf: (id) => owners.get(id),
    isCheckedIn: () => false,
    cache: new DelegationCache(),
    ...overrides,
  };
}

describe("lib/pass", function () {
  describe("codec", function () {
    it("packs a pass into 230 bytes and 345 base45 characters, and back", async function () {
      const text = await pass();
      expect(text).to.have.length(345);
      expect(text).to.match(/^[0-9A-Z $%*+\-./:]+$/); // QR alphanumeric mode
      const decoded = decodePass(text);
      expect(passToBytes(decoded)).to.have.length(230);
      // Decoded addresses come back lowercase (no checksum work on the gate's hot path).
      expect(decoded.delegation).to.deep.equal({ ...delegation(), ticket: EVENT.toLowerCase() });
      expect(decoded.holder).to.equal(holder.address.toLowerCase());
      expect(decoded.tokenId).to.equal(TOKEN);
      expect(decoded.timestamp).to.equal(NOW);
      expect(encodePass(decoded)).to.equal(text);
    });

    it("lays the fields out as documented", async function () {
      const bytes = passToBytes(decodePass(await pass()));
      expect(bytes[0]).to.equal(1); // version
      expect(bytes[1]).to.equal(0); // single-ticket delegation
      expect(BigInt(bytesToHex(bytes.subarray(2, 10)))).to.equal(CHAIN);
      expect(bytesToHex(bytes.subarray(10, 30))).to.equal(EVENT.toLowerCase());
      expect(BigInt(bytesToHex(bytes.subarray(30, 38)))).to.equal(TOKEN);
      expect(bytesToHex(bytes.subarray(38, 70))).to.equal(passKey.publicKey);
      expect(Number(BigInt(bytesToHex(bytes.subarray(70, 75))))).to.equal(NOW + 86_400);
      expect(bytesToHex(bytes.subarray(75, 95))).to.equal(holder.address.toLowerCase());
      expect(bytes[95]).to.equal(65);
      expect(Number(BigInt(bytesToHex(bytes.subarray(161, 166))))).to.equal(NOW);
    });

    it("marks a delegation for all of the holder's tickets with a flag", async function () {
      const decoded = decodePass(await pass({ d: delegation({ tokenId: 0n }) }));
      expect(passToBytes(decoded)[1]).to.equal(1);
      expect(decoded.delegation.tokenId).to.equal(0n);
      expect(decoded.tokenId).to.equal(TOKEN);
    });

    it("rejects text that is not a well-formed pass, saying why", async function () {
      const good = await pass();
      const bytes = passToBytes(decodePass(good));
      const mutate = (at: number, value: number) => {
        const copy = bytes.slice();
        copy[at] = value;
        return copy;
      };
      const cases: [string, () => unknown][] = [
        ["lowercase letters", () => decodePass(good.toLowerCase())],
        ["a length of 3n+1", () => decodePass(good + "A")],
        ["a triplet above 65535", () => decodePass(":::" + good.slice(3))],
        ["too long", () => decodePass("0".repeat(MAX_PASS_TEXT_LENGTH + 3))],
        ["another version", () => passFromBytes(mutate(0, 2))],
        ["unknown flags", () => passFromBytes(mutate(1, 0x80))],
        ["a signature length that does not match", () => passFromBytes(mutate(95, 64))],
        ["a truncated pass", () => passFromBytes(bytes.subarray(0, 200))],
        ["not text", () => decodePass(42 as unknown as string)],
      ];
      for (const [label, parse] of cases) {
        expect(parse, label).to.throw(PassFormatError);
      }
    });

    it("refuses to encode a frame for another ticket than a single-ticket delegation", async function () {
      const d = delegation();
      const p: Pass = {
        delegation: d,
        holder: holder.address,
        walletSignature: await signDelegation(holder, d),
        tokenId: TOKEN + 1n,
        timestamp: NOW,
        frameSignature: bytesToHex(new Uint8Array(64)),
      };
      expect(() => encodePass(p)).to.throw(PassFormatError);
    });
  });

  describe("signing", function () {
    it("accepts a delegation signed by an independent EIP-712 implementation (eth-sig-util V4)", async function () {
      const d = delegation();
      const typed = delegationTypedData(d);
      const walletSignature = signTypedData({
        privateKey: Buffer.from(hexToBytes(holderKey)),
        version: SignTypedDataVersion.V4,
        data: {
          domain: { name: "Chainpass", version: "1", chainId: Number(d.chainId), verifyingContract: d.ticket },
          types: {
            EIP712Domain: [
              { name: "name", type: "string" },
              { name: "version", type: "string" },
              { name: "chainId", type: "uint256" },
              { name: "verifyingContract", type: "address" },
            ],
            PassDelegation: [...typed.types.PassDelegation],
          },
          primaryType: "PassDelegation",
          message: { ticket: d.ticket, tokenId: d.tokenId.toString(), passKey: d.passKey, validUntil: d.validUntil },
        },
      }) as Hex;
      expect(walletSignature).to.equal(await signDelegation(holder, d));
      const text = await makePass({ passKey, delegation: d, holder: holder.address, walletSignature, tokenId: TOKEN, now: NOW });
      expect(await verifyPass(text, gate())).to.deep.equal({ ok: true, tokenId: TOKEN, holder: holder.address });
    });

    it("signs through an EIP-1193 provider (eth_signTypedData_v4)", async function () {
      const d = delegation();
      const calls: { method: string; params?: unknown[] }[] = [];
      const provider = {
        async request(args: { method: string; params?: unknown[] }) {
          calls.push(args);
          const [address, json] = args.params as [string, string];
          expect(address).to.equal(holder.address);
          return signTypedData({
            privateKey: Buffer.from(hexToBytes(holderKey)),
            version: SignTypedDataVersion.V4,
            data: JSON.parse(json),
          });
        },
      };
      const signature = await signDelegation(provider, d, holder.address);
      expect(calls[0].method).to.equal("eth_signTypedData_v4");
      expect(signature).to.equal(await signDelegation(holder, d));
      const missingHolder = await signDelegation(provider, d).then(() => undefined, (e: Error) => e);
      expect(missingHolder?.message).to.match(/holder address/);
    });

    it("makes pass keys with WebCrypto (Ed25519) and with the JS fallback alike", async function () {
      const webKey = await createPassKey();
      expect(webKey.cryptoKeyPair, "Node 22 has WebCrypto Ed25519").to.not.equal(undefined);
      for (const key of [webKey, passKeyFromSecret(`0x${"22".repeat(32)}`)]) {
        const d = delegation({ passKey: key.publicKey });
        expect(await verifyPass(await pass({ d, key }), gate())).to.include({ ok: true });
      }
    });
  });

  describe("verifyPass", function () {
    const refusal = async (text: string | Promise<string>, ctx = gate()) => {
      const verdict = await verifyPass(await text, ctx);
      expect(verdict.ok).to.equal(false);
      return verdict.ok ? undefined : verdict.reason;
    };

    it("admits a fresh pass from the ticket's owner", async function () {
      expect(await verifyPass(await pass(), gate())).to.deep.equal({ ok: true, tokenId: TOKEN, holder: holder.address });
    });

    it("admits any of the holder's tickets under an all-tickets delegation", async function () {
      const d = delegation({ tokenId: 0n });
      expect(await verifyPass(await pass({ d, tokenId: TOKEN + 1n }), gate())).to.include({ ok: true, tokenId: TOKEN + 1n });
    });

    it("refuses garbage as malformed", async function () {
      expect(await refusal("HELLO GATE")).to.equal("malformed");
      expect(await refusal("")).to.equal("malformed");
    });

    it("refuses a pass for another chain or another event", async function () {
      expect(await refusal(pass({ d: delegation({ chainId: 1n }) }))).to.equal("wrong-chain");
      expect(await refusal(pass({ d: delegation({ ticket: OTHER_EVENT }) }))).to.equal("wrong-event");
    });

    it("refuses a frame not signed by the delegated pass key", async function () {
      const other = passKeyFromSecret(`0x${"33".repeat(32)}`);
      expect(await refusal(pass({ key: other }))).to.equal("bad-frame-signature");
    });

    it("refuses a frame check that fails, and a public key that is not a point on the curve", async function () {
      const decoded = decodePass(await pass());
      const notAPoint = `0x${"ff".repeat(32)}` as Hex;
      expect(verifyEd25519(notAPoint, new Uint8Array(8), decoded.frameSignature)).to.equal(false);
      expect(await refusal(encodePass({ ...decoded, timestamp: decoded.timestamp + 1 }))).to.equal("bad-frame-signature");
    });

    it("refuses a frame whose token id was edited, under either kind of delegation", async function () {
      for (const d of [delegation(), delegation({ tokenId: 0n })]) {
        const decoded = decodePass(await pass({ d }));
        const edited = { ...decoded, tokenId: TOKEN + 1n, delegation: { ...decoded.delegation, tokenId: d.tokenId === 0n ? 0n : TOKEN + 1n } };
        expect(await refusal(encodePass(edited))).to.equal("bad-frame-signature");
      }
    });

    it("refuses a frame replayed after its window, and one from the future", async function () {
      expect(await refusal(pass({ timestamp: NOW - 40 }))).to.equal("stale-frame");
      expect(await verifyPass(await pass({ timestamp: NOW + 3 - 35 }), gate())).to.include({ ok: true });
      expect(await refusal(pass({ timestamp: NOW + 30 }))).to.equal("future-frame");
    });

    it("refuses an expired delegation", async function () {
      expect(await refusal(pass({ d: delegation({ validUntil: NOW }) }))).to.equal("delegation-expired");
    });

    it("refuses a delegation signed by someone other than the holder it names", async function () {
      expect(await refusal(pass({ signer: stranger }))).to.equal("delegation-not-by-owner");
    });

    it("refuses a pass once the ticket has moved to another owner", async function () {
      const text = await pass();
      const moved = gate({ ownerOf: () => stranger.address });
      const verdict = await verifyPass(text, moved);
      expect(verdict).to.deep.include({ ok: false, reason: "delegation-not-by-owner" });
      expect(await refusal(text, gate({ ownerOf: () => undefined }))).to.equal("delegation-not-by-owner");
    });

    it("refuses a denied holder, a used ticket and a ticket outside its entry slot", async function () {
      const text = await pass();
      expect(await refusal(text, gate({ isDenied: (a) => a === holder.address }))).to.equal("denied");
      expect(await refusal(text, gate({ isCheckedIn: () => true }))).to.equal("already-used");
      expect(await refusal(text, gate({ entryWindow: () => ({ start: NOW + 600, end: NOW + 1200 }) }))).to.equal("too-early");
      expect(await refusal(text, gate({ entryWindow: () => ({ start: NOW - 1200, end: NOW }) }))).to.equal("outside-time-slot");
      expect(await verifyPass(text, gate({ entryWindow: () => ({ start: NOW, end: NOW + 10 }) }))).to.include({ ok: true });
    });

    it("checks contract wallets with EIP-1271, and only once every local check has passed", async function () {
      const wallet = "0x1111111111111111111111111111111111111111" as Address;
      const d = delegation();
      let calls = 0;
      const ctx = gate({
        ownerOf: () => wallet,
        isValidContractSignature: async (who, digest, signature) => {
          calls++;
          expect(who).to.equal(wallet);
          expect(digest).to.equal(delegationDigest(d));
          return signature === "0xc0ffee";
        },
      });
      const frameSignature = await signFrame(passKey, delegationDigest(d), TOKEN, NOW);
      const text = encodePass({ delegation: d, holder: wallet, walletSignature: "0xc0ffee", tokenId: TOKEN, timestamp: NOW, frameSignature });
      expect(await verifyPass(text, ctx)).to.deep.equal({ ok: true, tokenId: TOKEN, holder: wallet });
      expect(calls).to.equal(1);
      const forged = encodePass({ ...decodePass(text), walletSignature: "0xbad0" });
      // Same delegation, another wallet signature: the frame still verifies, the wallet refuses it.
      expect(await refusal(forged, ctx)).to.equal("delegation-not-by-owner");
      expect(calls).to.equal(2);
      // A bad frame, a stale frame, or a ticket the wallet does not hold: refused without asking it.
      const badFrame = encodePass({ ...decodePass(text), frameSignature: `0x${"00".repeat(64)}` });
      expect(await refusal(badFrame, ctx)).to.equal("bad-frame-signature");
      expect(await refusal(text, { ...ctx, now: NOW + 3600 })).to.equal("stale-frame");
      expect(await refusal(text, { ...ctx, ownerOf: () => holder.address })).to.equal("delegation-not-by-owner");
      expect(calls, "the wallet was not asked again").to.equal(2);
    });

    it("names a contract wallet it cannot ask offline, and brings its view up to date before a verdict that depends on it", async function () {
      const wallet = "0x1111111111111111111111111111111111111111" as Address;
      const d = delegation();
      const frameSignature = await signFrame(passKey, delegationDigest(d), TOKEN, NOW);
      const text = encodePass({ delegation: d, holder: wallet, walletSignature: "0xc0ffee", tokenId: TOKEN, timestamp: NOW, frameSignature });
      const order: string[] = [];
      const verdict = await verifyPass(
        text,
        gate({
          prepare: () => void order.push("prepare"),
          ownerOf: () => (order.push("ownerOf"), wallet),
          isValidContractSignature: async () => {
            throw new CannotVerifyOffline("the chain is down");
          },
        }),
      );
      expect(verdict).to.include({ ok: false, reason: "cannot-verify-offline", tokenId: TOKEN });
      // Not an admission nor a refusal a newer view could turn around: no round trip.
      expect(order).to.deep.equal(["ownerOf"]);
      // An admission, and a "sold" refusal, are read again after the view is brought up to date.
      const owners = new Map<bigint, Address>([[TOKEN, holder.address]]);
      for (const [owner, expected] of [
        [holder.address, true],
        [stranger.address, false],
      ] as const) {
        owners.set(TOKEN, owner);
        order.length = 0;
        const ctx = gate({ prepare: () => void order.push("prepare"), ownerOf: (id) => (order.push("ownerOf"), owners.get(id)) });
        expect((await verifyPass(await pass(), ctx)).ok).to.equal(expected);
        expect(order).to.deep.equal(["ownerOf", "prepare", "ownerOf"]);
      }
      // Already used: refused without it.
      order.length = 0;
      owners.set(TOKEN, holder.address);
      await verifyPass(await pass(), gate({ prepare: () => void order.push("prepare"), ownerOf: (id) => owners.get(id), isCheckedIn: () => true }));
      expect(order).to.deep.equal([]);
    });

    it("calls prepare only once the frame check passed, and answers a bad signature without it", async function () {
      const order: string[] = [];
      // A frame check the test finishes by hand (verifyFrame may answer asynchronously).
      const frameCheck = (valid: boolean) => {
        let finish!: () => void;
        const checked = new Promise<void>((resolve) => (finish = resolve));
        return {
          finish,
          verifyFrame: async () => {
            order.push("frame check started");
            await checked;
            order.push("frame checked");
            return valid;
          },
        };
      };
      let unblockPrepare!: () => void;
      const prepareBlocked = new Promise<void>((resolve) => (unblockPrepare = resolve));
      const prepare = async () => {
        order.push("prepare");
        await prepareBlocked;
      };
      // Sound pass: prepare after the frame check, and the verdict waits for prepare.
      const good = frameCheck(true);
      const verdict = verifyPass(await pass(), gate({ prepare, verifyFrame: good.verifyFrame }));
      await new Promise((resolve) => setImmediate(resolve));
      expect(order).to.deep.equal(["frame check started"]);
      good.finish();
      await new Promise((resolve) => setImmediate(resolve));
      expect(order).to.deep.equal(["frame check started", "frame checked", "prepare"]);
      unblockPrepare();
      expect(await verdict).to.include({ ok: true });
      // Bad signature: refused as soon as the check fails, prepare never called.
      order.length = 0;
      const bad = frameCheck(false);
      const refused = verifyPass(await pass(), gate({ prepare: () => new Promise<void>(() => order.push("prepare")), verifyFrame: bad.verifyFrame }));
      bad.finish();
      expect(await refused).to.include({ ok: false, reason: "bad-frame-signature" });
      expect(order).to.deep.equal(["frame check started", "frame checked"]);
      // A stale frame or an expired delegation: refused whatever the chain says, so without prepare.
      for (const ctx of [{ now: NOW + 3600 }, { now: NOW + 86_400 + 1, maxFrameAge: 10 ** 6 }]) {
        order.length = 0;
        const checked = frameCheck(true);
        checked.finish();
        const v = await verifyPass(await pass(), gate({ prepare, ...ctx, verifyFrame: checked.verifyFrame }));
        expect(v.ok).to.equal(false);
        expect(order).to.deep.equal(["frame check started", "frame checked"]);
      }
    });

    it("refuses a delegation for one ticket shown for another", async function () {
      const d = { ...delegation(), tokenId: TOKEN + 1n };
      const walletSignature = await signDelegation(holder, d);
      const frameSignature = await signFrame(passKey, delegationDigest(d), TOKEN, NOW);
      // The codec will not encode such a pass; a hand-made one reaches the verifier as a Pass.
      const crafted: Pass = { delegation: d, holder: holder.address, walletSignature, tokenId: TOKEN, timestamp: NOW, frameSignature };
      expect(await verifyPass(crafted, gate())).to.include({ ok: false, reason: "delegation-not-by-owner" });
    });
  });
});
