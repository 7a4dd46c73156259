import { ExecutorFailure } from '@flunq/executor-kit';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createHttpCall, retryAfterMs } from '../src/http/http-call.js';
import { interpolateUri } from '../src/http/http-request.js';
import { closedPort, contextFor, startTestServer } from './http-server.js';

const URI = 'https://serverlessworkflow.io/spec/1.0.0/errors/';
let server: Awaited<ReturnType<typeof startTestServer>>;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const httpCall = createHttpCall({ maxResponseBytes: 1024 });
const call = (args: Record<string, unknown>, input: unknown = {}, signal?: AbortSignal): Promise<unknown> =>
  Promise.resolve(httpCall(input, contextFor({ call: 'http', with: args }, signal)));

/** The ExecutorFailure a call fails with. */
async function failureOf(args: Record<string, unknown>, input: unknown = {}): Promise<ExecutorFailure> {
  const error: unknown = await call(args, input).then(() => undefined, (e: unknown) => e);
  if (!(error instanceof ExecutorFailure)) throw new Error(`expected an ExecutorFailure, got ${String(error)}`);
  return error;
}

describe('call: http', () => {
  test('GET fills {name} from the input, adds query and headers, returns the JSON content', async () => {
    const output = await call(
      { method: 'get', endpoint: `${server.url}/echo/{petId}/{missing}`, query: { status: 'sold', n: 2 }, headers: { 'x-trace': 'abc' } },
      { petId: 'a b/1' },
    );
    expect(output).toMatchObject({ method: 'GET', url: '/echo/a%20b%2F1/%7Bmissing%7D?status=sold&n=2', headers: { 'x-trace': 'abc' }, body: '' });
  });

  test('POST sends a JSON body with its content type; a string body goes as text', async () => {
    const json = await call({ method: 'post', endpoint: `${server.url}/echo`, body: { name: 'Rex', tags: [1] } });
    expect(json).toMatchObject({ method: 'POST', body: '{"name":"Rex","tags":[1]}', headers: { 'content-type': 'application/json' } });
    const text = await call({ method: 'put', endpoint: `${server.url}/echo`, body: 'plain words', headers: { 'Content-Type': 'text/csv' } });
    expect(text).toMatchObject({ method: 'PUT', body: 'plain words', headers: { 'content-type': 'text/csv' } });
  });

  test('basic and bearer authentication become the Authorization header', async () => {
    const basic = await call({ endpoint: { uri: `${server.url}/echo`, authentication: { basic: { username: 'ann', password: 's3cret' } } } });
    expect(basic).toMatchObject({ headers: { authorization: `Basic ${Buffer.from('ann:s3cret').toString('base64')}` } });
    const bearer = await call({ endpoint: { uri: `${server.url}/echo`, authentication: { bearer: { token: 'tok-1' } } } });
    expect(bearer).toMatchObject({ headers: { authorization: 'Bearer tok-1' } });
    const oauth = await failureOf({ endpoint: { uri: `${server.url}/echo`, authentication: { oauth2: {} } } });
    expect(oauth).toMatchObject({ typeName: 'configuration', retryable: false });
  });

  test('output: response gives request, headers, statusCode and content', async () => {
    const output = await call({ method: 'get', endpoint: `${server.url}/echo/{id}`, headers: { accept: 'application/json' }, output: 'response' }, { id: 7 });
    expect(output).toMatchObject({
      request: { method: 'GET', uri: `${server.url}/echo/7`, headers: { accept: 'application/json' } },
      headers: { 'x-served-by': 'test', 'content-type': 'application/json; charset=utf-8' },
      statusCode: 200,
      content: { method: 'GET', url: '/echo/7' },
    });
  });

  test('output: response does not copy credentials into the output', async () => {
    const output = await call({ endpoint: { uri: `${server.url}/echo`, authentication: { bearer: { token: 'tok-2' } } }, headers: { 'Proxy-Authorization': 'x' }, output: 'response' });
    expect(output).toMatchObject({ request: { headers: { authorization: '<redacted>', 'Proxy-Authorization': '<redacted>' } }, content: { headers: { authorization: 'Bearer tok-2' } } });
  });

  test('output: raw is the body in base64; text bodies are strings; empty bodies are null', async () => {
    expect(await call({ endpoint: `${server.url}/bytes`, output: 'raw' })).toBe('AAEC/w==');
    expect(await call({ endpoint: `${server.url}/text` })).toBe('hello there');
    expect(await call({ endpoint: `${server.url}/empty`, method: 'delete' })).toBeNull();
  });

  test('404 is a non-retryable communication error with the status', async () => {
    const failure = await failureOf({ endpoint: `${server.url}/status/404` });
    expect(failure).toMatchObject({ type: `${URI}communication`, status: 404, retryable: false, title: 'HTTP 404 Not Found' });
    expect(failure.detail).toMatch(/GET .*\/status\/404 answered 404: \{"error":"status 404"\}/);
    expect(failure.retryAfterMs).toBeUndefined();
  });

  test('503 with Retry-After and 429 are retryable; 400 is not', async () => {
    expect(await failureOf({ endpoint: `${server.url}/status/503` })).toMatchObject({ status: 503, retryable: true, retryAfterMs: 3000 });
    expect(await failureOf({ endpoint: `${server.url}/status/429` })).toMatchObject({ status: 429, retryable: true });
    expect(await failureOf({ endpoint: `${server.url}/status/400` })).toMatchObject({ status: 400, retryable: false });
  });

  test('a redirect is an error unless redirect: true, which follows it', async () => {
    expect(await failureOf({ endpoint: `${server.url}/redirect` })).toMatchObject({ status: 302, retryable: false });
    expect(await call({ endpoint: `${server.url}/redirect`, redirect: true })).toMatchObject({ url: '/echo/redirected' });
  });

  test('a network error is a retryable communication error', async () => {
    const failure = await failureOf({ endpoint: `http://127.0.0.1:${await closedPort()}/` });
    expect(failure).toMatchObject({ typeName: 'communication', retryable: true });
    expect(failure.detail).toMatch(/ECONNREFUSED/);
  });

  test('a body over the limit fails with 413; JSON that does not parse is a communication error', async () => {
    expect(await failureOf({ endpoint: `${server.url}/big` })).toMatchObject({ status: 413, retryable: false, title: 'HTTP response too large' });
    expect(await failureOf({ endpoint: `${server.url}/bad-json` })).toMatchObject({ typeName: 'communication', title: 'Unreadable HTTP response' });
  });

  test('malformed calls are configuration errors', async () => {
    expect(await failureOf({})).toMatchObject({ typeName: 'configuration', detail: expect.stringMatching(/endpoint/) });
    expect(await failureOf({ endpoint: 'not a url' })).toMatchObject({ typeName: 'configuration' });
    expect(await failureOf({ endpoint: 'ftp://x/' })).toMatchObject({ typeName: 'configuration' });
    expect(await failureOf({ endpoint: `${server.url}/echo`, output: 'xml' })).toMatchObject({ typeName: 'configuration' });
  });

  test('an aborted signal stops the call with the signal reason', async () => {
    const controller = new AbortController();
    controller.abort(new Error('deadline'));
    await expect(call({ endpoint: `${server.url}/echo` }, {}, controller.signal)).rejects.toThrow('deadline');
  });
});

describe('helpers', () => {
  test('interpolateUri encodes values and leaves unknown placeholders', () => {
    expect(interpolateUri('https://h/pets/{id}?q={q}', { id: 12, q: 'a&b' })).toBe('https://h/pets/12?q=a%26b');
    expect(interpolateUri('https://h/{id}', null)).toBe('https://h/{id}');
  });

  test('retryAfterMs reads seconds and HTTP dates', () => {
    expect(retryAfterMs('5')).toBe(5000);
    expect(retryAfterMs('Thu, 01 Jan 2026 00:00:10 GMT', Date.parse('2026-01-01T00:00:00Z'))).toBe(10_000);
    expect(retryAfterMs('soon')).toBeUndefined();
    expect(retryAfterMs(null)).toBeUndefined();
  });
});
