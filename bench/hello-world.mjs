// Baseline for bench/hostile.ts: the smallest Fastify app, the machine's HTTP ceiling.
// Usage: PORT=3991 node bench/hello-world.mjs
import Fastify from 'fastify';

const app = Fastify({ logger: false });
app.get('/', async () => ({ hello: 'world' }));
await app.listen({ port: Number(process.env.PORT ?? 3991), host: '127.0.0.1' });
console.log('ready');
