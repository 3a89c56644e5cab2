import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link } from 'react-router-dom';
import { checkTrackingNumber } from '../../../src/domain/letters/tracking-number';
import { ApiError } from '../api';
import { formatDate } from '../format';
import { useI18n } from '../i18n';
import { useSession } from '../session';
import { type Letter, type LetterStatusFilter, lettersApi } from './letters-api';
import { type LetterKey, useLettersText } from './letters.i18n';
import './letters.css';
import './settings.css';

const FILTERS: LetterStatusFilter[] = ['to_print', 'posted', 'delivered', 'all'];

/** Today in the browser's calendar, only as the date field's starting value: the user can change it. */
function localToday(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/**
 * The server's reason for one field of a 400, shown next to that field; with `general`, an
 * error that names no field (404, 403, network) is shown there too, so it is never lost.
 */
function fieldError(err: unknown, field: string, general = false): string | null {
  if (!(err instanceof ApiError)) return general && err instanceof Error ? err.message : null;
  const e = err.problem.errors?.find((x) => x.field === field);
  if (e) return e.reason;
  return general && !err.problem.errors?.length ? (err.problem.detail ?? err.problem.title) : null;
}

function PostForm({ letter, onDone }: { letter: Letter; onDone: () => void }) {
  const l = useLettersText();
  const [tracking, setTracking] = useState('');
  const [postedOn, setPostedOn] = useState(localToday());
  const [localError, setLocalError] = useState<LetterKey | null>(null);
  const post = useMutation({
    mutationFn: () => lettersApi.posted(letter.id, { postedOn, ...(tracking.trim() ? { trackingNumber: tracking } : {}) }),
    onSuccess: onDone,
  });
  function submit(e: FormEvent) {
    e.preventDefault();
    // The same check as the API, before the round trip; the server still decides.
    if (tracking.trim()) {
      const c = checkTrackingNumber(tracking);
      if (!c.ok) return setLocalError(c.reason === 'check_digit' ? 'trackingCheckDigit' : 'trackingFormat');
    } else if (letter.registered) {
      return setLocalError('trackingRequired');
    }
    setLocalError(null);
    post.mutate();
  }
  const trackingErr = localError ? l(localError) : fieldError(post.error, 'trackingNumber', true);
  const dateErr = fieldError(post.error, 'postedOn');
  const errId = `trk-err-${letter.id}`;
  return (
    <form className="letter-form" onSubmit={submit} noValidate>
      <label>
        {l('tracking')}{' '}
        <input
          value={tracking}
          placeholder={l('trackingHint')}
          aria-invalid={trackingErr ? true : undefined}
          aria-describedby={trackingErr ? errId : undefined}
          onChange={(e) => setTracking(e.target.value)}
          size={20}
        />
      </label>
      {trackingErr && (
        <p id={errId} className="error field-error" role="alert">
          {trackingErr}
        </p>
      )}
      <label>
        {l('postedOn')}{' '}
        <input type="date" value={postedOn} required onChange={(e) => setPostedOn(e.target.value)} />
      </label>
      {dateErr && <p className="error field-error">{dateErr}</p>}
      <button type="submit" disabled={post.isPending}>
        {l('markPosted')}
      </button>
    </form>
  );
}

function ReceiptForm({ letter, onDone }: { letter: Letter; onDone: () => void }) {
  const l = useLettersText();
  const session = useSession();
  const [receivedOn, setReceivedOn] = useState(localToday());
  const [scan, setScan] = useState<File | null>(null);
  const receipt = useMutation({
    mutationFn: async () => {
      const doc = scan ? await lettersApi.uploadScan(letter.customerId, scan, session.csrfToken) : null;
      return lettersApi.receipt(letter.id, receivedOn, doc?.id);
    },
    onSuccess: onDone,
  });
  const err = fieldError(receipt.error, 'receivedOn', true);
  const scanErr = fieldError(receipt.error, 'file') ?? fieldError(receipt.error, 'scanDocumentId');
  const errId = `ar-err-${letter.id}`;
  return (
    <form
      className="letter-form"
      onSubmit={(e) => {
        e.preventDefault();
        receipt.mutate();
      }}
    >
      <label>
        {l('receivedOn')}{' '}
        <input
          type="date"
          value={receivedOn}
          required
          aria-invalid={err ? true : undefined}
          aria-describedby={err ? errId : undefined}
          onChange={(e) => setReceivedOn(e.target.value)}
        />
      </label>
      {err && (
        <p id={errId} className="error field-error" role="alert">
          {err}
        </p>
      )}
      <label>
        {l('scan')}{' '}
        <input
          type="file"
          accept="application/pdf,image/png,image/jpeg,image/tiff"
          aria-invalid={scanErr ? true : undefined}
          onChange={(e) => setScan(e.target.files?.[0] ?? null)}
        />
      </label>
      {scanErr && <p className="error field-error">{scanErr}</p>}
      <button type="submit" disabled={receipt.isPending}>
        {l('recordReceipt')}
      </button>
    </form>
  );
}

/** "Courriers à poster": the letters rendered without a postal provider, to print, post and track. */
export function PrintQueuePage() {
  const l = useLettersText();
  const { locale, lang } = useI18n();
  const session = useSession();
  const canWrite = session.user.role !== 'viewer';
  const qc = useQueryClient();
  const [status, setStatus] = useState<LetterStatusFilter>('to_print');
  // Cursors of the pages before the current one, for "previous".
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const cursor = cursors[cursors.length - 1] ?? null;
  const letters = useQuery({
    queryKey: ['letters', status, cursor],
    queryFn: () => lettersApi.list(status, cursor),
    placeholderData: keepPreviousData,
  });
  const refresh = async (customerId: string) => {
    await qc.invalidateQueries({ queryKey: ['letters'] });
    await qc.invalidateQueries({ queryKey: ['timeline', customerId] });
  };
  const page = letters.data;
  // Letters ticked for one batch PDF: only those still on this page of the "to print" tab count,
  // so a letter posted meanwhile drops out of the batch.
  const [picked, setPicked] = useState<Set<string>>(new Set());
  const selectable = status === 'to_print' ? (page?.items.filter((x) => x.pdfUrl) ?? []) : [];
  const selected = selectable.filter((x) => picked.has(x.id)).map((x) => x.id);
  const allPicked = selectable.length > 0 && selected.length === selectable.length;
  const toggle = (id: string, on: boolean) => {
    const next = new Set(picked);
    if (on) next.add(id);
    else next.delete(id);
    setPicked(next);
  };

  return (
    <section aria-labelledby="pq-title" className="print-queue">
      <h1 id="pq-title">{l('title')}</h1>
      <p className="muted">{l('intro')}</p>
      <div className="row filters" role="group" aria-label={l('status')}>
        {FILTERS.map((f) => (
          <button
            key={f}
            type="button"
            className={f === status ? 'tab active' : 'tab'}
            aria-pressed={f === status}
            onClick={() => {
              setStatus(f);
              setCursors([null]);
              setPicked(new Set());
            }}
          >
            {l(`f_${f}` as LetterKey)}
          </button>
        ))}
        {page && (
          <span className="muted" data-testid="letters-total">
            {page.total} {l(page.total === 1 || (lang === 'fr' && page.total === 0) ? 'one' : 'total')}
          </span>
        )}
      </div>
      {page && page.items.length === 0 && <p className="muted">{l('empty')}</p>}
      {selected.length > 0 && (
        <p className="row">
          <a href={lettersApi.batchPdfUrl(selected)} target="_blank" rel="noreferrer" data-testid="print-selection">
            {l('printSelection')} ({selected.length})
          </a>
        </p>
      )}
      {page && page.items.length > 0 && (
        <table data-testid="letters">
          <thead>
            <tr>
              {status === 'to_print' && (
                <th scope="col">
                  <input
                    type="checkbox"
                    aria-label={l('selectPage')}
                    checked={allPicked}
                    disabled={selectable.length === 0}
                    onChange={(e) =>
                      setPicked(e.target.checked ? new Set(selectable.map((x) => x.id)) : new Set())
                    }
                  />
                </th>
              )}
              <th scope="col">{l('customer')}</th>
              <th scope="col">{l('address')}</th>
              <th scope="col">{l('createdAt')}</th>
              <th scope="col">{l('status')}</th>
              <th scope="col">{l('tracking')}</th>
              <th scope="col">{l('pdf')}</th>
              <th scope="col">{l('actions')}</th>
            </tr>
          </thead>
          <tbody>
            {page.items.map((x) => (
              <tr key={x.id} data-letter={x.id}>
                {status === 'to_print' && (
                  <td>
                    <input
                      type="checkbox"
                      aria-label={`${l('select')} ${x.customerName}`}
                      checked={picked.has(x.id)}
                      disabled={!x.pdfUrl}
                      onChange={(e) => toggle(x.id, e.target.checked)}
                    />
                  </td>
                )}
                <td>
                  <Link to={`/customers/${x.customerId}`}>{x.customerName}</Link>
                  <br />
                  <span className="badge">{x.registered ? l('registered') : l('plain')}</span>
                </td>
                <td className="address">{x.toAddress}</td>
                <td>{formatDate(x.createdAt.slice(0, 10), locale)}</td>
                <td data-testid="letter-status">
                  {l(`st_${x.status}` as LetterKey) ?? x.status}
                  {x.postedOn && (
                    <>
                      <br />
                      {l('postedOn')} {formatDate(x.postedOn, locale)}
                    </>
                  )}
                  {x.receivedOn && (
                    <>
                      <br />
                      {l('receivedOn')} {formatDate(x.receivedOn, locale)}
                    </>
                  )}
                </td>
                <td>{x.trackingNumber ?? '—'}</td>
                <td>
                  {x.pdfUrl && (
                    <a href={x.pdfUrl} target="_blank" rel="noreferrer">
                      {l('openPdf')}
                    </a>
                  )}
                </td>
                <td>
                  {canWrite && x.status === 'queued_for_print' && (
                    <PostForm letter={x} onDone={() => void refresh(x.customerId)} />
                  )}
                  {canWrite && x.status === 'posted' && (
                    <ReceiptForm letter={x} onDone={() => void refresh(x.customerId)} />
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p className="row">
        <button
          type="button"
          disabled={cursors.length < 2}
          onClick={() => {
            setCursors(cursors.slice(0, -1));
            setPicked(new Set());
          }}
        >
          {l('previous')}
        </button>
        <button
          type="button"
          disabled={!page?.nextCursor}
          onClick={() => {
            if (!page?.nextCursor) return;
            setCursors([...cursors, page.nextCursor]);
            setPicked(new Set());
          }}
        >
          {l('next')}
        </button>
      </p>
    </section>
  );
}
