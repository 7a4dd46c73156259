/**
 * The seed's example run as tests and benchmarks drive it through the engine: the input
 * the original document's Postman request sends, and its workflow (set, call http, wait,
 * set) with the parts a test varies as parameters.
 */

/** The input of the seed's example (`Hello from Multi-Tenant Postman!` with nested `test_data`). */
export const SEED_EXAMPLE_INPUT = Object.freeze({
  message: 'Hello from Multi-Tenant Postman!',
  user_id: 'test-user-456',
  test_data: { nested: { value: 123, array: [1, 2, 3] } },
});

/** The seed's example workflow (`simple-test-workflow`): set, call http (`endpoint`), wait (`wait`), set (`user` from `finalUser`). */
export function seedExampleWorkflow(options: { endpoint?: string; wait?: string; finalUser?: string } = {}): string {
  const { endpoint = 'https://api.test/users/{user_id}', wait = 'PT0.05S', finalUser = '.user.id' } = options;
  return `document: { dsl: '1.0.0', namespace: seed, name: simple-test-workflow, version: '1.0.0' }
do:
  - initialize:
      set:
        message: \${ .message }
        user_id: \${ .user_id }
        test_data: \${ .test_data }
  - fetchUser:
      call: http
      with:
        method: get
        endpoint: ${endpoint}
  - pause:
      wait: ${wait}
  - finalize:
      set:
        result: workflow completed successfully
        user: \${ ${finalUser} }
`;
}
