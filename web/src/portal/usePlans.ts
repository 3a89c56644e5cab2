import { useQuery } from '@tanstack/react-query';
import { usePortal } from './context';

/** The customer's payment plans; data is null when the server keeps none (no such endpoint). */
export function usePlans() {
  const { api } = usePortal();
  return useQuery({ queryKey: ['plans', api.href('')], queryFn: api.plans });
}
