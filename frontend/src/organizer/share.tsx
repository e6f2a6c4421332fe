// Sharing what the organizer hands out (a voucher code, a sales channel's link): copy it, or
// show it as a QR code to print or put on a screen.
import QRCode from "qrcode";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";

/** Copies `text` to the clipboard, then says so for a moment. */
export function CopyButton({ text, testId = "copy-code" }: { text: string; testId?: string }) {
  const { t } = useTranslation("organizer");
  const [copied, setCopied] = useState(false);
  return (
    <button
      type="button"
      className="link"
      data-testid={testId}
      onClick={() =>
        void navigator.clipboard?.writeText(text).then(() => {
          setCopied(true);
          setTimeout(() => setCopied(false), 1500);
        })
      }
    >
      {copied ? t("offers.copied") : t("offers.copy")}
    </button>
  );
}

/** `text` as a QR code, drawn when first opened. */
export function QrCode({ text, testId }: { text: string; testId: string }) {
  const { t } = useTranslation("organizer");
  const [open, setOpen] = useState(false);
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    if (!open || url) return;
    void QRCode.toDataURL(text, { margin: 1, width: 200 }).then(setUrl);
  }, [open, url, text]);
  return (
    <details className="qr" onToggle={(e) => setOpen((e.target as HTMLDetailsElement).open)}>
      <summary data-testid={`${testId}-open`}>{t("offers.qr")}</summary>
      {url && <img src={url} width={160} height={160} alt={t("offers.qrAlt", { code: text })} data-testid={testId} />}
    </details>
  );
}
