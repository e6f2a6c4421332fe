// The organizer's membership program (ChainpassMembership: one per organizer wallet, across every
// event they enroll in it), on the organizer home's Membership view. Without one: a form to create
// it, its points signer prefilled with this server's (GET /membership/signer). With one: its rules,
// each saved by its own transaction (what purchases earn per currency, attendance points and the
// first-purchase bonus, the levels, what a point pays per currency), its members (how many, a chart
// by level, a table with what each earned and may spend), a form to correct a member's balance,
// with a reason, and announcements to the members (all, or from a level: ./Announce.tsx).
// Balances are the index's (MEMBERSHIP_PROGRAM, PROGRAM_MEMBERS); levels are the ones the points
// signer set on chain, so a correction shows in a level once the signer's next round has run.
import { useQuery } from "@tanstack/react-query";
import { lazy, Suspense, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { isAddressEqual, zeroAddress, type Address } from "viem";
import { useAccount } from "wagmi";

import { chainpassMembershipAbi } from "../../../lib/abi/index.js";
import { loadProgramMembers, memberAvailable, membersByLevel, MEMBERSHIP_PROGRAM, type MembershipProgramResult } from "../../../lib/index/index.js";
import { api } from "../shared/api.js";
import { formatAmount } from "../shared/format.js";
import { useIndexQuery } from "../shared/index-query.js";
import { RecipientInput, RecipientNote, useRecipient } from "../shared/recipient-input.js";
import { TxFailed, useTransactions } from "../shared/tx.js";
import { ErrorState, FullAddress, Loading, QueryStatus, TxStatus } from "../shared/ui.js";
import { absoluteUrl, network } from "../wallet/network.js";
import { Announce } from "./Announce.js";
import { forCurrency, levelName, MAX_LEVELS, PROGRAM_CURRENCIES } from "./member-levels.js";
import { LabelledCell, TableHead } from "./TableHead.js";
import { amountToInput, currencyFor, parseAmount, type CurrencyChoice } from "./util.js";

const MembersByLevel = lazy(() => import("./Charts.js").then((m) => ({ default: m.MembersByLevel })));

type Program = NonNullable<MembershipProgramResult["membershipProgram"]>;
type Tx = ReturnType<typeof useTransactions>;

/** Names are stored in the program's events (ProgramCreated, LevelsSet): kept short, as every page shows them. */
const MAX_NAME = 64;
const MAX_LEVEL_NAME = 32;
/** A correction's reason is public on chain (PointsAdjusted). */
const MAX_REASON = 200;
/** Members listed before "Show all". */
const MEMBERS_SHOWN = 50;

const ignore = (e: unknown) => {
  if (!(e instanceof TxFailed)) throw e;
};

/** A whole number of points typed ("1200"); undefined otherwise. */
function wholePoints(text: string): bigint | undefined {
  const v = text.trim();
  return /^\d{1,30}$/.test(v) ? BigInt(v) : undefined;
}

/** A signed, non-zero number of points ("+200", "-50"); undefined otherwise. */
function signedPoints(text: string): bigint | undefined {
  const v = text.trim().replace(/^\+/, "");
  if (!/^-?\d{1,30}$/.test(v)) return undefined;
  const n = BigInt(v);
  return n === 0n ? undefined : n;
}

/** This server's points signer, or undefined (none: the request answers 404). */
function useServerSigner() {
  return useQuery({
    queryKey: ["membership-signer"],
    queryFn: async () => (await api<{ address: Address }>("/membership/signer")).address,
    retry: false,
    staleTime: Infinity,
  });
}

function useNumber() {
  const { i18n } = useTranslation();
  return (v: bigint | number | string) => new Intl.NumberFormat(i18n.language).format(BigInt(v));
}

/** The connected organizer's program: the form to create it, or its page. */
export function Membership() {
  const { t } = useTranslation("organizer");
  const { address } = useAccount();
  const program = address?.toLowerCase();
  const query = useIndexQuery<MembershipProgramResult>(MEMBERSHIP_PROGRAM, { program }, { enabled: !!program });
  // Kept here: the creation's steps stay on screen when the form gives way to the program.
  const created = useTransactions();
  if (!program) return null;
  if (query.isLoading) return <Loading />;
  if (query.error) return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  const info = query.data?.membershipProgram;
  return (
    <div data-testid="membership">
      <p className="muted">{t("membership.intro")}</p>
      <div data-testid="create-program-status">
        <TxStatus steps={created.steps} />
      </div>
      {info ? <ProgramView program={info} /> : <CreateProgram tx={created} />}
    </div>
  );
}

function CreateProgram({ tx }: { tx: Tx }) {
  const { t } = useTranslation("organizer");
  const serverSigner = useServerSigner();
  const [name, setName] = useState("");
  // Prefilled with this server's signer until the organizer types another.
  const [typedSigner, setTypedSigner] = useState<string>();
  const signerText = typedSigner ?? serverSigner.data ?? "";
  const signer = useRecipient(signerText);
  const [tried, setTried] = useState(false);
  const nameProblem = !name.trim() ? t("membership.problem.name") : name.trim().length > MAX_NAME ? t("membership.problem.tooLong", { max: MAX_NAME }) : undefined;
  const signerRefused = tried && signer.status === "refused";

  async function create() {
    setTried(true);
    if (nameProblem) return;
    const pointsSigner = signer.status === "empty" ? zeroAddress : signer.status === "resolved" ? signer.address : undefined;
    if (!pointsSigner) return;
    await tx
      .send(t("membership.txCreate", { name: name.trim() }), { address: network.membership, abi: chainpassMembershipAbi, functionName: "createProgram", args: [name.trim(), pointsSigner] })
      .catch(ignore);
  }

  return (
    <form
      className="card"
      data-testid="create-program"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void create();
      }}
    >
      <h2>{t("membership.createTitle")}</h2>
      <p>{t("membership.createIntro")}</p>
      <div className="form-grid">
        <label>
          {t("membership.name")}
          <input
            data-testid="program-name-input"
            value={name}
            maxLength={MAX_NAME}
            placeholder={t("membership.namePlaceholder")}
            onChange={(e) => setName(e.target.value)}
            aria-invalid={tried && !!nameProblem}
            aria-describedby={tried && nameProblem ? "program-name-problem" : undefined}
          />
          {tried && nameProblem && (
            <span id="program-name-problem" className="small bad-text field-problem" role="alert">
              {nameProblem}
            </span>
          )}
        </label>
        <label>
          {t("membership.signer")}
          <RecipientInput
            testId="program-signer-input"
            value={signerText}
            onChange={(text) => {
              setTypedSigner(text);
              setTried(false);
            }}
            invalid={signerRefused}
            describedBy="program-signer-note"
          />
          {(signerRefused || signer.status !== "refused") && <RecipientNote state={signer} testId="program-signer-note" id="program-signer-note" />}
          <span className="muted small" data-testid="program-signer-help">
            {serverSigner.data && signer.status === "resolved" && isAddressEqual(signer.address, serverSigner.data)
              ? t("membership.signerServer")
              : signer.status === "empty"
                ? t("membership.signerEmpty")
                : serverSigner.isError
                  ? t("membership.signerNoServer")
                  : t("membership.signerOther")}
          </span>
        </label>
      </div>
      <button type="submit" className="primary" data-testid="create-program-submit" disabled={tx.busy || signer.status === "looking-up"}>
        {t("membership.create")}
      </button>
    </form>
  );
}

