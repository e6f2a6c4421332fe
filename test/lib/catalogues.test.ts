// The app's message catalogues (frontend/src/*/messages.ts, fan/membership-messages.ts,
// fan/announcement-messages.ts, i18n/common.ts, i18n/errors.ts, shared/estimate-messages.ts):
// every English message has a Chinese one with the same placeholders, and none is English left in
// the Chinese catalogue. (Keys the code asks for that no
// catalogue has are caught in the browser tests: i18n/index.ts reports them,
// test/e2e/support/flows.ts fails the test.)
import { expect } from "chai";

/** Messages that are the same in every language: names, units, a signed statement. */
const SAME_IN_EVERY_LANGUAGE = new Set([
  "common.brand", // Chainpass
  "common.wallet.walletConnect.name", // a product's name
  "common.session.statement", // the SIWE statement the wallet signs: one text, whatever the language
  "fan.checkout.unit", // {{count}} × {{price}}
  "fan.checkout.boughtLine", // {{count}} × {{tier}}
  "organizer.kinds.vip", // VIP
  "organizer.create.currencyEth", // ETH
]);

type Tree = { [key: string]: string | Tree };

function leaves(tree: Tree, prefix = ""): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === "string") out.set(path, value);
    else for (const [p, v] of leaves(value, path)) out.set(p, v);
  }
  return out;
}

const placeholders = (message: string) => [...message.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]).sort();

describe("Message catalogues (English and Simplified Chinese)", function () {
  let bundles: Record<"en" | "zh-CN", Record<string, Tree>>;

  before(async function () {
    // The catalogues register themselves with i18next, which reads the browser's storage and document at start.
    const g = globalThis as Record<string, unknown>;
    g.localStorage ??= { getItem: () => null, setItem: () => undefined, removeItem: () => undefined };
    g.document ??= { documentElement: {} };
    const i18n = (await import("../../frontend/src/i18n/index.js")).default;
    await import("../../frontend/src/fan/messages.js");
    await import("../../frontend/src/fan/membership-messages.js");
    await import("../../frontend/src/fan/announcement-messages.js");
    await import("../../frontend/src/organizer/messages.js");
    await import("../../frontend/src/gate/messages.js");
    await import("../../frontend/src/shared/estimate-messages.js");
    bundles = i18n.store.data as unknown as typeof bundles;
  });

  it("have the same keys in both languages, each Chinese message with the English one's placeholders", function () {
    expect(Object.keys(bundles["zh-CN"]).sort()).to.deep.equal(Object.keys(bundles.en).sort());
    for (const namespace of Object.keys(bundles.en)) {
      const en = leaves(bundles.en[namespace], namespace);
      const zh = leaves(bundles["zh-CN"][namespace], namespace);
      expect([...zh.keys()].filter((k) => !en.has(k)), `${namespace}: only in Chinese`).to.deep.equal([]);
      expect([...en.keys()].filter((k) => !zh.has(k)), `${namespace}: missing in Chinese`).to.deep.equal([]);
      for (const [key, message] of en) expect(placeholders(zh.get(key)!), key).to.deep.equal(placeholders(message));
    }
  });

  it("leave no English message untranslated in the Chinese catalogue", function () {
    const untranslated: string[] = [];
    for (const namespace of Object.keys(bundles.en)) {
      const zh = leaves(bundles["zh-CN"][namespace], namespace);
      for (const [key, message] of leaves(bundles.en[namespace], namespace)) if (zh.get(key) === message && !SAME_IN_EVERY_LANGUAGE.has(key)) untranslated.push(`${key}: ${message}`);
    }
    expect(untranslated).to.deep.equal([]);
  });
});
