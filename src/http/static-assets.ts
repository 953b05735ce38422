// The built React app: hashed files under /assets, index.html for every other page path.
// Hashed files never change under their name, so browsers keep them a year without asking
// again; index.html names the current ones, so it is revalidated on every load. Scripts and
// styles go out in the .br/.gz the build wrote beside them (vite.config.ts), chosen by the
// browser's Accept-Encoding. The pricing page's plans ride in index.html as a JSON data block
// (not a script: the CSP need not allow it), so the first paint needs no second round trip.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { webDistDir } from '../lib/paths.js';
import { freshCoalescer } from '../modules/catalog/fresh-coalescer.js';
import { listProducts } from '../modules/catalog/list-products.js';
import type { AppContext } from '../platform/app-context.js';

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

type Asset = { type: string; raw: Buffer; br?: Buffer; gz?: Buffer };

export const IMMUTABLE = 'public, max-age=31536000, immutable';
/** Where index.html carries the products for the first paint; web/features/pricing reads it. */
export const INITIAL_PRODUCTS_ID = 'initial-products';

function loadAssets(dir: string): Map<string, Asset> {
  const out = new Map<string, Asset>();
  if (!existsSync(dir)) return out;
  const names = new Set(readdirSync(dir));
  for (const name of names) {
    if (name.endsWith('.br') || name.endsWith('.gz')) continue;
    const file = path.join(dir, name);
    const asset: Asset = { type: TYPES[path.extname(name)] ?? 'application/octet-stream', raw: readFileSync(file) };
    if (names.has(`${name}.br`)) asset.br = readFileSync(`${file}.br`);
    if (names.has(`${name}.gz`)) asset.gz = readFileSync(`${file}.gz`);
    out.set(name, asset);
  }
  return out;
}

/** br over gzip over identity, honouring `;q=0` refusals. */
function pickEncoding(accept: string | undefined, asset: Asset): 'br' | 'gzip' | null {
  if (!accept) return null;
  const offered = new Map<string, number>();
  for (const part of accept.toLowerCase().split(',')) {
    const [name, ...params] = part.trim().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    offered.set(name!.trim(), q ? Number(q.slice(2)) : 1);
  }
  const ok = (enc: string) => (offered.get(enc) ?? offered.get('*') ?? 0) > 0;
  if (asset.br && ok('br')) return 'br';
  if (asset.gz && ok('gzip')) return 'gzip';
  return null;
}

/** JSON safe inside an HTML element: no "</script>", no "<!--". */
export function jsonForHtml(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');
}

export async function registerStaticAssets(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const indexFile = path.join(webDistDir, 'index.html');
  if (!existsSync(indexFile)) return;
  const indexHtml = readFileSync(indexFile, 'utf8');
  const assets = loadAssets(path.join(webDistDir, 'assets'));
  const productsBlock = freshCoalescer(async () => {
    const products = await listProducts({ db: ctx.db });
    return `<script type="application/json" id="${INITIAL_PRODUCTS_ID}">${jsonForHtml({ products })}</script>`;
  });

  app.get('/assets/:name', (req: FastifyRequest<{ Params: { name: string } }>, reply) => {
    const asset = assets.get(req.params.name);
    if (!asset) return reply.status(404).send({ error: { code: 'not_found', message: `No file ${req.url}` } });
    const encoding = pickEncoding(req.headers['accept-encoding'], asset);
    reply.header('cache-control', IMMUTABLE).header('vary', 'accept-encoding').type(asset.type);
    if (encoding) reply.header('content-encoding', encoding);
    return reply.send(encoding === 'br' ? asset.br : encoding === 'gzip' ? asset.gz : asset.raw);
  });

  const sendIndex = async (req: FastifyRequest, reply: FastifyReply) => {
    // The plans are only worth their bytes where they are shown first; a database hiccup
    // costs the page one fetch, not its HTML.
    const isPricing = req.url === '/' || req.url.startsWith('/?') || req.url === '/index.html';
    const block = isPricing ? await productsBlock().catch(() => '') : '';
    reply.header('cache-control', 'no-cache').type('text/html; charset=utf-8');
    return reply.send(block ? indexHtml.replace('</head>', `${block}</head>`) : indexHtml);
  };
  // Client-side routes (/checkout, /dashboard, ...) all load the SPA.
  app.get('/*', (req, reply) => {
    if (req.url.startsWith('/api/')) {
      return reply.status(404).send({ error: { code: 'not_found', message: `No route ${req.method} ${req.url}` } });
    }
    return sendIndex(req, reply);
  });
}
