// Connected: the account (on the local chain, the development wallet's account picker), sign-out
// and disconnect. Not connected: the connect button and its dialog (ConnectDialog.tsx).
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { useAccount, useDisconnect } from "wagmi";

import { shortAddress } from "../shared/format.js";
import { useSession } from "../shared/session.js";
import { DEV_WALLET_ID } from "../wallet/config.js";
import { DEV_ACCOUNT_LABELS, devWallet } from "../wallet/dev-wallet.js";
import { ConnectWallet } from "./ConnectDialog.js";

export function WalletButton() {
  const { t } = useTranslation();
  const { address, connector, isConnected } = useAccount();
  const { disconnect } = useDisconnect();
  const { signedIn, signOut } = useSession();

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
        {connector?.id === "passkey" ? (
          // The passkey wallet's page: its signers, another passkey, a recovery wallet.
          <Link className="address" to="/wallet" data-testid="wallet-address" title={address}>
            {shortAddress(address)}
          </Link>
        ) : (
          <span className="address" data-testid="wallet-address" title={address}>
            {shortAddress(address)}
          </span>
        )}
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

  return <ConnectWallet />;
}
