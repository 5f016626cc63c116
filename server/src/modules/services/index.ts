import type { Module } from "..";

/**
 * 一网通办 — Services for citizens and enterprises: item catalog, applications, deadlines.
 * The only import surface of this module for the rest of the platform. Its features are built by
 * their own issues; until then it registers no routes.
 */
export const servicesModule: Module = {
  name: "services",
  title: "一网通办",
  async register() {},
};
