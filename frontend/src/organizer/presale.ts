// The presale start chosen in the wizard waits on this device until the organizer uploads the
// allowlist (the contract takes the start and the Merkle root together).
const key = (event: string, tier: number) => `chainpass.presaleStart.${event.toLowerCase()}.${tier}`;

export function rememberPresaleStart(event: string, tier: number, start: number) {
  try {
    localStorage.setItem(key(event, tier), String(start));
  } catch {
    // storage full or disabled: the console asks for the date again
  }
}

export function recallPresaleStart(event: string, tier: number): number | undefined {
  const v = Number(localStorage.getItem(key(event, tier)));
  return Number.isFinite(v) && v > 0 ? v : undefined;
}
