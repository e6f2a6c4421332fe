// A refused request: the client's input failed a named check. Thrown by the checks, turned into
// `{ error: reason, message, ...details }` with its 4xx status by the module's error handler.
export class Refusal extends Error {
  constructor(
    readonly statusCode: 400 | 404 | 413 | 415,
    readonly reason: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }

  get body() {
    return { error: this.reason, message: this.message, ...this.details };
  }
}

/** A field of the event metadata failed its check; `field` is a JSON pointer ("/tiers/0/price"). */
export const invalidField = (field: string, message: string) => new Refusal(400, "invalid-field", `${field} ${message}`, { field });

/** The IPFS node (kubo) failed or disagreed: a 502 naming which. */
export class IpfsNodeError extends Error {
  constructor(
    readonly reason: "ipfs-unavailable" | "ipfs-cid-mismatch",
    message: string,
  ) {
    super(message);
  }
}
