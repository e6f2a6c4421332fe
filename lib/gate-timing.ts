// Time limits the scanner and the gate server must agree on (the scanner page and server/pg.ts
// read them from here, so that one cannot change without the other).

/**
 * How long a scan waits for the gate. It answers in milliseconds; a venue Wi-Fi that still looks
 * connected but carries nothing would otherwise hold the line until the browser gives up (minutes).
 * After this the scan counts as unreachable and "unanswered" (the gate may have admitted it), and
 * a device with the offline snapshot decides itself.
 */
export const SCAN_TIMEOUT_MS = 5_000;

/**
 * How long the gate server's database may take over a statement (its admission insert among them)
 * before the scan is answered 503. Longer than SCAN_TIMEOUT_MS on purpose: a scan whose insert is
 * slow is then given up by the device first, marked unanswered, so that when the insert did commit
 * the device's upload recognises the gate's own admission. A 503 inside the scan's limit would be
 * an answer: the device would admit offline unmarked, and an insert that committed all the same
 * (the limit is the client's, not the database's) would come back as a false conflict.
 */
export const DATABASE_QUERY_TIMEOUT_MS = 2 * SCAN_TIMEOUT_MS;
