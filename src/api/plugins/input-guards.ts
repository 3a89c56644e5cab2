import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../../errors.js';

/** Deepest JSON nesting accepted in a request body (objects and arrays). */
export const MAX_JSON_DEPTH = 64;

/**
 * The depth of a JSON text, counted without parsing it (brackets outside strings), so a
 * body of 100 000 nested arrays is refused before it can exhaust the stack of the parser,
 * the validator or the error handler. Returns the first depth over `max`, or the max depth.
 */
export function jsonDepth(text: string, max: number): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 /* { */ || c === 91 /* [ */) {
      depth++;
      if (depth > deepest) {
        deepest = depth;
        if (deepest > max) return deepest;
      }
    } else if (c === 125 /* } */ || c === 93 /* ] */) depth--;
  }
  return deepest;
}

/**
 * The path of the first string holding a NUL character (U+0000), or undefined. PostgreSQL
 * refuses 0x00 in text, so such a value must be answered as invalid input, naming it, before
 * it reaches a query. Walks iteratively (the depth is bounded by the JSON parser above).
 */
export function findNul(value: unknown, root: string): string | undefined {
  const stack: [unknown, string][] = [[value, root]];
  while (stack.length > 0) {
    const [v, path] = stack.pop() as [unknown, string];
    if (typeof v === 'string') {
      if (v.includes('\u0000')) return path;
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push([v[i], `${path}[${i}]`]);
    } else if (v !== null && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (k.includes('\u0000')) return `${path}.${k.replaceAll('\u0000', '\\0')}`;
        stack.push([x, path === '' ? k : `${path}.${k}`]);
      }
    }
  }
  return undefined;
}

function nulError(where: 'query' | 'path' | 'body', field: string): AppError {
  const name = field === '' ? where : field;
  return new AppError(
    'VALIDATION',
    `${name}: contains a NUL character (0x00), which is not allowed in text`,
    [{ field: name, reason: 'contains a NUL character (0x00)' }],
  );
}

/**
 * Guards every route: JSON bodies are parsed with a depth limit, and NUL characters in the
 * query, the path or the body are answered 400 naming the field (never a 500 from the
 * database). Registered on the root instance, so every plugin inherits it.
 */
export function registerInputGuards(app: FastifyInstance, bodyLimit: number): void {
  // Before the JSON parser (Fastify's, or a plugin's own for signed webhooks): buffer the
  // body, measure its depth without recursion, and hand the same bytes on.
  app.addHook('preParsing', async (request, _reply, payload) => {
    const type = request.headers['content-type'] ?? '';
    if (!/^application\/([a-z0-9.+-]*\+)?json\b/i.test(type)) return payload;
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of payload) {
      const b = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string);
      size += b.length;
      if (size > bodyLimit) {
        throw Object.assign(new Error(`Request body is larger than ${bodyLimit} bytes`), { statusCode: 413 });
      }
      chunks.push(b);
    }
    const body = Buffer.concat(chunks);
    if (jsonDepth(body.toString('utf8'), MAX_JSON_DEPTH) > MAX_JSON_DEPTH) {
      throw new AppError('VALIDATION', `body: JSON nested deeper than ${MAX_JSON_DEPTH} levels`, [
        { field: 'body', reason: `nested deeper than ${MAX_JSON_DEPTH} levels` },
      ]);
    }
    return Readable.from([body]);
  });
  app.addHook('preValidation', async (request: FastifyRequest) => {
    const q = findNul(request.query, '');
    if (q !== undefined) throw nulError('query', q);
    const p = findNul(request.params, '');
    if (p !== undefined) throw nulError('path', p);
    const b = findNul(request.body, '');
    if (b !== undefined) throw nulError('body', b);
  });
}
