// A page's own "Connect wallet" button opens the header's wallet dialog (app/ConnectDialog.tsx)
// rather than a second one: one dialog, one set of connector buttons in the page.
const OPEN_CONNECT_DIALOG = "chainpass:open-connect-dialog";

export const openConnectDialog = () => window.dispatchEvent(new Event(OPEN_CONNECT_DIALOG));

/** For the dialog: calls `open` whenever a page asks; returns the unsubscribe. */
export function onConnectDialogRequest(open: () => void): () => void {
  window.addEventListener(OPEN_CONNECT_DIALOG, open);
  return () => window.removeEventListener(OPEN_CONNECT_DIALOG, open);
}
