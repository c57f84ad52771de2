/* Interop with libjwt (an independent C implementation): tokens signed by
 * libjwt verify in Tessera, tokens signed by Tessera verify in libjwt, and a
 * tampered token is refused by both. Public-key tokens Tessera issues (its
 * own EdDSA/ES256 signing; RS256 through OpenSSL on the signing input)
 * verify in libjwt. */
#include <jwt.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "tessera.h"
#include "check.h"

static const uint64_t NOW = 1700000000;

struct alg_case {
  jwt_alg_t libjwt;
  uint32_t tessera;
  size_t secret_len;
};

static const uint8_t SECRET[64] = "interop secret: sixty-four bytes of key material for HS512 tests";

static void libjwt_signs_tessera_verifies(struct alg_case a) {
  jwt_t *jwt = NULL;
  CHECK(jwt_new(&jwt) == 0);
  CHECK(jwt_set_alg(jwt, a.libjwt, SECRET, (int)a.secret_len) == 0);
  CHECK(jwt_add_grant(jwt, "iss", "https://auth.example.com") == 0);
  CHECK(jwt_add_grant(jwt, "sub", "user-42") == 0);
  CHECK(jwt_add_grant(jwt, "aud", "api") == 0);
  CHECK(jwt_add_grant_int(jwt, "exp", (long)(NOW + 900)) == 0);
  CHECK(jwt_add_grant_int(jwt, "iat", (long)NOW) == 0);
  CHECK(jwt_add_grants_json(jwt, "{\"roles\":[\"admin\",\"dev\"]}") == 0);
  char *token = jwt_encode_str(jwt);
  CHECK(token != NULL);
  jwt_free(jwt);
  if (!token) return;

  tessera_key *key = NULL;
  CHECK_STATUS(tessera_key_new(a.tessera, SECRET, a.secret_len, &key), TESSERA_STATUS_OK);
  tessera_policy p;
  tessera_policy_init(&p);
  p.now = NOW + 1;
  p.issuer = S("https://auth.example.com");
  tessera_str aud = S("api");
  p.audiences = &aud;
  p.audiences_len = 1;
  uint8_t scratch[2048];
  tessera_claims c;
  CHECK_STATUS(tessera_verify((const uint8_t *)token, strlen(token), key, &p, scratch, sizeof scratch, &c), TESSERA_STATUS_OK);
  CHECK(str_eq(c.sub, "user-42"));
  CHECK(c.exp == (int64_t)(NOW + 900));
  tessera_str roles;
  CHECK_STATUS(tessera_claims_get(&c, (const uint8_t *)"roles", 5, &roles), TESSERA_STATUS_OK);

  /* Tampered: a payload character changed. Both refuse it. */
  char *dot = strchr(token, '.');
  dot[5] = dot[5] == 'x' ? 'y' : 'x';
  tessera_status s = tessera_verify((const uint8_t *)token, strlen(token), key, &p, scratch, sizeof scratch, &c);
  CHECK(s == TESSERA_STATUS_BAD_SIGNATURE || s == TESSERA_STATUS_MALFORMED);
  jwt_t *back = NULL;
  CHECK(jwt_decode(&back, token, SECRET, (int)a.secret_len) != 0);
  jwt_free(back);
  tessera_key_free(key);
  free(token);
}

