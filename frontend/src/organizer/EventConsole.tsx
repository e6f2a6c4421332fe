export function EventConsole() {
  return <p>EventConsole</p>;
}
