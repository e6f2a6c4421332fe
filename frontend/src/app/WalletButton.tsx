// Connect: every wallet found through EIP-6963 plus, on the local chain, the development wallet
// with its account picker. Connected: the account, and disconnect.
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { useAccount, useConnect, useConnectors, useDisconnect } from "wagmi";

import { shortAddress } from "../shared/format.js";
import { useSession } from "../shared/session.js";
import { DEV_WALLET_ID } from "../wallet/config.js";
import { DEV_ACCOUNT_LABELS, devWallet } from "../wallet/dev-wallet.js";
import { network } from "../wallet/network.js";

export function WalletButton() {
  const { t } = useTranslation();
  const { address, connector, isConnected } = useAccount();
  const connectors = useConnectors();
  const { connect, isPending, error } = useConnect();
  const { disconnect } = useDisconnect();
  const { signedIn, signOut } = useSession();
  const [open, setOpen] = useState(false);
  const dialog = useRef<HTMLDialogElement>(null);

  useEffect(() => {
    if (open) dialog.current?.showModal();
    else dialog.current?.close();
  }, [open]);
  // Once connected the dialog is gone; it stays closed after a later disconnect. (Adjusting state
  // while rendering, not in an effect: https://react.dev/learn/you-might-not-need-an-effect)
  if (isConnected && open) setOpen(false);

  const injected = connectors.filter((c) => c.id !== DEV_WALLET_ID);
  const dev = connectors.find((c) => c.id === DEV_WALLET_ID);
  const usingDev = connector?.id === DEV_WALLET_ID;

  if (isConnected && address) {
    return (
      <div className="wallet">
        {usingDev && (
          <label className="dev-account">
            <span className="badge dev" title={t("wallet.devLabel")}>
              DEV
            </span>
            <select aria-label={t("wallet.account")} value={devWallet.selected} onChange={(e) => void devWallet.select(Number(e.target.value))} data-testid="dev-account">
              {Object.entries(DEV_ACCOUNT_LABELS).map(([index, label]) => (
                <option key={index} value={index}>
                  #{index} {label}
                </option>
              ))}
            </select>
          </label>
        )}
        <span className="address" data-testid="wallet-address" title={address}>
          {shortAddress(address)}
        </span>
        {signedIn && (
          <button type="button" className="link" onClick={() => signOut.mutate()}>
            {t("session.signOut")}
          </button>
        )}
        <button type="button" className="secondary" onClick={() => disconnect()}>
          {t("wallet.disconnect")}
        </button>
      </div>
    );
  }

  return (
    <>
      <button type="button" className="primary" data-testid="connect-wallet" onClick={() => setOpen(true)}>
        {t("wallet.connect")}
      </button>
      <dialog ref={dialog} className="wallet-dialog" onClose={() => setOpen(false)} aria-labelledby="wallet-title">
        <h2 id="wallet-title">{t("wallet.choose")}</h2>
        <ul className="connectors">
          {injected.map((c) => (
            <li key={c.uid}>
              <button type="button" data-testid={`connector-${c.id}`} disabled={isPending} onClick={() => connect({ connector: c, chainId: network.chainId })}>
                {c.icon && <img src={c.icon} alt="" width={24} height={24} />}
                {c.name}
              </button>
            </li>
          ))}
          {injected.length === 0 && <li className="muted">{t("wallet.none")}</li>}
          {dev && (
            <li>
              <button type="button" data-testid="connector-dev" disabled={isPending} onClick={() => connect({ connector: dev, chainId: network.chainId })}>
                <span className="badge dev">DEV</span> {dev.name}
              </button>
              <p className="muted small">{t("wallet.devLabel")}</p>
            </li>
          )}
        </ul>
        {isPending && <p role="status">{t("wallet.connecting")}</p>}
        {error && <p className="notice error">{error.message}</p>}
        <button type="button" className="secondary" onClick={() => setOpen(false)}>
          {t("wallet.close")}
        </button>
      </dialog>
    </>
  );
}
