// What the checkout and the slot booking share around a purchase: who it is for (the buyer's own
// wallet, or a friend's address typed in), and what to do once it is done.
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { getAddress, isAddress, type Address } from "viem";

import "./messages.js";

export interface GiftRecipient {
  asGift: boolean;
  setAsGift: (asGift: boolean) => void;
  giftTo: string;
  setGiftTo: (text: string) => void;
  /** The wallet the tickets go to; undefined while a gift's address is not valid (or nobody is connected). */
  recipient: Address | undefined;
}

export function useGiftRecipient(me: Address | undefined): GiftRecipient {
  const [asGift, setAsGift] = useState(false);
  const [giftTo, setGiftTo] = useState("");
  const recipient = asGift ? (isAddress(giftTo.trim()) ? getAddress(giftTo.trim()) : undefined) : me;
  return { asGift, setAsGift, giftTo, setGiftTo, recipient };
}

export function GiftRecipientFieldset({ state }: { state: GiftRecipient }) {
  const { t } = useTranslation("fan");
  const { asGift, setAsGift, giftTo, setGiftTo, recipient } = state;
  return (
    <fieldset>
      <legend>{t("checkout.recipient")}</legend>
      <label className="inline">
        <input type="radio" name="recipient" checked={!asGift} onChange={() => setAsGift(false)} /> {t("checkout.forMe")}
      </label>
      <label className="inline">
        <input type="radio" name="recipient" checked={asGift} onChange={() => setAsGift(true)} data-testid="as-gift" /> {t("checkout.asGift")}
      </label>
      {asGift && (
        <label>
          {t("checkout.giftAddress")}
          <input value={giftTo} onChange={(e) => setGiftTo(e.target.value)} placeholder="0x…" data-testid="gift-recipient" spellCheck={false} />
          {giftTo && !recipient && <span className="small bad-text">{t("invalidAddress")}</span>}
        </label>
      )}
    </fieldset>
  );
}

/** After a purchase: on to My tickets, or buy more (`onMore` clears the done state). */
export function PurchaseDoneActions({ onMore }: { onMore: () => void }) {
  const { t } = useTranslation("fan");
  return (
    <p className="row" style={{ justifyContent: "center" }}>
      <Link className="button primary" to="/tickets" data-testid="go-to-tickets">
        {t("checkout.goToTickets")}
      </Link>
      <button type="button" className="secondary" onClick={onMore}>
        {t("checkout.buyMore")}
      </button>
    </p>
  );
}
