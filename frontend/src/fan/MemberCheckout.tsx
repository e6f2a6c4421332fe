// The checkout's membership parts, loaded only for an event in a program (the checkout's route is
// near its size budget): MemberNotice says why a members-only tier is refused to this wallet (not a
// member, or below the tier's level), with a link to the program, or the member's price after the
// tier's discount; PayWithPoints, for a member whose points can pay in the event's currency, pays
// part of each ticket with points. Ticking it asks the server for the member's leaf of the balance
// root the contract holds (GET /membership/:program/proof/:member), with the points left to spend
// (credited then, less what the contract counts spent); the points per ticket are kept to those for
// every ticket and to no more than the price (PointsAbovePrice); the choice goes to the checkout as
// `PurchaseOptions.member` (lib/member-proof.ts encodeMemberProof).
import { useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import type { Address, Hex } from "viem";

import type { EventPage } from "../../../lib/index/index.js";
import { encodeMemberProof } from "../../../lib/member-proof.js";
import { api, ApiError } from "../shared/api.js";
import { formatAmount, type Currency } from "../shared/format.js";
// (The checkout's shared UI too: one chunk group with it, not a split of the fan routes' chunks.)
import { Loading } from "../shared/ui.js";
import { membersOnlyRefusal, type MemberStanding, type Perks } from "./member-terms.js";
import "./membership-messages.js";
import { levelName, perkSentences } from "./perks.js";

export type Program = NonNullable<NonNullable<EventPage["event"]>["membershipProgram"]>;

/** A members-only tier refused to this wallet, with a link to join; or the member's price. */
export function MemberNotice({
  program,
  tier,
  standing,
  listUnit,
  memberUnit,
  currency,
}: {
  program: Program;
  tier: Perks;
  standing: MemberStanding | undefined;
  /** The unit price after any voucher, and the member's. */
  listUnit: bigint | undefined;
  memberUnit: bigint | undefined;
  currency: Currency;
}) {
  const { t, i18n } = useTranslation("membership");
  const refusal = membersOnlyRefusal(tier, standing);
  if (refusal) {
    return (
      <p className="notice error" data-testid="members-only">
        {refusal === "join"
          ? t("checkout.membersOnlyJoin", { program: program.name })
          : t("checkout.membersOnlyLevel", { required: levelName(tier.minLevel, program.levelNames, t), level: levelName(standing!.level, program.levelNames, t) })}{" "}
        <Link to={`/membership/${program.id}`} data-testid="members-only-join">
          {t("checkout.seeProgram", { program: program.name })}
        </Link>
      </p>
    );
  }
  if (listUnit === undefined || memberUnit === undefined || memberUnit >= listUnit) return null;
  return (
    <p className="notice ok" data-testid="member-price">
      {t("checkout.memberPrice", {
        price: formatAmount(memberUnit, currency, i18n.language),
        perk: perkSentences({ ...tier, membersOnly: false, extraPerWallet: 0 }, program.levelNames, t)[0],
      })}
    </p>
  );
}

/** Points each ticket uses, and the encoded proof that spends them. */
export interface PointsChoice {
  perTicket: bigint;
  member: Hex;
}

/** The server's answer (server/membership/routes.ts). */
interface MemberLeaf {
  root: Hex;
  credited: string;
  proof: Hex[];
  spent: string;
  available: string;
}

const least = (a: bigint, b: bigint) => (a < b ? a : b);

export function PayWithPoints({
  program,
  member,
  pointValue,
  unitPrice,
  count,
  currency,
  onChange,
}: {
  /** The program's organizer. */
  program: Hex;
  member: Address;
  /** What a point pays of a ticket, in the event's currency. */
  pointValue: bigint;
  /** Each ticket's price before points (after a voucher and the member's discount). */
  unitPrice: bigint;
  count: number;
  currency: Currency;
  /** The points chosen (undefined: none); a state setter (stable). */
  onChange: (choice: PointsChoice | undefined) => void;
}) {
  const { t, i18n } = useTranslation("membership");
  const locale = i18n.language;
  const [on, setOn] = useState(false);
  const [typed, setTyped] = useState("");
  const leaf = useQuery({
    queryKey: ["member-proof", program, member],
    queryFn: () => api<MemberLeaf>(`/membership/${program}/proof/${member}`),
    enabled: on,
    retry: false,
    // A new root comes every round of the points signer: what is left to spend follows it.
    refetchInterval: on ? 10_000 : false,
  });
  const available = leaf.data ? BigInt(leaf.data.available) : 0n;
  // The most a ticket can use: points for every ticket, and no more than its price.
  const most = least(available / BigInt(Math.max(count, 1)), unitPrice / pointValue);
  const perTicket = on && leaf.data && /^\d+$/.test(typed) ? least(BigInt(typed), most) : 0n;
  const encoded = perTicket > 0n && leaf.data ? encodeMemberProof({ credited: BigInt(leaf.data.credited), proof: leaf.data.proof }, perTicket) : undefined;

  useEffect(() => {
    onChange(encoded ? { perTicket, member: encoded } : undefined);
    return () => onChange(undefined);
  }, [encoded, perTicket, onChange]);

  const error = leaf.error && (leaf.error instanceof ApiError && leaf.error.code === "not-in-balances" ? t("points.notPosted") : t("points.failed", { message: leaf.error.message }));
  return (
    <fieldset data-testid="pay-with-points">
      <legend>{t("points.title")}</legend>
      <label className="inline">
        <input type="checkbox" checked={on} onChange={(e) => setOn(e.target.checked)} data-testid="use-points" /> {t("points.use")}
        <span className="small muted">{t("points.worth", { value: formatAmount(pointValue, currency, locale) })}</span>
      </label>
      {on &&
        (leaf.isLoading ? (
          <Loading />
        ) : error ? (
          <p className="notice error" role="alert" data-testid="points-error">
            {error}
          </p>
        ) : (
          <>
            <p data-testid="points-available">{t("points.available", { count: Number(available) })}</p>
            {most === 0n ? (
              <p className="muted small">{t("points.none")}</p>
            ) : (
              <label>
                {t("points.perTicket")}
                <span className="row">
                  <input
                    type="number"
                    inputMode="numeric"
                    min={0}
                    max={most.toString()}
                    value={typed}
                    placeholder={most.toString()}
                    // Kept to what can be used: the points left for every ticket, the price.
                    onChange={(e) => setTyped(/^\d+$/.test(e.target.value) ? least(BigInt(e.target.value), most).toString() : "")}
                    data-testid="points-per-ticket"
                    className="qty"
                  />
                  <span className="muted small">{t("points.max", { count: Number(most) })}</span>
                </span>
              </label>
            )}
            {perTicket > 0n && (
              <p className="notice ok" data-testid="points-value">
                {t("points.takesOff", { points: perTicket.toString(), value: formatAmount(perTicket * pointValue, currency, locale), total: (perTicket * BigInt(count)).toString() })}
              </p>
            )}
          </>
        ))}
    </fieldset>
  );
}
