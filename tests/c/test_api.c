/* Every function of the C API: success paths, NULL and bad-length
 * arguments, small buffers, and one key shared by several threads. */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>

#include "tessera.h"
#include "check.h"

static const uint8_t SECRET[32] = "0123456789abcdef0123456789abcdef";
static const uint64_t NOW = 1700000000;

static tessera_key *make_key(void) {
  tessera_key *key = NULL;
  CHECK_STATUS(tessera_key_new(TESSERA_ALG_HS256, SECRET, sizeof SECRET, &key), TESSERA_STATUS_OK);
  return key;
}

/* Signs a token with the given claims into buf; returns its length. */
static size_t make_token(const tessera_key *key, const tessera_claims_out *claims, const char *typ, const char *kid,
                         const char *custom, char *buf, size_t cap) {
  tessera_header_out header = {typ ? S(typ) : (tessera_str){NULL, 0}, kid ? S(kid) : (tessera_str){NULL, 0}};
  size_t written = 0;
  CHECK_STATUS(tessera_sign(key, &header, claims, (const uint8_t *)custom, custom ? strlen(custom) : 0,
                            (uint8_t *)buf, cap, &written),
               TESSERA_STATUS_OK);
  return written;
}

static tessera_claims_out access_claims(void) {
  static tessera_str auds[2];
  auds[0] = S("web");
  auds[1] = S("api");
  tessera_claims_out c;
  memset(&c, 0, sizeof c);
  c.iss = S("https://auth.example.com");
  c.sub = S("user-42");
  c.aud = auds;
  c.aud_len = 2;
  c.exp = NOW + 900;
  c.iat = NOW;
  c.times_present = (1u << TESSERA_CLAIM_EXP) | (1u << TESSERA_CLAIM_IAT);
  c.jti = S("j-1");
  c.sid = S("s-1");
  c.scope = S("profile:read likes:write");
  c.client_id = S("web-app");
  return c;
}

static void test_status_and_version(void) {
  CHECK(strcmp(tessera_version(), TESSERA_VERSION) == 0);
  CHECK(strcmp(tessera_status_name(TESSERA_STATUS_EXPIRED), "Expired") == 0);
  CHECK(strcmp(tessera_status_str(TESSERA_STATUS_OK), "success") == 0);
  CHECK(strcmp(tessera_status_str(9999), "unknown status") == 0);
  CHECK(strcmp(tessera_status_name(9999), "Unknown") == 0);
  CHECK(strlen(tessera_status_str(TESSERA_STATUS_BAD_SIGNATURE)) > 10);
}

static void test_keys(void) {
  tessera_key *key = NULL;
  CHECK_STATUS(tessera_key_new(TESSERA_ALG_HS256, SECRET, 31, &key), TESSERA_STATUS_WEAK_KEY);
  CHECK(key == NULL);
  CHECK_STATUS(tessera_key_new(TESSERA_ALG_HS512, SECRET, 32, &key), TESSERA_STATUS_WEAK_KEY);
  CHECK_STATUS(tessera_key_new(7, SECRET, 32, &key), TESSERA_STATUS_INVALID_ARGUMENT);
  CHECK_STATUS(tessera_key_new(TESSERA_ALG_HS256, NULL, 32, &key), TESSERA_STATUS_NULL_PARAMETER);
  CHECK_STATUS(tessera_key_new(TESSERA_ALG_HS256, SECRET, 32, NULL), TESSERA_STATUS_NULL_PARAMETER);
  CHECK_STATUS(tessera_key_new(TESSERA_ALG_HS256, NULL, 0, &key), TESSERA_STATUS_WEAK_KEY);
  key = make_key();
  CHECK(tessera_key_alg(key) == TESSERA_ALG_HS256);
  CHECK(tessera_key_alg(NULL) == 0);
  tessera_key_free(key);
  tessera_key_free(NULL);

  /* Caller storage, no malloc. */
  tessera_key_storage storage;
  const tessera_key *in_place = NULL;
  CHECK(sizeof storage == TESSERA_KEY_STORAGE_SIZE);
  CHECK(_Alignof(tessera_key_storage) == 16);
  CHECK_STATUS(tessera_key_init(&storage, TESSERA_ALG_HS256, SECRET, 32, &in_place), TESSERA_STATUS_OK);
  CHECK((const void *)in_place == (const void *)&storage);
  CHECK(tessera_key_alg(in_place) == TESSERA_ALG_HS256);
  CHECK_STATUS(tessera_key_init(NULL, TESSERA_ALG_HS256, SECRET, 32, &in_place), TESSERA_STATUS_NULL_PARAMETER);
  CHECK_STATUS(tessera_key_init(&storage, TESSERA_ALG_HS256, SECRET, 32, NULL), TESSERA_STATUS_NULL_PARAMETER);

  tessera_claims_out c = access_claims();
  char token[1024];
  size_t n = make_token(in_place, &c, "at+jwt", NULL, NULL, token, sizeof token);
  tessera_policy p;
  tessera_policy_init(&p);
  p.now = NOW;
  p.ignore_audience = true;
  uint8_t scratch[2048];
  tessera_claims out;
  CHECK_STATUS(tessera_verify((const uint8_t *)token, n, in_place, &p, scratch, sizeof scratch, &out), TESSERA_STATUS_OK);
  tessera_key_deinit(&storage);
  tessera_key_deinit(NULL);
}

static void test_keyset(void) {
  tessera_keyset *set = NULL;
  CHECK_STATUS(tessera_keyset_new(NULL), TESSERA_STATUS_NULL_PARAMETER);
  CHECK_STATUS(tessera_keyset_new(&set), TESSERA_STATUS_OK);
  tessera_key *k1 = make_key();
  static const uint8_t other[32] = "another secret of 32 bytes......";
  tessera_key *k2 = NULL;
  CHECK_STATUS(tessera_key_new(TESSERA_ALG_HS256, other, 32, &k2), TESSERA_STATUS_OK);
  CHECK_STATUS(tessera_keyset_add(set, (const uint8_t *)"k1", 2, k1), TESSERA_STATUS_OK);
  CHECK_STATUS(tessera_keyset_add(set, (const uint8_t *)"k2", 2, k2), TESSERA_STATUS_OK);
  CHECK_STATUS(tessera_keyset_add(NULL, (const uint8_t *)"k", 1, k1), TESSERA_STATUS_NULL_PARAMETER);
  CHECK_STATUS(tessera_keyset_add(set, (const uint8_t *)"k", 1, NULL), TESSERA_STATUS_NULL_PARAMETER);
  CHECK_STATUS(tessera_keyset_add(set, NULL, 1, k1), TESSERA_STATUS_NULL_PARAMETER);
  CHECK_STATUS(tessera_keyset_add(set, (const uint8_t *)"\xff", 1, k1), TESSERA_STATUS_INVALID_ARGUMENT);
  char long_kid[65];
  memset(long_kid, 'x', sizeof long_kid);
  CHECK_STATUS(tessera_keyset_add(set, (const uint8_t *)long_kid, 65, k1), TESSERA_STATUS_CAPACITY_EXCEEDED);

  tessera_claims_out c = access_claims();
  char token[1024];
  size_t n = make_token(k2, &c, NULL, "k2", NULL, token, sizeof token);
  tessera_policy p;
  tessera_policy_init(&p);
  p.now = NOW;
  p.ignore_audience = true;
  uint8_t scratch[2048];
  tessera_claims out;
  CHECK_STATUS(tessera_verify_keyset((const uint8_t *)token, n, set, &p, scratch, sizeof scratch, &out), TESSERA_STATUS_OK);
  CHECK(str_eq(out.kid, "k2"));
  n = make_token(k2, &c, NULL, "k9", NULL, token, sizeof token);
  CHECK_STATUS(tessera_verify_keyset((const uint8_t *)token, n, set, &p, scratch, sizeof scratch, &out), TESSERA_STATUS_UNKNOWN_KEY);
  n = make_token(k1, &c, NULL, "k2", NULL, token, sizeof token);
  CHECK_STATUS(tessera_verify_keyset((const uint8_t *)token, n, set, &p, scratch, sizeof scratch, &out), TESSERA_STATUS_BAD_SIGNATURE);
  CHECK_STATUS(tessera_verify_keyset((const uint8_t *)token, n, NULL, &p, scratch, sizeof scratch, &out), TESSERA_STATUS_NULL_PARAMETER);

  /* Capacity: 16 keys at most. */
  char kid[8];
  int added = 0;
  for (int i = 0; i < 20; i++) {
    snprintf(kid, sizeof kid, "n%d", i);
    if (tessera_keyset_add(set, (const uint8_t *)kid, strlen(kid), k1) == TESSERA_STATUS_OK) added++;
  }
  CHECK(added == TESSERA_KEYSET_CAPACITY - 2);
  tessera_key_free(k1);
  tessera_key_free(k2);
  /* The set holds its own copies. */
  CHECK_STATUS(tessera_verify_keyset((const uint8_t *)token, n, set, &p, scratch, sizeof scratch, &out), TESSERA_STATUS_BAD_SIGNATURE);
  tessera_keyset_free(set);
  tessera_keyset_free(NULL);
}

static int revoke_calls = 0;
static bool revoke_sid_s1(void *user, const tessera_revocation_query *q) {
  revoke_calls++;
  (void)user;
  return str_eq(q->sid, (const char *)user) && q->has_iat && q->iat == (int64_t)NOW;
}

