import { defineConfig } from "drizzle-kit";

export default defineConfig({
  dialect: "postgresql",
  schema: [
    "./server/src/kernel/*/schema.ts",
    "./server/src/modules/*/schema.ts",
    "./server/src/modules/*/*/schema.ts",
    "./server/src/workflow/schema.ts",
  ],
  out: "./server/migrations",
});
