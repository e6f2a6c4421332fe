export function MyTicketsPage() {
  return <p>MyTicketsPage</p>;
}
