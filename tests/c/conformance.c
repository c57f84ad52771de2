/* Every shared vector (tests/vectors/verify.json and sign.json) through the
 * C API: the same verdicts and claims as Rust, byte-identical signatures. */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>

#include "tessera.h"
#include "check.h"

static size_t unhex(const char *hex, uint8_t *out, size_t cap) {
  size_t n = strlen(hex) / 2;
  if (n > cap) return 0;
  for (size_t i = 0; i < n; i++) {
    unsigned v;
    sscanf(hex + 2 * i, "%2x", &v);
    out[i] = (uint8_t)v;
  }
  return n;
}

/* Numbers are read as doubles (JSON_DECODE_INT_AS_REAL): every vector value
 * is exact in a double, including 2^63 for the saturating-leeway case. */
static uint64_t num(json_t *x) {
  double d = json_number_value(x);
  return d >= 18446744073709551615.0 ? UINT64_MAX : (uint64_t)d;
}

/* The tessera_alg of a JWS name; 0 for none (NULL). */
static uint32_t alg_of(const char *name) {
  static const struct { const char *n; uint32_t a; } algs[] = {
      {"HS256", TESSERA_ALG_HS256}, {"HS384", TESSERA_ALG_HS384}, {"HS512", TESSERA_ALG_HS512},
      {"ES256", TESSERA_ALG_ES256}, {"ES384", TESSERA_ALG_ES384}, {"EdDSA", TESSERA_ALG_EDDSA},
      {"RS256", TESSERA_ALG_RS256}, {"RS384", TESSERA_ALG_RS384}, {"RS512", TESSERA_ALG_RS512},
      {"PS256", TESSERA_ALG_PS256}, {"PS384", TESSERA_ALG_PS384}, {"PS512", TESSERA_ALG_PS512}};
  if (name == NULL) return 0;
  for (size_t i = 0; i < sizeof algs / sizeof algs[0]; i++)
    if (strcmp(algs[i].n, name) == 0) return algs[i].a;
  return 999;
}

static uint32_t claim_of(const char *name) {
  static const char *names[] = {"", "iss", "sub", "aud", "exp", "iat", "nbf", "jti", "sid", "scope", "azp", "client_id"};
  for (uint32_t i = 1; i < 12; i++)
    if (strcmp(names[i], name) == 0) return i;
  return 0;
}

/* A vector's key: an HMAC secret (verify.json), or a public key as a JWK
 * or an SPKI PEM with the caller's algorithm (public.json). */
static tessera_status key_from(json_t *spec, tessera_key **key) {
  uint32_t alg = alg_of(json_string_value(json_object_get(spec, "alg")));
  json_t *x;
  if ((x = json_object_get(spec, "jwk"))) {
    char *text = json_dumps(x, JSON_COMPACT);
    tessera_status s = tessera_key_from_jwk((const uint8_t *)text, strlen(text), alg, key);
    free(text);
    return s;
  }
  if ((x = json_object_get(spec, "pem"))) return tessera_key_from_pem((const uint8_t *)json_string_value(x), json_string_length(x), alg, key);
  uint8_t secret[128];
  size_t n = unhex(json_string_value(json_object_get(spec, "secret")), secret, sizeof secret);
  return tessera_key_new(alg, secret, n, key);
}

static tessera_str view(json_t *s) { return (tessera_str){json_string_value(s), json_string_length(s)}; }

static int same_str(tessera_str got, json_t *want) {
  if (want == NULL) return got.ptr == NULL;
  return got.ptr != NULL && got.len == json_string_length(want) && memcmp(got.ptr, json_string_value(want), got.len) == 0;
}