static void test_verify(void) {
  tessera_key *key = make_key();
  tessera_claims_out c = access_claims();
  char token[1024];
  size_t n = make_token(key, &c, "at+jwt", NULL, "{\"roles\":[\"a\",\"b\"],\"n\":1.5}", token, sizeof token);
  tessera_policy p;
  CHECK_STATUS(tessera_policy_init(NULL), TESSERA_STATUS_NULL_PARAMETER);
  CHECK_STATUS(tessera_policy_init(&p), TESSERA_STATUS_OK);
  CHECK(p.required == (1u << TESSERA_CLAIM_EXP));
  CHECK(p.max_token_len == 8192);
  p.now = NOW + 10;
  p.issuer = S("https://auth.example.com");
  tessera_str expected[1] = {S("api")};
  p.audiences = expected;
  p.audiences_len = 1;
  p.typ = S("at+jwt");
  uint8_t scratch[2048];
  tessera_claims out;

  CHECK_STATUS(tessera_verify((const uint8_t *)token, n, key, &p, scratch, sizeof scratch, &out), TESSERA_STATUS_OK);
  CHECK(str_eq(out.alg, "HS256"));
  CHECK(str_eq(out.typ, "at+jwt"));
  CHECK(out.kid.ptr == NULL);
  CHECK(str_eq(out.iss, "https://auth.example.com"));
  CHECK(str_eq(out.sub, "user-42"));
  CHECK(str_eq(out.jti, "j-1"));
  CHECK(str_eq(out.sid, "s-1"));
  CHECK(str_eq(out.client_id, "web-app"));
  CHECK(out.azp.ptr == NULL);
  CHECK(out.exp == (int64_t)(NOW + 900));
  CHECK(out.iat == (int64_t)NOW);
  CHECK((out.present & (1u << TESSERA_CLAIM_EXP)) && !(out.present & (1u << TESSERA_CLAIM_NBF)));
  CHECK(out.aud_count == 2);
  tessera_str a;
  CHECK_STATUS(tessera_claims_aud_at(&out, 1, &a), TESSERA_STATUS_OK);
  CHECK(str_eq(a, "api"));
  CHECK_STATUS(tessera_claims_aud_at(&out, 2, &a), TESSERA_STATUS_INVALID_ARGUMENT);
  CHECK_STATUS(tessera_claims_aud_at(NULL, 0, &a), TESSERA_STATUS_NULL_PARAMETER);
  CHECK_STATUS(tessera_claims_aud_at(&out, 0, NULL), TESSERA_STATUS_NULL_PARAMETER);
  CHECK(tessera_claims_has_scope(&out, (const uint8_t *)"likes:write", 11));
  CHECK(!tessera_claims_has_scope(&out, (const uint8_t *)"likes", 5));
  CHECK(!tessera_claims_has_scope(&out, (const uint8_t *)"", 0));
  CHECK(!tessera_claims_has_scope(NULL, (const uint8_t *)"x", 1));
  CHECK(!tessera_claims_has_scope(&out, NULL, 3));
  tessera_str raw;
  CHECK_STATUS(tessera_claims_get(&out, (const uint8_t *)"roles", 5, &raw), TESSERA_STATUS_OK);
  CHECK(str_eq(raw, "[\"a\",\"b\"]"));
  CHECK_STATUS(tessera_claims_get(&out, (const uint8_t *)"sub", 3, &raw), TESSERA_STATUS_OK);
  CHECK(str_eq(raw, "\"user-42\""));
  CHECK_STATUS(tessera_claims_get(&out, (const uint8_t *)"none", 4, &raw), TESSERA_STATUS_MISSING_CLAIM);
  CHECK_STATUS(tessera_claims_get(&out, NULL, 4, &raw), TESSERA_STATUS_NULL_PARAMETER);
  CHECK(out.payload_json.len > 50 && out.header_json.len > 10);

  /* Failures, with the claim named. */
  p.now = NOW + 900;
  CHECK_STATUS(tessera_verify((const uint8_t *)token, n, key, &p, scratch, sizeof scratch, &out), TESSERA_STATUS_EXPIRED);
  CHECK(out.error_claim == TESSERA_CLAIM_EXP);
  CHECK(out.sub.ptr == NULL);
  /* Claims reset by a failure hold nothing to look up. */
  CHECK_STATUS(tessera_claims_get(&out, (const uint8_t *)"sub", 3, &raw), TESSERA_STATUS_INVALID_ARGUMENT);
  CHECK_STATUS(tessera_claims_aud_at(&out, 0, &a), TESSERA_STATUS_INVALID_ARGUMENT);
  CHECK(!tessera_claims_has_scope(&out, (const uint8_t *)"likes:write", 11));
  p.now = NOW + 10;
  p.issuer = S("https://other");
  CHECK_STATUS(tessera_verify((const uint8_t *)token, n, key, &p, scratch, sizeof scratch, &out), TESSERA_STATUS_INVALID_ISSUER);
  p.issuer = S("https://auth.example.com");
  p.typ = S("refresh+jwt");
  CHECK_STATUS(tessera_verify((const uint8_t *)token, n, key, &p, scratch, sizeof scratch, &out), TESSERA_STATUS_TYPE_MISMATCH);
  p.typ = S("at+jwt");
  p.required |= 1u << TESSERA_CLAIM_AZP;
  CHECK_STATUS(tessera_verify((const uint8_t *)token, n, key, &p, scratch, sizeof scratch, &out), TESSERA_STATUS_MISSING_CLAIM);
  CHECK(out.error_claim == TESSERA_CLAIM_AZP);
  /* Claim codes ORed without the shift (4 | 5: bit 0 names no claim, bit 2
   * is sub, so exp would not be required) and bits past the last claim are
   * refused, not dropped. */
  tessera_prepared_policy *slip = NULL;
  p.required = TESSERA_CLAIM_EXP | TESSERA_CLAIM_IAT;
  CHECK_STATUS(tessera_verify((const uint8_t *)token, n, key, &p, scratch, sizeof scratch, &out), TESSERA_STATUS_INVALID_ARGUMENT);
  p.required = (1u << TESSERA_CLAIM_EXP) | (1u << 12);
  CHECK_STATUS(tessera_verify((const uint8_t *)token, n, key, &p, scratch, sizeof scratch, &out), TESSERA_STATUS_INVALID_ARGUMENT);
  uint64_t at = p.now;
  p.now = 0; /* a prepared policy takes its time per call */
  CHECK_STATUS(tessera_policy_prepare(&p, &slip), TESSERA_STATUS_INVALID_ARGUMENT);
  CHECK(slip == NULL);
  p.now = at;
  p.required = 1u << TESSERA_CLAIM_EXP;
  p.has_max_age = true;
  p.max_age = 5;
  CHECK_STATUS(tessera_verify((const uint8_t *)token, n, key, &p, scratch, sizeof scratch, &out), TESSERA_STATUS_EXPIRED);
  CHECK(out.error_claim == TESSERA_CLAIM_IAT);
  /* A max age without its flag would be ignored: refused instead. */
  p.has_max_age = false;
  CHECK_STATUS(tessera_verify((const uint8_t *)token, n, key, &p, scratch, sizeof scratch, &out), TESSERA_STATUS_INVALID_ARGUMENT);
  p.now = 0;
  CHECK_STATUS(tessera_policy_prepare(&p, &slip), TESSERA_STATUS_INVALID_ARGUMENT);
  p.now = at;
  p.max_age = 0;
  p.issued_before = NOW + 1;
  CHECK_STATUS(tessera_verify((const uint8_t *)token, n, key, &p, scratch, sizeof scratch, &out), TESSERA_STATUS_REVOKED);
  /* The cut-off's own second is revoked (iat <= cut-off); the second before is not. */
  p.issued_before = NOW;
  CHECK_STATUS(tessera_verify((const uint8_t *)token, n, key, &p, scratch, sizeof scratch, &out), TESSERA_STATUS_REVOKED);
  p.issued_before = NOW - 1;
  CHECK_STATUS(tessera_verify((const uint8_t *)token, n, key, &p, scratch, sizeof scratch, &out), TESSERA_STATUS_OK);
  p.issued_before = 0;
  p.revoked = revoke_sid_s1;
  p.revoked_user = (void *)"s-1";
  CHECK_STATUS(tessera_verify((const uint8_t *)token, n, key, &p, scratch, sizeof scratch, &out), TESSERA_STATUS_REVOKED);
  p.revoked_user = (void *)"s-2";
  CHECK_STATUS(tessera_verify((const uint8_t *)token, n, key, &p, scratch, sizeof scratch, &out), TESSERA_STATUS_OK);
  CHECK(revoke_calls == 2);
  p.revoked = NULL;
  p.max_token_len = n - 1;
  CHECK_STATUS(tessera_verify((const uint8_t *)token, n, key, &p, scratch, sizeof scratch, &out), TESSERA_STATUS_TOKEN_TOO_LONG);
  p.max_token_len = 8192;

  /* Tampering. */
  char saved = token[n - 2];
  token[n - 2] = saved == 'A' ? 'B' : 'A';
  CHECK_STATUS(tessera_verify((const uint8_t *)token, n, key, &p, scratch, sizeof scratch, &out), TESSERA_STATUS_BAD_SIGNATURE);
  token[n - 2] = saved;
  CHECK(tessera_verify((const uint8_t *)token, n - 1, key, &p, scratch, sizeof scratch, &out) != TESSERA_STATUS_OK);
  CHECK_STATUS(tessera_verify((const uint8_t *)"a.b", 3, key, &p, scratch, sizeof scratch, &out), TESSERA_STATUS_MALFORMED);

  /* Audiences: too many, or NULL entries. */
  tessera_str many[17];
  for (int i = 0; i < 17; i++) many[i] = S("api");
  p.audiences = many;
  p.audiences_len = 17;
  CHECK_STATUS(tessera_verify((const uint8_t *)token, n, key, &p, scratch, sizeof scratch, &out), TESSERA_STATUS_INVALID_ARGUMENT);
  p.audiences = NULL;
  p.audiences_len = 1;
  CHECK_STATUS(tessera_verify((const uint8_t *)token, n, key, &p, scratch, sizeof scratch, &out), TESSERA_STATUS_NULL_PARAMETER);
  many[0].ptr = NULL;
  p.audiences = many;
  CHECK_STATUS(tessera_verify((const uint8_t *)token, n, key, &p, scratch, sizeof scratch, &out), TESSERA_STATUS_NULL_PARAMETER);
  p.audiences = expected;

  /* NULL and bad-length arguments. */
  CHECK_STATUS(tessera_verify(NULL, n, key, &p, scratch, sizeof scratch, &out), TESSERA_STATUS_NULL_PARAMETER);
  CHECK_STATUS(tessera_verify(NULL, 0, key, &p, scratch, sizeof scratch, &out), TESSERA_STATUS_MALFORMED);
  CHECK_STATUS(tessera_verify((const uint8_t *)token, n, NULL, &p, scratch, sizeof scratch, &out), TESSERA_STATUS_NULL_PARAMETER);
  CHECK_STATUS(tessera_verify((const uint8_t *)token, n, key, NULL, scratch, sizeof scratch, &out), TESSERA_STATUS_NULL_PARAMETER);
  CHECK_STATUS(tessera_verify((const uint8_t *)token, n, key, &p, NULL, sizeof scratch, &out), TESSERA_STATUS_NULL_PARAMETER);
  CHECK_STATUS(tessera_verify((const uint8_t *)token, n, key, &p, scratch, sizeof scratch, NULL), TESSERA_STATUS_NULL_PARAMETER);
  CHECK_STATUS(tessera_verify((const uint8_t *)token, n, key, &p, NULL, 0, &out), TESSERA_STATUS_BUFFER_TOO_SMALL);
  /* {NULL, n}: an unset getenv() must not turn the issuer check off. */
  p.issuer.ptr = NULL;
  p.issuer.len = 3;
  CHECK_STATUS(tessera_verify((const uint8_t *)token, n, key, &p, scratch, sizeof scratch, &out), TESSERA_STATUS_NULL_PARAMETER);
  p.issuer = (tessera_str){"\xff\xfe", 2};
  CHECK_STATUS(tessera_verify((const uint8_t *)token, n, key, &p, scratch, sizeof scratch, &out), TESSERA_STATUS_INVALID_ARGUMENT);
  p.issuer = S("https://auth.example.com");

  /* Every scratch size below the need is BUFFER_TOO_SMALL, never a crash. */
  size_t need = tessera_scratch_len(n);
  CHECK(need >= n);
  int small_ok = 1;
  for (size_t len = 0; len < need; len++) {
    uint8_t *tight = malloc(len ? len : 1);
    tessera_status s = tessera_verify((const uint8_t *)token, n, key, &p, tight, len, &out);
    if (s != TESSERA_STATUS_OK && s != TESSERA_STATUS_BUFFER_TOO_SMALL) small_ok = 0;
    free(tight);
  }
  CHECK(small_ok);

  /* now = 0 reads the system clock: this token expired in 2023. */
  p.now = 0;
  CHECK_STATUS(tessera_verify((const uint8_t *)token, n, key, &p, scratch, sizeof scratch, &out), TESSERA_STATUS_EXPIRED);

  /* Unverified decoding. */
  CHECK_STATUS(tessera_decode_unverified((const uint8_t *)token, n, scratch, sizeof scratch, &out), TESSERA_STATUS_OK);
  CHECK(out.exp == (int64_t)(NOW + 900));
  CHECK_STATUS(tessera_decode_unverified(NULL, 3, scratch, sizeof scratch, &out), TESSERA_STATUS_NULL_PARAMETER);
  CHECK_STATUS(tessera_decode_unverified((const uint8_t *)"x", 1, scratch, sizeof scratch, &out), TESSERA_STATUS_MALFORMED);
  tessera_key_free(key);
}

