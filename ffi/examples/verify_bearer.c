/* Verify the access token of an `Authorization: Bearer …` header and print
 * its subject. Copy this into your server: one key at start-up, one
 * tessera_verify per request, no allocation per request.
 *
 *   cc verify_bearer.c $(pkg-config --cflags --libs tessera) -o verify_bearer
 *   TESSERA_SECRET=... ./verify_bearer "Bearer eyJ..."
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <tessera.h>

int main(int argc, char **argv) {
  const char *secret = getenv("TESSERA_SECRET");
  const char *authorization = argc > 1 ? argv[1] : getenv("HTTP_AUTHORIZATION");
  if (!secret || !authorization) {
    fprintf(stderr, "usage: TESSERA_SECRET=<secret> %s 'Bearer <token>'\n", argv[0]);
    return 2;
  }

  /* Once, at start-up: the key's HMAC state is precomputed here. */
  tessera_key *key = NULL;
  tessera_status s = tessera_key_new(TESSERA_ALG_HS256, (const uint8_t *)secret, strlen(secret), &key);
  if (s != TESSERA_STATUS_OK) {
    fprintf(stderr, "key: %s\n", tessera_status_str(s));
    return 1;
  }
  tessera_policy policy;
  tessera_policy_init(&policy); /* exp required; now = 0 reads the clock */
  policy.issuer = (tessera_str){"https://auth.example.com", strlen("https://auth.example.com")};
  tessera_str audience = {"api", 3};
  policy.audiences = &audience;
  policy.audiences_len = 1;
  policy.typ = (tessera_str){"at+jwt", 6};

  /* Per request. */
  tessera_str token;
  if (!tessera_bearer_token((const uint8_t *)authorization, strlen(authorization), &token)) {
    printf("401: no bearer token\n");
    tessera_key_free(key);
    return 1;
  }
  static uint8_t scratch[TESSERA_SCRATCH_LEN]; /* enough for any token of the default maximum length */
  tessera_claims claims;
  s = tessera_verify((const uint8_t *)token.ptr, token.len, key, &policy, scratch, sizeof scratch, &claims);
  if (s != TESSERA_STATUS_OK) {
    printf("401: %s (%s)\n", tessera_status_name(s), tessera_status_str(s));
    tessera_key_free(key);
    return 1;
  }
  printf("200: subject %.*s, scope \"%.*s\", expires at %lld\n", (int)claims.sub.len, claims.sub.ptr,
         (int)claims.scope.len, claims.scope.ptr ? claims.scope.ptr : "", (long long)claims.exp);
  tessera_key_free(key);
  return 0;
}
