/** Polls `check` until it returns a truthy value (chain, index or gate state catching up). */
export async function eventually<T>(check: () => Promise<T>, what: string, timeout = 30_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeout} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
