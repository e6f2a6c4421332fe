// The passkey wallet's own page (/wallet): the account's address, its signers, and the two ways to
// keep it when a phone is lost: another passkey (on a laptop, or a phone through the browser's QR
// code) and an ordinary wallet as a recovery signer. Each is added by a sponsored user operation.
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { isAddress, type Address } from "viem";
import { useAccount } from "wagmi";

import { shortAddress } from "../shared/format.js";
import { ErrorState, Loading } from "../shared/ui.js";
import "./fan.css";
import "./messages.js";

const wallet = () => import("../wallet/passkey.js");

export function PasskeyWalletPage() {
  const { t } = useTranslation("fan");
  const { address, connector } = useAccount();
  const queryClient = useQueryClient();
  const [recovery, setRecovery] = useState("");
  const [status, setStatus] = useState<{ busy?: string; done?: string; error?: string }>({});
  const isPasskey = connector?.id === "passkey";
  const signers = useQuery({ queryKey: ["passkey-signers", address], enabled: isPasskey, queryFn: async () => (await wallet()).accountSigners() });

  if (!isPasskey) return <p className="card" data-testid="passkey-wallet-none">{t("passkeyWallet.notPasskey")}</p>;
  if (signers.isPending) return <Loading />;
  if (signers.isError) return <ErrorState error={signers.error} />;

  async function run(label: string, done: string, action: () => Promise<void>) {
    setStatus({ busy: label });
    try {
      await action();
      setStatus({ done });
      await queryClient.invalidateQueries({ queryKey: ["passkey-signers"] });
    } catch (error) {
      setStatus({ error: error instanceof Error ? error.message : String(error) });
    }
  }

  const list = signers.data.signers;
  const passkeyCount = list.filter((s) => (s.length - 2) / 2 === 84).length;
  const wallets = list.filter((s) => (s.length - 2) / 2 === 20);
  return (
    <section className="card" data-testid="passkey-wallet">
      <h1>{t("passkeyWallet.title")}</h1>
      <p>
        {t("passkeyWallet.address")} <code title={signers.data.address}>{shortAddress(signers.data.address)}</code>
      </p>
      <p data-testid="passkey-count">{t("passkeyWallet.passkeys", { count: passkeyCount })}</p>
      <ul data-testid="recovery-wallets">
        {wallets.map((w) => (
          <li key={w}>
            <code title={w}>{shortAddress(w as Address)}</code>
          </li>
        ))}
      </ul>
      <p className="muted small">{t("passkeyWallet.why")}</p>
      <button type="button" className="primary" data-testid="add-passkey" disabled={!!status.busy} onClick={() => void run(t("passkeyWallet.adding"), t("passkeyWallet.added"), async () => (await wallet()).addPasskey())}>
        {t("passkeyWallet.addPasskey")}
      </button>
      <label>
        {t("passkeyWallet.recoveryLabel")}
        <input value={recovery} onChange={(e) => setRecovery(e.target.value)} placeholder="0x…" data-testid="recovery-address" />
      </label>
      <button
        type="button"
        className="secondary"
        data-testid="add-recovery"
        disabled={!!status.busy || !isAddress(recovery.trim(), { strict: false })}
        onClick={() => void run(t("passkeyWallet.adding"), t("passkeyWallet.recoveryAdded"), async () => (await wallet()).addRecoveryWallet(recovery.trim() as Address))}
      >
        {t("passkeyWallet.addRecovery")}
      </button>
      {status.busy && <p role="status">{status.busy}</p>}
      {status.done && (
        <p className="notice ok" data-testid="passkey-wallet-done">
          {status.done}
        </p>
      )}
      {status.error && (
        <p className="notice error" data-testid="passkey-wallet-error">
          {status.error}
        </p>
      )}
    </section>
  );
}
