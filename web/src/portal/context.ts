import { createContext, useContext } from 'react';
import type { PortalApi, PortalSummary } from './api';
import type { PortalLang, Translate } from './portal.i18n';

export interface PortalCtx {
  api: PortalApi;
  summary: PortalSummary;
  lang: PortalLang;
  locale: string;
  t: Translate;
  /** Re-read the summary and plans after the debtor changed something. */
  refresh: () => Promise<void>;
  /** Announce the outcome of an action (an aria-live region at the top of the page). */
  announce: (message: string) => void;
  downloads: boolean;
}

export const PortalContext = createContext<PortalCtx | null>(null);

export function usePortal(): PortalCtx {
  const c = useContext(PortalContext);
  if (!c) throw new Error('usePortal outside the portal');
  return c;
}