/* Caller slips that used to loosen a check now fail closed. */
static void test_fail_closed(void) {
  tessera_key *key = make_key();
  tessera_claims_out c = access_claims();
  char token[1024];
  size_t n = make_token(key, &c, "at+jwt", NULL, NULL, token, sizeof token);
  tessera_policy p;
  tessera_policy_init(&p);
  p.now = NOW + 10;
  tessera_str expected[1] = {S("api")};
  p.audiences = expected;
  p.audiences_len = 1;
  uint8_t scratch[2048];
  memset(scratch, 0x5a, sizeof scratch); /* every byte defined (valgrind), none zero */
  tessera_claims out;
  CHECK_STATUS(tessera_verify((const uint8_t *)token, n, key, &p, scratch, sizeof scratch, &out), TESSERA_STATUS_OK);

  /* Every optional policy string: {NULL, n > 0} is NULL_PARAMETER, {NULL, 0} absent. */
  p.typ = (tessera_str){NULL, 6};
  CHECK_STATUS(tessera_verify((const uint8_t *)token, n, key, &p, scratch, sizeof scratch, &out), TESSERA_STATUS_NULL_PARAMETER);
  p.typ = (tessera_str){NULL, 0};
  expected[0] = (tessera_str){NULL, 3};
  CHECK_STATUS(tessera_verify((const uint8_t *)token, n, key, &p, scratch, sizeof scratch, &out), TESSERA_STATUS_NULL_PARAMETER);
  expected[0] = S("api");

  /* A leeway above five minutes (30 s written in milliseconds) is refused, not honoured. */
  p.leeway = 30000;
  CHECK_STATUS(tessera_verify((const uint8_t *)token, n, key, &p, scratch, sizeof scratch, &out), TESSERA_STATUS_INVALID_ARGUMENT);
  p.leeway = TESSERA_MAX_LEEWAY;
  CHECK_STATUS(tessera_verify((const uint8_t *)token, n, key, &p, scratch, sizeof scratch, &out), TESSERA_STATUS_OK);
  p.leeway = 0;

  /* An explicitly empty audience list (non-NULL, 0) is a configuration
   * error; NULL with 0 means none expected (and this token carries aud). */
  p.audiences_len = 0;
  CHECK_STATUS(tessera_verify((const uint8_t *)token, n, key, &p, scratch, sizeof scratch, &out), TESSERA_STATUS_INVALID_ARGUMENT);
  p.audiences = NULL;
  CHECK_STATUS(tessera_verify((const uint8_t *)token, n, key, &p, scratch, sizeof scratch, &out), TESSERA_STATUS_INVALID_AUDIENCE);
  p.audiences = expected;
  p.audiences_len = 1;

  /* Milliseconds for seconds. */
  p.now = (NOW + 10) * 1000;
  CHECK_STATUS(tessera_verify((const uint8_t *)token, n, key, &p, scratch, sizeof scratch, &out), TESSERA_STATUS_INVALID_ARGUMENT);
  p.now = NOW + 10;
  p.issued_before = NOW * 1000;
  CHECK_STATUS(tessera_verify((const uint8_t *)token, n, key, &p, scratch, sizeof scratch, &out), TESSERA_STATUS_INVALID_ARGUMENT);
  p.issued_before = 0;

  /* A refused token leaves nothing of itself in the scratch: claims kept
   * from an earlier success read zeros, never the refused token's bytes. */
  CHECK_STATUS(tessera_verify((const uint8_t *)token, n, key, &p, scratch, sizeof scratch, &out), TESSERA_STATUS_OK);
  tessera_str kept_sub = out.sub;
  CHECK(str_eq(kept_sub, "user-42"));
  tessera_claims_out evil = access_claims();
  evil.sub = S("admin-0");
  tessera_key *other = NULL;
  CHECK_STATUS(tessera_key_new(TESSERA_ALG_HS256, (const uint8_t *)"another secret of 32 bytes......", 32, &other), TESSERA_STATUS_OK);
  char forged[1024];
  size_t fn = make_token(other, &evil, "at+jwt", NULL, NULL, forged, sizeof forged);
  tessera_claims refused;
  CHECK_STATUS(tessera_verify((const uint8_t *)forged, fn, key, &p, scratch, sizeof scratch, &refused), TESSERA_STATUS_BAD_SIGNATURE);
  int zeros = 1;
  for (size_t i = 0; i < kept_sub.len; i++) zeros &= kept_sub.ptr[i] == 0;
  CHECK(zeros);
  int found = 0;
  for (size_t i = 0; i + 7 <= sizeof scratch; i++) found |= memcmp(scratch + i, "admin-0", 7) == 0;
  CHECK(!found);
  tessera_key_free(other);

  /* Overlapping buffers are refused before anything is read or written. */
  uint8_t shared[4096];
  memcpy(shared, token, n);
  CHECK_STATUS(tessera_verify(shared, n, key, &p, shared, sizeof shared, &out), TESSERA_STATUS_INVALID_ARGUMENT);
  CHECK_STATUS(tessera_verify(shared + 2048, n, key, &p, shared, 2048 + 1, &out), TESSERA_STATUS_INVALID_ARGUMENT);
  memcpy(shared + 2048, token, n);
  CHECK_STATUS(tessera_verify(shared + 2048, n, key, &p, shared, 2048, &out), TESSERA_STATUS_OK); /* adjacent is fine */
  CHECK_STATUS(tessera_verify((const uint8_t *)token, n, key, &p, shared, sizeof shared, (tessera_claims *)(void *)(shared + 64)),
               TESSERA_STATUS_INVALID_ARGUMENT);
  CHECK_STATUS(tessera_verify(shared + 2048, n, key, &p, scratch, sizeof scratch, (tessera_claims *)(void *)(shared + 2048 + 8)),
               TESSERA_STATUS_INVALID_ARGUMENT);
  memcpy(shared + 16, "https://auth.example.com", 24);
  p.issuer = (tessera_str){(const char *)shared + 16, 24};
  CHECK_STATUS(tessera_verify((const uint8_t *)token, n, key, &p, shared + 8, 1024, &out), TESSERA_STATUS_INVALID_ARGUMENT);
  p.issuer = S("https://auth.example.com");
  CHECK_STATUS(tessera_decode_unverified(shared + 2048, n, shared, sizeof shared, &out), TESSERA_STATUS_INVALID_ARGUMENT);

  /* Signing: {NULL, n} strings and custom JSON are NULL_PARAMETER, never "absent". */
  char buf[1024];
  size_t written = 0;
  tessera_header_out h = {S("at+jwt"), {NULL, 0}};
  CHECK_STATUS(tessera_sign(key, &h, &c, NULL, 5, (uint8_t *)buf, sizeof buf, &written), TESSERA_STATUS_NULL_PARAMETER);
  h.kid = (tessera_str){NULL, 2};
  CHECK_STATUS(tessera_sign(key, &h, &c, NULL, 0, (uint8_t *)buf, sizeof buf, &written), TESSERA_STATUS_NULL_PARAMETER);
  h.kid = (tessera_str){NULL, 0};
  c.scope = (tessera_str){NULL, 4};
  CHECK_STATUS(tessera_sign(key, &h, &c, NULL, 0, (uint8_t *)buf, sizeof buf, &written), TESSERA_STATUS_NULL_PARAMETER);
  tessera_key_free(key);
}

/* A JWK Set of public keys (tests/keys/ed25519.pem's, and RFC 7515 A.3's
 * P-256 key) and an EdDSA token PyJWT signed with that key, kid "ed". */
static const char JWKS[] =
    "{\"keys\":[{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"kid\":\"ed\","
    "\"x\":\"7VNdjqPHid1_w7FQBXhRpjoaJINzthuxiXKmsgaiKiw\"},"
    "{\"kty\":\"EC\",\"crv\":\"P-256\",\"kid\":\"ec\",\"x\":\"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU\","
    "\"y\":\"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0\"},"
    "{\"kty\":\"RSA\",\"kid\":\"rsa\",\"n\":\"AQAB\",\"e\":\"AQAB\"}]}";
static const char ED_TOKEN[] =
    "eyJhbGciOiJFZERTQSIsImtpZCI6ImVkIiwidHlwIjoiSldUIn0."
    "eyJpc3MiOiJodHRwczovL2lkcC5leGFtcGxlIiwic3ViIjoidXNlci05IiwiZXhwIjo0MTAyNDQ0ODAwfQ."
    "E4lGrO5kDFkUHqzzrM37nF3EEeKxx9lQCDf8BSOV0BHS11E9qU_rjVDccKargtwudDgD6yXCKlF4sj-dwJ3NCg";

static void test_jwks(void) {
  tessera_keyset *set = NULL;
  size_t skipped = 99;
  CHECK_STATUS(tessera_keyset_from_jwks((const uint8_t *)JWKS, strlen(JWKS), 0, &set, &skipped), TESSERA_STATUS_OK);
  CHECK(set != NULL && skipped == 1); /* the RSA key has no alg and no default is given */
  tessera_policy p;
  tessera_policy_init(&p);
  p.now = NOW;
  p.issuer = S("https://idp.example");
  uint8_t scratch[1024];
  tessera_claims out;
  size_t n = strlen(ED_TOKEN);
  CHECK_STATUS(tessera_verify_keyset((const uint8_t *)ED_TOKEN, n, set, &p, scratch, sizeof scratch, &out), TESSERA_STATUS_OK);
  CHECK(str_eq(out.sub, "user-9") && str_eq(out.alg, "EdDSA") && str_eq(out.kid, "ed"));
  char tampered[sizeof ED_TOKEN];
  memcpy(tampered, ED_TOKEN, sizeof ED_TOKEN);
  tampered[n - 3] = tampered[n - 3] == 'A' ? 'B' : 'A';
  CHECK_STATUS(tessera_verify_keyset((const uint8_t *)tampered, n, set, &p, scratch, sizeof scratch, &out), TESSERA_STATUS_BAD_SIGNATURE);
  /* An HS256 token MACed with the JWK Set text, naming the Ed25519 key. */
  tessera_key *forger = NULL;
  CHECK_STATUS(tessera_key_new(TESSERA_ALG_HS256, (const uint8_t *)JWKS, strlen(JWKS), &forger), TESSERA_STATUS_OK);
  tessera_claims_out c;
  memset(&c, 0, sizeof c);
  c.sub = S("admin");
  c.exp = NOW + 60;
  c.times_present = 1u << TESSERA_CLAIM_EXP;
  char forged[512];
  size_t fn = make_token(forger, &c, NULL, "ed", NULL, forged, sizeof forged);
  p.issuer = (tessera_str){NULL, 0};
  CHECK_STATUS(tessera_verify_keyset((const uint8_t *)forged, fn, set, &p, scratch, sizeof scratch, &out), TESSERA_STATUS_ALGORITHM_MISMATCH);
  tessera_key_free(forger);
  tessera_keyset_free(set);

  /* Refusals leave *out untouched; skipped may be NULL. */
  tessera_keyset *untouched = NULL;
  const char *secret_member = "{\"keys\":[{\"kty\":\"oct\",\"kid\":\"s\",\"k\":\"c2VjcmV0\"}]}";
  CHECK_STATUS(tessera_keyset_from_jwks((const uint8_t *)secret_member, strlen(secret_member), 0, &untouched, NULL), TESSERA_STATUS_INVALID_KEY);
  CHECK_STATUS(tessera_keyset_from_jwks((const uint8_t *)"{}", 2, 0, &untouched, NULL), TESSERA_STATUS_INVALID_KEY);
  CHECK_STATUS(tessera_keyset_from_jwks((const uint8_t *)JWKS, 10, 0, &untouched, NULL), TESSERA_STATUS_INVALID_KEY);
  /* With an RSA default the set's 17-bit RSA key is read, and is weak. */
  CHECK_STATUS(tessera_keyset_from_jwks((const uint8_t *)JWKS, strlen(JWKS), TESSERA_ALG_RS256, &untouched, NULL), TESSERA_STATUS_WEAK_KEY);
  CHECK_STATUS(tessera_keyset_from_jwks((const uint8_t *)JWKS, strlen(JWKS), TESSERA_ALG_ES256, &untouched, NULL), TESSERA_STATUS_INVALID_ARGUMENT);
  CHECK_STATUS(tessera_keyset_from_jwks((const uint8_t *)JWKS, strlen(JWKS), 99, &untouched, NULL), TESSERA_STATUS_INVALID_ARGUMENT);
  CHECK(untouched == NULL);
  CHECK_STATUS(tessera_keyset_from_jwks(NULL, 5, 0, &untouched, NULL), TESSERA_STATUS_NULL_PARAMETER);
  CHECK_STATUS(tessera_keyset_from_jwks((const uint8_t *)JWKS, strlen(JWKS), 0, NULL, NULL), TESSERA_STATUS_NULL_PARAMETER);

  /* The same set in caller storage. */
  static tessera_keyset_storage storage;
  const tessera_keyset *in_place = NULL;
  CHECK_STATUS(tessera_keyset_init_jwks(&storage, (const uint8_t *)JWKS, strlen(JWKS), 0, &in_place, NULL), TESSERA_STATUS_OK);
  p.issuer = S("https://idp.example");
  CHECK_STATUS(tessera_verify_keyset((const uint8_t *)ED_TOKEN, n, in_place, &p, scratch, sizeof scratch, &out), TESSERA_STATUS_OK);
  CHECK(str_eq(out.sub, "user-9"));
  tessera_keyset_deinit(&storage);
  CHECK_STATUS(tessera_keyset_init_jwks(NULL, (const uint8_t *)JWKS, strlen(JWKS), 0, &in_place, NULL), TESSERA_STATUS_NULL_PARAMETER);
  CHECK(strcmp(tessera_status_name(TESSERA_STATUS_INVALID_KEY), "InvalidKey") == 0);
}