function ProgramView({ program }: { program: Program }) {
  return (
    <>
      <Summary program={program} />
      <EarnRates program={program} />
      <Rewards program={program} />
      <Levels program={program} />
      <PointValues program={program} />
      <Members program={program} />
      <CorrectBalance />
      <Announce audience={{ kind: "members", program: program.id, name: program.name, levelNames: program.levelNames }} />
    </>
  );
}

function Summary({ program }: { program: Program }) {
  const { t } = useTranslation("organizer");
  const number = useNumber();
  const serverSigner = useServerSigner();
  const noSigner = isAddressEqual(program.pointsSigner, zeroAddress);
  const isServer = !!serverSigner.data && !noSigner && isAddressEqual(program.pointsSigner, serverSigner.data);
  return (
    <section className="card" data-testid="program-summary">
      <h2 data-testid="program-name">{program.name}</h2>
      <dl className="review">
        <dt>{t("membership.members")}</dt>
        <dd data-testid="member-count">{number(program.memberCount)}</dd>
        <dt>{t("membership.signer")}</dt>
        <dd data-testid="program-signer">
          {noSigner ? t("membership.signerNone") : <FullAddress address={program.pointsSigner} />}
          {isServer && <span className="badge ok">{t("membership.thisServer")}</span>}
        </dd>
        <dt>{t("membership.lastUpdate")}</dt>
        <dd data-testid="program-root">{program.rootBlock ? t("membership.rootAt", { block: number(program.rootBlock) }) : t("membership.noRoot")}</dd>
        <dt>{t("membership.events")}</dt>
        <dd data-testid="program-events">
          {program.events.length === 0 ? (
            t("membership.noEvents")
          ) : (
            <ul>
              {program.events.map((e) => (
                <li key={e.id}>
                  <Link to={`/organizer/${e.id}/members`}>{e.name}</Link>
                </li>
              ))}
            </ul>
          )}
        </dd>
      </dl>
      <SignerForm current={program.pointsSigner} serverSigner={serverSigner.data} />
    </section>
  );
}

