// Canonical JSON (RFC 8785, JCS, for the values event metadata holds): object keys sorted by
// UTF-16 code units, no whitespace, numbers and strings as JSON.stringify writes them. The same
// content then always has the same bytes, so the same CID.
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const members = Object.entries(value).filter(([, member]) => member !== undefined);
    // `<` on strings compares UTF-16 code units, as JCS requires.
    members.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${members.map(([key, member]) => `${JSON.stringify(key)}:${canonicalJson(member)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}
