export function ScannerPage() {
  return <p>ScannerPage</p>;
}