/* Compares what the C API exposes with the vector's expected claims. */
static int claims_match(const tessera_claims *c, json_t *want, json_t *header, const char *name) {
  int ok = 1;
  struct { const char *n; tessera_str v; } strs[] = {
      {"iss", c->iss}, {"sub", c->sub}, {"jti", c->jti}, {"sid", c->sid}, {"scope", c->scope}, {"azp", c->azp}, {"client_id", c->client_id}};
  for (size_t i = 0; i < sizeof strs / sizeof strs[0]; i++)
    if (!same_str(strs[i].v, json_object_get(want, strs[i].n))) { fprintf(stderr, "  %s: %s differs\n", name, strs[i].n); ok = 0; }
  struct { const char *n; int64_t v; uint32_t bit; } times[] = {
      {"exp", c->exp, TESSERA_CLAIM_EXP}, {"nbf", c->nbf, TESSERA_CLAIM_NBF}, {"iat", c->iat, TESSERA_CLAIM_IAT}};
  for (size_t i = 0; i < 3; i++) {
    json_t *w = json_object_get(want, times[i].n);
    int present = (c->present >> times[i].bit) & 1;
    if ((w != NULL) != present || (w && num(w) != (uint64_t)times[i].v)) { fprintf(stderr, "  %s: %s differs\n", name, times[i].n); ok = 0; }
  }
  json_t *aud = json_object_get(want, "aud");
  size_t want_count = aud ? json_array_size(aud) : 0;
  if (c->aud_count != want_count || (aud != NULL) != ((c->present >> TESSERA_CLAIM_AUD) & 1)) { fprintf(stderr, "  %s: aud count\n", name); ok = 0; }
  for (size_t i = 0; aud && i < want_count && i < c->aud_count; i++) {
    tessera_str a;
    if (tessera_claims_aud_at(c, i, &a) != TESSERA_STATUS_OK || !same_str(a, json_array_get(aud, i))) { fprintf(stderr, "  %s: aud[%zu]\n", name, i); ok = 0; }
  }
  if (!same_str(c->alg, json_object_get(header, "alg")) || !same_str(c->typ, json_object_get(header, "typ")) ||
      !same_str(c->kid, json_object_get(header, "kid"))) { fprintf(stderr, "  %s: header differs\n", name); ok = 0; }
  return ok;
}

static void run_verify_vectors(const char *path, int at_least) {
  json_error_t err;
  json_t *root = json_load_file(path, JSON_DECODE_INT_AS_REAL, &err);
  CHECK(root != NULL);
  if (!root) { fprintf(stderr, "%s: %s\n", path, err.text); return; }
  size_t i;
  json_t *v;
  static uint8_t scratch[16384];
  int count = 0;
  json_array_foreach(root, i, v) {
    const char *name = json_string_value(json_object_get(v, "name"));
    json_t *pol = json_object_get(v, "policy");
    json_t *expect = json_object_get(v, "expect");
    tessera_policy p;
    tessera_policy_init(&p);
    p.now = num(json_object_get(pol, "now"));
    json_t *x;
    if ((x = json_object_get(pol, "leeway"))) p.leeway = num(x);
    if ((x = json_object_get(pol, "issuer"))) p.issuer = view(x);
    if ((x = json_object_get(pol, "typ"))) p.typ = view(x);
    if ((x = json_object_get(pol, "max_age"))) { p.has_max_age = true; p.max_age = num(x); }
    if ((x = json_object_get(pol, "max_token_len"))) p.max_token_len = (size_t)num(x);
    if ((x = json_object_get(pol, "ignore_audience"))) p.ignore_audience = json_is_true(x);
    if ((x = json_object_get(pol, "issued_before"))) p.issued_before = num(x);
    if ((x = json_object_get(pol, "required"))) {
      p.required = 0;
      size_t j;
      json_t *c;
      json_array_foreach(x, j, c) p.required |= 1u << claim_of(json_string_value(c));
    }
    tessera_str auds[16];
    if ((x = json_object_get(pol, "audience"))) {
      if (json_is_string(x)) { auds[0] = view(x); p.audiences_len = 1; }
      else { size_t j; json_t *a; json_array_foreach(x, j, a) auds[j] = view(a); p.audiences_len = json_array_size(x); }
      p.audiences = auds;
    }
    json_t *tok = json_object_get(v, "token");
    tessera_claims out;
    memset(&out, 0, sizeof out);
    tessera_status s;
    tessera_key *key = NULL;
    tessera_keyset *set = NULL;
    json_t *keyset = json_object_get(v, "keyset");
    if ((x = json_object_get(v, "key"))) {
      s = key_from(x, &key);
      if (s == TESSERA_STATUS_OK)
        s = tessera_verify((const uint8_t *)json_string_value(tok), json_string_length(tok), key, &p, scratch, sizeof scratch, &out);
    } else if (json_is_object(keyset)) {
      /* A JWK Set document and the caller's default for RSA keys without alg. */
      char *text = json_dumps(json_object_get(keyset, "jwks"), JSON_COMPACT);
      s = tessera_keyset_from_jwks((const uint8_t *)text, strlen(text),
                                   alg_of(json_string_value(json_object_get(keyset, "rsa_default"))), &set, NULL);
      free(text);
      if (s == TESSERA_STATUS_OK)
        s = tessera_verify_keyset((const uint8_t *)json_string_value(tok), json_string_length(tok), set, &p, scratch, sizeof scratch, &out);
    } else {
      tessera_keyset_new(&set);
      size_t j;
      json_t *k;
      json_array_foreach(keyset, j, k) {
        tessera_key *one = NULL;
        CHECK_STATUS(key_from(k, &one), TESSERA_STATUS_OK);
        json_t *kid = json_object_get(k, "kid");
        tessera_keyset_add(set, (const uint8_t *)json_string_value(kid), json_string_length(kid), one);
        tessera_key_free(one);
      }
      s = tessera_verify_keyset((const uint8_t *)json_string_value(tok), json_string_length(tok), set, &p, scratch, sizeof scratch, &out);
    }
    /* A vector whose key must be refused gets its verdict at import. */
    int import_expected = json_object_get(expect, "at") != NULL;
    int imported = key != NULL || set != NULL;
    int ok;
    if (import_expected == imported) {
      ok = 0;
    } else if (json_is_true(json_object_get(expect, "ok"))) {
      ok = s == TESSERA_STATUS_OK && claims_match(&out, json_object_get(expect, "claims"), json_object_get(expect, "header"), name);
    } else {
      const char *want = json_string_value(json_object_get(expect, "error"));
      json_t *claim = json_object_get(expect, "claim");
      ok = strcmp(tessera_status_name(s), want) == 0 && (!claim || out.error_claim == claim_of(json_string_value(claim)));
    }
    if (!ok) fprintf(stderr, "vector \"%s\": got %s\n", name, tessera_status_name(s));
    CHECK(ok);
    /* The same vector under the same policy prepared once (its time given
     * per call): the same verdict, the same claims. */
    if (imported) {
      tessera_policy q = p;
      q.now = 0;
      tessera_prepared_policy *pp = NULL;
      tessera_claims again;
      memset(&again, 0, sizeof again);
      tessera_status s2 = tessera_policy_prepare(&q, &pp);
      const uint8_t *t = (const uint8_t *)json_string_value(tok);
      size_t tn = json_string_length(tok);
      if (s2 == TESSERA_STATUS_OK)
        s2 = key ? tessera_verify_prepared(t, tn, key, pp, p.now, scratch, sizeof scratch, &again)
                 : tessera_verify_keyset_prepared(t, tn, set, pp, p.now, scratch, sizeof scratch, &again);
      tessera_prepared_policy_free(pp);
      int same = s2 == s && (s != TESSERA_STATUS_OK || claims_match(&again, json_object_get(expect, "claims"),
                                                                    json_object_get(expect, "header"), name));
      if (!same) fprintf(stderr, "vector \"%s\": prepared %s, direct %s\n", name, tessera_status_name(s2), tessera_status_name(s));
      CHECK(same);
    }
    count++;
    tessera_key_free(key);
    tessera_keyset_free(set);
  }
  CHECK(count > at_least);
  json_decref(root);
}