/** The points signer, changed (setPointsSigner): another address, this server's, or none (only the organizer posts). */
function SignerForm({ current, serverSigner }: { current: string; serverSigner?: Address }) {
  const { t } = useTranslation("organizer");
  const tx = useTransactions();
  const [text, setText] = useState("");
  const recipient = useRecipient(text);
  const [tried, setTried] = useState(false);
  const refused = tried && recipient.status === "refused";

  async function save() {
    setTried(true);
    const signer = recipient.status === "empty" ? zeroAddress : recipient.status === "resolved" ? recipient.address : undefined;
    if (!signer) return;
    try {
      await tx.send(signer === zeroAddress ? t("membership.txSignerNone") : t("membership.txSigner", { address: signer }), {
        address: network.membership,
        abi: chainpassMembershipAbi,
        functionName: "setPointsSigner",
        args: [signer],
      });
      setText("");
      setTried(false);
    } catch (e) {
      ignore(e);
    }
  }

  return (
    <details>
      <summary>{t("membership.changeSigner")}</summary>
      <form
        className="row"
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <RecipientInput
          label={t("membership.newSigner")}
          testId="new-signer-input"
          value={text}
          onChange={(value) => {
            setText(value);
            setTried(false);
          }}
          invalid={refused}
          describedBy="new-signer-note"
        />
        {serverSigner && !isAddressEqual(serverSigner, current as Address) && (
          <button type="button" className="link" onClick={() => setText(serverSigner)}>
            {t("membership.useServerSigner")}
          </button>
        )}
        <button type="submit" className="secondary" data-testid="save-signer" disabled={tx.busy || recipient.status === "looking-up"}>
          {t("membership.save")}
        </button>
        {(refused || recipient.status !== "refused") && <RecipientNote state={recipient} testId="new-signer-note" id="new-signer-note" />}
      </form>
      <p className="muted small">{t("membership.signerEmpty")}</p>
      <TxStatus steps={tx.steps} />
    </details>
  );
}

/** What primary purchases earn, per currency (setEarnRate: `points` per one whole unit of it). */
function EarnRates({ program }: { program: Program }) {
  const { t } = useTranslation("organizer");
  const tx = useTransactions();
  return (
    <section className="card" data-testid="earn-rates">
      <h2>{t("membership.earnTitle")}</h2>
      <p className="muted">{t("membership.earnIntro")}</p>
      {PROGRAM_CURRENCIES.map((choice) => (
        <EarnRate key={choice} choice={choice} program={program} tx={tx} />
      ))}
      <TxStatus steps={tx.steps} />
    </section>
  );
}