/* RFC 7515 A.2: an RS256 token and its key's modulus. */
static const char A2_TOKEN[] =
    "eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ."
    "cC4hiUPoj9Eetdgtv3hF80EGrhuB__dzERat0XF9g2VtQgr9PJbu3XOiZj5RZmh7AAuHIm4Bh-0Qc_lF5YKt_O8W2Fp5jujGbds9uJdbF9CUAr7t1dnZcAcQ"
    "jbKBYNX4BAynRFdiuB--f_nZLgrnbyTyWzO75vRK5h6xBArLIARNPvkSjtQBMHlb1L07Qe7K0GarZRmB_eSN9383LcOLn6_dO--xi12jzDwusC-eOkHWEsqt"
    "FZESc6BfI7noOPqvhJ1phCnvWh6IeYI2w9QOYEUipUTI8np6LbgGY9Fs98rqVt5AXLIhWkWywlVmtVrBp0igcN_IoypGlUPQGe77Rw";
static const char A2_JWK[] =
    "{\"kty\":\"RSA\",\"e\":\"AQAB\",\"n\":\"ofgWCuLjybRlzo0tZWJjNiuSfb4p4fAkd_wWJcyQoTbji9k0l8W26mPddxHmfHQp-Vaw-4qPCJrcS2mJPMEz"
    "P1Pt0Bm4d4QlL-yRT-SFd2lZS-pCgNMsD1W_YpRPEwOWvG6b32690r2jZ47soMZo9wGzjb_7OMg0LOL-bSf63kpaSHSXndS5z5rexMdbBYUsLA9e-KXBdQOS-UT"
    "o7WTBEMa2R2CapHg665xsmtdVMTBQY4uDZlxvb3qCo5ZwKh9kG4LT6_I5IhlJH7aGhyxXFvUK-DWNmoudF8NAco9_h9iaGNj8q2ethFkMLs91kzk2PAcDTW9gb"
    "54h4FRWyuXpoQ\"}";
/* tests/keys/ed25519.pub.pem, the key of ED_TOKEN, as PEM and as DER. */
static const char ED_PEM[] =
    "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA7VNdjqPHid1/w7FQBXhRpjoaJINzthuxiXKmsgaiKiw=\n-----END PUBLIC KEY-----\n";
static const uint8_t ED_DER[] = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00,
                                 0xed, 0x53, 0x5d, 0x8e, 0xa3, 0xc7, 0x89, 0xdd, 0x7f, 0xc3, 0xb1, 0x50,
                                 0x05, 0x78, 0x51, 0xa6, 0x3a, 0x1a, 0x24, 0x83, 0x73, 0xb6, 0x1b, 0xb1,
                                 0x89, 0x72, 0xa6, 0xb2, 0x06, 0xa2, 0x2a, 0x2c};

static void test_public_keys(void) {
  tessera_policy p;
  tessera_policy_init(&p);
  p.now = 1300819379;
  uint8_t scratch[1024];
  tessera_claims out;
  tessera_key *key = NULL;
  /* An RSA JWK without alg: the caller names it, or the key is refused. */
  CHECK_STATUS(tessera_key_from_jwk((const uint8_t *)A2_JWK, strlen(A2_JWK), 0, &key), TESSERA_STATUS_INVALID_KEY);
  CHECK(key == NULL);
  CHECK_STATUS(tessera_key_from_jwk((const uint8_t *)A2_JWK, strlen(A2_JWK), TESSERA_ALG_HS256, &key), TESSERA_STATUS_INVALID_ARGUMENT);
  CHECK_STATUS(tessera_key_from_jwk((const uint8_t *)A2_JWK, strlen(A2_JWK), TESSERA_ALG_ES256, &key), TESSERA_STATUS_INVALID_KEY);
  CHECK_STATUS(tessera_key_from_jwk((const uint8_t *)A2_JWK, strlen(A2_JWK), TESSERA_ALG_RS256, &key), TESSERA_STATUS_OK);
  CHECK(tessera_key_alg(key) == TESSERA_ALG_RS256);
  size_t n = strlen(A2_TOKEN);
  CHECK_STATUS(tessera_verify((const uint8_t *)A2_TOKEN, n, key, &p, scratch, sizeof scratch, &out), TESSERA_STATUS_OK);
  CHECK(str_eq(out.iss, "joe") && str_eq(out.alg, "RS256"));
  p.now = 1300819380;
  CHECK_STATUS(tessera_verify((const uint8_t *)A2_TOKEN, n, key, &p, scratch, sizeof scratch, &out), TESSERA_STATUS_EXPIRED);
  p.now = 1300819379;
  char tampered[sizeof A2_TOKEN];
  memcpy(tampered, A2_TOKEN, sizeof A2_TOKEN);
  tampered[n - 5] = tampered[n - 5] == 'A' ? 'B' : 'A';
  CHECK_STATUS(tessera_verify((const uint8_t *)tampered, n, key, &p, scratch, sizeof scratch, &out), TESSERA_STATUS_BAD_SIGNATURE);
  /* The signature one byte short: its last two characters carry the 256th byte. */
  CHECK_STATUS(tessera_verify((const uint8_t *)A2_TOKEN, n - 2, key, &p, scratch, sizeof scratch, &out), TESSERA_STATUS_BAD_SIGNATURE);
  /* A public key cannot sign. */
  tessera_claims_out c;
  memset(&c, 0, sizeof c);
  tessera_header_out h = {{NULL, 0}, {NULL, 0}};
  char buf[512];
  size_t written = 0;
  CHECK_STATUS(tessera_sign(key, &h, &c, NULL, 0, (uint8_t *)buf, sizeof buf, &written), TESSERA_STATUS_INVALID_ARGUMENT);
  tessera_key_free(key);
  /* An algorithm that is not HMAC is no secret's. */
  CHECK_STATUS(tessera_key_new(TESSERA_ALG_RS256, (const uint8_t *)A2_JWK, 64, &key), TESSERA_STATUS_INVALID_ARGUMENT);

  /* PEM and DER (caller storage) give the Ed25519 key of ED_TOKEN. */
  p.now = NOW;
  size_t en = strlen(ED_TOKEN);
  CHECK_STATUS(tessera_key_from_pem((const uint8_t *)ED_PEM, strlen(ED_PEM), 0, &key), TESSERA_STATUS_INVALID_ARGUMENT);
  CHECK_STATUS(tessera_key_from_pem((const uint8_t *)ED_PEM, strlen(ED_PEM), TESSERA_ALG_ES256, &key), TESSERA_STATUS_INVALID_KEY);
  CHECK_STATUS(tessera_key_from_pem((const uint8_t *)ED_PEM, strlen(ED_PEM), TESSERA_ALG_EDDSA, &key), TESSERA_STATUS_OK);
  CHECK_STATUS(tessera_verify((const uint8_t *)ED_TOKEN, en, key, &p, scratch, sizeof scratch, &out), TESSERA_STATUS_OK);
  CHECK(str_eq(out.sub, "user-9"));
  tessera_key_free(key);
  static tessera_key_storage storage;
  const tessera_key *in_place = NULL;
  CHECK_STATUS(tessera_key_init_public(&storage, TESSERA_KEY_FORMAT_SPKI_DER, ED_DER, sizeof ED_DER, TESSERA_ALG_EDDSA, &in_place), TESSERA_STATUS_OK);
  CHECK_STATUS(tessera_verify((const uint8_t *)ED_TOKEN, en, in_place, &p, scratch, sizeof scratch, &out), TESSERA_STATUS_OK);
  tessera_key_deinit(&storage);
  CHECK_STATUS(tessera_key_init_public(&storage, TESSERA_KEY_FORMAT_SPKI_DER, ED_DER, sizeof ED_DER - 1, TESSERA_ALG_EDDSA, &in_place), TESSERA_STATUS_INVALID_KEY);
  CHECK_STATUS(tessera_key_init_public(&storage, 9, ED_DER, sizeof ED_DER, TESSERA_ALG_EDDSA, &in_place), TESSERA_STATUS_INVALID_ARGUMENT);
  CHECK_STATUS(tessera_key_init_public(NULL, TESSERA_KEY_FORMAT_SPKI_DER, ED_DER, sizeof ED_DER, TESSERA_ALG_EDDSA, &in_place), TESSERA_STATUS_NULL_PARAMETER);
  CHECK_STATUS(tessera_key_from_public(TESSERA_KEY_FORMAT_PEM, NULL, 3, TESSERA_ALG_EDDSA, &key), TESSERA_STATUS_NULL_PARAMETER);
  /* A private key PEM is refused. */
  const char *private_pem = "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIA==\n-----END PRIVATE KEY-----\n";
  CHECK_STATUS(tessera_key_from_pem((const uint8_t *)private_pem, strlen(private_pem), TESSERA_ALG_EDDSA, &key), TESSERA_STATUS_INVALID_KEY);
}

/* tests/keys/ed25519.pem: the private key of ED_TOKEN (and of JWKS's "ed"). */
static const char ED_PRIVATE_PEM[] =
    "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIFeyx2Gnt9e9EsPTIrIsmHf2wuxE8ijl9Uci8Byk5wns\n-----END PRIVATE KEY-----\n";
/* RFC 7515 A.3's P-256 key with its private scalar. */
static const char EC_PRIVATE_JWK[] =
    "{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU\","
    "\"y\":\"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0\",\"d\":\"jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI\"}";