/* A signing vector's key: an HMAC secret, or a private key as JWK text. */
static tessera_status signing_key_from(json_t *spec, tessera_key **key) {
  json_t *jwk = json_object_get(spec, "jwk");
  if (json_is_string(jwk)) return tessera_key_from_private(TESSERA_KEY_FORMAT_JWK, (const uint8_t *)json_string_value(jwk), json_string_length(jwk), key);
  return key_from(spec, key);
}

static void run_sign_vectors(const char *path) {
  json_error_t err;
  json_t *root = json_load_file(path, JSON_DECODE_INT_AS_REAL, &err);
  CHECK(root != NULL);
  if (!root) return;
  size_t i;
  json_t *v;
  char out[4096];
  json_array_foreach(root, i, v) {
    const char *name = json_string_value(json_object_get(v, "name"));
    tessera_key *key = NULL;
    CHECK_STATUS(signing_key_from(json_object_get(v, "key"), &key), TESSERA_STATUS_OK);
    size_t written = 0;
    tessera_status s;
    json_t *profile = json_object_get(v, "profile");
    if (profile) {
      json_t *in = json_object_get(v, "inputs");
      uint8_t rnd[16];
      char sid[TESSERA_RANDOM_ID_LEN], jti[TESSERA_RANDOM_ID_LEN];
      unhex(json_string_value(json_object_get(in, "sid_random")), rnd, 16);
      tessera_random_id_from_bytes(rnd, (uint8_t *)sid);
      unhex(json_string_value(json_object_get(in, "jti_random")), rnd, 16);
      tessera_random_id_from_bytes(rnd, (uint8_t *)jti);
      json_t *x;
      if (strcmp(json_string_value(profile), "access") == 0) {
        tessera_access_params ap;
        memset(&ap, 0, sizeof ap);
        ap.issuer = view(json_object_get(in, "issuer"));
        ap.subject = view(json_object_get(in, "subject"));
        ap.audience = view(json_object_get(in, "audience"));
        ap.session_id = (tessera_str){sid, sizeof sid};
        ap.token_id = (tessera_str){jti, sizeof jti};
        if ((x = json_object_get(in, "scope"))) ap.scope = view(x);
        if ((x = json_object_get(in, "client_id"))) ap.client_id = view(x);
        ap.now = num(json_object_get(in, "now"));
        if ((x = json_object_get(in, "lifetime"))) ap.lifetime = num(x);
        s = tessera_issue_access(key, &ap, (uint8_t *)out, sizeof out, &written);
      } else {
        tessera_refresh_params rp;
        memset(&rp, 0, sizeof rp);
        rp.issuer = view(json_object_get(in, "issuer"));
        rp.subject = view(json_object_get(in, "subject"));
        rp.session_id = (tessera_str){sid, sizeof sid};
        rp.token_id = (tessera_str){jti, sizeof jti};
        rp.now = num(json_object_get(in, "now"));
        if ((x = json_object_get(in, "lifetime"))) rp.lifetime = num(x);
        s = tessera_issue_refresh(key, &rp, (uint8_t *)out, sizeof out, &written);
      }
    } else {
      json_t *h = json_object_get(v, "header"), *c = json_object_get(v, "claims"), *x;
      tessera_header_out header;
      memset(&header, 0, sizeof header);
      if ((x = json_object_get(h, "typ"))) header.typ = view(x);
      if ((x = json_object_get(h, "kid"))) header.kid = view(x);
      tessera_claims_out claims;
      memset(&claims, 0, sizeof claims);
      tessera_str *slots[] = {&claims.iss, &claims.sub, &claims.jti, &claims.sid, &claims.scope, &claims.azp, &claims.client_id};
      const char *names[] = {"iss", "sub", "jti", "sid", "scope", "azp", "client_id"};
      for (int k = 0; k < 7; k++)
        if ((x = json_object_get(c, names[k]))) *slots[k] = view(x);
      uint64_t *times[] = {&claims.exp, &claims.nbf, &claims.iat};
      const char *tnames[] = {"exp", "nbf", "iat"};
      for (int k = 0; k < 3; k++)
        if ((x = json_object_get(c, tnames[k]))) { *times[k] = num(x); claims.times_present |= 1u << claim_of(tnames[k]); }
      tessera_str auds[16];
      if ((x = json_object_get(c, "aud"))) {
        if (json_is_string(x)) { auds[0] = view(x); claims.aud_len = 1; }
        else { size_t j; json_t *a; json_array_foreach(x, j, a) auds[j] = view(a); claims.aud_len = json_array_size(x); claims.aud_as_array = true; }
        claims.aud = auds;
      }
      json_t *custom = json_object_get(v, "custom");
      const char *cj = json_is_string(custom) ? json_string_value(custom) : NULL;
      s = tessera_sign(key, &header, &claims, (const uint8_t *)cj, cj ? strlen(cj) : 0, (uint8_t *)out, sizeof out, &written);
    }
    const char *want = json_string_value(json_object_get(v, "token"));
    const char *error = json_string_value(json_object_get(v, "error"));
    int ok = error ? strcmp(tessera_status_name(s), error) == 0
                   : s == TESSERA_STATUS_OK && written == strlen(want) && memcmp(out, want, written) == 0;
    if (!ok) {
      fprintf(stderr, "sign vector \"%s\": %s\n  got  %.*s\n  want %s\n", name, tessera_status_name(s),
              s == TESSERA_STATUS_OK ? (int)written : 0, out, error ? error : want);
    }
    CHECK(ok);
    tessera_key_free(key);
  }
  json_decref(root);
}

int main(int argc, char **argv) {
  const char *dir = argc > 1 ? argv[1] : "tests/vectors";
  char path[1024];
  snprintf(path, sizeof path, "%s/verify.json", dir);
  run_verify_vectors(path, 200);
  snprintf(path, sizeof path, "%s/public.json", dir);
  run_verify_vectors(path, 100);
  snprintf(path, sizeof path, "%s/sign.json", dir);
  run_sign_vectors(path);
  return summary("c conformance");
}