function EarnRate({ choice, program, tx }: { choice: CurrencyChoice; program: Program; tx: Tx }) {
  const { t, i18n } = useTranslation("organizer");
  const number = useNumber();
  const currency = currencyFor(choice);
  const unit = 10n ** BigInt(currency.decimals);
  const rate = forCurrency(program.earnRates, currency.address);
  const [text, setText] = useState(rate && BigInt(rate.unit) === unit ? rate.points : "");
  const [tried, setTried] = useState(false);
  const points = wholePoints(text);
  const problem = tried && points === undefined ? t("membership.problem.points") : undefined;
  const id = `earn-problem-${choice}`;

  async function save() {
    setTried(true);
    if (points === undefined) return;
    await tx
      .send(t("membership.txEarn", { points: number(points), symbol: currency.symbol }), {
        address: network.membership,
        abi: chainpassMembershipAbi,
        functionName: "setEarnRate",
        args: [currency.address, unit, points],
      })
      .then(() => setTried(false), ignore);
  }

  return (
    <form
      className="row"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <p className="grow" data-testid={`earn-rate-${choice}`}>
        {rate && BigInt(rate.points) > 0n
          ? t("membership.earnRate", { points: number(rate.points), amount: formatAmount(rate.unit, currency, i18n.language) })
          : t("membership.earnNone", { symbol: currency.symbol })}
      </p>
      <label>
        {t("membership.pointsPer", { symbol: currency.symbol })}
        <input
          data-testid={`earn-points-${choice}`}
          inputMode="numeric"
          value={text}
          onChange={(e) => setText(e.target.value)}
          aria-invalid={!!problem}
          aria-describedby={problem ? id : undefined}
        />
        {problem && (
          <span id={id} className="small bad-text field-problem" role="alert">
            {problem}
          </span>
        )}
      </label>
      <button type="submit" className="secondary" data-testid={`save-earn-${choice}`} disabled={tx.busy}>
        {t("membership.save")}
      </button>
    </form>
  );
}

/** Points per event attended and the first-purchase bonus (setRewards). */
function Rewards({ program }: { program: Program }) {
  const { t } = useTranslation("organizer");
  const number = useNumber();
  const tx = useTransactions();
  const [attendance, setAttendance] = useState(program.attendancePoints);
  const [bonus, setBonus] = useState(program.firstPurchaseBonus);
  const [tried, setTried] = useState(false);
  const values = { attendance: wholePoints(attendance), bonus: wholePoints(bonus) };
  const problem = (field: keyof typeof values) => (tried && values[field] === undefined ? t("membership.problem.points") : undefined);

  async function save() {
    setTried(true);
    if (values.attendance === undefined || values.bonus === undefined) return;
    await tx
      .send(t("membership.txRewards", { attendance: number(values.attendance), bonus: number(values.bonus) }), {
        address: network.membership,
        abi: chainpassMembershipAbi,
        functionName: "setRewards",
        args: [values.attendance, values.bonus],
      })
      .then(() => setTried(false), ignore);
  }

  return (
    <form
      className="card"
      data-testid="rewards"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <h2>{t("membership.rewardsTitle")}</h2>
      <p data-testid="rewards-current">
        {t("membership.rewardsCurrent", { attendance: number(program.attendancePoints), bonus: number(program.firstPurchaseBonus) })}
      </p>
      <div className="form-grid">
        {(
          [
            ["attendance", attendance, setAttendance, t("membership.attendancePoints")],
            ["bonus", bonus, setBonus, t("membership.firstPurchaseBonus")],
          ] as const
        ).map(([field, value, set, label]) => (
          <label key={field}>
            {label}
            <input
              data-testid={`reward-${field}`}
              inputMode="numeric"
              value={value}
              onChange={(e) => set(e.target.value)}
              aria-invalid={!!problem(field)}
              aria-describedby={problem(field) ? `reward-${field}-problem` : undefined}
            />
            {problem(field) && (
              <span id={`reward-${field}-problem`} className="small bad-text field-problem" role="alert">
                {problem(field)}
              </span>
            )}
          </label>
        ))}
      </div>
      <button type="submit" className="secondary" data-testid="save-rewards" disabled={tx.busy}>
        {t("membership.save")}
      </button>
      <TxStatus steps={tx.steps} />
    </form>
  );
}

interface LevelRow {
  key: number;
  name: string;
  threshold: string;
}

let nextRowKey = 1;