static void test_private_keys(void) {
  tessera_policy p;
  tessera_policy_init(&p);
  p.now = NOW;
  uint8_t scratch[2048];
  tessera_claims out;
  tessera_key *ed = NULL, *ec = NULL, *pub = NULL, *hmac = NULL;
  CHECK_STATUS(tessera_key_from_private(TESSERA_KEY_FORMAT_PEM, (const uint8_t *)ED_PRIVATE_PEM, strlen(ED_PRIVATE_PEM), &ed), TESSERA_STATUS_OK);
  CHECK(tessera_key_alg(ed) == TESSERA_ALG_EDDSA);
  /* It verifies with its public half: PyJWT's token under the same key. */
  CHECK_STATUS(tessera_verify((const uint8_t *)ED_TOKEN, strlen(ED_TOKEN), ed, &p, scratch, sizeof scratch, &out), TESSERA_STATUS_OK);
  char jwk[1024];
  size_t n = 0;
  CHECK_STATUS(tessera_key_public_jwk(ed, (uint8_t *)jwk, sizeof jwk, &n), TESSERA_STATUS_OK);
  CHECK(n == strlen(jwk) && strcmp(jwk, "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"7VNdjqPHid1_w7FQBXhRpjoaJINzthuxiXKmsgaiKiw\",\"alg\":\"EdDSA\"}") == 0);
  CHECK_STATUS(tessera_key_public_jwk(ed, (uint8_t *)jwk, 20, &n), TESSERA_STATUS_BUFFER_TOO_SMALL);
  char kid[TESSERA_THUMBPRINT_LEN + 1];
  CHECK_STATUS(tessera_key_thumbprint(ed, (uint8_t *)kid, TESSERA_THUMBPRINT_LEN), TESSERA_STATUS_BUFFER_TOO_SMALL);
  CHECK_STATUS(tessera_key_thumbprint(ed, (uint8_t *)kid, sizeof kid), TESSERA_STATUS_OK);
  CHECK(strlen(kid) == TESSERA_THUMBPRINT_LEN);

  /* An access token signed with it verifies from the published JWK Set alone. */
  CHECK_STATUS(tessera_key_from_private(TESSERA_KEY_FORMAT_JWK, (const uint8_t *)EC_PRIVATE_JWK, strlen(EC_PRIVATE_JWK), &ec), TESSERA_STATUS_OK);
  CHECK(tessera_key_alg(ec) == TESSERA_ALG_ES256);
  tessera_keyset *published = NULL;
  CHECK_STATUS(tessera_keyset_new(&published), TESSERA_STATUS_OK);
  CHECK_STATUS(tessera_keyset_add(published, (const uint8_t *)kid, strlen(kid), ed), TESSERA_STATUS_OK);
  CHECK_STATUS(tessera_keyset_add(published, (const uint8_t *)"ec", 2, ec), TESSERA_STATUS_OK);
  char doc[4096];
  CHECK_STATUS(tessera_keyset_to_jwks(published, (uint8_t *)doc, sizeof doc, &n), TESSERA_STATUS_OK);
  CHECK(strstr(doc, "\"d\"") == NULL && strstr(doc, "\"use\":\"sig\"") != NULL);
  tessera_keyset *fetched = NULL;
  size_t skipped = 9;
  CHECK_STATUS(tessera_keyset_from_jwks((const uint8_t *)doc, n, 0, &fetched, &skipped), TESSERA_STATUS_OK);
  CHECK(skipped == 0);
  tessera_access_params ap;
  memset(&ap, 0, sizeof ap);
  ap.issuer = S("https://auth.example.com");
  ap.subject = S("user-42");
  ap.audience = S("api");
  ap.session_id = S("session-1");
  ap.kid = (tessera_str){kid, strlen(kid)};
  ap.now = NOW;
  char access[1024], again[1024];
  size_t alen = 0, alen2 = 0;
  ap.token_id = S("token-1");
  CHECK_STATUS(tessera_issue_access(ed, &ap, (uint8_t *)access, sizeof access, &alen), TESSERA_STATUS_OK);
  CHECK_STATUS(tessera_issue_access(ed, &ap, (uint8_t *)again, sizeof again, &alen2), TESSERA_STATUS_OK);
  CHECK(alen == alen2 && memcmp(access, again, alen) == 0); /* deterministic */
  CHECK(strncmp(access, "eyJhbGciOiJFZERTQSIs", 20) == 0);
  tessera_str api = S("api");
  p.audiences = &api;
  p.audiences_len = 1;
  CHECK_STATUS(tessera_verify_keyset((const uint8_t *)access, alen, fetched, &p, scratch, sizeof scratch, &out), TESSERA_STATUS_OK);
  CHECK(str_eq(out.sub, "user-42") && str_eq(out.alg, "EdDSA"));
  ap.kid = S("ec");
  CHECK_STATUS(tessera_issue_access(ec, &ap, (uint8_t *)access, sizeof access, &alen), TESSERA_STATUS_OK);
  CHECK_STATUS(tessera_verify_keyset((const uint8_t *)access, alen, fetched, &p, scratch, sizeof scratch, &out), TESSERA_STATUS_OK);
  CHECK(str_eq(out.alg, "ES256"));
  /* The ES256 token under the Ed25519 key's kid: refused. */
  ap.kid = (tessera_str){kid, strlen(kid)};
  CHECK_STATUS(tessera_issue_access(ec, &ap, (uint8_t *)access, sizeof access, &alen), TESSERA_STATUS_OK);
  CHECK_STATUS(tessera_verify_keyset((const uint8_t *)access, alen, fetched, &p, scratch, sizeof scratch, &out), TESSERA_STATUS_ALGORITHM_MISMATCH);

  /* Refresh tokens are HMAC only; a public key signs nothing. */
  tessera_refresh_params rp;
  memset(&rp, 0, sizeof rp);
  rp.issuer = ap.issuer;
  rp.subject = ap.subject;
  rp.session_id = ap.session_id;
  rp.now = NOW;
  CHECK_STATUS(tessera_issue_refresh(ed, &rp, (uint8_t *)access, sizeof access, &alen), TESSERA_STATUS_INVALID_ARGUMENT);
  CHECK_STATUS(tessera_key_from_jwk((const uint8_t *)jwk, strlen("{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"7VNdjqPHid1_w7FQBXhRpjoaJINzthuxiXKmsgaiKiw\",\"alg\":\"EdDSA\"}"), 0, &pub), TESSERA_STATUS_OK);
  CHECK_STATUS(tessera_issue_access(pub, &ap, (uint8_t *)access, sizeof access, &alen), TESSERA_STATUS_INVALID_ARGUMENT);

  /* Secrets are never published or thumbprinted. */
  static const uint8_t secret[32] = "a secret of thirty-two bytes!!!!";
  CHECK_STATUS(tessera_key_new(TESSERA_ALG_HS256, secret, 32, &hmac), TESSERA_STATUS_OK);
  CHECK_STATUS(tessera_key_thumbprint(hmac, (uint8_t *)kid, sizeof kid), TESSERA_STATUS_INVALID_ARGUMENT);
  CHECK_STATUS(tessera_key_public_jwk(hmac, (uint8_t *)jwk, sizeof jwk, &n), TESSERA_STATUS_INVALID_ARGUMENT);
  CHECK_STATUS(tessera_keyset_add(published, (const uint8_t *)"h", 1, hmac), TESSERA_STATUS_OK);
  CHECK_STATUS(tessera_keyset_to_jwks(published, (uint8_t *)doc, sizeof doc, &n), TESSERA_STATUS_INVALID_ARGUMENT);

  /* NULL pointers on the export calls: NULL_PARAMETER, nothing written. */
  n = 77;
  CHECK_STATUS(tessera_key_public_jwk(NULL, (uint8_t *)jwk, sizeof jwk, &n), TESSERA_STATUS_NULL_PARAMETER);
  CHECK_STATUS(tessera_key_public_jwk(ed, NULL, sizeof jwk, &n), TESSERA_STATUS_NULL_PARAMETER);
  CHECK_STATUS(tessera_key_public_jwk(ed, (uint8_t *)jwk, sizeof jwk, NULL), TESSERA_STATUS_NULL_PARAMETER);
  CHECK_STATUS(tessera_key_thumbprint(NULL, (uint8_t *)kid, sizeof kid), TESSERA_STATUS_NULL_PARAMETER);
  CHECK_STATUS(tessera_key_thumbprint(ed, NULL, sizeof kid), TESSERA_STATUS_NULL_PARAMETER);
  CHECK_STATUS(tessera_keyset_to_jwks(NULL, (uint8_t *)doc, sizeof doc, &n), TESSERA_STATUS_NULL_PARAMETER);
  CHECK_STATUS(tessera_keyset_to_jwks(fetched, (uint8_t *)doc, 10, &n), TESSERA_STATUS_BUFFER_TOO_SMALL);
  CHECK(n == 77);
  /* A PEM that is not UTF-8 is a bad key, not a crash. */
  static const uint8_t not_utf8[] = {0xff, 0xfe, 0x2d, 0x2d};
  tessera_key *nk = NULL;
  CHECK_STATUS(tessera_key_from_private(TESSERA_KEY_FORMAT_PEM, not_utf8, sizeof not_utf8, &nk), TESSERA_STATUS_INVALID_KEY);

  /* Refusals: public keys, RSA and P-384 private keys, unknown formats, NULL. */
  tessera_key *k = NULL;
  CHECK_STATUS(tessera_key_from_private(TESSERA_KEY_FORMAT_PEM, (const uint8_t *)ED_PEM, strlen(ED_PEM), &k), TESSERA_STATUS_INVALID_KEY);
  CHECK_STATUS(tessera_key_from_private(TESSERA_KEY_FORMAT_JWK, (const uint8_t *)jwk, 10, &k), TESSERA_STATUS_INVALID_KEY);
  CHECK_STATUS(tessera_key_from_private(TESSERA_KEY_FORMAT_SPKI_DER, ED_DER, sizeof ED_DER, &k), TESSERA_STATUS_INVALID_ARGUMENT);
  CHECK_STATUS(tessera_key_from_private(TESSERA_KEY_FORMAT_PKCS8_DER, ED_DER, sizeof ED_DER, &k), TESSERA_STATUS_INVALID_KEY);
  CHECK_STATUS(tessera_key_from_private(TESSERA_KEY_FORMAT_PEM, NULL, 5, &k), TESSERA_STATUS_NULL_PARAMETER);
  CHECK_STATUS(tessera_key_from_private(TESSERA_KEY_FORMAT_PEM, (const uint8_t *)ED_PRIVATE_PEM, strlen(ED_PRIVATE_PEM), NULL), TESSERA_STATUS_NULL_PARAMETER);
  CHECK(k == NULL);
  /* Caller storage. */
  p.audiences = NULL;
  p.audiences_len = 0;
  static tessera_key_storage storage;
  const tessera_key *in_place = NULL;
  CHECK_STATUS(tessera_key_init_private(&storage, TESSERA_KEY_FORMAT_PEM, (const uint8_t *)ED_PRIVATE_PEM, strlen(ED_PRIVATE_PEM), &in_place), TESSERA_STATUS_OK);
  CHECK(tessera_key_alg(in_place) == TESSERA_ALG_EDDSA);
  CHECK_STATUS(tessera_verify((const uint8_t *)ED_TOKEN, strlen(ED_TOKEN), in_place, &p, scratch, sizeof scratch, &out), TESSERA_STATUS_OK);
  tessera_key_deinit(&storage);
  CHECK_STATUS(tessera_key_init_private(NULL, TESSERA_KEY_FORMAT_PEM, (const uint8_t *)ED_PRIVATE_PEM, strlen(ED_PRIVATE_PEM), &in_place), TESSERA_STATUS_NULL_PARAMETER);

  tessera_keyset_free(published);
  tessera_keyset_free(fetched);
  tessera_key_free(ed);
  tessera_key_free(ec);
  tessera_key_free(pub);
  tessera_key_free(hmac);
}

/* Keys held elsewhere (OpenSSL for RSA, an HSM): the signing input is the
 * token tessera_sign makes, up to its last dot; the argument rules hold.
 * (The OpenSSL RS256 path and libjwt: interop_libjwt.c.) */
