import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router-dom';
import { ApiError } from './api';
import { I18nProvider, useI18n } from './i18n';
import { AcceptInvitationPage } from './pages/AcceptInvitation';
import { BankReviewPage } from './pages/BankReview';
import { CustomerFilePage } from './pages/CustomerFile';
import { CustomersPage } from './pages/Customers';
import { DashboardPage } from './pages/Dashboard';
import { ImportPage } from './pages/Import';
import { InvoicesPage } from './pages/Invoices';
import { Layout } from './pages/Layout';
import { SettingsPage } from './pages/Settings';
import { PoliciesPage } from './pages/Policies';
import { PrintQueuePage } from './pages/PrintQueue';
import { RunPreviewPage } from './pages/RunPreview';
import { SignInPage } from './pages/SignIn';
import { WorklistPage } from './pages/Worklist';
import { SessionProvider, useSessionQuery } from './session';
import './styles.css';

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // A 401 means the session ended: show sign-in instead of retrying.
      retry: (count, err) => !(err instanceof ApiError && err.problem.status === 401) && count < 2,
    },
  },
});
queryClient.getQueryCache().subscribe((event) => {
  const err = event.query.state.error;
  if (err instanceof ApiError && err.problem.status === 401 && event.query.queryKey[0] !== 'session') {
    queryClient.setQueryData(['session'], null);
  }
});

function App() {
  const { t } = useI18n();
  const session = useSessionQuery();
  if (session.isPending) return <p aria-busy="true">{t('loading')}</p>;
  if (!session.data) return window.location.pathname === '/invitation' ? <AcceptInvitationPage /> : <SignInPage />;
  return (
    <SessionProvider session={session.data}>
      <Layout>
        <Routes>
          <Route path="/" element={<DashboardPage />} />
          <Route path="/invoices" element={<InvoicesPage />} />
          <Route path="/import" element={<ImportPage />} />
          <Route path="/settings" element={<SettingsPage />} />
          <Route path="/policies" element={<PoliciesPage />} />
          <Route path="/run-preview" element={<RunPreviewPage />} />
          <Route path="/letters" element={<PrintQueuePage />} />
          <Route path="/worklist" element={<WorklistPage />} />
          <Route path="/customers/:id" element={<CustomerFilePage />} />
          <Route path="/customers" element={<CustomersPage />} />
          <Route path="/bank-review" element={<BankReviewPage />} />
          <Route path="*" element={<Navigate to="/" replace />} />
        </Routes>
      </Layout>
    </SessionProvider>
  );
}

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <QueryClientProvider client={queryClient}>
        <I18nProvider>
          <BrowserRouter>
            <App />
          </BrowserRouter>
        </I18nProvider>
      </QueryClientProvider>
    </StrictMode>,
  );
}
