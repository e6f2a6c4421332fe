export function ExplorePage() {
  return <p>ExplorePage</p>;
}