static void test_external_signing(void) {
  tessera_key *ec = NULL, *secret = NULL;
  CHECK_STATUS(tessera_key_from_private(TESSERA_KEY_FORMAT_JWK, (const uint8_t *)EC_PRIVATE_JWK, strlen(EC_PRIVATE_JWK), &ec), TESSERA_STATUS_OK);
  CHECK_STATUS(tessera_key_new(TESSERA_ALG_HS256, SECRET, sizeof SECRET, &secret), TESSERA_STATUS_OK);
  tessera_header_out h = {S("JWT"), S("ec")};
  tessera_claims_out claims;
  memset(&claims, 0, sizeof claims);
  claims.sub = S("user-42");
  claims.exp = NOW + 60;
  claims.times_present = 1u << TESSERA_CLAIM_EXP;
  const char *custom = "{\"role\":\"admin\"}";
  uint8_t token[1024], input[1024];
  size_t tn = 0, in = 0;
  CHECK_STATUS(tessera_sign(ec, &h, &claims, (const uint8_t *)custom, strlen(custom), token, sizeof token, &tn), TESSERA_STATUS_OK);
  CHECK_STATUS(tessera_signing_input(ec, &h, &claims, (const uint8_t *)custom, strlen(custom), input, sizeof input, &in), TESSERA_STATUS_OK);
  CHECK(in > 0 && in < tn && token[in] == '.' && memcmp(token, input, in) == 0 && input[in] == 0);
  /* Slips that would drop exp from the token: a claim code for a bit (4 is
   * bit 2, sub's), a bit past iat's, a time set without its bit. */
  claims.times_present = TESSERA_CLAIM_EXP;
  CHECK_STATUS(tessera_sign(secret, &h, &claims, NULL, 0, token, sizeof token, &tn), TESSERA_STATUS_INVALID_ARGUMENT);
  CHECK_STATUS(tessera_signing_input(ec, &h, &claims, NULL, 0, input, sizeof input, &in), TESSERA_STATUS_INVALID_ARGUMENT);
  claims.times_present = (1u << TESSERA_CLAIM_EXP) | (1u << TESSERA_CLAIM_SUB);
  CHECK_STATUS(tessera_sign(secret, &h, &claims, NULL, 0, token, sizeof token, &tn), TESSERA_STATUS_INVALID_ARGUMENT);
  claims.times_present = 0;
  CHECK_STATUS(tessera_sign(secret, &h, &claims, NULL, 0, token, sizeof token, &tn), TESSERA_STATUS_INVALID_ARGUMENT);
  claims.exp = 0; /* no time, no bit: a token without exp, as asked */
  CHECK_STATUS(tessera_sign(secret, &h, &claims, NULL, 0, token, sizeof token, &tn), TESSERA_STATUS_OK);
  claims.exp = NOW + 60;
  claims.times_present = 1u << TESSERA_CLAIM_EXP;
  /* A secret is never "held elsewhere"; NULLs and short buffers are refused. */
  CHECK_STATUS(tessera_signing_input(secret, &h, &claims, NULL, 0, input, sizeof input, &in), TESSERA_STATUS_INVALID_ARGUMENT);
  CHECK_STATUS(tessera_signing_input(NULL, &h, &claims, NULL, 0, input, sizeof input, &in), TESSERA_STATUS_NULL_PARAMETER);
  CHECK_STATUS(tessera_signing_input(ec, NULL, &claims, NULL, 0, input, sizeof input, &in), TESSERA_STATUS_NULL_PARAMETER);
  CHECK_STATUS(tessera_signing_input(ec, &h, &claims, NULL, 3, input, sizeof input, &in), TESSERA_STATUS_NULL_PARAMETER);
  CHECK_STATUS(tessera_signing_input(ec, &h, &claims, NULL, 0, input, 40, &in), TESSERA_STATUS_BUFFER_TOO_SMALL);
  tessera_access_params ap;
  memset(&ap, 0, sizeof ap);
  ap.issuer = S("https://auth.example.com");
  ap.subject = S("user-42");
  ap.audience = S("api");
  ap.session_id = S("s-1");
  ap.token_id = S("t-1");
  ap.now = NOW;
  CHECK_STATUS(tessera_issue_access(ec, &ap, token, sizeof token, &tn), TESSERA_STATUS_OK);
  CHECK_STATUS(tessera_access_signing_input(ec, &ap, input, sizeof input, &in), TESSERA_STATUS_OK);
  CHECK(in < tn && token[in] == '.' && memcmp(token, input, in) == 0);
  ap.subject = (tessera_str){NULL, 0};
  CHECK_STATUS(tessera_access_signing_input(ec, &ap, input, sizeof input, &in), TESSERA_STATUS_NULL_PARAMETER);
  /* The signature must be the key's over the input: zeros, a secret as
   * the key, an input beyond the buffer or NULLs are refused, unwritten. */
  uint8_t sig[64] = {0};
  size_t sn = 0;
  ap.subject = S("user-42");
  CHECK_STATUS(tessera_access_signing_input(secret, &ap, input, sizeof input, &in), TESSERA_STATUS_INVALID_ARGUMENT);
  CHECK_STATUS(tessera_access_signing_input(ec, &ap, input, sizeof input, &in), TESSERA_STATUS_OK);
  CHECK_STATUS(tessera_attach_signature(ec, input, sizeof input, in, sig, sizeof sig, &sn), TESSERA_STATUS_BAD_SIGNATURE);
  CHECK_STATUS(tessera_attach_signature(ec, input, sizeof input, sizeof input + 1, sig, sizeof sig, &sn), TESSERA_STATUS_INVALID_ARGUMENT);
  CHECK_STATUS(tessera_attach_signature(secret, input, sizeof input, in, sig, 32, &sn), TESSERA_STATUS_INVALID_ARGUMENT);
  CHECK_STATUS(tessera_attach_signature(ec, NULL, sizeof input, in, sig, sizeof sig, &sn), TESSERA_STATUS_NULL_PARAMETER);
  CHECK_STATUS(tessera_attach_signature(ec, input, sizeof input, in, sig, sizeof sig, NULL), TESSERA_STATUS_NULL_PARAMETER);
  CHECK(sn == 0 && input[in] == 0);
  tessera_key_free(ec);
  tessera_key_free(secret);
}

/* Custom claims by type: strings unescaped into the caller's buffer,
 * integers exactly, booleans; absent and wrong-type claims have statuses. */
static void test_custom_claims(void) {
  tessera_key *key = NULL;
  CHECK_STATUS(tessera_key_new(TESSERA_ALG_HS256, SECRET, sizeof SECRET, &key), TESSERA_STATUS_OK);
  tessera_header_out h = {{NULL, 0}, {NULL, 0}};
  tessera_claims_out claims;
  memset(&claims, 0, sizeof claims);
  claims.exp = NOW + 60;
  claims.times_present = 1u << TESSERA_CLAIM_EXP;
  const char *custom = "{\"role\":\"ad\\\"min\",\"team\":\"R\\u00e9seau\",\"nul\":\"a\\u0000b\",\"level\":-42,"
                       "\"big\":9223372036854775808,\"ratio\":2.5,\"round\":3.0,\"admin\":true,\"none\":null,\"list\":[1]}";
  uint8_t token[1024];
  size_t n = 0;
  CHECK_STATUS(tessera_sign(key, &h, &claims, (const uint8_t *)custom, strlen(custom), token, sizeof token, &n), TESSERA_STATUS_OK);
  /* Registered claims of the wrong type among the custom ones: no token
     (every verifier would refuse it by rule 7). */
  const char *wrong[] = {"{\"nbf\":\"soon\"}", "{\"aud\":5}", "{\"sub\":7}"};
  for (size_t i = 0; i < sizeof wrong / sizeof *wrong; i++) {
    uint8_t t2[256];
    size_t n2 = 0;
    CHECK_STATUS(tessera_sign(key, &h, &claims, (const uint8_t *)wrong[i], strlen(wrong[i]), t2, sizeof t2, &n2),
                 TESSERA_STATUS_INVALID_ARGUMENT);
  }
  tessera_policy p;
  tessera_policy_init(&p);
  p.now = NOW;
  uint8_t scratch[2048];
  tessera_claims c;
  CHECK_STATUS(tessera_verify(token, n, key, &p, scratch, sizeof scratch, &c), TESSERA_STATUS_OK);
#define NAME(s) (const uint8_t *)(s), strlen(s)
  char text[16];
  size_t len = 99;
  CHECK_STATUS(tessera_claims_get_string(&c, NAME("role"), (uint8_t *)text, sizeof text, &len), TESSERA_STATUS_OK);
  CHECK(len == 6 && strcmp(text, "ad\"min") == 0);
  CHECK_STATUS(tessera_claims_get_string(&c, NAME("team"), (uint8_t *)text, sizeof text, &len), TESSERA_STATUS_OK);
  CHECK(len == 7 && strcmp(text, "R\xc3\xa9seau") == 0);
  CHECK_STATUS(tessera_claims_get_string(&c, NAME("nul"), (uint8_t *)text, sizeof text, &len), TESSERA_STATUS_OK);
  CHECK(len == 3 && memcmp(text, "a\0b", 3) == 0);
  /* Too short: the length needed comes back. Exactly the length: no NUL. */
  CHECK_STATUS(tessera_claims_get_string(&c, NAME("team"), (uint8_t *)text, 6, &len), TESSERA_STATUS_BUFFER_TOO_SMALL);
  CHECK(len == 7);
  memset(text, 'x', sizeof text);
  CHECK_STATUS(tessera_claims_get_string(&c, NAME("role"), (uint8_t *)text, 6, &len), TESSERA_STATUS_OK);
  CHECK(len == 6 && text[6] == 'x');
  CHECK_STATUS(tessera_claims_get_string(&c, NAME("level"), (uint8_t *)text, sizeof text, &len), TESSERA_STATUS_INVALID_CLAIM);
  CHECK_STATUS(tessera_claims_get_string(&c, NAME("nope"), (uint8_t *)text, sizeof text, &len), TESSERA_STATUS_MISSING_CLAIM);
  CHECK_STATUS(tessera_claims_get_string(&c, NAME("role"), NULL, 4, &len), TESSERA_STATUS_NULL_PARAMETER);
  CHECK_STATUS(tessera_claims_get_string(&c, NAME("role"), (uint8_t *)text, sizeof text, NULL), TESSERA_STATUS_NULL_PARAMETER);
  int64_t v = 7;
  CHECK_STATUS(tessera_claims_get_int(&c, NAME("level"), &v), TESSERA_STATUS_OK);
  CHECK(v == -42);
  CHECK_STATUS(tessera_claims_get_int(&c, NAME("big"), &v), TESSERA_STATUS_INVALID_CLAIM);
  CHECK_STATUS(tessera_claims_get_int(&c, NAME("ratio"), &v), TESSERA_STATUS_INVALID_CLAIM);
  CHECK_STATUS(tessera_claims_get_int(&c, NAME("round"), &v), TESSERA_STATUS_INVALID_CLAIM);
  CHECK_STATUS(tessera_claims_get_int(&c, NAME("role"), &v), TESSERA_STATUS_INVALID_CLAIM);
  CHECK_STATUS(tessera_claims_get_int(&c, NAME("nope"), &v), TESSERA_STATUS_MISSING_CLAIM);
  CHECK_STATUS(tessera_claims_get_int(&c, NAME("exp"), &v), TESSERA_STATUS_OK);
  CHECK(v == (int64_t)(NOW + 60));
  bool b = false;
  CHECK_STATUS(tessera_claims_get_bool(&c, NAME("admin"), &b), TESSERA_STATUS_OK);
  CHECK(b);
  CHECK_STATUS(tessera_claims_get_bool(&c, NAME("none"), &b), TESSERA_STATUS_INVALID_CLAIM);
  CHECK_STATUS(tessera_claims_get_bool(&c, NAME("list"), &b), TESSERA_STATUS_INVALID_CLAIM);
  CHECK_STATUS(tessera_claims_get_bool(&c, NAME("nope"), &b), TESSERA_STATUS_MISSING_CLAIM);
  CHECK_STATUS(tessera_claims_get_bool(NULL, NAME("admin"), &b), TESSERA_STATUS_NULL_PARAMETER);
  CHECK_STATUS(tessera_claims_get_bool(&c, NULL, 5, &b), TESSERA_STATUS_NULL_PARAMETER);
#undef NAME
  tessera_key_free(key);
}