static void tessera_signs_libjwt_verifies(struct alg_case a) {
  tessera_key *key = NULL;
  CHECK_STATUS(tessera_key_new(a.tessera, SECRET, a.secret_len, &key), TESSERA_STATUS_OK);
  char token[1024];
  size_t n = 0;
  /* libjwt 1.10 refuses any header typ but "JWT" (so RFC 9068's at+jwt
   * access tokens cannot be read by it): sign with typ JWT here. */
  tessera_header_out h = {S("JWT"), S("k-1")};
  tessera_str auds[2] = {S("web"), S("api")};
  tessera_claims_out claims;
  memset(&claims, 0, sizeof claims);
  claims.iss = S("https://auth.example.com");
  claims.sub = S("user-42");
  claims.aud = auds;
  claims.aud_len = 2;
  claims.exp = NOW + 900;
  claims.iat = NOW;
  claims.times_present = (1u << TESSERA_CLAIM_EXP) | (1u << TESSERA_CLAIM_IAT);
  claims.scope = S("profile:read");
  claims.sid = S("session-1");
  const char *custom = "{\"roles\":[\"admin\"],\"tier\":3}";
  CHECK_STATUS(tessera_sign(key, &h, &claims, (const uint8_t *)custom, strlen(custom), (uint8_t *)token, sizeof token, &n),
               TESSERA_STATUS_OK);

  jwt_t *jwt = NULL;
  CHECK(jwt_decode(&jwt, token, SECRET, (int)a.secret_len) == 0);
  if (jwt) {
    CHECK(jwt_get_alg(jwt) == a.libjwt);
    const char *sub = jwt_get_grant(jwt, "sub");
    CHECK(sub && strcmp(sub, "user-42") == 0);
    const char *scope = jwt_get_grant(jwt, "scope");
    CHECK(scope && strcmp(scope, "profile:read") == 0);
    CHECK(jwt_get_grant_int(jwt, "exp") == (long)(NOW + 900));
    const char *kid = jwt_get_header(jwt, "kid");
    CHECK(kid && strcmp(kid, "k-1") == 0);
    CHECK(jwt_get_grant_int(jwt, "tier") == 3);
    char *aud = jwt_get_grants_json(jwt, "aud");
    CHECK(aud && strcmp(aud, "[\"web\",\"api\"]") == 0);
    free(aud);
    jwt_free(jwt);
  }
  /* With another key, or tampered, libjwt refuses it too. */
  static const uint8_t OTHER[64] = "a different secret of sixty-four bytes for the negative case!!!";
  jwt = NULL;
  CHECK(jwt_decode(&jwt, token, OTHER, (int)a.secret_len) != 0);
  jwt_free(jwt);
  token[n - 3] = token[n - 3] == 'A' ? 'B' : 'A';
  jwt = NULL;
  CHECK(jwt_decode(&jwt, token, SECRET, (int)a.secret_len) != 0);
  jwt_free(jwt);
  tessera_policy p;
  tessera_policy_init(&p);
  p.now = NOW + 1;
  p.ignore_audience = true;
  uint8_t scratch[2048];
  tessera_claims c;
  tessera_status s = tessera_verify((const uint8_t *)token, n, key, &p, scratch, sizeof scratch, &c);
  CHECK(s == TESSERA_STATUS_BAD_SIGNATURE || s == TESSERA_STATUS_MALFORMED);
  tessera_key_free(key);
}

/* The contents of a tests/keys file (NUL-terminated, malloc'd). */
static char *read_key(const char *name, size_t *len) {
  char path[256];
  snprintf(path, sizeof path, "tests/keys/%s", name);
  FILE *f = fopen(path, "rb");
  CHECK(f != NULL);
  if (!f) return NULL;
  char *buf = calloc(1, 8192);
  *len = fread(buf, 1, 8191, f);
  fclose(f);
  return buf;
}

/* libjwt (OpenSSL underneath) signs with a tests/keys private key; Tessera
 * verifies with the public half read from its SPKI PEM; a tampered token
 * and (RSA) the same key bound to another algorithm are refused. */