/** The levels, as rows of a name and the points earned that reach it (setLevels: 1 to 8, rising). */
function Levels({ program }: { program: Program }) {
  const { t } = useTranslation("organizer");
  const number = useNumber();
  const tx = useTransactions();
  const [rows, setRows] = useState<LevelRow[]>(() =>
    program.levelNames.length > 0
      ? program.levelNames.map((name, i) => ({ key: nextRowKey++, name, threshold: program.levelThresholds[i] ?? "" }))
      : [{ key: nextRowKey++, name: "", threshold: "" }],
  );
  const [tried, setTried] = useState(false);
  const thresholds = rows.map((r) => wholePoints(r.threshold));
  const problems = rows.map((row, i) => {
    const name = row.name.trim();
    const threshold = thresholds[i];
    const previous = i > 0 ? thresholds[i - 1] : undefined;
    return {
      name: !name ? t("membership.problem.levelName") : name.length > MAX_LEVEL_NAME ? t("membership.problem.tooLong", { max: MAX_LEVEL_NAME }) : undefined,
      threshold:
        threshold === undefined || threshold === 0n
          ? t("membership.problem.threshold")
          : previous !== undefined && threshold <= previous
            ? t("membership.problem.rising", { previous: number(previous) })
            : undefined,
    };
  });
  const invalid = problems.some((p) => p.name || p.threshold);
  const update = (key: number, patch: Partial<LevelRow>) => setRows((all) => all.map((r) => (r.key === key ? { ...r, ...patch } : r)));

  async function save() {
    setTried(true);
    if (invalid) return;
    const names = rows.map((r) => r.name.trim());
    await tx
      .send(t("membership.txLevels", { count: rows.length, names: names.join(", ") }), {
        address: network.membership,
        abi: chainpassMembershipAbi,
        functionName: "setLevels",
        args: [thresholds as bigint[], names],
      })
      .then(() => setTried(false), ignore);
  }

  const current = program.levelNames.map((name, i) => t("membership.levelFrom", { name, points: number(program.levelThresholds[i] ?? "0") }));
  return (
    <form
      className="card"
      data-testid="levels"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <h2>{t("membership.levelsTitle")}</h2>
      <p className="muted">{t("membership.levelsIntro", { max: MAX_LEVELS, member: t("membership.plainMember") })}</p>
      <p data-testid="levels-current">{current.length > 0 ? current.join(" · ") : t("membership.noLevels")}</p>
      {rows.map((row, i) => {
        const p = tried ? problems[i]! : { name: undefined, threshold: undefined };
        return (
          <div key={row.key} className="row seat-section" data-testid="level-row">
            <span className="step-number" aria-hidden>
              {i + 1}
            </span>
            <label className="grow">
              {t("membership.levelName", { n: i + 1 })}
              <input
                data-testid={`level-name-${i + 1}`}
                value={row.name}
                maxLength={MAX_LEVEL_NAME}
                onChange={(e) => update(row.key, { name: e.target.value })}
                aria-invalid={!!p.name}
                aria-describedby={p.name ? `level-name-problem-${row.key}` : undefined}
              />
              {p.name && (
                <span id={`level-name-problem-${row.key}`} className="small bad-text field-problem" role="alert">
                  {p.name}
                </span>
              )}
            </label>
            <label className="grow">
              {t("membership.threshold")}
              <input
                data-testid={`level-threshold-${i + 1}`}
                inputMode="numeric"
                value={row.threshold}
                onChange={(e) => update(row.key, { threshold: e.target.value })}
                aria-invalid={!!p.threshold}
                aria-describedby={p.threshold ? `level-threshold-problem-${row.key}` : undefined}
              />
              {p.threshold && (
                <span id={`level-threshold-problem-${row.key}`} className="small bad-text field-problem" role="alert">
                  {p.threshold}
                </span>
              )}
            </label>
            <button
              type="button"
              className="link danger-link"
              data-testid={`remove-level-${i + 1}`}
              disabled={rows.length <= 1}
              onClick={() => setRows((all) => all.filter((r) => r.key !== row.key))}
            >
              {t("membership.removeLevel")}
            </button>
          </div>
        );
      })}
      <div className="row">
        <button
          type="button"
          className="secondary"
          data-testid="add-level"
          disabled={rows.length >= MAX_LEVELS}
          onClick={() => setRows((all) => [...all, { key: nextRowKey++, name: "", threshold: "" }])}
        >
          {t("membership.addLevel")}
        </button>
        <button type="submit" className="primary" data-testid="save-levels" disabled={tx.busy}>
          {t("membership.saveLevels")}
        </button>
      </div>
      {rows.length >= MAX_LEVELS && <p className="muted small">{t("membership.levelsFull", { max: MAX_LEVELS })}</p>}
      <TxStatus steps={tx.steps} />
    </form>
  );
}

/** What one point pays off a price, per currency (setPointValue; 0: points do not pay in it). */
function PointValues({ program }: { program: Program }) {
  const { t } = useTranslation("organizer");
  const tx = useTransactions();
  return (
    <section className="card" data-testid="point-values">
      <h2>{t("membership.valueTitle")}</h2>
      <p className="muted">{t("membership.valueIntro")}</p>
      {PROGRAM_CURRENCIES.map((choice) => (
        <PointValue key={choice} choice={choice} program={program} tx={tx} />
      ))}
      <TxStatus steps={tx.steps} />
    </section>
  );
}

