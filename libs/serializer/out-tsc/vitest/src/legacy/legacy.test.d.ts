export {};
//# sourceMappingURL=legacy.test.d.ts.map