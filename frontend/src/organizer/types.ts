import type { Address } from "viem";

import type { EventPage } from "../../../lib/index/index.js";
import type { Currency } from "../shared/format.js";

/** What every console tab gets: the event's address, its EVENT_PAGE entity, its currency and its venue's time zone. */
export interface ConsoleEvent {
  address: Address;
  info: NonNullable<EventPage["event"]>;
  currency: Currency;
  /** The venue's IANA zone from the metadata (the reader's while it loads, or for an event without one). */
  zone: string;
}
