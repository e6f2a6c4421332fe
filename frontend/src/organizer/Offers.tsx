// Offers: discount vouchers (EIP-712, signed by the organizer's wallet, stored by the server) and
// allowlist presales (CSV → Merkle root on the server → setTierOptions on chain).
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { getAddress, isAddress, stringToHex, zeroAddress, type Hex } from "viem";
import { useAccount, useReadContracts, useSignTypedData } from "wagmi";

import { chainpassEventAbi } from "../../../lib/abi/index.js";
import { codeIdFor, voucherTypedData, type Voucher } from "../../../lib/vouchers.js";
import { api } from "../shared/api.js";
import { CopyButton, QrCode } from "./share.js";
import { formatAmount, formatDateTime, nowSeconds } from "../shared/format.js";
import { TxFailed, useTransactions } from "../shared/tx.js";
import { QueryStatus, TxStatus } from "../shared/ui.js";
import { network } from "../wallet/network.js";
import { recallPresaleStart } from "./presale.js";
import type { ConsoleEvent } from "./types.js";
import { localToUnix, parseAmount, percentToBps, unixToLocal } from "./util.js";
import { LabelledCell, TableHead } from "./TableHead.js";

/**
 * lib/vouchers `codeIdFor`; it uses Node's Buffer, which browsers lack, so there the same rule
 * (trimmed, upper-cased UTF-8, right-padded to 32 bytes) runs through viem. Remove the fallback
 * once lib/vouchers no longer needs Buffer.
 */
function codeIdOf(code: string): Hex {
  try {
    return codeIdFor(code);
  } catch (error) {
    if (!(error instanceof ReferenceError)) throw error;
    const normalized = code.trim().toUpperCase();
    const size = new TextEncoder().encode(normalized).length;
    if (size === 0 || size > 32) throw new Error("A voucher code has 1 to 32 characters", { cause: error });
    return stringToHex(normalized, { size: 32 });
  }
}

interface StoredVoucher {
  code: string;
  voucher: Record<string, string | number>;
  signature: Hex;
  createdAt: number;
}

const ignore = (e: unknown) => {
  if (!(e instanceof TxFailed)) throw e;
};

export function Offers({ ev }: { ev: ConsoleEvent }) {
  return (
    <div>
      <Vouchers ev={ev} />
      <Allowlists ev={ev} />
    </div>
  );
}

