/** The workflow the io-api end-to-end tests run: two sets around an executor call and a 0.3 s wait. */
export const STEPS_FLOW = `document: { dsl: '1.0.0', namespace: t, name: steps, version: '1.0.0' }
do:
  - first:
      set:
        name: \${ .name }
        n: 1
  - echo:
      call: echo
      with:
        name: \${ .name }
        n: \${ .n + 1 }
  - pause:
      wait: PT0.3S
  - last:
      set:
        greeting: \${ "Hello " + .name }
        n: \${ .n + 1 }
`;
