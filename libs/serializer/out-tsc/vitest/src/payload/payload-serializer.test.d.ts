export {};
//# sourceMappingURL=payload-serializer.test.d.ts.map