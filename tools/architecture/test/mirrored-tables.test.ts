import { standardErrorUri, STANDARD_ERROR_TYPES, type StandardErrorType } from '@flunq/dsl';
import { ERROR_TYPE_STATUS, errorTypeNameOf, errorTypeUri } from '@flunq/executor-kit';
import { expect, test } from 'vitest';

// `@flunq/executor-kit` is built into other teams' executors, so it keeps its own copy of the
// DSL's standard error types instead of pulling in the whole DSL. This keeps the copy exact.
test("executor-kit's error types are the DSL's standard error types, with the same statuses and URIs", () => {
  expect(ERROR_TYPE_STATUS).toEqual(STANDARD_ERROR_TYPES);
  for (const name of Object.keys(STANDARD_ERROR_TYPES) as StandardErrorType[]) {
    expect(errorTypeUri(name)).toBe(standardErrorUri(name));
    expect(errorTypeNameOf(standardErrorUri(name))).toBe(name);
  }
});
