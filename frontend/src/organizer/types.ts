import type { Address } from "viem";

import type { EventPage } from "../../../lib/index/index.js";
import type { Currency } from "../shared/format.js";

/** What every console tab gets: the event's address, its EVENT_PAGE entity and its currency. */
export interface ConsoleEvent {
  address: Address;
  info: NonNullable<EventPage["event"]>;
  currency: Currency;
}
