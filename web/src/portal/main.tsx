import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { PortalApp } from './PortalApp';
import './portal.css';

const queryClient = new QueryClient({
  defaultOptions: {
    // Every summary read is recorded as a visit: read again only after the debtor acts.
    queries: { retry: false, refetchOnWindowFocus: false, refetchOnReconnect: false, staleTime: Infinity },
  },
});

/** /portal/<token>: the token is the last path segment (a trailing slash is tolerated). */
function tokenFromPath(path: string): string {
  const m = /^\/portal\/([^/]+)\/?$/.exec(path);
  return m?.[1] ? decodeURIComponent(m[1]) : '';
}

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <QueryClientProvider client={queryClient}>
        <PortalApp token={tokenFromPath(window.location.pathname)} />
      </QueryClientProvider>
    </StrictMode>,
  );
}