function PointValue({ choice, program, tx }: { choice: CurrencyChoice; program: Program; tx: Tx }) {
  const { t, i18n } = useTranslation("organizer");
  const currency = currencyFor(choice);
  const value = forCurrency(program.pointValues, currency.address);
  const [text, setText] = useState(value ? amountToInput(value.value, currency) : "");
  const [tried, setTried] = useState(false);
  const amount = parseAmount(text, currency);
  const problem = tried && amount === undefined ? t("membership.problem.amount", { symbol: currency.symbol, decimals: currency.decimals }) : undefined;
  const id = `point-value-problem-${choice}`;

  async function save() {
    setTried(true);
    if (amount === undefined) return;
    await tx
      .send(amount === 0n ? t("membership.txValueNone", { symbol: currency.symbol }) : t("membership.txValue", { amount: formatAmount(amount, currency, i18n.language) }), {
        address: network.membership,
        abi: chainpassMembershipAbi,
        functionName: "setPointValue",
        args: [currency.address, amount],
      })
      .then(() => setTried(false), ignore);
  }

  return (
    <form
      className="row"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <p className="grow" data-testid={`point-value-${choice}`}>
        {value && BigInt(value.value) > 0n
          ? t("membership.valueCurrent", { amount: formatAmount(value.value, currency, i18n.language) })
          : t("membership.valueNone", { symbol: currency.symbol })}
      </p>
      <label>
        {t("membership.valueIn", { symbol: currency.symbol })}
        <input
          data-testid={`point-value-input-${choice}`}
          inputMode="decimal"
          value={text}
          placeholder="0"
          onChange={(e) => setText(e.target.value)}
          aria-invalid={!!problem}
          aria-describedby={problem ? id : undefined}
        />
        {problem && (
          <span id={id} className="small bad-text field-problem" role="alert">
            {problem}
          </span>
        )}
      </label>
      <button type="submit" className="secondary" data-testid={`save-point-value-${choice}`} disabled={tx.busy}>
        {t("membership.save")}
      </button>
    </form>
  );
}

