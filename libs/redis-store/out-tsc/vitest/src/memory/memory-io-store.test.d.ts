export {};
//# sourceMappingURL=memory-io-store.test.d.ts.map