import { useQuery } from '@tanstack/react-query';
import type { Product, ProductList } from '../../../../src/shared/api/catalog';
import { apiFetch, badResponse } from '../../../lib/api-client';

export type { Product };

// The contract's type, not its zod schema: the pricing page is the first page most visitors
// load, and zod alone was a third of its script. The server checks each /api/products answer
// against productListSchema before sending it (src/http/routes/catalog.ts), so only the
// envelope is looked at here.
function productsOf(body: unknown): Product[] {
  const list = (body as Partial<ProductList> | null)?.products;
  if (!Array.isArray(list)) throw badResponse();
  return list;
}

export async function getProducts(): Promise<Product[]> {
  return productsOf(await apiFetch('/api/products'));
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
    return productsOf(JSON.parse(el.textContent ?? ''));
  } catch {
    return undefined;
  }
}

const initial = takeInitialProducts();
const initialAt = Date.now();

export function useProducts() {
  return useQuery({ queryKey: ['products'], queryFn: getProducts, staleTime: 30_000, initialData: initial, initialDataUpdatedAt: initialAt });
}
