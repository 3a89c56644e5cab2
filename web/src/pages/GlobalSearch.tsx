import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { api } from '../api';
import { useDailyText } from './daily.i18n';

interface SearchHit {
  kind: 'customer' | 'invoice' | 'contact';
  id: string;
  customerId: string;
  label: string;
  context: string;
}

/** Debounce: the value once it has not changed for `ms`. */
function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setV(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return v;
}

/**
 * The header search: customers by name or code, invoices by number, contacts by email, as
 * you type. "/" or Ctrl+K focuses it from anywhere (not while typing in another field);
 * arrows move in the results, Enter opens the customer file, Escape closes.
 */
export function GlobalSearch() {
  const d = useDailyText();
  const navigate = useNavigate();
  const input = useRef<HTMLInputElement>(null);
  const [text, setText] = useState('');
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const q = useDebounced(text.trim(), 250);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement | null;
      const typing =
        target && (target.tagName === 'INPUT' || target.tagName === 'TEXTAREA' || target.tagName === 'SELECT' || target.isContentEditable);
      if ((e.key === 'k' && (e.ctrlKey || e.metaKey)) || (e.key === '/' && !typing)) {
        e.preventDefault();
        input.current?.focus();
        input.current?.select();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const hits = useQuery({
    queryKey: ['search', q],
    queryFn: () => api<{ items: SearchHit[] }>(`/search?q=${encodeURIComponent(q)}&limit=5`),
    enabled: q.length >= 2,
    staleTime: 10_000,
  });
  const items = q.length >= 2 ? (hits.data?.items ?? []) : [];

  function go(hit: SearchHit | undefined) {
    if (!hit) return;
    setOpen(false);
    setText('');
    input.current?.blur();
    navigate(`/customers/${hit.customerId}`);
  }

  return (
    <div className="gsearch" role="search">
      <label className="sr-only" htmlFor="global-search">
        {d('search')}
      </label>
      <input
        id="global-search"
        ref={input}
        type="search"
        autoComplete="off"
        placeholder={d('searchPlaceholder')}
        title={d('searchHint')}
        aria-keyshortcuts="/ Control+K"
        aria-expanded={open && text.trim().length > 0}
        aria-controls="global-search-results"
        role="combobox"
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          setOpen(true);
          setActive(0);
        }}
        onFocus={() => setOpen(true)}
        onBlur={() => setTimeout(() => setOpen(false), 150)}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown') {
            e.preventDefault();
            setActive((a) => Math.min(a + 1, items.length - 1));
          } else if (e.key === 'ArrowUp') {
            e.preventDefault();
            setActive((a) => Math.max(a - 1, 0));
          } else if (e.key === 'Enter') {
            e.preventDefault();
            go(items[active]);
          } else if (e.key === 'Escape') {
            setOpen(false);
            input.current?.blur();
          }
        }}
      />
      {open && text.trim().length > 0 && (
        <ul id="global-search-results" role="listbox" className="gsearch-results" data-testid="search-results">
          {text.trim().length < 2 ? (
            <li className="muted">{d('searchTooShort')}</li>
          ) : hits.isSuccess && q === text.trim() && items.length === 0 ? (
            <li className="muted">{d('searchNoHit')}</li>
          ) : (
            items.map((h, i) => (
              <li
                key={`${h.kind}-${h.id}`}
                role="option"
                aria-selected={i === active}
                data-kind={h.kind}
                onMouseDown={(e) => {
                  e.preventDefault();
                  go(h);
                }}
              >
                <span className="badge">{d(`hit_${h.kind}`)}</span> <strong>{h.label}</strong>{' '}
                <span className="muted">{h.context}</span>
              </li>
            ))
          )}
        </ul>
      )}
    </div>
  );
}
