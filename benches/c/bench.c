/* `make bench-c`: tessera_verify from C (-O2) against libjwt and OpenSSL's
 * HMAC (the limit), on the same three tokens as the Rust benches. Medians of
 * several runs, ns per verify. */
#define _POSIX_C_SOURCE 199309L
#include <jwt.h>
#include <openssl/crypto.h>
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

struct tess { tessera_key *key; tessera_policy policy; uint8_t scratch[TESSERA_SCRATCH_LEN]; };

static int op_tessera(const char *token, void *ctx) {
  struct tess *t = ctx;
  tessera_claims c;
  return tessera_verify((const uint8_t *)token, strlen(token), t->key, &t->policy, t->scratch, sizeof t->scratch, &c) == TESSERA_STATUS_OK ? 0 : 1;
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
  double results[3][3];
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
    tessera_str aud = {"api", 3};
    if (i > 0) {
      t.policy.issuer = (tessera_str){"https://auth.example.com", 24};
      t.policy.audiences = &aud;
      t.policy.audiences_len = 1;
    }
    unsigned char sig[48];
    b64url_decode(strrchr(token, '.') + 1, sig);
    results[i][0] = measure(op_openssl, token, sig, 200000);
    results[i][1] = measure(op_tessera, token, &t, 200000);
    results[i][2] = measure(op_libjwt, token, NULL, 20000);
    tessera_key_free(t.key);
  }
  const char *rows[] = {"OpenSSL HMAC (the limit)", "tessera (C API)", "libjwt 1.10"};
  printf("C (-O2): medians in ns per verify (x = ratio to OpenSSL HMAC, same run)\n");
  printf("| | small (%zu B) | access (%zu B) | large (%zu B) |\n|---|---:|---:|---:|\n", lens[0], lens[1], lens[2]);
  for (int r = 0; r < 3; r++) {
    printf("| %s |", rows[r]);
    for (int i = 0; i < 3; i++) printf(" %.0f (%.2fx) |", results[i][r], results[i][r] / results[i][0]);
    printf("\n");
  }
  (void)names;
  return 0;
}
