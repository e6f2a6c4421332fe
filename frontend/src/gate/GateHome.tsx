export function GateHome() {
  return <p>GateHome</p>;
}
