// oidc-provider ships no type declarations; the test uses only its constructor and listen().
declare module "oidc-provider" {
  import type { Server } from "node:http";

  interface Account {
    accountId: string;
    claims(): Promise<Record<string, unknown>>;
  }
  interface ProviderConfiguration {
    clients: Record<string, unknown>[];
    claims?: Record<string, string[]>;
    findAccount?: (ctx: unknown, sub: string) => Promise<Account | undefined>;
    pkce?: { required?: () => boolean };
  }
  export default class Provider {
    constructor(issuer: string, configuration: ProviderConfiguration);
    listen(port: number, host?: string): Server;
  }
}
