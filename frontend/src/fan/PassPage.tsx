export function PassPage() {
  return <p>PassPage</p>;
}
