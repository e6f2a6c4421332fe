// Small shared pieces of UI: loading and error states, the transaction steps, sign-in walls.
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { useAccount } from "wagmi";

import { explorerUrl } from "../../../lib/networks.js";
import { network } from "../wallet/network.js";
import { openConnectDialog } from "./connect.js";
import { useEnsName } from "./ens.js";
import { formatDateTime, shortAddress } from "./format.js";
import { useOnline, useTicketHolder } from "./offline.js";
import { useSession } from "./session.js";
import type { TxStep } from "./tx.js";

export function Loading() {
  const { t } = useTranslation();
  return (
    <p className="muted" role="status" aria-live="polite">
      {t("state.loading")}
    </p>
  );
}

export function ErrorState({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useTranslation();
  return (
    <div className="notice error" role="alert">
      {t("state.error", { message: error instanceof Error ? error.message : String(error) })}
      {onRetry && (
        <button type="button" className="link" onClick={onRetry}>
          {t("state.retry")}
        </button>
      )}
    </div>
  );
}

/** `children` linked to the network's explorer page of a transaction or an address (as is where there is none). */
export function OnExplorer({ kind, value, children }: { kind: "tx" | "address"; value: string; children: ReactNode }) {
  const href = explorerUrl(network, kind, value);
  if (!href) return <>{children}</>;
  return (
    <a href={href} target="_blank" rel="noopener noreferrer" title={value} data-testid={`explorer-${kind}`}>
      {children}
    </a>
  );
}

/**
 * An address by its verified ENS primary name where the network has ENS, else shortened
 * (0x1234…abcd); the whole address on hover, linked to the explorer where there is one.
 */
export function ShortAddress({ address }: { address: string }) {
  const name = useEnsName(address);
  return (
    <OnExplorer kind="address" value={address}>
      <code className="address" title={address} data-ens-name={name ?? undefined}>
        {name ?? shortAddress(address)}
      </code>
    </OnExplorer>
  );
}

/** An address's verified ENS primary name, for beside an address shown in full; nothing without one. */
export function EnsName({ address }: { address: string }) {
  const name = useEnsName(address);
  return name ? (
    <span className="ens-name" data-ens-name={name}>
      {name}
    </span>
  ) : null;
}

/** An address in full (lists an organizer acts on), linked to the explorer, with its ENS name beside it. */
export function FullAddress({ address, className = "address" }: { address: string; className?: string }) {
  return (
    <>
      <OnExplorer kind="address" value={address}>
        <code className={className}>{address}</code>
      </OnExplorer>{" "}
      <EnsName address={address} />
    </>
  );
}

/** Each transaction of a flow with its state; `data-state` lets tests wait for an outcome. */
export function TxStatus({ steps }: { steps: TxStep[] }) {
  const { t } = useTranslation();
  if (steps.length === 0) return null;
  return (
    <ol className="tx-steps" aria-live="polite" data-testid="tx-status">
      {steps.map((step) => (
        <li key={step.id} className={`tx-step ${step.status}`} data-step={step.id} data-state={step.status} data-error={step.error?.name}>
          <span className="tx-icon" aria-hidden>
            {step.status === "confirmed" ? "✓" : step.status === "failed" ? "✕" : "…"}
          </span>
          <span>{t(`tx.${step.status}`, { label: step.label, reason: step.error?.message ?? "" })}</span>
          {step.sponsored && step.status !== "failed" && <span className="muted small" data-testid="tx-sponsored"> · {t("tx.sponsored")}</span>}
          {step.hash && (
            <OnExplorer kind="tx" value={step.hash}>
              <code className="muted small"> {shortAddress(step.hash)}</code>
            </OnExplorer>
          )}
        </li>
      ))}
    </ol>
  );
}

/** Where a page needs a wallet: says so, with a button that opens the header's wallet dialog. */
function ConnectFirst() {
  const { t } = useTranslation();
  return (
    <div className="notice spread connect-first" data-testid="connect-first">
      <p>{t("connectFirst")}</p>
      <button type="button" className="primary" onClick={openConnectDialog} data-testid="connect-in-page">
        {t("wallet.connect")}
      </button>
    </div>
  );
}

/** Children for a connected wallet; with `offline`, for useTicketHolder's account (shared/offline.ts). */
export function RequireWallet({ children, offline }: { children: ReactNode; offline?: boolean }) {
  const { isConnected } = useAccount();
  const holder = useTicketHolder();
  if (!(offline ? holder : isConnected)) return <ConnectFirst />;
  return <>{children}</>;
}

/**
 * Said where a page shows its offline copy (shared/index-query.ts `keep`): offline, or the last
 * refresh failed; with when that copy was fetched.
 */
export function LastKnown({ query }: { query: { isError: boolean; dataUpdatedAt: number } }) {
  const { t, i18n } = useTranslation();
  const online = useOnline();
  if (online && !query.isError) return null;
  return (
    <p className="notice small" role="status" data-testid="last-known">
      {t("lastKnown", { time: formatDateTime(query.dataUpdatedAt / 1000, i18n.language) })}
    </p>
  );
}

/** Children only for a wallet signed in with SIWE as its current account. */
export function RequireSession({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const { isConnected } = useAccount();
  const { signedIn, signIn, loading } = useSession();
  if (!isConnected) return <ConnectFirst />;
  if (loading) return <Loading />;
  if (signedIn) return <>{children}</>;
  return (
    <div className="card center">
      <p>{t("session.required")}</p>
      <button type="button" className="primary" data-testid="sign-in" disabled={signIn.isPending} onClick={() => signIn.mutate()}>
        {signIn.isPending ? t("session.signingIn") : t("session.signIn")}
      </button>
      {signIn.error && <p className="notice error">{signIn.error.message}</p>}
    </div>
  );
}

/** A query's loading, error and empty states: one line where a list is shown. */
export function QueryStatus({
  query,
  empty,
  emptyText,
  emptyClassName = "muted",
}: {
  query: { isLoading: boolean; error: unknown; isSuccess: boolean; refetch: () => unknown };
  /** The loaded list has nothing to show. */
  empty: boolean;
  emptyText: string;
  emptyClassName?: string;
}) {
  if (query.isLoading) return <Loading />;
  if (query.error) return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  if (query.isSuccess && empty) return <p className={emptyClassName}>{emptyText}</p>;
  return null;
}
