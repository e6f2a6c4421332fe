// The fan screens' membership terms (frontend/src/fan/member-terms.ts, perks.ts): the member's
// price is the contract's (discount after a voucher, rounded as it rounds), and perks read in the
// program's level names. (The ABI part they use is generated: test/lib/abi.test.ts.)
import { expect } from "chai";

import { memberPrice, membersOnlyRefusal } from "../../frontend/src/fan/member-terms.js";
import { levelName, perkSentences } from "../../frontend/src/fan/perks.js";

const NO_PERKS = { membersOnly: false, minLevel: 0, perkLevel: 0, discountBps: 0, extraPerWallet: 0 };

describe("Membership terms on the fan screens", function () {
  it("price a member at the tier's discount from its perk level, as the contract rounds; others at the price", function () {
    const tier = { ...NO_PERKS, perkLevel: 2, discountBps: 1_250 };
    expect(memberPrice(tier, 999n, { joined: true, level: 2 })).to.equal(999n - (999n * 1_250n) / 10_000n);
    expect(memberPrice(tier, 999n, { joined: true, level: 3 })).to.equal(875n);
    expect(memberPrice(tier, 999n, { joined: true, level: 1 })).to.equal(999n);
    expect(memberPrice(tier, 999n, { joined: false, level: 2 })).to.equal(999n);
    expect(memberPrice(tier, 999n, undefined)).to.equal(999n);
  });

  it("refuse a members-only tier to a wallet that is not a member, or below its level", function () {
    const tier = { ...NO_PERKS, membersOnly: true, minLevel: 1 };
    expect(membersOnlyRefusal(tier, { joined: false, level: 0 })).to.equal("join");
    expect(membersOnlyRefusal(tier, { joined: true, level: 0 })).to.equal("level");
    expect(membersOnlyRefusal(tier, { joined: true, level: 1 })).to.equal(undefined);
    expect(membersOnlyRefusal(NO_PERKS, { joined: false, level: 0 })).to.equal(undefined);
  });

  it("say perks in the program's level names", async function () {
    // The app's own catalogue (it registers itself with i18next, which reads the browser's storage and document at start).
    const g = globalThis as Record<string, unknown>;
    g.localStorage ??= { getItem: () => null, setItem: () => undefined, removeItem: () => undefined };
    g.document ??= { documentElement: {} };
    const i18n = (await import("../../frontend/src/i18n/index.js")).default;
    await import("../../frontend/src/fan/membership-messages.js");
    const t = i18n.getFixedT("en");
    const names = ["Silver", "Gold"];
    expect(levelName(0, names, t)).to.equal("Member");
    expect(levelName(2, names, t)).to.equal("Gold");
    expect(perkSentences({ membersOnly: true, minLevel: 1, perkLevel: 2, discountBps: 1_000, extraPerWallet: 2 }, names, t)).to.deep.equal([
      "Silver members and above only",
      "Gold members: 10% off",
      "Gold members: 2 more per wallet",
    ]);
    expect(perkSentences({ ...NO_PERKS, discountBps: 500 }, names, t)).to.deep.equal(["Members: 5% off"]);
    expect(perkSentences(NO_PERKS, names, t)).to.deep.equal([]);
  });
});