static void libjwt_signs_public_key(jwt_alg_t alg, uint32_t tessera_alg, const char *name, uint32_t other_alg) {
  char file[64];
  size_t private_len = 0, public_len = 0;
  snprintf(file, sizeof file, "%s.pem", name);
  char *private_pem = read_key(file, &private_len);
  snprintf(file, sizeof file, "%s.pub.pem", name);
  char *public_pem = read_key(file, &public_len);
  if (!private_pem || !public_pem) return;
  jwt_t *jwt = NULL;
  CHECK(jwt_new(&jwt) == 0);
  CHECK(jwt_set_alg(jwt, alg, (const unsigned char *)private_pem, (int)private_len) == 0);
  CHECK(jwt_add_header(jwt, "kid", "k1") == 0);
  CHECK(jwt_add_grant(jwt, "sub", "user-42") == 0);
  CHECK(jwt_add_grant_int(jwt, "exp", (long)(NOW + 900)) == 0);
  char *token = jwt_encode_str(jwt);
  CHECK(token != NULL);
  jwt_free(jwt);
  tessera_key *key = NULL, *other = NULL;
  CHECK_STATUS(tessera_key_from_pem((const uint8_t *)public_pem, public_len, tessera_alg, &key), TESSERA_STATUS_OK);
  /* An EC key has one algorithm (its curve's): binding it to another is refused. */
  CHECK_STATUS(tessera_key_from_pem((const uint8_t *)public_pem, public_len, other_alg, &other),
               other_alg == TESSERA_ALG_ES256 || other_alg == TESSERA_ALG_ES384 ? TESSERA_STATUS_INVALID_KEY : TESSERA_STATUS_OK);
  tessera_policy p;
  tessera_policy_init(&p);
  p.now = NOW + 1;
  uint8_t scratch[2048];
  tessera_claims c;
  if (token) {
    size_t n = strlen(token);
    CHECK_STATUS(tessera_verify((const uint8_t *)token, n, key, &p, scratch, sizeof scratch, &c), TESSERA_STATUS_OK);
    CHECK(str_eq(c.sub, "user-42") && str_eq(c.kid, "k1"));
    if (other) {
      CHECK_STATUS(tessera_verify((const uint8_t *)token, n, other, &p, scratch, sizeof scratch, &c), TESSERA_STATUS_ALGORITHM_MISMATCH);
    }
    char *dot = strchr(token, '.');
    dot[5] = dot[5] == 'x' ? 'y' : 'x';
    tessera_status s = tessera_verify((const uint8_t *)token, n, key, &p, scratch, sizeof scratch, &c);
    CHECK(s == TESSERA_STATUS_BAD_SIGNATURE || s == TESSERA_STATUS_MALFORMED);
    free(token);
  }
  tessera_key_free(key);
  tessera_key_free(other);
  free(private_pem);
  free(public_pem);
}

/* libjwt verifies `token` with the public PEM `name`.pub.pem and reads its
 * `sub`; a token with one signature byte changed is refused. */
static void libjwt_verifies(const char *token, size_t n, const char *name, jwt_alg_t alg, const char *sub) {
  char file[64];
  size_t public_len = 0;
  snprintf(file, sizeof file, "%s.pub.pem", name);
  char *public_pem = read_key(file, &public_len);
  if (!public_pem) return;
  jwt_t *jwt = NULL;
  CHECK(jwt_decode(&jwt, token, (const unsigned char *)public_pem, (int)public_len) == 0);
  if (jwt) {
    CHECK(jwt_get_alg(jwt) == alg);
    const char *got = jwt_get_grant(jwt, "sub");
    CHECK(got != NULL && strcmp(got, sub) == 0);
    jwt_free(jwt);
  }
  char *tampered = malloc(n + 1);
  if (!tampered) return;
  memcpy(tampered, token, n + 1);
  tampered[n - 3] = tampered[n - 3] == 'A' ? 'B' : 'A';
  jwt = NULL;
  CHECK(jwt_decode(&jwt, tampered, (const unsigned char *)public_pem, (int)public_len) != 0);
  jwt_free(jwt);
  free(tampered);
  free(public_pem);
}

/* The claims of the tokens libjwt reads. */
static tessera_claims_out jwt_claims(void) {
  tessera_claims_out claims;
  memset(&claims, 0, sizeof claims);
  claims.iss = S("https://auth.example.com");
  claims.sub = S("user-42");
  claims.exp = NOW + 900;
  claims.iat = NOW;
  claims.times_present = (1u << TESSERA_CLAIM_EXP) | (1u << TESSERA_CLAIM_IAT);
  return claims;
}

/* Tessera signs a token with the private key of tests/keys (ES256:
 * RFC 6979; libjwt 1.10 has no EdDSA); libjwt verifies it with the PEM. */
