// The free names the README snippets use, as the reader's program has them.
import type { Jwk } from "tessera-jwt/full";

declare global {
  const env: { ACCESS_SECRET: string };
  const secret: string;
  const issuer: string;
  const bearer: string;
  const token: string;
  const accessToken: string;
  const jwk: Jwk;
  const jwksDocument: string;
  function refresh(): void;
}
