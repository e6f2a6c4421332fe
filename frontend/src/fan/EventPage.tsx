export function EventPage() {
  return <p>EventPage</p>;
}