static void tessera_signs_private_libjwt_verifies(void) {
  size_t len = 0;
  char *pem = read_key("p256.pem", &len);
  if (!pem) return;
  tessera_key *key = NULL;
  CHECK_STATUS(tessera_key_from_private(TESSERA_KEY_FORMAT_PEM, (const uint8_t *)pem, len, &key), TESSERA_STATUS_OK);
  tessera_header_out h = {S("JWT"), S("p256")}; /* libjwt 1.10 reads typ JWT only */
  tessera_claims_out claims = jwt_claims();
  char token[1024];
  size_t n = 0;
  CHECK_STATUS(tessera_sign(key, &h, &claims, NULL, 0, (uint8_t *)token, sizeof token, &n), TESSERA_STATUS_OK);
  if (n > 0) libjwt_verifies(token, n, "p256", JWT_ALG_ES256, "user-42");
  tessera_key_free(key);
  free(pem);
}

/* OpenSSL's RSASSA-PKCS1-v1_5 over `input` with the private PEM `name`.pem. */
static size_t openssl_sign(const char *name, const EVP_MD *md, const uint8_t *input, size_t input_len, uint8_t *sig, size_t sig_cap) {
  char path[256];
  snprintf(path, sizeof path, "tests/keys/%s.pem", name);
  FILE *f = fopen(path, "rb");
  CHECK(f != NULL);
  if (!f) return 0;
  EVP_PKEY *pkey = PEM_read_PrivateKey(f, NULL, NULL, NULL);
  fclose(f);
  CHECK(pkey != NULL);
  EVP_MD_CTX *ctx = EVP_MD_CTX_new();
  size_t sig_len = sig_cap;
  int ok = pkey && ctx && EVP_DigestSignInit(ctx, NULL, md, NULL, pkey) == 1 &&
           EVP_DigestSign(ctx, sig, &sig_len, input, input_len) == 1;
  CHECK(ok);
  EVP_MD_CTX_free(ctx);
  EVP_PKEY_free(pkey);
  return ok ? sig_len : 0;
}

/* RS256 and RS512, which Tessera does not sign with itself: it writes the
 * signing input, OpenSSL signs it, Tessera checks the signature with the
 * public key and joins it; libjwt and Tessera verify the token. A
 * signature by another private key is refused and nothing is written. */
