export {};
//# sourceMappingURL=compression.test.d.ts.map