static void test_signing(void) {
  tessera_key *key = make_key();
  tessera_claims_out c = access_claims();
  tessera_header_out h = {S("JWT"), {NULL, 0}};
  char out[1024];
  size_t written = 0;
  CHECK_STATUS(tessera_sign(key, &h, &c, NULL, 0, (uint8_t *)out, sizeof out, &written), TESSERA_STATUS_OK);
  CHECK(written > 100 && out[written] == '\0');
  size_t full = written;
  CHECK_STATUS(tessera_sign(key, &h, &c, NULL, 0, (uint8_t *)out, full - 1, &written), TESSERA_STATUS_BUFFER_TOO_SMALL);
  CHECK_STATUS(tessera_sign(NULL, &h, &c, NULL, 0, (uint8_t *)out, sizeof out, &written), TESSERA_STATUS_NULL_PARAMETER);
  CHECK_STATUS(tessera_sign(key, NULL, &c, NULL, 0, (uint8_t *)out, sizeof out, &written), TESSERA_STATUS_NULL_PARAMETER);
  CHECK_STATUS(tessera_sign(key, &h, NULL, NULL, 0, (uint8_t *)out, sizeof out, &written), TESSERA_STATUS_NULL_PARAMETER);
  CHECK_STATUS(tessera_sign(key, &h, &c, NULL, 0, NULL, sizeof out, &written), TESSERA_STATUS_NULL_PARAMETER);
  CHECK_STATUS(tessera_sign(key, &h, &c, NULL, 0, (uint8_t *)out, sizeof out, NULL), TESSERA_STATUS_NULL_PARAMETER);
  CHECK_STATUS(tessera_sign(key, &h, &c, (const uint8_t *)"{\"sub\":1}", 9, (uint8_t *)out, sizeof out, &written),
               TESSERA_STATUS_INVALID_ARGUMENT);
  CHECK_STATUS(tessera_sign(key, &h, &c, (const uint8_t *)"[]", 2, (uint8_t *)out, sizeof out, &written),
               TESSERA_STATUS_INVALID_ARGUMENT);
  c.exp = 1ull << 53;
  CHECK_STATUS(tessera_sign(key, &h, &c, NULL, 0, (uint8_t *)out, sizeof out, &written), TESSERA_STATUS_INVALID_ARGUMENT);
  /* Audiences when signing: too many, a NULL array, a NULL entry. */
  c = access_claims();
  tessera_str many_auds[17];
  for (int i = 0; i < 17; i++) many_auds[i] = S("api");
  c.aud = many_auds;
  c.aud_len = 17;
  CHECK_STATUS(tessera_sign(key, &h, &c, NULL, 0, (uint8_t *)out, sizeof out, &written), TESSERA_STATUS_INVALID_ARGUMENT);
  c.aud_len = 16;
  CHECK_STATUS(tessera_sign(key, &h, &c, NULL, 0, (uint8_t *)out, sizeof out, &written), TESSERA_STATUS_OK);
  c.aud = NULL;
  c.aud_len = 1;
  CHECK_STATUS(tessera_sign(key, &h, &c, NULL, 0, (uint8_t *)out, sizeof out, &written), TESSERA_STATUS_NULL_PARAMETER);
  many_auds[3].ptr = NULL;
  c.aud = many_auds;
  c.aud_len = 4;
  CHECK_STATUS(tessera_sign(key, &h, &c, NULL, 0, (uint8_t *)out, sizeof out, &written), TESSERA_STATUS_NULL_PARAMETER);

  /* Identifiers, digests, comparison. */
  char id1[TESSERA_RANDOM_ID_LEN], id2[TESSERA_RANDOM_ID_LEN];
  CHECK_STATUS(tessera_random_id((uint8_t *)id1), TESSERA_STATUS_OK);
  CHECK_STATUS(tessera_random_id((uint8_t *)id2), TESSERA_STATUS_OK);
  CHECK(memcmp(id1, id2, sizeof id1) != 0);
  CHECK_STATUS(tessera_random_id(NULL), TESSERA_STATUS_NULL_PARAMETER);
  uint8_t fixed[16];
  memset(fixed, 0xfb, sizeof fixed);
  CHECK_STATUS(tessera_random_id_from_bytes(fixed, (uint8_t *)id1), TESSERA_STATUS_OK);
  CHECK(memcmp(id1, "-_v7-_v7-_v7-_v7-_v7-w", 22) == 0);
  CHECK_STATUS(tessera_random_id_from_bytes(NULL, (uint8_t *)id1), TESSERA_STATUS_NULL_PARAMETER);
  char digest[TESSERA_DIGEST_LEN];
  CHECK_STATUS(tessera_refresh_token_digest((const uint8_t *)"abc", 3, (uint8_t *)digest), TESSERA_STATUS_OK);
  CHECK(memcmp(digest, "ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0", 43) == 0);
  CHECK_STATUS(tessera_refresh_token_digest(NULL, 3, (uint8_t *)digest), TESSERA_STATUS_NULL_PARAMETER);
  CHECK_STATUS(tessera_refresh_token_digest((const uint8_t *)"abc", 3, NULL), TESSERA_STATUS_NULL_PARAMETER);
  CHECK(tessera_constant_time_eq((const uint8_t *)"abc", 3, (const uint8_t *)"abc", 3));
  CHECK(!tessera_constant_time_eq((const uint8_t *)"abc", 3, (const uint8_t *)"abd", 3));
  CHECK(!tessera_constant_time_eq((const uint8_t *)"abc", 3, (const uint8_t *)"ab", 2));
  CHECK(!tessera_constant_time_eq(NULL, 3, (const uint8_t *)"abc", 3));
  CHECK(tessera_constant_time_eq(NULL, 0, NULL, 0));

  /* Issuance: the access/refresh pair, and that neither passes for the other. */
  static const uint8_t refresh_secret[32] = "refresh secret, 32 bytes long!!!";
  tessera_key *rkey = NULL;
  CHECK_STATUS(tessera_key_new(TESSERA_ALG_HS256, refresh_secret, 32, &rkey), TESSERA_STATUS_OK);
  char sid[TESSERA_RANDOM_ID_LEN];
  CHECK_STATUS(tessera_random_id((uint8_t *)sid), TESSERA_STATUS_OK);
  tessera_access_params ap;
  memset(&ap, 0, sizeof ap);
  ap.issuer = S("https://auth.example.com");
  ap.subject = S("user-42");
  ap.audience = S("api");
  ap.session_id = (tessera_str){sid, sizeof sid};
  ap.scope = S("profile:read");
  ap.now = NOW;
  char access[1024], refresh[1024];
  size_t alen = 0, rlen = 0;
  CHECK_STATUS(tessera_issue_access(key, &ap, (uint8_t *)access, sizeof access, &alen), TESSERA_STATUS_OK);
  tessera_refresh_params rp;
  memset(&rp, 0, sizeof rp);
  rp.issuer = ap.issuer;
  rp.subject = ap.subject;
  rp.session_id = ap.session_id;
  rp.now = NOW;
  CHECK_STATUS(tessera_issue_refresh(rkey, &rp, (uint8_t *)refresh, sizeof refresh, &rlen), TESSERA_STATUS_OK);
  /* Empty names (a subject from a missing user id) and lifetimes in
   * milliseconds are refused, not issued. */
  ap.subject = S("");
  CHECK_STATUS(tessera_issue_access(key, &ap, (uint8_t *)access + 512, 512, &written), TESSERA_STATUS_INVALID_ARGUMENT);
  ap.subject = S("user-42");
  ap.token_id = S("");
  CHECK_STATUS(tessera_issue_access(key, &ap, (uint8_t *)access + 512, 512, &written), TESSERA_STATUS_INVALID_ARGUMENT);
  ap.token_id = (tessera_str){NULL, 0};
  ap.lifetime = 15 * 60 * 1000;
  CHECK_STATUS(tessera_issue_access(key, &ap, (uint8_t *)access + 512, 512, &written), TESSERA_STATUS_INVALID_ARGUMENT);
  ap.lifetime = TESSERA_MAX_ACCESS_LIFETIME;
  CHECK_STATUS(tessera_issue_access(key, &ap, (uint8_t *)access + 512, 512, &written), TESSERA_STATUS_OK);
  ap.lifetime = 0;
  rp.session_id = S("");
  CHECK_STATUS(tessera_issue_refresh(rkey, &rp, (uint8_t *)refresh + 512, 512, &written), TESSERA_STATUS_INVALID_ARGUMENT);
  rp.session_id = ap.session_id;
  rp.lifetime = TESSERA_MAX_REFRESH_LIFETIME + 1;
  CHECK_STATUS(tessera_issue_refresh(rkey, &rp, (uint8_t *)refresh + 512, 512, &written), TESSERA_STATUS_INVALID_ARGUMENT);
  rp.lifetime = 0;
  ap.subject.ptr = NULL;
  CHECK_STATUS(tessera_issue_access(key, &ap, (uint8_t *)access + 512, 512, &written), TESSERA_STATUS_NULL_PARAMETER);
  CHECK_STATUS(tessera_issue_access(key, NULL, (uint8_t *)access + 512, 512, &written), TESSERA_STATUS_NULL_PARAMETER);
  CHECK_STATUS(tessera_issue_refresh(rkey, &rp, (uint8_t *)refresh + 512, 10, &written), TESSERA_STATUS_BUFFER_TOO_SMALL);

  tessera_policy ap_pol, rp_pol;
  tessera_policy_init(&ap_pol);
  ap_pol.now = NOW + 1;
  ap_pol.typ = S("at+jwt");
  tessera_str api = S("api");
  ap_pol.audiences = &api;
  ap_pol.audiences_len = 1;
  tessera_policy_init(&rp_pol);
  rp_pol.now = NOW + 1;
  rp_pol.typ = S("refresh+jwt");
  uint8_t scratch[2048];
  tessera_claims claims;
  CHECK_STATUS(tessera_verify((const uint8_t *)access, alen, key, &ap_pol, scratch, sizeof scratch, &claims), TESSERA_STATUS_OK);
  CHECK(claims.exp == (int64_t)(NOW + 900) && claims.jti.len == 22 && str_eq(claims.scope, "profile:read"));
  CHECK_STATUS(tessera_verify((const uint8_t *)refresh, rlen, rkey, &rp_pol, scratch, sizeof scratch, &claims), TESSERA_STATUS_OK);
  CHECK(claims.exp == (int64_t)(NOW + 7 * 86400) && claims.sid.len == 22 && memcmp(claims.sid.ptr, sid, 22) == 0);
  CHECK_STATUS(tessera_verify((const uint8_t *)refresh, rlen, rkey, &ap_pol, scratch, sizeof scratch, &claims), TESSERA_STATUS_TYPE_MISMATCH);
  CHECK_STATUS(tessera_verify((const uint8_t *)access, alen, key, &rp_pol, scratch, sizeof scratch, &claims), TESSERA_STATUS_TYPE_MISMATCH);
  CHECK_STATUS(tessera_verify((const uint8_t *)refresh, rlen, key, &rp_pol, scratch, sizeof scratch, &claims), TESSERA_STATUS_BAD_SIGNATURE);
  tessera_key_free(rkey);
  tessera_key_free(key);
}

static void test_http(void) {
  tessera_str t;
  const char *auth = "Bearer abc.def.ghi";
  CHECK(tessera_bearer_token((const uint8_t *)auth, strlen(auth), &t));
  CHECK(str_eq(t, "abc.def.ghi"));
  CHECK(!tessera_bearer_token((const uint8_t *)"Basic x", 7, &t));
  CHECK(!tessera_bearer_token(NULL, 7, &t));
  CHECK(!tessera_bearer_token((const uint8_t *)auth, strlen(auth), NULL));
  const char *cookie = "theme=dark; refresh=tok.en; x=1";
  CHECK(tessera_cookie_value((const uint8_t *)cookie, strlen(cookie), (const uint8_t *)"refresh", 7, &t));
  CHECK(str_eq(t, "tok.en"));
  CHECK(!tessera_cookie_value((const uint8_t *)cookie, strlen(cookie), (const uint8_t *)"nope", 4, &t));
  CHECK(!tessera_cookie_value(NULL, 4, (const uint8_t *)"nope", 4, &t));
  char out[256];
  size_t n = 0;
  CHECK_STATUS(tessera_refresh_cookie(S("refresh"), S("tok.en"), (tessera_str){NULL, 0}, 604800, (uint8_t *)out, sizeof out, &n),
               TESSERA_STATUS_OK);
  CHECK(strcmp(out, "refresh=tok.en; Path=/auth; Max-Age=604800; HttpOnly; Secure; SameSite=Strict") == 0 && n == strlen(out));
  CHECK_STATUS(tessera_clear_refresh_cookie(S("refresh"), S("/"), (uint8_t *)out, sizeof out, &n), TESSERA_STATUS_OK);
  CHECK(strcmp(out, "refresh=; Path=/; Max-Age=0; HttpOnly; Secure; SameSite=Strict") == 0);
  CHECK_STATUS(tessera_refresh_cookie(S("refresh"), S("a;b"), (tessera_str){NULL, 0}, 1, (uint8_t *)out, sizeof out, &n),
               TESSERA_STATUS_INVALID_ARGUMENT);
  CHECK_STATUS(tessera_refresh_cookie(S("refresh"), S("v"), (tessera_str){NULL, 0}, 1, (uint8_t *)out, 8, &n),
               TESSERA_STATUS_BUFFER_TOO_SMALL);
  CHECK_STATUS(tessera_refresh_cookie((tessera_str){NULL, 0}, S("v"), (tessera_str){NULL, 0}, 1, (uint8_t *)out, sizeof out, &n),
               TESSERA_STATUS_NULL_PARAMETER);
  CHECK_STATUS(tessera_clear_refresh_cookie(S("r"), (tessera_str){NULL, 0}, (uint8_t *)out, sizeof out, NULL),
               TESSERA_STATUS_NULL_PARAMETER);
}

