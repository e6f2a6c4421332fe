// The connect button and its dialog: the wallets wallet/options.ts says this build and this browser
// offer (EIP-6963 wallets, WalletConnect, Base Account, the development wallet) and, when the
// browser has no wallet, what the fan can do instead of an empty list.
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { useConnect, useConnectors, type Connector } from "wagmi";

import { onConnectDialogRequest } from "../shared/connect.js";
import { DEV_WALLET_ID, sdkConnector, walletBuild, type SdkWalletId } from "../wallet/config.js";
import { network } from "../wallet/network.js";
import { isPhone, walletOptions, type WalletHint } from "../wallet/options.js";

/** EIP-1193's "user rejected the request": closing the SDK's modal is not an error to show. */
const isRejection = (error: unknown) => (error as { code?: unknown } | null)?.code === 4001;

export function ConnectWallet() {
  const { t } = useTranslation();
  const connectors = useConnectors();
  const { connect, connectAsync, isPending, error, reset } = useConnect();
  const [open, setOpen] = useState(false);
  const [loading, setLoading] = useState<SdkWalletId>();
  const [loadError, setLoadError] = useState<string>();
  const [phone] = useState(() => isPhone(navigator as Navigator & { userAgentData?: { mobile: boolean } }));
  const dialog = useRef<HTMLDialogElement>(null);

  useEffect(() => {
    if (open) dialog.current?.showModal();
    else dialog.current?.close();
  }, [open]);
  // A page's own connect button (checkout, pages that need a wallet) opens this dialog.
  useEffect(() => onConnectDialogRequest(() => setOpen(true)), []);

  const injected = connectors.filter((c) => c.id !== DEV_WALLET_ID);
  const dev = connectors.find((c) => c.id === DEV_WALLET_ID);
  const offer = walletOptions(walletBuild, { injectedWallets: injected.length, phone });
  const busy = isPending || loading !== undefined;

  function connectTo(connector: Connector) {
    setLoadError(undefined);
    connect({ connector, chainId: network.chainId });
  }

  /** The passkey wallet: a new passkey, the one this device keeps, or one found by signing in with it. */
  async function connectPasskey(existing: boolean) {
    setLoadError(undefined);
    reset();
    setLoading("passkey");
    try {
      const passkey = await import("../wallet/passkey.js");
      if (existing) await passkey.recoverPasskey();
      else if (!passkey.hasPasskey()) await passkey.createPasskey();
    } catch (e) {
      setLoading(undefined);
      setLoadError(t("wallet.passkey.failed", { message: e instanceof Error ? e.message : String(e) }));
      return;
    }
    setLoading(undefined);
    await connectSdk("passkey");
  }

  async function connectSdk(id: SdkWalletId) {
    // The SDK shows its own modal (WalletConnect) or popup notice (Base Account) in the page; ours,
    // in the top layer, would cover it and make it inert.
    setOpen(false);
    setLoading(id);
    setLoadError(undefined);
    reset();
    let connector: Connector;
    try {
      connector = await sdkConnector(id);
    } catch (e) {
      setLoadError(t("wallet.loadFailed", { wallet: t(`wallet.${id}.name`), message: e instanceof Error ? e.message : String(e) }));
      setOpen(true);
      return;
    } finally {
      setLoading(undefined);
    }
    // A failure is shown in the dialog (useConnect's `error`); closing the SDK's modal is just that.
    await connectAsync({ connector, chainId: network.chainId }).catch((e: unknown) => {
      if (isRejection(e)) reset();
      else setOpen(true);
    });
  }

  const hint = (h: WalletHint) => (h === "walletConnect" ? t(`wallet.hint.walletConnect.${phone ? "phone" : "desktop"}`) : t(`wallet.hint.${h}`));
  const sdkOption = (id: SdkWalletId, detail: string) => (
    <li key={id}>
      <button type="button" data-testid={`connector-${id}`} disabled={busy} onClick={() => void connectSdk(id)}>
        {t(`wallet.${id}.name`)}
      </button>
      <p className="muted small">{detail}</p>
    </li>
  );

  return (
    <>
      <button type="button" className="primary" data-testid="connect-wallet" onClick={() => setOpen(true)}>
        {busy ? t("wallet.connecting") : t("wallet.connect")}
      </button>
      <dialog ref={dialog} className="wallet-dialog" onClose={() => setOpen(false)} aria-labelledby="wallet-title">
        <h2 id="wallet-title">{t("wallet.choose")}</h2>
        {offer.explanation && (
          <div className="notice wallet-help" data-testid="wallet-help">
            <p>{t(offer.explanation.device === "phone" ? "wallet.noneOnPhone" : "wallet.none")}</p>
            <ul>
              {offer.explanation.hints.map((h) => (
                <li key={h}>{hint(h)}</li>
              ))}
            </ul>
          </div>
        )}
        <ul className="connectors">
          {offer.injected &&
            injected.map((c) => (
              <li key={c.uid}>
                <button type="button" data-testid={`connector-${c.id}`} disabled={busy} onClick={() => connectTo(c)}>
                  {c.icon && <img src={c.icon} alt="" width={24} height={24} />}
                  {c.name}
                </button>
              </li>
            ))}
          {offer.passkey && (
            <li>
              <button type="button" className="primary" data-testid="connector-passkey" disabled={busy} onClick={() => void connectPasskey(false)}>
                {t("wallet.passkey.name")}
              </button>
              <p className="muted small">{t("wallet.passkey.detail")}</p>
              <button type="button" className="link" data-testid="connector-passkey-existing" disabled={busy} onClick={() => void connectPasskey(true)}>
                {t("wallet.passkey.existing")}
              </button>
            </li>
          )}
          {offer.walletConnect && sdkOption("walletConnect", t(`wallet.walletConnect.${phone ? "phone" : "desktop"}`))}
          {offer.baseAccount && sdkOption("baseAccount", t("wallet.baseAccount.detail"))}
          {offer.devWallet && dev && (
            <li>
              <button type="button" data-testid="connector-dev" disabled={busy} onClick={() => connectTo(dev)}>
                <span className="badge dev">DEV</span> {dev.name}
              </button>
              <p className="muted small">{t("wallet.devLabel")}</p>
            </li>
          )}
        </ul>
        {loading === "passkey" && <p role="status">{t("wallet.passkey.creating")}</p>}
        {isPending && <p role="status">{t("wallet.connecting")}</p>}
        {(error || loadError) && <p className="notice error">{loadError ?? error?.message}</p>}
        <button type="button" className="secondary" onClick={() => setOpen(false)}>
          {t("wallet.close")}
        </button>
      </dialog>
    </>
  );
}