/** The members: how many, a chart by level, and each one's level, points earned and points to spend. */
function Members({ program }: { program: Program }) {
  const { t } = useTranslation("organizer");
  const number = useNumber();
  // Levels change when the points signer sets them, not on a transaction of this page: refreshed now and then.
  const members = useQuery({
    queryKey: ["program-members", program.id],
    queryFn: () => loadProgramMembers(absoluteUrl(network.indexUrl), program.id),
    refetchInterval: 5_000,
  });
  const [showAll, setShowAll] = useState(false);
  const list = [...(members.data ?? [])].sort((a, b) => {
    const d = BigInt(b.earned) - BigInt(a.earned);
    return d !== 0n ? (d > 0n ? 1 : -1) : a.account.id.localeCompare(b.account.id);
  });
  const byLevel = membersByLevel(list, program.levelNames.length).map((x) => ({ name: levelName(x.level, program.levelNames, t), members: x.members }));
  const shown = showAll ? list : list.slice(0, MEMBERS_SHOWN);
  const count = members.data ? list.length : program.memberCount;
  const column = { member: t("membership.member"), level: t("membership.level"), earned: t("membership.earned"), available: t("membership.available") };

  return (
    <section className="card" data-testid="members">
      <h2>{t("membership.membersTitle")}</h2>
      <p data-testid="members-count">{t("membership.memberCount", { count, n: number(count) })}</p>
      <p className="muted small">{t("membership.levelsNote")}</p>
      <QueryStatus query={members} empty={list.length === 0} emptyText={t("membership.noMembers")} />
      {list.length > 0 && (
        <>
          <Suspense fallback={<Loading />}>
            <MembersByLevel rows={byLevel} />
          </Suspense>
          <div className="table-wrap">
            <table className="org-table" data-testid="member-list">
              <TableHead columns={Object.values(column)} />
              <tbody>
                {shown.map((m) => (
                  <tr key={m.id} data-testid={`member-${m.account.id}`} data-level={m.level}>
                    <LabelledCell label={column.member}>
                      <FullAddress address={m.account.id} />
                    </LabelledCell>
                    <LabelledCell label={column.level} data-testid="member-level">
                      {levelName(m.level, program.levelNames, t)}
                    </LabelledCell>
                    <LabelledCell label={column.earned} data-testid="member-earned">
                      {number(m.earned)}
                    </LabelledCell>
                    <LabelledCell label={column.available} data-testid="member-available">
                      {number(memberAvailable(m))}
                    </LabelledCell>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {list.length > shown.length && (
            <button type="button" className="link" onClick={() => setShowAll(true)}>
              {t("membership.showAll", { n: number(list.length) })}
            </button>
          )}
        </>
      )}
    </section>
  );
}

/** A correction of one member's balance (adjustPoints): signed points and a reason, both required. */
function CorrectBalance() {
  const { t } = useTranslation("organizer");
  const number = useNumber();
  const tx = useTransactions();
  const [member, setMember] = useState("");
  const [points, setPoints] = useState("");
  const [reason, setReason] = useState("");
  const [tried, setTried] = useState(false);
  const recipient = useRecipient(member);
  const delta = signedPoints(points);
  const problems = {
    member: recipient.status === "empty" ? t("membership.problem.member") : undefined,
    points: delta === undefined ? t("membership.problem.delta") : undefined,
    reason: !reason.trim() ? t("membership.problem.reason") : reason.trim().length > MAX_REASON ? t("membership.problem.tooLong", { max: MAX_REASON }) : undefined,
  };
  const shown = (field: keyof typeof problems) => (tried ? problems[field] : undefined);
  const memberRefused = tried && recipient.status === "refused";

  async function correct() {
    setTried(true);
    if (problems.points || problems.reason || delta === undefined || recipient.status !== "resolved") return;
    const { address, name } = recipient;
    try {
      await tx.send(
        t(delta > 0n ? "membership.txAdd" : "membership.txTake", { points: number(delta > 0n ? delta : -delta), member: name ?? address, reason: reason.trim() }),
        { address: network.membership, abi: chainpassMembershipAbi, functionName: "adjustPoints", args: [address, delta, reason.trim()] },
      );
      setMember("");
      setPoints("");
      setReason("");
      setTried(false);
    } catch (e) {
      ignore(e);
    }
  }

  return (
    <form
      className="card"
      data-testid="correct-balance"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void correct();
      }}
    >
      <h2>{t("membership.correctTitle")}</h2>
      <p className="muted">{t("membership.correctIntro")}</p>
      <div className="form-grid">
        <label>
          {t("membership.memberAddress")}
          <RecipientInput
            testId="correct-member"
            value={member}
            onChange={(text) => {
              setMember(text);
              setTried(false);
            }}
            invalid={!!shown("member") || memberRefused}
            describedBy={shown("member") ? "correct-member-problem" : "correct-member-note"}
          />
          {shown("member") && (
            <span id="correct-member-problem" className="small bad-text field-problem" role="alert">
              {shown("member")}
            </span>
          )}
          {(memberRefused || recipient.status !== "refused") && <RecipientNote state={recipient} testId="correct-member-note" id="correct-member-note" />}
        </label>
        <label>
          {t("membership.points")}
          <input
            data-testid="correct-points"
            inputMode="numeric"
            value={points}
            placeholder="+100"
            onChange={(e) => setPoints(e.target.value)}
            aria-invalid={!!shown("points")}
            aria-describedby={shown("points") ? "correct-points-problem" : "correct-points-help"}
          />
          {shown("points") ? (
            <span id="correct-points-problem" className="small bad-text field-problem" role="alert">
              {shown("points")}
            </span>
          ) : (
            <span id="correct-points-help" className="muted small">
              {t("membership.pointsHelp")}
            </span>
          )}
        </label>
        <label>
          {t("membership.reason")}
          <input
            data-testid="correct-reason"
            value={reason}
            maxLength={MAX_REASON}
            placeholder={t("membership.reasonPlaceholder")}
            onChange={(e) => setReason(e.target.value)}
            aria-invalid={!!shown("reason")}
            aria-describedby={shown("reason") ? "correct-reason-problem" : undefined}
          />
          {shown("reason") && (
            <span id="correct-reason-problem" className="small bad-text field-problem" role="alert">
              {shown("reason")}
            </span>
          )}
        </label>
      </div>
      <button type="submit" className="primary" data-testid="correct-submit" disabled={tx.busy || recipient.status === "looking-up"}>
        {t("membership.correct")}
      </button>
      <TxStatus steps={tx.steps} />
    </form>
  );
}