/* One key, several threads, no locks. */
struct thread_job {
  const tessera_key *key;
  const char *token;
  size_t len;
  int failures;
};

static void *verify_many(void *arg) {
  struct thread_job *job = arg;
  tessera_policy p;
  tessera_policy_init(&p);
  p.now = NOW;
  p.ignore_audience = true;
  uint8_t scratch[2048];
  tessera_claims out;
  for (int i = 0; i < 5000; i++) {
    if (tessera_verify((const uint8_t *)job->token, job->len, job->key, &p, scratch, sizeof scratch, &out) != TESSERA_STATUS_OK ||
        !str_eq(out.sub, "user-42"))
      job->failures++;
  }
  return NULL;
}

static void test_threads(void) {
  tessera_key *key = make_key();
  tessera_claims_out c = access_claims();
  char token[1024];
  size_t n = make_token(key, &c, NULL, NULL, NULL, token, sizeof token);
  pthread_t threads[4];
  struct thread_job jobs[4];
  for (int i = 0; i < 4; i++) {
    jobs[i] = (struct thread_job){key, token, n, 0};
    CHECK(pthread_create(&threads[i], NULL, verify_many, &jobs[i]) == 0);
  }
  for (int i = 0; i < 4; i++) {
    pthread_join(threads[i], NULL);
    CHECK(jobs[i].failures == 0);
  }
  tessera_key_free(key);
}

/* A policy prepared once: the same verdicts as tessera_verify under the
 * policy it came from, strings copied, refusals at prepare time. */
static void test_prepared_policy(void) {
  tessera_key *key = make_key();
  tessera_claims_out c = access_claims();
  char token[1024];
  size_t n = make_token(key, &c, "at+jwt", "k1", NULL, token, sizeof token);
  const uint8_t *t = (const uint8_t *)token;
  uint8_t scratch[2048];
  tessera_claims out;
  tessera_prepared_policy *pp = (tessera_prepared_policy *)&out; /* must be reset to NULL on failure */

  tessera_policy p;
  tessera_policy_init(&p);
  static const char iss_text[] = "https://auth.example.com";
  char *issuer = malloc(sizeof iss_text);
  char *aud = malloc(4);
  CHECK(issuer != NULL && aud != NULL);
  memcpy(issuer, iss_text, sizeof iss_text);
  memcpy(aud, "api", 4);
  tessera_str expected[1] = {{aud, 3}};
  p.issuer = (tessera_str){issuer, strlen(issuer)};
  p.audiences = expected;
  p.audiences_len = 1;
  p.typ = S("at+jwt");

  CHECK_STATUS(tessera_policy_prepare(NULL, &pp), TESSERA_STATUS_NULL_PARAMETER);
  CHECK(pp == NULL);
  CHECK_STATUS(tessera_policy_prepare(&p, NULL), TESSERA_STATUS_NULL_PARAMETER);
  /* A fixed time in a policy meant for every request is a slip. */
  p.now = NOW;
  CHECK_STATUS(tessera_policy_prepare(&p, &pp), TESSERA_STATUS_INVALID_ARGUMENT);
  p.now = 0;
  p.leeway = 30000000; /* 30 s in milliseconds */
  CHECK_STATUS(tessera_policy_prepare(&p, &pp), TESSERA_STATUS_INVALID_ARGUMENT);
  p.leeway = 0;
  p.audiences_len = 0; /* explicitly empty */
  CHECK_STATUS(tessera_policy_prepare(&p, &pp), TESSERA_STATUS_INVALID_ARGUMENT);
  tessera_str many[TESSERA_MAX_AUDIENCES + 1];
  for (size_t i = 0; i <= TESSERA_MAX_AUDIENCES; i++) many[i] = S("api");
  p.audiences = many;
  p.audiences_len = TESSERA_MAX_AUDIENCES + 1; /* one past the bound */
  CHECK_STATUS(tessera_policy_prepare(&p, &pp), TESSERA_STATUS_INVALID_ARGUMENT);
  p.audiences_len = TESSERA_MAX_AUDIENCES;
  CHECK_STATUS(tessera_policy_prepare(&p, &pp), TESSERA_STATUS_OK);
  tessera_prepared_policy_free(pp);
  pp = NULL;
  p.audiences = expected;
  p.audiences_len = 1;
  p.typ = (tessera_str){NULL, 6};
  CHECK_STATUS(tessera_policy_prepare(&p, &pp), TESSERA_STATUS_NULL_PARAMETER);
  p.typ = (tessera_str){"\xff", 1};
  CHECK_STATUS(tessera_policy_prepare(&p, &pp), TESSERA_STATUS_INVALID_ARGUMENT);
  p.typ = S("at+jwt");
  CHECK_STATUS(tessera_policy_prepare(&p, &pp), TESSERA_STATUS_OK);
  CHECK(pp != NULL);

  /* The caller's strings may go: the prepared policy holds copies. */
  memset(issuer, 'x', strlen(issuer));
  memset(aud, 'x', 3);
  free(issuer);
  free(aud);
  p.issuer = S("https://auth.example.com");

  CHECK_STATUS(tessera_verify_prepared(t, n, key, pp, NOW + 10, scratch, sizeof scratch, &out), TESSERA_STATUS_OK);
  CHECK(str_eq(out.sub, "user-42"));
  CHECK(str_eq(out.kid, "k1"));
  CHECK(out.exp == (int64_t)(NOW + 900));
  CHECK_STATUS(tessera_verify_prepared(t, n, key, pp, NOW + 900, scratch, sizeof scratch, &out), TESSERA_STATUS_EXPIRED);
  CHECK(out.error_claim == TESSERA_CLAIM_EXP);
  /* 0 reads the clock (this token expired in 2023); milliseconds are refused. */
  CHECK_STATUS(tessera_verify_prepared(t, n, key, pp, 0, scratch, sizeof scratch, &out), TESSERA_STATUS_EXPIRED);
  CHECK_STATUS(tessera_verify_prepared(t, n, key, pp, (NOW + 10) * 1000, scratch, sizeof scratch, &out),
               TESSERA_STATUS_INVALID_ARGUMENT);
  char forged[1024];
  memcpy(forged, token, n);
  forged[n - 2] = forged[n - 2] == 'A' ? 'B' : 'A';
  CHECK_STATUS(tessera_verify_prepared((const uint8_t *)forged, n, key, pp, NOW + 10, scratch, sizeof scratch, &out),
               TESSERA_STATUS_BAD_SIGNATURE);
  CHECK_STATUS(tessera_verify_prepared(NULL, n, key, pp, NOW + 10, scratch, sizeof scratch, &out), TESSERA_STATUS_NULL_PARAMETER);
  CHECK_STATUS(tessera_verify_prepared(t, n, NULL, pp, NOW + 10, scratch, sizeof scratch, &out), TESSERA_STATUS_NULL_PARAMETER);
  CHECK_STATUS(tessera_verify_prepared(t, n, key, NULL, NOW + 10, scratch, sizeof scratch, &out), TESSERA_STATUS_NULL_PARAMETER);
  CHECK_STATUS(tessera_verify_prepared(t, n, key, pp, NOW + 10, scratch, sizeof scratch, NULL), TESSERA_STATUS_NULL_PARAMETER);
  CHECK_STATUS(tessera_verify_prepared(t, n, key, pp, NOW + 10, NULL, sizeof scratch, &out), TESSERA_STATUS_NULL_PARAMETER);
  CHECK_STATUS(tessera_verify_prepared(t, n, key, pp, NOW + 10, scratch, 8, &out), TESSERA_STATUS_BUFFER_TOO_SMALL);
  /* Overlaps: the output inside the scratch, the token inside the scratch. */
  CHECK_STATUS(tessera_verify_prepared(t, n, key, pp, NOW + 10, scratch, sizeof scratch, (tessera_claims *)(void *)scratch),
               TESSERA_STATUS_INVALID_ARGUMENT);
  memcpy(scratch, token, n);
  CHECK_STATUS(tessera_verify_prepared(scratch, n, key, pp, NOW + 10, scratch, sizeof scratch, &out),
               TESSERA_STATUS_INVALID_ARGUMENT);

  /* Another audience, prepared: refused as tessera_verify refuses it. */
  tessera_prepared_policy *other = NULL;
  expected[0] = S("billing");
  CHECK_STATUS(tessera_policy_prepare(&p, &other), TESSERA_STATUS_OK);
  CHECK_STATUS(tessera_verify_prepared(t, n, key, other, NOW + 10, scratch, sizeof scratch, &out), TESSERA_STATUS_INVALID_AUDIENCE);
  p.now = NOW + 10;
  CHECK_STATUS(tessera_verify(t, n, key, &p, scratch, sizeof scratch, &out), TESSERA_STATUS_INVALID_AUDIENCE);
  p.now = 0;
  tessera_prepared_policy_free(other);

  /* The revocation callback travels with the prepared policy. */
  p.audiences = NULL;
  p.audiences_len = 0;
  p.ignore_audience = true;
  p.revoked = revoke_sid_s1;
  p.revoked_user = (void *)"s-1";
  CHECK_STATUS(tessera_policy_prepare(&p, &other), TESSERA_STATUS_OK);
  CHECK_STATUS(tessera_verify_prepared(t, n, key, other, NOW + 10, scratch, sizeof scratch, &out), TESSERA_STATUS_REVOKED);
  tessera_prepared_policy_free(other);

  /* Key sets: by kid, and a token without one is UNKNOWN_KEY. */
  tessera_keyset *set = NULL;
  CHECK_STATUS(tessera_keyset_new(&set), TESSERA_STATUS_OK);
  CHECK_STATUS(tessera_keyset_add(set, (const uint8_t *)"k1", 2, key), TESSERA_STATUS_OK);
  CHECK_STATUS(tessera_verify_keyset_prepared(t, n, set, pp, NOW + 10, scratch, sizeof scratch, &out), TESSERA_STATUS_OK);
  CHECK_STATUS(tessera_verify_keyset_prepared(t, n, NULL, pp, NOW + 10, scratch, sizeof scratch, &out),
               TESSERA_STATUS_NULL_PARAMETER);
  char bare[1024];
  size_t m = make_token(key, &c, "at+jwt", NULL, NULL, bare, sizeof bare);
  CHECK_STATUS(tessera_verify_keyset_prepared((const uint8_t *)bare, m, set, pp, NOW + 10, scratch, sizeof scratch, &out),
               TESSERA_STATUS_UNKNOWN_KEY);

  tessera_keyset_free(set);
  tessera_prepared_policy_free(pp);
  tessera_prepared_policy_free(NULL);
  tessera_key_free(key);
}

int main(void) {
  test_status_and_version();
  test_keys();
  test_keyset();
  test_verify();
  test_prepared_policy();
  test_fail_closed();
  test_jwks();
  test_public_keys();
  test_private_keys();
  test_signing();
  test_external_signing();
  test_custom_claims();
  test_http();
  test_threads();
  return summary("c api");
}
