// Step 1, the event: what kind it is (one date, a season of timed entry, a run of performances),
// name and token symbol, description, venue, its time zone, start and end (on the venue's clock; a
// season's or a run's come from its schedule), and the artwork (uploaded to IPFS as soon as it is
// picked).
import { useState } from "react";
import { useTranslation } from "react-i18next";

import { api, ApiError } from "../../shared/api.js";
import { nowSeconds } from "../../shared/format.js";
import { ipfsUrl } from "../../shared/metadata.js";
import { formatZoned, timeZoneChoices } from "../../shared/venue-time.js";
import { symbolFrom } from "../util.js";
import { FORMATS, newSchedule, type EventDraft, type EventFormat, type PatchDraft } from "./draft.js";
import { Field } from "./Field.js";
import type { Problems } from "./validate.js";

/** The zones the wizard offers (IANA names, with the organizer's own and UTC). */
const zones = timeZoneChoices();

export function EventStep({ draft, patch, problems }: { draft: EventDraft; patch: PatchDraft; problems: Problems }) {
  const { t, i18n } = useTranslation("organizer");
  const single = draft.format === "single";
  const choose = (format: EventFormat) =>
    // A schedule not begun yet starts again from the new format's defaults (a season's hourly slots, a run's evenings).
    patch((d) => ({ format, ...(d.schedule.firstDate ? {} : { schedule: newSchedule(format) }) }));
  return (
    <>
      <fieldset className="format-choice" data-testid="event-format">
        <legend>{t("create.format")}</legend>
        {FORMATS.map((format) => (
          <label key={format} className="format-option">
            <input type="radio" name="event-format" value={format} data-testid={`format-${format}`} checked={draft.format === format} onChange={() => choose(format)} />
            <span>
              <strong>{t(`create.formats.${format}`)}</strong>
              <span className="muted small"> {t(`create.formats.${format}Help`)}</span>
            </span>
          </label>
        ))}
      </fieldset>
      <div className="form-grid">
        <Field id="event-name" label={t("create.name")} problems={problems}>
          <input
            data-testid="event-name"
            value={draft.name}
            maxLength={200}
            onChange={(e) => patch({ name: e.target.value, ...(draft.symbolEdited ? {} : { symbol: symbolFrom(e.target.value) }) })}
          />
        </Field>
        <Field id="event-symbol" label={t("create.symbol")} help={t("create.symbolHelp")} problems={problems}>
          <input data-testid="event-symbol" value={draft.symbol} maxLength={11} onChange={(e) => patch({ symbol: e.target.value.toUpperCase(), symbolEdited: true })} />
        </Field>
      </div>
      <Field id="event-description" label={t("create.description")} problems={problems}>
        <textarea data-testid="event-description" rows={4} value={draft.description} maxLength={10_000} onChange={(e) => patch({ description: e.target.value })} />
      </Field>
      <div className="form-grid">
        <Field id="venue-name" label={t("create.venueName")} problems={problems}>
          <input data-testid="venue-name" value={draft.venueName} maxLength={200} onChange={(e) => patch({ venueName: e.target.value })} />
        </Field>
        <Field id="venue-address" label={t("create.venueAddress")} problems={problems}>
          <input data-testid="venue-address" value={draft.venueAddress} maxLength={500} onChange={(e) => patch({ venueAddress: e.target.value })} />
        </Field>
        <Field id="event-timezone" label={t("create.timezone")} describedBy="timezone-help" problems={problems}>
          <select data-testid="event-timezone" value={draft.timezone} onChange={(e) => patch({ timezone: e.target.value })}>
            {zones.map((zone) => (
              <option key={zone} value={zone}>
                {zone.replace(/_/g, " ")}
              </option>
            ))}
          </select>
        </Field>
        {single && (
          <>
            <Field id="event-start" label={t("create.start")} describedBy="timezone-help" problems={problems}>
              <input type="datetime-local" data-testid="event-start" value={draft.start} onChange={(e) => patch({ start: e.target.value })} />
            </Field>
            <Field id="event-end" label={t("create.end")} describedBy="timezone-help" problems={problems}>
              <input type="datetime-local" data-testid="event-end" value={draft.end} min={draft.start || undefined} onChange={(e) => patch({ end: e.target.value })} />
            </Field>
          </>
        )}
      </div>
      {!single && (
        <p className="muted small" data-testid="format-times-note">
          {t("create.scheduleTimesNote")}
        </p>
      )}
      <p className="muted small" id="timezone-help" data-testid="timezone-help">
        {t("create.timezoneHelp", { zone: draft.timezone, now: formatZoned(nowSeconds(), { locale: i18n.language, zone: draft.timezone, reader: draft.timezone, shape: "time" }) })}
      </p>
      <ArtworkField artwork={draft.artwork} onUploaded={(artwork) => patch({ artwork })} problems={problems} />
    </>
  );
}

/** The artwork: uploaded when picked; the draft keeps its IPFS URI (and the preview shows it) across steps. */
function ArtworkField({ artwork, onUploaded, problems }: { artwork: EventDraft["artwork"]; onUploaded: (artwork: EventDraft["artwork"]) => void; problems: Problems }) {
  const { t } = useTranslation("organizer");
  const [uploading, setUploading] = useState(false);
  const [refusal, setRefusal] = useState<string | null>(null);

  async function upload(file: File | undefined) {
    if (!file) return;
    setRefusal(null);
    setUploading(true);
    try {
      const result = await api<{ uri: string; cid: string }>("/metadata/artwork", {
        method: "POST",
        body: file,
        headers: { "content-type": file.type || "application/octet-stream" },
      });
      onUploaded({ uri: result.uri, cid: result.cid });
    } catch (error) {
      onUploaded(null);
      setRefusal(error instanceof ApiError ? t("create.artworkRefused", { message: error.message }) : String(error));
    } finally {
      setUploading(false);
    }
  }

  return (
    <>
      <Field id="artwork" label={t("create.artwork")} help={t("create.artworkHelp")} problems={problems}>
        <input type="file" data-testid="artwork" accept="image/png,image/jpeg,image/webp,image/svg+xml" onChange={(e) => void upload(e.target.files?.[0])} />
      </Field>
      {uploading && (
        <p className="muted" role="status">
          {t("create.uploading")}
        </p>
      )}
      {refusal && (
        <p className="notice error" role="alert" data-testid="artwork-error">
          {refusal}
        </p>
      )}
      {artwork && (
        <figure className="artwork-preview">
          <img src={ipfsUrl(artwork.uri)} alt={t("create.artworkAlt")} data-testid="artwork-preview" />
          <figcaption>
            <code className="small break" data-testid="artwork-uri">
              {artwork.uri}
            </code>
          </figcaption>
        </figure>
      )}
    </>
  );
}
