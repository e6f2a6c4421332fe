// Sales channels on the fan side: a channel's link is the event page with `?ch=<id>` (the
// organizer's Channels tab hands it out). The event page remembers the channel for that event in
// sessionStorage (keyed by chain and event), so it survives the way to checkout; a later link with
// another `ch` replaces it. The checkout credits it only while the index lists it as open: an
// unknown or closed channel is dropped, never sent (the contract would refuse with UnknownChannel).
import { useEffect, useState } from "react";

import type { EventPageChannel } from "../../../lib/index/index.js";
import { network } from "../wallet/network.js";

/** contracts: MAX_CHANNELS (uint8), ids from 1. */
const MAX_CHANNEL_ID = 255;

const storageKey = (event: string) => `chainpass.channel.${network.chainId}.${event.toLowerCase()}`;

/** A `?ch=` value as a channel id (1 to 255); undefined for anything else. */
export function channelParam(value: string | null): number | undefined {
  if (!value || !/^\d{1,3}$/.test(value)) return undefined;
  const id = Number(value);
  return id >= 1 && id <= MAX_CHANNEL_ID ? id : undefined;
}

// sessionStorage can be unavailable (a privacy mode, a sandboxed frame): the link then counts for
// this page alone.
export function rememberChannel(event: string, channelId: number) {
  try {
    sessionStorage.setItem(storageKey(event), String(channelId));
  } catch {
    // nothing to remember it in
  }
}

export function recallChannel(event: string): number | undefined {
  try {
    return channelParam(sessionStorage.getItem(storageKey(event)));
  } catch {
    return undefined;
  }
}

export function forgetChannel(event: string) {
  try {
    sessionStorage.removeItem(storageKey(event));
  } catch {
    // nothing remembered
  }
}

/**
 * The channel a purchase of `event` is credited to: `fromLink` (the page's own `?ch=`) or the one
 * remembered, when `channels` (the index's, EVENT_PAGE) has it open. One it lists as closed, or
 * does not list, is forgotten. `drop` forgets it too (the chain refused it meanwhile).
 */
export function useSalesChannel(event: string, channels: readonly EventPageChannel[] | undefined, fromLink?: number) {
  const [dropped, setDropped] = useState(false);
  const id = dropped ? undefined : (fromLink ?? recallChannel(event));
  const found = id === undefined ? undefined : channels?.find((c) => c.channelId === id);
  const usable = found?.open ? found : undefined;
  // A remembered one is forgotten once the index has answered without it open (not while it
  // loads); the event page keeps its link's, which the checkout then checks.
  const stale = fromLink === undefined && id !== undefined && channels !== undefined && !usable;
  useEffect(() => {
    if (stale) forgetChannel(event);
  }, [stale, event]);
  return {
    channel: usable,
    drop: () => {
      forgetChannel(event);
      setDropped(true);
    },
  };
}
