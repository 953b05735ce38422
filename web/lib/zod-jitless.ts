// Imported first by main.tsx, before any module that parses: the CSP forbids eval, and without
// this zod probes `new Function` on its first parse and the browser reports a CSP violation.
import { z } from 'zod';

z.config({ jitless: true });
