export function OrganizerHome() {
  return <p>OrganizerHome</p>;
}
