export {};
//# sourceMappingURL=redis-io-store.test.d.ts.map