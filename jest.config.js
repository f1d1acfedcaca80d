/** Jest runs the TypeScript tests of the Pulumi program, the policy pack and the tools. */
module.exports = {
  preset: "ts-jest",
  testEnvironment: "node",
  // Jest 30 + protobuf: avoid noisy global-cleanup warnings (see NOTES).
  testEnvironmentOptions: { globalsCleanup: "off" },
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  transform: { "^.+\\.ts$": ["ts-jest", { isolatedModules: true }] },
  testTimeout: 60000,
  // Jest defaults to cores - 1 workers: one on the 2-core CI machines.
  maxWorkers: 2,
};
