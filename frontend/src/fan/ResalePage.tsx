export function ResalePage() {
  return <p>ResalePage</p>;
}
