export {};
//# sourceMappingURL=json-bytes.test.d.ts.map