function Vouchers({ ev }: { ev: ConsoleEvent }) {
  const { t, i18n } = useTranslation("organizer");
  const locale = i18n.language;
  const { address } = useAccount();
  const { signTypedDataAsync } = useSignTypedData();
  const queryClient = useQueryClient();
  const { steps, send, busy } = useTransactions({ currency: ev.currency, zone: ev.zone });
  const [code, setCode] = useState("");
  const [tier, setTier] = useState("0");
  const [kind, setKind] = useState<"percent" | "amount">("percent");
  const [value, setValue] = useState("");
  const [maxUses, setMaxUses] = useState("100");
  const [expires, setExpires] = useState(() => unixToLocal(ev.info.end, ev.zone));
  const [buyer, setBuyer] = useState("");
  const [saving, setSaving] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);

  const key = ["organizer-vouchers", ev.address];
  const list = useQuery({ queryKey: key, queryFn: () => api<{ vouchers: StoredVoucher[] }>(`/events/${ev.address}/vouchers`) });
  const vouchers = list.data?.vouchers ?? [];
  const uses = useReadContracts({
    contracts: vouchers.map((v) => ({ address: ev.address, abi: chainpassEventAbi, functionName: "voucherUses", args: [v.voucher.codeId as Hex] }) as const),
    query: { enabled: vouchers.length > 0 },
  });

  async function create() {
    setProblem(null);
    setSaved(null);
    const trimmed = code.trim().toUpperCase();
    let codeId: Hex;
    try {
      codeId = codeIdOf(trimmed);
    } catch {
      return setProblem(t("offers.problem.code"));
    }
    const percent = kind === "percent" ? percentToBps(value) : 0;
    const amountOff = kind === "amount" ? parseAmount(value, ev.currency) : 0n;
    if (kind === "percent" && (!percent || percent > 10_000)) return setProblem(t("offers.problem.percent"));
    if (kind === "amount" && !amountOff) return setProblem(t("offers.problem.amount"));
    const uses = Number(maxUses);
    if (!Number.isInteger(uses) || uses < 1) return setProblem(t("offers.problem.maxUses"));
    const expiresAt = localToUnix(expires, ev.zone);
    if (!expiresAt || expiresAt <= nowSeconds()) return setProblem(t("offers.problem.expiry"));
    if (buyer.trim() && !isAddress(buyer.trim(), { strict: false })) return setProblem(t("invalidAddress"));
    if (!address) return;
    const voucher: Voucher = {
      eventAddress: getAddress(ev.address),
      tierId: BigInt(tier),
      percentOffBps: percent ?? 0,
      amountOff: amountOff ?? 0n,
      maxUses: uses,
      expiresAt,
      buyer: buyer.trim() ? getAddress(buyer.trim()) : zeroAddress,
      signer: address,
      codeId,
    };
    setSaving(true);
    try {
      const signature = await signTypedDataAsync(voucherTypedData(network.chainId, voucher));
      await api(`/events/${ev.address}/vouchers`, {
        method: "POST",
        json: { code: trimmed, voucher: { ...voucher, tierId: voucher.tierId.toString(), amountOff: voucher.amountOff.toString() }, signature },
      });
      setSaved(trimmed);
      setCode("");
      setValue("");
      await queryClient.invalidateQueries({ queryKey: key });
    } catch (error) {
      setProblem(error instanceof Error ? error.message : String(error));
    } finally {
      setSaving(false);
    }
  }

  const tierName = (id: string | number) => (Number(id) === 0 ? t("offers.anyTier") : (ev.info.tiers.find((x) => x.tierId === Number(id))?.name ?? `#${id}`));
  const column = { code: t("offers.code"), discount: t("offers.discount"), tier: t("offers.tier"), used: t("offers.used"), expires: t("offers.expires") };
  const discount = (v: Record<string, string | number>) =>
    Number(v.percentOffBps) > 0 ? `${Number(v.percentOffBps) / 100}%` : formatAmount(String(v.amountOff), ev.currency, locale);

  return (
    <section>
      <h2>{t("offers.vouchers")}</h2>
      <form
        className="card"
        onSubmit={(e) => {
          e.preventDefault();
          void create();
        }}
      >
        <div className="form-grid">
          <label>
            {t("offers.code")}
            <input data-testid="voucher-code" value={code} maxLength={32} onChange={(e) => setCode(e.target.value.toUpperCase())} autoCapitalize="characters" />
          </label>
          <label>
            {t("offers.tier")}
            <select data-testid="voucher-tier" value={tier} onChange={(e) => setTier(e.target.value)}>
              <option value="0">{t("offers.anyTier")}</option>
              {ev.info.tiers.map((x) => (
                <option key={x.tierId} value={x.tierId}>
                  {x.name}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t("offers.kind")}
            <select data-testid="voucher-kind" value={kind} onChange={(e) => setKind(e.target.value as "percent" | "amount")}>
              <option value="percent">{t("offers.percent")}</option>
              <option value="amount">{t("offers.amount", { currency: ev.currency.symbol })}</option>
            </select>
          </label>
          <label>
            {kind === "percent" ? t("offers.percentValue") : t("offers.amountValue", { currency: ev.currency.symbol })}
            <input data-testid="voucher-value" inputMode="decimal" value={value} onChange={(e) => setValue(e.target.value)} />
          </label>
          <label>
            {t("offers.maxUses")}
            <input data-testid="voucher-max-uses" inputMode="numeric" value={maxUses} onChange={(e) => setMaxUses(e.target.value)} />
          </label>
          <label>
            {t("offers.expires")}
            <input type="datetime-local" data-testid="voucher-expires" value={expires} onChange={(e) => setExpires(e.target.value)} />
            <span className="muted small">{t("offers.atVenue", { zone: ev.zone })}</span>
          </label>
          <label>
            {t("offers.buyer")}
            <input data-testid="voucher-buyer" value={buyer} placeholder={t("offers.anyone")} onChange={(e) => setBuyer(e.target.value)} spellCheck={false} />
          </label>
        </div>
        {problem && (
          <p className="notice error" role="alert" data-testid="voucher-error">
            {problem}
          </p>
        )}
        {saved && (
          <p className="notice ok" role="status" data-testid="voucher-saved">
            {t("offers.saved", { code: saved })}
          </p>
        )}
        <button type="submit" className="primary" data-testid="create-voucher" disabled={saving}>
          {saving ? t("offers.signing") : t("offers.create")}
        </button>
      </form>
      <TxStatus steps={steps} />
      <QueryStatus query={list} empty={vouchers.length === 0} emptyText={t("offers.none")} />
      {vouchers.length > 0 && (
        <div className="table-wrap">
          <table data-testid="voucher-list" className="org-table">
            <TableHead columns={Object.values(column)} actions />
            <tbody>
              {vouchers.map((v, i) => {
                const result = uses.data?.[i]?.result as readonly [bigint, boolean] | undefined;
                const revoked = result?.[1];
                return (
                  <tr key={v.code} data-testid="voucher-row" data-code={v.code}>
                    <LabelledCell label={column.code}>
                      <code>{v.code}</code>
                      {revoked && <span className="badge bad">{t("offers.revoked")}</span>}
                      {v.voucher.buyer !== zeroAddress && <div className="muted small">{t("offers.boundTo", { address: String(v.voucher.buyer).slice(0, 10) + "…" })}</div>}
                    </LabelledCell>
                    <LabelledCell label={column.discount}>{discount(v.voucher)}</LabelledCell>
                    <LabelledCell label={column.tier}>{tierName(v.voucher.tierId)}</LabelledCell>
                    <LabelledCell label={column.used} data-testid="voucher-uses">
                      {result ? String(result[0]) : "…"} / {v.voucher.maxUses}
                    </LabelledCell>
                    <LabelledCell label={column.expires}>{formatDateTime(v.voucher.expiresAt, locale, ev.zone)}</LabelledCell>
                    <td>
                      <div className="row">
                        <CopyButton text={v.code} />
                        <QrCode text={v.code} testId="voucher-qr" />
                        {!revoked && (
                          <button
                            type="button"
                            className="link"
                            data-testid="revoke-voucher"
                            disabled={busy}
                            onClick={() =>
                              void send(t("offers.txRevoke", { code: v.code }), { address: ev.address, abi: chainpassEventAbi, functionName: "revokeVoucher", args: [v.voucher.codeId as Hex] })
                                .then(() => uses.refetch())
                                .catch(ignore)
                            }
                          >
                            {t("offers.revoke")}
                          </button>
                        )}
                      </div>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function Allowlists({ ev }: { ev: ConsoleEvent }) {
  const { t } = useTranslation("organizer");
  return (
    <section>
      <h2>{t("offers.allowlists")}</h2>
      <p className="muted">{t("offers.allowlistIntro")}</p>
      {ev.info.tiers.map((tier) => (
        <AllowlistTier key={tier.tierId} ev={ev} tier={tier} />
      ))}
    </section>
  );
}

function AllowlistTier({ ev, tier }: { ev: ConsoleEvent; tier: ConsoleEvent["info"]["tiers"][number] }) {
  const { t, i18n } = useTranslation("organizer");
  const { steps, send, busy } = useTransactions({ currency: ev.currency, zone: ev.zone });
  const remembered = Number(tier.presaleStart) > 0 ? Number(tier.presaleStart) : recallPresaleStart(ev.address, tier.tierId);
  const [start, setStart] = useState(remembered ? unixToLocal(remembered, ev.zone) : "");
  const [file, setFile] = useState<File | null>(null);
  const [result, setResult] = useState<{ root: Hex; entries: number } | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [uploading, setUploading] = useState(false);
  const hasRoot = tier.presaleRoot && /[1-9a-f]/.test(tier.presaleRoot.slice(2));

  async function upload() {
    setProblem(null);
    const presaleStart = localToUnix(start, ev.zone);
    if (!presaleStart || presaleStart >= Number(tier.saleStart)) return setProblem(t("offers.problem.presaleStart", { sale: formatDateTime(tier.saleStart, i18n.language, ev.zone) }));
    if (!file) return setProblem(t("offers.problem.file"));
    setUploading(true);
    let root: Hex;
    try {
      const csv = await file.text();
      const r = await api<{ root: Hex; entries: number }>(`/events/${ev.address}/allowlists/${tier.tierId}`, { method: "PUT", json: { csv } });
      setResult(r);
      root = r.root;
    } catch (error) {
      setUploading(false);
      return setProblem(error instanceof Error ? error.message : String(error));
    }
    setUploading(false);
    const options = {
      earlyPrice: BigInt(tier.earlyPrice),
      earlyUntil: Number(tier.earlyUntil),
      entryStart: Number(tier.entryStart),
      entryEnd: Number(tier.entryEnd),
      presaleStart,
      presaleRoot: root,
    };
    await send(t("offers.txRoot", { tier: tier.name }), { address: ev.address, abi: chainpassEventAbi, functionName: "setTierOptions", args: [BigInt(tier.tierId), options] }).catch(ignore);
  }

  return (
    <fieldset className="card" data-testid={`allowlist-${tier.tierId}`}>
      <legend>{tier.name}</legend>
      {hasRoot ? (
        <p className="small">
          {t("offers.presaleSet", { start: formatDateTime(tier.presaleStart, i18n.language, ev.zone) })} <code className="break">{tier.presaleRoot}</code>
        </p>
      ) : (
        <p className="muted small">{t("offers.noPresale")}</p>
      )}
      <div className="form-grid">
        <label>
          {t("offers.presaleStart")}
          <input type="datetime-local" data-testid={`presale-start-${tier.tierId}`} value={start} onChange={(e) => setStart(e.target.value)} />
          <span className="muted small">{t("offers.atVenue", { zone: ev.zone })}</span>
          <span className="muted small">{t("offers.presaleBefore", { sale: formatDateTime(tier.saleStart, i18n.language, ev.zone) })}</span>
        </label>
        <label>
          {t("offers.csv")}
          <input type="file" accept=".csv,text/csv,text/plain" data-testid={`allowlist-file-${tier.tierId}`} onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
          <span className="muted small">{t("offers.csvHelp")}</span>
        </label>
      </div>
      {problem && (
        <p className="notice error" role="alert">
          {problem}
        </p>
      )}
      {result && (
        <p className="notice ok" data-testid={`allowlist-result-${tier.tierId}`}>
          {t("offers.allowlistSaved", { n: result.entries })} <code className="break">{result.root}</code>
        </p>
      )}
      <button type="button" className="secondary" data-testid={`allowlist-upload-${tier.tierId}`} disabled={busy || uploading} onClick={() => void upload()}>
        {t("offers.upload")}
      </button>
      <TxStatus steps={steps} />
    </fieldset>
  );
}
