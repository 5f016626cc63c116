import type { Module } from "..";

/**
 * 一网共享 — Data sharing: catalog, responsibility list, sharing requests, master data.
 * The only import surface of this module for the rest of the platform. Its features are built by
 * their own issues; until then it registers no routes.
 */
export const datahubModule: Module = {
  name: "datahub",
  title: "一网共享",
  async register() {},
};