static void tessera_rsa_through_openssl(jwt_alg_t alg, uint32_t tessera_alg, const EVP_MD *md, const char *name) {
  char file[64];
  size_t public_len = 0;
  snprintf(file, sizeof file, "%s.pub.pem", name);
  char *public_pem = read_key(file, &public_len);
  if (!public_pem) return;
  tessera_key *key = NULL;
  CHECK_STATUS(tessera_key_from_pem((const uint8_t *)public_pem, public_len, tessera_alg, &key), TESSERA_STATUS_OK);
  tessera_access_params ap;
  memset(&ap, 0, sizeof ap);
  ap.issuer = S("https://auth.example.com");
  ap.subject = S("user-42");
  ap.audience = S("api");
  ap.session_id = S("s-1");
  ap.kid = S(name);
  ap.now = NOW;
  uint8_t out[2048];
  size_t input_len = 0, n = 0;
  CHECK_STATUS(tessera_access_signing_input(key, &ap, out, sizeof out, &input_len), TESSERA_STATUS_OK);
  CHECK(input_len > 0 && memchr(out, '.', input_len) != NULL && out[input_len] == 0);
  uint8_t sig[512], wrong[512];
  size_t sig_len = openssl_sign(name, md, out, input_len, sig, sizeof sig);
  size_t wrong_len = openssl_sign(strcmp(name, "rsa2048") == 0 ? "rsa4096" : "rsa2048", md, out, input_len, wrong, sizeof wrong);
  /* Another key's signature, or one corrupted: refused, the input untouched. */
  CHECK_STATUS(tessera_attach_signature(key, out, sizeof out, input_len, wrong, wrong_len, &n), TESSERA_STATUS_BAD_SIGNATURE);
  sig[7] ^= 1;
  CHECK_STATUS(tessera_attach_signature(key, out, sizeof out, input_len, sig, sig_len, &n), TESSERA_STATUS_BAD_SIGNATURE);
  sig[7] ^= 1;
  CHECK(n == 0 && out[input_len] == 0);
  CHECK_STATUS(tessera_attach_signature(key, out, input_len + 10, input_len, sig, sig_len, &n), TESSERA_STATUS_BUFFER_TOO_SMALL);
  CHECK_STATUS(tessera_attach_signature(key, out, sizeof out, input_len, NULL, sig_len, &n), TESSERA_STATUS_NULL_PARAMETER);
  CHECK_STATUS(tessera_attach_signature(key, out, sizeof out, input_len, sig, sig_len, &n), TESSERA_STATUS_OK);
  CHECK(n == input_len + 1 + (sig_len * 4 + 2) / 3 && out[input_len] == '.' && out[n] == 0);
  tessera_policy p;
  tessera_policy_init(&p);
  p.now = NOW + 1;
  p.issuer = S("https://auth.example.com");
  tessera_str audience = S("api");
  p.audiences = &audience;
  p.audiences_len = 1;
  uint8_t scratch[2048];
  tessera_claims c;
  CHECK_STATUS(tessera_verify(out, n, key, &p, scratch, sizeof scratch, &c), TESSERA_STATUS_OK);
  CHECK(str_eq(c.sub, "user-42") && str_eq(c.kid, name) && str_eq(c.typ, "at+jwt"));
  /* libjwt 1.10 reads typ JWT only: the same path with tessera_signing_input. */
  tessera_header_out h = {S("JWT"), S(name)};
  tessera_claims_out claims = jwt_claims();
  CHECK_STATUS(tessera_signing_input(key, &h, &claims, NULL, 0, out, sizeof out, &input_len), TESSERA_STATUS_OK);
  sig_len = openssl_sign(name, md, out, input_len, sig, sizeof sig);
  CHECK_STATUS(tessera_attach_signature(key, out, sizeof out, input_len, sig, sig_len, &n), TESSERA_STATUS_OK);
  libjwt_verifies((const char *)out, n, name, alg, "user-42");
  tessera_key_free(key);
  free(public_pem);
}

int main(void) {
  struct alg_case cases[] = {
      {JWT_ALG_HS256, TESSERA_ALG_HS256, 32}, {JWT_ALG_HS384, TESSERA_ALG_HS384, 48}, {JWT_ALG_HS512, TESSERA_ALG_HS512, 64}};
  for (size_t i = 0; i < 3; i++) {
    libjwt_signs_tessera_verifies(cases[i]);
    tessera_signs_libjwt_verifies(cases[i]);
  }
  /* libjwt 1.10 (Debian 12) signs RS* and ES* (no PS*, no EdDSA). */
  libjwt_signs_public_key(JWT_ALG_RS256, TESSERA_ALG_RS256, "rsa2048", TESSERA_ALG_PS256);
  libjwt_signs_public_key(JWT_ALG_RS384, TESSERA_ALG_RS384, "rsa4096", TESSERA_ALG_RS256);
  libjwt_signs_public_key(JWT_ALG_RS512, TESSERA_ALG_RS512, "rsa2048", TESSERA_ALG_RS384);
  libjwt_signs_public_key(JWT_ALG_ES256, TESSERA_ALG_ES256, "p256", TESSERA_ALG_ES384);
  libjwt_signs_public_key(JWT_ALG_ES384, TESSERA_ALG_ES384, "p384", TESSERA_ALG_ES256);
  tessera_signs_private_libjwt_verifies();
  tessera_rsa_through_openssl(JWT_ALG_RS256, TESSERA_ALG_RS256, EVP_sha256(), "rsa2048");
  tessera_rsa_through_openssl(JWT_ALG_RS512, TESSERA_ALG_RS512, EVP_sha512(), "rsa4096");
  return summary("libjwt interop");
}
