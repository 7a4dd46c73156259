// The spec's conformance scenarios that call HTTP/OpenAPI endpoints (call, data-flow, try
// features), run with real HTTP requests to a local server giving the public petstore/httpbin answers.
// Definitions and expectations copied from ctk/features/*.feature as test data.
import { describe, expect, onTestFinished, test } from 'vitest';
import { drive, localHttp, missingProperties } from './drive.js';

const HEAD = (name: string) => `document:
  dsl: '1.0.3'
  namespace: default
  name: ${name}
  version: '1.0.0'
do:
`;
const RESPONSE_PROPERTIES = ['request', 'request.method', 'request.uri', 'request.headers', 'headers', 'statusCode', 'content', 'content.id', 'content.name', 'content.status'];

describe('call.feature', () => {
  test('Call HTTP With Content Output', async () => {
    const { executor, requests, close } = await localHttp();
    onTestFinished(close);
    const { state } = await drive(
      `${HEAD('http-call-with-content-output')}  - findPet:
      call: http
      with:
        method: get
        endpoint:
          uri: https://petstore.swagger.io/v2/pet/findByStatus?status={status}
      output:
        as: .[0]
`,
      { status: 'available' },
      executor,
    );
    expect(state.status).toBe('completed');
    expect(missingProperties(state.output, 'id', 'name', 'status')).toEqual([]);
    expect(requests).toEqual([{ method: 'GET', url: 'https://petstore.swagger.io/v2/pet/findByStatus?status=available', headers: {} }]);
  });

  test('Call HTTP With Response Output', async () => {
    const { executor, requests, close } = await localHttp();
    onTestFinished(close);
    const { state } = await drive(
      `${HEAD('http-call-with-response-output')}  - getPet:
      call: http
      with:
        method: get
        endpoint:
          uri: https://petstore.swagger.io/v2/pet/{petId}
        output: response
`,
      { petId: 1 },
      executor,
    );
    expect(state.status).toBe('completed');
    expect(missingProperties(state.output, ...RESPONSE_PROPERTIES)).toEqual([]);
    expect(requests.map((r) => `${r.method} ${r.url}`)).toEqual(['GET https://petstore.swagger.io/v2/pet/1']);
  });

  test('Call HTTP Using Basic Authentication', async () => {
    const { executor, requests, close } = await localHttp();
    onTestFinished(close);
    const { state } = await drive(
      `${HEAD('http-call-with-basic-auth')}  - login:
      call: http
      with:
        method: get
        endpoint:
          uri: https://httpbin.org/basic-auth/{username}/{password}
          authentication:
            basic:
              username: \${ .username }
              password: \${ .password }
`,
      { username: 'serverless-workflow', password: 'conformance-test' },
      executor,
    );
    expect(state.status).toBe('completed');
    expect(requests).toEqual([
      {
        method: 'GET',
        url: 'https://httpbin.org/basic-auth/serverless-workflow/conformance-test',
        headers: { Authorization: `Basic ${Buffer.from('serverless-workflow:conformance-test').toString('base64')}` },
      },
    ]);
  });

  test('Call OpenAPI With Content Output', async () => {
    const { executor, requests, close } = await localHttp();
    onTestFinished(close);
    const { state } = await drive(
      `${HEAD('openapi-call-with-content-output')}  - findPet:
      call: openapi
      with:
        document:
          endpoint: "https://petstore.swagger.io/v2/swagger.json"
        operationId: findPetsByStatus
        parameters:
          status: \${ .status }
      output:
        as: . | length
`,
      { status: 'available' },
      executor,
    );
    expect(state.status).toBe('completed');
    expect(requests.map((r) => `${r.method} ${r.url}`)).toEqual(['GET https://petstore.swagger.io/v2/pet/findByStatus?status=available']);
  });

  test('Call OpenAPI With Response Output', async () => {
    const { executor, requests, close } = await localHttp();
    onTestFinished(close);
    const { state } = await drive(
      `${HEAD('openapi-call-with-response-output')}  - getPet:
      call: openapi
      with:
        document:
          endpoint: "https://petstore.swagger.io/v2/swagger.json"
        operationId: getPetById
        parameters:
          petId: \${ .petId }
        output: response
`,
      { petId: 1 },
      executor,
    );
    expect(state.status).toBe('completed');
    expect(missingProperties(state.output, ...RESPONSE_PROPERTIES)).toEqual([]);
    expect(requests.map((r) => `${r.method} ${r.url}`)).toEqual(['GET https://petstore.swagger.io/v2/pet/1']);
  });
});

