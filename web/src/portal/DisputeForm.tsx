import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { PortalError, type PortalItem } from './api';
import { usePortal } from './context';
import { labelOf } from './portal.i18n';

/** The same list as src/domain/portal DISPUTE_REASON_CODES (the disputes.reason_code check). */
const REASONS = [
  'not_received',
  'quality',
  'price',
  'quantity',
  'already_paid',
  'duplicate',
  'contract',
  'other',
] as const;
const MAX_COMMENT = 2000;
const MAX_FILE_BYTES = 5 * 1024 * 1024;

export function DisputeForm({ item, onDone }: { item: PortalItem; onDone: () => void }) {
  const { api, t, refresh, announce } = usePortal();
  const id = useId();
  const [reason, setReason] = useState('');
  const [comment, setComment] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const first = useRef<HTMLSelectElement>(null);
  // The form opens under the button that asked for it: take the keyboard there.
  useEffect(() => first.current?.focus(), []);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (file && file.size > MAX_FILE_BYTES) {
      setError(t('fileTooLarge'));
      return;
    }
    setBusy(true);
    setError('');
    try {
      const r = await api.dispute(item.invoiceId, reason, comment.trim());
      let message = t('disputeSent', { invoice: r.invoiceNumber });
      if (file) {
        try {
          await api.attach(r.disputeId, file);
        } catch (err) {
          message = t('attachmentFailed', { reason: err instanceof Error ? err.message : '' });
        }
      }
      announce(message);
      await refresh();
      onDone();
    } catch (err) {
      setError(err instanceof PortalError ? err.message : t('error'));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="p-form" onSubmit={submit} aria-labelledby={`${id}-h`}>
      <h4 id={`${id}-h`}>{t('disputeTitle', { invoice: item.invoiceNumber })}</h4>
      <label htmlFor={`${id}-reason`}>{t('reason')}</label>
      <select ref={first} id={`${id}-reason`} required value={reason} onChange={(e) => setReason(e.target.value)}>
        <option value="">{t('reasonPick')}</option>
        {REASONS.map((r) => (
          <option key={r} value={r}>
            {labelOf(t, 'r_', r)}
          </option>
        ))}
      </select>
      <label htmlFor={`${id}-comment`}>{t('comment')}</label>
      <textarea
        id={`${id}-comment`}
        rows={3}
        maxLength={MAX_COMMENT}
        value={comment}
        onChange={(e) => setComment(e.target.value)}
      />
      <label htmlFor={`${id}-file`}>{t('attachment')}</label>
      <input
        id={`${id}-file`}
        type="file"
        accept="application/pdf,image/png,image/jpeg"
        onChange={(e) => setFile(e.target.files?.[0] ?? null)}
      />
      {error ? (
        <p role="alert" className="p-error">
          {error}
        </p>
      ) : null}
      <div className="p-actions">
        <button type="submit" disabled={busy}>
          {t('sendDispute')}
        </button>
        <button type="button" className="p-link" onClick={onDone}>
          {t('cancel')}
        </button>
      </div>
    </form>
  );
}
