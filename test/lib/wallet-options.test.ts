// frontend/src/wallet/options.ts: what the connect dialog offers for each build and browser, and
// what it explains when the browser has no wallet.
import { expect } from "chai";

import { BASE_ACCOUNT_CHAIN_IDS, isPhone, sdkWallets, walletOptions, type WalletBuild } from "../../frontend/src/wallet/options.js";
import { LOCALHOST } from "../../lib/networks.js";

const local: WalletBuild = { chainId: LOCALHOST.chainId, devWallet: LOCALHOST.devWallet };
const baseSepolia: WalletBuild = { chainId: 84532, devWallet: false };
const PROJECT_ID = "0123456789abcdef0123456789abcdef";
const desktopWithWallet = { injectedWallets: 1, phone: false };

describe("frontend wallet options", function () {
  it("local chain: the injected wallets and the development wallet; no WalletConnect without a project id, no Base Account", function () {
    expect(walletOptions(local, desktopWithWallet)).to.deep.equal({ injected: true, walletConnect: false, baseAccount: false, passkey: false, devWallet: true });
    expect(sdkWallets(local)).to.deep.equal({ walletConnect: undefined, baseAccount: false, passkey: false });
    // A blank variable (an empty line in .env) is no project id.
    expect(walletOptions({ ...local, walletConnectProjectId: "  " }, desktopWithWallet).walletConnect).to.equal(false);
    // A developer who sets one gets WalletConnect locally too; still no smart wallet on a local node.
    expect(walletOptions({ ...local, walletConnectProjectId: PROJECT_ID }, desktopWithWallet)).to.include({ walletConnect: true, baseAccount: false, passkey: false, devWallet: true });
  });

  it("public chain with a project id: injected wallets, WalletConnect and Base Account; never the development wallet", function () {
    const build = { ...baseSepolia, walletConnectProjectId: PROJECT_ID };
    expect(walletOptions(build, desktopWithWallet)).to.deep.equal({ injected: true, walletConnect: true, baseAccount: true, passkey: false, devWallet: false });
    expect(sdkWallets(build)).to.deep.equal({ walletConnect: PROJECT_ID, baseAccount: true, passkey: false });
  });

  it("public chain without a project id: no WalletConnect, the smart wallet still", function () {
    expect(walletOptions(baseSepolia, desktopWithWallet)).to.deep.equal({ injected: true, walletConnect: false, baseAccount: true, passkey: false, devWallet: false });
  });

  it("Base Account only on the chains its SDK supports", function () {
    for (const chainId of [8453, 84532, 1, 11155111, 10, 137]) expect(BASE_ACCOUNT_CHAIN_IDS.has(chainId), `chain ${chainId}`).to.equal(true);
    // Gnosis: a public chain the SDK has no bundler for.
    const gnosis = { chainId: 100, devWallet: false, walletConnectProjectId: PROJECT_ID };
    expect(walletOptions(gnosis, desktopWithWallet)).to.deep.equal({ injected: true, walletConnect: true, baseAccount: false, passkey: false, devWallet: false });
    expect(walletOptions(gnosis, { injectedWallets: 0, phone: true }).explanation).to.deep.equal({ device: "phone", hints: ["walletBrowser", "walletConnect"] });
  });

  it("phone without an injected wallet: explains the ways that exist in this build, instead of an empty list", function () {
    const phone = { injectedWallets: 0, phone: true };
    expect(walletOptions({ ...baseSepolia, walletConnectProjectId: PROJECT_ID }, phone)).to.deep.equal({
      injected: false,
      walletConnect: true,
      baseAccount: true,
      passkey: false,
      devWallet: false,
      explanation: { device: "phone", hints: ["walletBrowser", "walletConnect", "baseAccount"] },
    });
    expect(walletOptions(baseSepolia, phone).explanation).to.deep.equal({ device: "phone", hints: ["walletBrowser", "baseAccount"] });
    // Nothing but the wallet app's browser is left to suggest.
    expect(walletOptions(local, phone).explanation).to.deep.equal({ device: "phone", hints: ["walletBrowser"] });
  });

  it("phone with an injected wallet (a wallet app's browser): its wallet, no explanation", function () {
    const options = walletOptions({ ...baseSepolia, walletConnectProjectId: PROJECT_ID }, { injectedWallets: 1, phone: true });
    expect(options).to.deep.equal({ injected: true, walletConnect: true, baseAccount: true, passkey: false, devWallet: false });
  });

  it("desktop without wallets: suggests an extension, and the other ways this build has", function () {
    const desktop = { injectedWallets: 0, phone: false };
    expect(walletOptions({ ...baseSepolia, walletConnectProjectId: PROJECT_ID }, desktop).explanation).to.deep.equal({
      device: "desktop",
      hints: ["installExtension", "walletConnect", "baseAccount"],
    });
    // Locally the development wallet is still listed below the explanation.
    expect(walletOptions(local, desktop)).to.deep.equal({
      injected: false,
      walletConnect: false,
      baseAccount: false,
      passkey: false,
      devWallet: true,
      explanation: { device: "desktop", hints: ["installExtension"] },
    });
  });

  it("a network with passkey accounts: the passkey is offered, and suggested first when the browser has no wallet", function () {
    const withPasskeys: WalletBuild = { ...local, passkeys: true };
    expect(walletOptions(withPasskeys, { injectedWallets: 1, phone: false })).to.include({ passkey: true, injected: true });
    expect(walletOptions(withPasskeys, { injectedWallets: 0, phone: false }).explanation).to.deep.equal({ device: "desktop", hints: ["passkey", "installExtension"] });
    expect(walletOptions(withPasskeys, { injectedWallets: 0, phone: true }).explanation).to.deep.equal({ device: "phone", hints: ["passkey", "walletBrowser"] });
  });

  it("tells phones and tablets from desktops", function () {
    const iphone = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Mobile/15E148 Safari/604.1";
    const android = "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Mobile Safari/537.36";
    const mac = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Safari/605.1.15";
    const windows = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36";
    expect(isPhone({ userAgent: iphone, maxTouchPoints: 5 })).to.equal(true);
    expect(isPhone({ userAgent: android, userAgentData: { mobile: true } })).to.equal(true);
    expect(isPhone({ userAgent: mac, maxTouchPoints: 5 }), "iPadOS asks for the desktop site").to.equal(true);
    expect(isPhone({ userAgent: mac, maxTouchPoints: 0 })).to.equal(false);
    expect(isPhone({ userAgent: windows, maxTouchPoints: 10, userAgentData: { mobile: false } }), "a touch-screen laptop").to.equal(false);
  });
});