describe('data-flow.feature', () => {
  test('Input Filtering', async () => {
    const { state } = await drive(
      `${HEAD('output-filtering')}  - setPlayerId:
      input:
        from: .user.claims.subject
      set:
        playerId: \${ . }
`,
      { user: { claims: { subject: '6AsnRgGEB0q2O7ux9JXFAw' } } },
    );
    expect(state.status).toBe('completed');
    expect(state.output).toEqual({ playerId: '6AsnRgGEB0q2O7ux9JXFAw' });
  });

  test('Output Filtering', async () => {
    const { executor, requests, close } = await localHttp();
    onTestFinished(close);
    const { state } = await drive(
      `${HEAD('output-filtering')}  - getPet:
      call: http
      with:
        method: get
        endpoint:
          uri: https://petstore.swagger.io/v2/pet/{petId}
      output:
        as: .id
`,
      { petId: 1 },
      executor,
    );
    expect(state.status).toBe('completed');
    expect(state.output).toBe(1);
    expect(requests.map((r) => r.url)).toEqual(['https://petstore.swagger.io/v2/pet/1']);
  });

  test('Use Non-object Output', async () => {
    const { executor, requests, close } = await localHttp();
    onTestFinished(close);
    const { state } = await drive(
      `${HEAD('non-object-output')}  - getPetById1:
      call: http
      with:
        method: get
        endpoint:
          uri: https://petstore.swagger.io/v2/pet/{petId}
      output:
        as: .id
  - getPetById2:
      call: http
      with:
        method: get
        endpoint:
          uri: https://petstore.swagger.io/v2/pet/2
      output:
        as: '{ ids: [ $input, .id ] }'
`,
      { petId: 1 },
      executor,
    );
    expect(state.status).toBe('completed');
    expect(state.output).toEqual({ ids: [1, 2] });
    expect(requests.map((r) => r.url)).toEqual(['https://petstore.swagger.io/v2/pet/1', 'https://petstore.swagger.io/v2/pet/2']);
  });
});

const TRY = (name: string, status: number) => `${HEAD(name)}  - tryGetPet:
      try:
        - getPet:
            call: http
            with:
              method: get
              endpoint:
                uri: https://petstore.swagger.io/v2/pet/getPetByName/{petName}
      catch:
        errors:
          with:
            type: https://open-workflow-specification.org/dsl/errors/types/communication
            status: ${status}
        as: err
        do:
          - setError:
              set:
                error: \${ $err }
`;

describe('try.feature', () => {
  test('Try Handle Caught Error', async () => {
    const { executor, requests, close } = await localHttp();
    onTestFinished(close);
    const { state } = await drive(TRY('try-catch-404', 404), { petName: 'Milou' }, executor);
    expect(state.status).toBe('completed');
    expect(missingProperties(state.output, 'error', 'error.type', 'error.status', 'error.title')).toEqual([]);
    expect((state.output as { error: { instance: unknown } }).error.instance).toBe('/do/0/tryGetPet/try/0/getPet');
    expect(requests.map((r) => r.url)).toEqual(['https://petstore.swagger.io/v2/pet/getPetByName/Milou']);
  });

  test('Try Raise Uncaught Error', async () => {
    const { executor, close } = await localHttp();
    onTestFinished(close);
    const { state } = await drive(TRY('try-catch-503', 503), { petName: 'Milou' }, executor);
    expect(state.status).toBe('failed');
  });
});
