import { useQuery } from '@tanstack/react-query';
import { ApiError, apiFetch } from '../../../lib/api-client';

// Checked by hand rather than with zod: the pricing page is the first page most visitors
// load, and zod alone was a third of its script.
export type Product = {
  id: string;
  slug: string;
  name: string;
  planType: 'starter' | 'enterprise';
  priceUsd: number;
  senders: number;
  postingIntervalSeconds: number;
  validityDays: number;
  available: boolean;
};

function parseProducts(body: unknown): Product[] {
  const list = (body as { products?: unknown } | null)?.products;
  if (!Array.isArray(list)) throw new ApiError(0, 'bad_response', 'The server sent an unexpected answer');
  return list.map((p: Record<string, unknown>) => {
    const ok =
      typeof p.id === 'string' &&
      typeof p.slug === 'string' &&
      typeof p.name === 'string' &&
      (p.planType === 'starter' || p.planType === 'enterprise') &&
      typeof p.priceUsd === 'number' &&
      typeof p.senders === 'number' &&
      typeof p.postingIntervalSeconds === 'number' &&
      typeof p.validityDays === 'number' &&
      typeof p.available === 'boolean';
    if (!ok) throw new ApiError(0, 'bad_response', 'The server sent an unexpected answer');
    const { id, slug, name, planType, priceUsd, senders, postingIntervalSeconds, validityDays, available } = p as Product;
    return { id, slug, name, planType, priceUsd, senders, postingIntervalSeconds, validityDays, available };
  });
}

export async function getProducts(): Promise<Product[]> {
  return parseProducts(await apiFetch('/api/products'));
}

/**
 * The plans the server put into index.html (src/http/static-assets.ts), read once: the
 * pricing page paints them without waiting for /api/products. Later visits fetch as usual.
 */
function takeInitialProducts(): Product[] | undefined {
  const el = typeof document === 'undefined' ? null : document.getElementById('initial-products');
  if (!el) return undefined;
  el.remove();
  try {
    return parseProducts(JSON.parse(el.textContent ?? ''));
  } catch {
    return undefined;
  }
}

const initial = takeInitialProducts();
const initialAt = Date.now();

export function useProducts() {
  return useQuery({ queryKey: ['products'], queryFn: getProducts, staleTime: 30_000, initialData: initial, initialDataUpdatedAt: initialAt });
}
