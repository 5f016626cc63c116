import type { Module } from "..";

/**
 * 一网统管 — City operations: digital twin, events and closed-loop cases.
 * The only import surface of this module for the rest of the platform. Its features are built by
 * their own issues; until then it registers no routes.
 */
export const operationsModule: Module = {
  name: "operations",
  title: "一网统管",
  async register() {},
};
