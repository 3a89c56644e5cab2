/** Types and queries of the risk model's API (GET/POST /risk/models, /risk/customers, /customers/:id/risk, /forecast). */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, type Money } from '../api';

export type RiskBand = 'faible' | 'moyen' | 'eleve' | 'critique';

export interface RiskFactor {
  feature: string;
  weight: number;
  value: number;
  fr: string;
  en: string;
}

export interface CustomerRisk {
  customerId: string;
  externalRef: string;
  name: string;
  scoredOn: string;
  modelVersion: number;
  score: number;
  band: RiskBand;
  pLate: number;
  factors: RiskFactor[];
}

export interface CustomerRiskFile {
  current: CustomerRisk | null;
  history: { scoredOn: string; score: number; band: RiskBand; modelVersion: number }[];
  invoices: { invoiceId: string; invoiceNumber: string; pLate: number; expectedDate: string; p10Date: string; p90Date: string }[];
}

export interface RiskModelVersion {
  version: number;
  kind: 'gbdt' | 'prior';
  trainedAt: string;
  trainedUntil: string;
  trainingRows: number;
  note: string | null;
}

export interface ForecastWeek {
  weekStart: string;
  expected: Money;
  p10: Money;
  p90: Money;
  naive: Money;
}

export interface Forecast {
  fromDate: string;
  weeks: number;
  modelVersion: number | null;
  modelKind: 'gbdt' | 'prior';
  currencies: { currency: string; later: Money; weeks: ForecastWeek[] }[];
}

export interface TrainResult {
  version: number;
  kind: 'gbdt' | 'prior';
  trainingRows: number;
  note: string | null;
  scoredInvoices: number;
  scoredCustomers: number;
}

export const useRiskModels = () =>
  useQuery({ queryKey: ['risk', 'models'], queryFn: () => api<{ items: RiskModelVersion[] }>('/risk/models') });

/** Trains a new version, then every risk view (and the worklist it reorders) is fetched again. */
export function useTrainRiskModel() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => api<TrainResult>('/risk/models', { method: 'POST' }),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ['risk'] });
      void qc.invalidateQueries({ queryKey: ['worklist'] });
    },
  });
}
