import type { Module } from "..";

/**
 * 一网协同 — Collaborative office: official documents, supervision, messaging.
 * The only import surface of this module for the rest of the platform. Its features are built by
 * their own issues; until then it registers no routes.
 */
export const officeModule: Module = {
  name: "office",
  title: "一网协同",
  async register() {},
};
