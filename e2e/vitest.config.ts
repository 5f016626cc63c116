import { defineConfig } from "vitest/config";

// Browser journeys run apart from `npm test` because they need Chromium (`apt-get install -y chromium`);
// `.ci/run` installs it and runs them with `npm run e2e`.
export default defineConfig({
  test: {
    include: ["e2e/**/*.test.ts"],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    pool: "forks",
    maxWorkers: 1,
    // A page answers after a real request, an audit write and a render; on a busy CI machine that can
    // take more than vitest's default poll second, so polls wait up to ten.
    expect: { poll: { timeout: 10_000 } },
  },
});
