import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: [
      "sdk/test/**/*.test.ts",
      "server/test/**/*.test.ts",
      "bench/test/**/*.test.ts",
      "playground/test/**/*.test.ts",
    ],
    exclude: ["**/node_modules/**", "**/dist/**", "target/**"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
