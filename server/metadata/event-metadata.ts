// Event metadata JSON: ERC-721 metadata (name, description, image, external_url, OpenSea-style
// attributes) plus the event's venue, its time zone, times, tiers and refund policy. The JSON
// schema checks shapes (Fastify validates the body with it); `normalizeEventMetadata` checks what
// a schema cannot and returns the canonical form that is stored.
import { CID } from "multiformats/cid";

import { isTimeZone, MAX_TIME_ZONE_LENGTH } from "../../lib/time-zone.js";
import { invalidField } from "./refusal.js";

const text = (maxLength: number) => ({ type: "string", minLength: 1, maxLength }) as const;
/** Unix seconds, as the contracts store event times; up to the end of year 9999. */
const unixTime = { type: "integer", minimum: 0, maximum: 253_402_300_799 } as const;

const DISPLAY_TYPES = ["number", "boost_number", "boost_percentage", "date"] as const;

/** A refund policy's most steps (contracts: RefundPolicy.MAX_STEPS). */
const MAX_REFUND_STEPS = 4;

export const eventMetadataSchema = {
  type: "object",
  additionalProperties: false,
  required: ["name", "description", "image", "venue", "start_time", "end_time", "tiers"],
  properties: {
    name: text(200),
    description: text(10_000),
    /** ipfs://<CID> of the artwork (what POST /metadata/artwork returns). */
    image: { type: "string", pattern: "^ipfs://", maxLength: 200 },
    external_url: text(2048),
    venue: {
      type: "object",
      additionalProperties: false,
      required: ["name"],
      properties: { name: text(200), address: text(500) },
    },
    start_time: unixTime,
    end_time: unixTime,
    /** The venue's IANA time zone ("Asia/Shanghai"): apps show the event's times there. */
    timezone: text(MAX_TIME_ZONE_LENGTH),
    /** How to show tier prices: the event currency's symbol and decimals. */
    currency: {
      type: "object",
      additionalProperties: false,
      required: ["symbol", "decimals"],
      properties: { symbol: text(16), decimals: { type: "integer", minimum: 0, maximum: 36 } },
    },
    /** In tier id order (the first is tier 1); prices in the currency's smallest unit, as on chain. */
    tiers: {
      type: "array",
      minItems: 1,
      maxItems: 100,
      items: {
        type: "object",
        additionalProperties: false,
        required: ["name", "price"],
        properties: { name: text(100), price: { type: "string", pattern: "^(0|[1-9][0-9]{0,77})$" } },
      },
    },
    /**
     * The refund policy the organizer set with setRefundPolicy, for apps that show it before the
     * chain is read: steps from the earliest deadline, "until `secondsBefore` before a ticket's
     * start, refund `shareBps` of its price". Absent: no returns.
     */
    refundPolicy: {
      type: "object",
      additionalProperties: false,
      required: ["steps"],
      properties: {
        steps: {
          type: "array",
          minItems: 1,
          maxItems: MAX_REFUND_STEPS,
          items: {
            type: "object",
            additionalProperties: false,
            required: ["secondsBefore", "shareBps"],
            properties: {
              secondsBefore: { type: "integer", minimum: 0, maximum: 4_294_967_295 },
              shareBps: { type: "integer", minimum: 1, maximum: 10_000 },
            },
          },
        },
      },
    },
    attributes: {
      type: "array",
      maxItems: 100,
      items: {
        type: "object",
        additionalProperties: false,
        required: ["value"],
        properties: {
          trait_type: text(100),
          value: { anyOf: [text(500), { type: "number" }] },
          display_type: { type: "string", enum: DISPLAY_TYPES },
          max_value: { type: "number" },
        },
      },
    },
  },
} as const;

export interface EventMetadata {
  name: string;
  description: string;
  image: string;
  external_url?: string;
  venue: { name: string; address?: string };
  start_time: number;
  end_time: number;
  timezone?: string;
  currency?: { symbol: string; decimals: number };
  tiers: { name: string; price: string }[];
  refundPolicy?: { steps: { secondsBefore: number; shareBps: number }[] };
  attributes?: { trait_type?: string; value: string | number; display_type?: (typeof DISPLAY_TYPES)[number]; max_value?: number }[];
}

/** Checks what the schema cannot; returns the metadata with its image URI in canonical form. */
export function normalizeEventMetadata(metadata: EventMetadata): EventMetadata {
  const image = `ipfs://${parseIpfsUri(metadata.image)}`;
  if (metadata.external_url !== undefined && !isWebUrl(metadata.external_url)) throw invalidField("/external_url", "must be an http(s) URL");
  if (metadata.end_time <= metadata.start_time) throw invalidField("/end_time", "must be after start_time");
  if (metadata.timezone !== undefined && !isTimeZone(metadata.timezone)) throw invalidField("/timezone", `must be an IANA time zone name such as "Asia/Shanghai", not "${metadata.timezone}"`);
  const names = new Set<string>();
  metadata.tiers.forEach((tier, index) => {
    if (names.has(tier.name)) throw invalidField(`/tiers/${index}/name`, `repeats the tier name "${tier.name}"`);
    names.add(tier.name);
  });
  // As setRefundPolicy takes them: each deadline later (fewer seconds before) and each share smaller than the one before.
  metadata.refundPolicy?.steps.forEach((step, index, steps) => {
    const before = steps[index - 1];
    if (!before) return;
    if (step.secondsBefore >= before.secondsBefore) throw invalidField(`/refundPolicy/steps/${index}/secondsBefore`, "must be less than the step before's (deadlines run from the earliest)");
    if (step.shareBps >= before.shareBps) throw invalidField(`/refundPolicy/steps/${index}/shareBps`, "must be less than the step before's (shares fall as the start nears)");
  });
  metadata.attributes?.forEach((attribute, index) => {
    // OpenSea shows display types only for numeric values; a date is Unix seconds.
    if (attribute.display_type && typeof attribute.value !== "number") throw invalidField(`/attributes/${index}/value`, `must be a number with display_type ${attribute.display_type}`);
    if (attribute.display_type === "date" && !Number.isInteger(attribute.value)) throw invalidField(`/attributes/${index}/value`, "must be Unix seconds with display_type date");
  });
  return { ...metadata, image };
}

/** The CID of an ipfs://<CID> URI, as CIDv1 base32 (the form the same image always has). */
function parseIpfsUri(uri: string): string {
  try {
    return CID.parse(uri.slice("ipfs://".length)).toV1().toString();
  } catch {
    throw invalidField("/image", "must be ipfs://<CID> with a valid CID and no path");
  }
}

function isWebUrl(value: string): boolean {
  try {
    const { protocol } = new URL(value);
    return protocol === "https:" || protocol === "http:";
  } catch {
    return false;
  }
}
