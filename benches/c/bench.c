/* `make bench-c`: tessera_verify from C (-O2) against libjwt and OpenSSL's
 * HMAC, on the same three tokens as the Rust benches. Medians of several
 * runs, ns per verify. The limit is OpenSSL's HMAC with the key set up once
 * (an EVP_MAC context duplicated per call, OpenSSL's way to reuse a key);
 * one-shot HMAC(), which sets the key up on every call, is shown too. */
#define _POSIX_C_SOURCE 199309L
#include <jwt.h>
#include <openssl/crypto.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tessera.h"

static const char SECRET[] = "benchmark secret, thirty-two b!!";

static double now_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1e9 + t.tv_nsec;
}

static int cmp(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

typedef int (*op_fn)(const char *token, void *ctx);

static double measure(op_fn f, const char *token, void *ctx, int iterations) {
  double runs[5];
  for (int i = 0; i < iterations / 5; i++) f(token, ctx);
  for (int r = 0; r < 5; r++) {
    double start = now_ns();
    for (int i = 0; i < iterations; i++)
      if (f(token, ctx) != 0) { fprintf(stderr, "verification failed\n"); exit(1); }
    runs[r] = (now_ns() - start) / iterations;
  }
  qsort(runs, 5, sizeof runs[0], cmp);
  return runs[2];
}

/* The token's length is known up front, as a server knows it from the
 * request (and as the Rust benches have it): no strlen per call. */
struct tess { tessera_key *key; tessera_policy policy; size_t token_len; uint8_t scratch[TESSERA_SCRATCH_LEN]; };

static int op_tessera(const char *token, void *ctx) {
  struct tess *t = ctx;
  tessera_claims c;
  return tessera_verify((const uint8_t *)token, t->token_len, t->key, &t->policy, t->scratch, sizeof t->scratch, &c) == TESSERA_STATUS_OK ? 0 : 1;
}

static int op_libjwt(const char *token, void *ctx) {
  (void)ctx;
  jwt_t *jwt = NULL;
  int rc = jwt_decode(&jwt, token, (const unsigned char *)SECRET, (int)strlen(SECRET));
  if (rc == 0) {
    /* libjwt 1.10 checks no claims: read exp and sub as a caller would. */
    rc = jwt_get_grant_int(jwt, "exp") > 0 && jwt_get_grant(jwt, "sub") ? 0 : 1;
  }
  jwt_free(jwt);
  return rc;
}

static int op_openssl(const char *token, void *ctx) {
  const unsigned char *sig = ctx;
  const char *dot = strrchr(token, '.');
  unsigned char mac[32];
  unsigned int len = 32;
  HMAC(EVP_sha256(), SECRET, (int)strlen(SECRET), (const unsigned char *)token, (size_t)(dot - token), mac, &len);
  return CRYPTO_memcmp(mac, sig, 32) == 0 ? 0 : 1;
}

struct mac { EVP_MAC_CTX *base; const unsigned char *sig; };

static int op_openssl_ctx(const char *token, void *ctx) {
  struct mac *m = ctx;
  const char *dot = strrchr(token, '.');
  unsigned char mac[32];
  size_t len = 0;
  EVP_MAC_CTX *c = EVP_MAC_CTX_dup(m->base);
  int ok = c && EVP_MAC_update(c, (const unsigned char *)token, (size_t)(dot - token)) &&
           EVP_MAC_final(c, mac, &len, sizeof mac);
  EVP_MAC_CTX_free(c);
  return ok && len == 32 && CRYPTO_memcmp(mac, m->sig, 32) == 0 ? 0 : 1;
}

static EVP_MAC_CTX *hmac_sha256_ctx(void) {
  EVP_MAC *mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
  EVP_MAC_CTX *ctx = mac ? EVP_MAC_CTX_new(mac) : NULL;
  OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, "SHA256", 0), OSSL_PARAM_construct_end()};
  if (!ctx || !EVP_MAC_init(ctx, (const unsigned char *)SECRET, strlen(SECRET), params)) {
    fprintf(stderr, "OpenSSL HMAC setup failed\n");
    exit(1);
  }
  EVP_MAC_free(mac); /* the context keeps its own reference */
  return ctx;
}

static void b64url_decode(const char *s, unsigned char *out) {
  static const char *a = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  unsigned v = 0; int bits = 0; size_t n = 0;
  for (; *s; s++) {
    v = (v << 6) | (unsigned)(strchr(a, *s) - a);
    bits += 6;
    if (bits >= 8) { bits -= 8; out[n++] = (unsigned char)(v >> bits); }
  }
}

int main(int argc, char **argv) {
  if (argc < 4) { fprintf(stderr, "usage: bench small.jwt access.jwt large.jwt (token files)\n"); return 2; }
  const char *names[] = {"small", "access", "large"};
  enum { ROWS = 4 };
  double results[3][ROWS];
  EVP_MAC_CTX *base = hmac_sha256_ctx();
  size_t lens[3];
  for (int i = 0; i < 3; i++) {
    static char token[8192];
    FILE *f = fopen(argv[i + 1], "r");
    if (!f || !fgets(token, sizeof token, f)) { fprintf(stderr, "cannot read %s\n", argv[i + 1]); return 1; }
    fclose(f);
    token[strcspn(token, "\n")] = 0;
    lens[i] = strlen(token);
    static struct tess t;
    tessera_key_new(TESSERA_ALG_HS256, (const uint8_t *)SECRET, strlen(SECRET), &t.key);
    tessera_policy_init(&t.policy);
    t.policy.now = 1700000100;
    t.token_len = lens[i];
    tessera_str aud = {"api", 3};
    if (i > 0) {
      t.policy.issuer = (tessera_str){"https://auth.example.com", 24};
      t.policy.audiences = &aud;
      t.policy.audiences_len = 1;
    }
    unsigned char sig[48];
    b64url_decode(strrchr(token, '.') + 1, sig);
    struct mac m = {base, sig};
    results[i][0] = measure(op_openssl_ctx, token, &m, 200000);
    results[i][1] = measure(op_openssl, token, sig, 200000);
    results[i][2] = measure(op_tessera, token, &t, 200000);
    results[i][3] = measure(op_libjwt, token, NULL, 20000);
    tessera_key_free(t.key);
  }
  EVP_MAC_CTX_free(base);
  const char *rows[ROWS] = {"OpenSSL HMAC, key set up once (the limit)", "OpenSSL HMAC() one-shot", "tessera (C API)",
                            "libjwt 1.10"};
  printf("C (-O2): medians in ns per verify (x = ratio to OpenSSL HMAC with the key set up once, same run)\n");
  printf("| | small (%zu B) | access (%zu B) | large (%zu B) |\n|---|---:|---:|---:|\n", lens[0], lens[1], lens[2]);
  for (int r = 0; r < ROWS; r++) {
    printf("| %s |", rows[r]);
    for (int i = 0; i < 3; i++) printf(" %.0f (%.2fx) |", results[i][r], results[i][r] / results[i][0]);
    printf("\n");
  }
  printf("\ntessera is %.1fx / %.1fx / %.1fx faster than libjwt (small / access / large).\n",
         results[0][3] / results[0][2], results[1][3] / results[1][2], results[2][3] / results[2][2]);
  (void)names;
  return 0;
}
