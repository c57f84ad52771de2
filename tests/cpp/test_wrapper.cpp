// The C++17 wrapper: RAII keys, string_view in and out, Result values.
#include <array>
#include <cstdio>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "tessera.hpp"

static int passed = 0, failed = 0;
#define CHECK(c)                                                  \
  do {                                                            \
    if (c) {                                                      \
      passed++;                                                   \
    } else {                                                      \
      failed++;                                                   \
      std::fprintf(stderr, "FAIL %s:%d: %s\n", __FILE__, __LINE__, #c); \
    }                                                             \
  } while (0)

int main() {
  using namespace std::literals;
  CHECK(!tessera::Key::create(TESSERA_ALG_HS256, "short"sv));
  CHECK(tessera::Key::create(TESSERA_ALG_HS256, "short"sv).error_name() == "WeakKey");
  auto created = tessera::Key::create(TESSERA_ALG_HS256, "0123456789abcdef0123456789abcdef"sv);
  CHECK(static_cast<bool>(created));
  tessera::Key key = std::move(created).value();

  tessera_str auds[1] = {tessera::str("api")};
  tessera_claims_out c{};
  c.iss = tessera::str("https://auth.example.com");
  c.sub = tessera::str("user-42");
  c.aud = auds;
  c.aud_len = 1;
  c.exp = 1700000900;
  c.iat = 1700000000;
  c.times_present = (1u << TESSERA_CLAIM_EXP) | (1u << TESSERA_CLAIM_IAT);
  c.scope = tessera::str("read write");
  tessera_header_out h{tessera::str("at+jwt"), {nullptr, 0}};
  std::string long_name(100, 'n');  // longer than get_string's first buffer
  std::string custom = R"({"tier":3,"team":"R\u00e9seau \"A\"","admin":false,"long":")" + long_name + R"("})";
  auto token = key.sign(h, c, custom);
  CHECK(static_cast<bool>(token));

  tessera::Policy policy;
  policy.now(1700000100).issuer("https://auth.example.com").audience("api").typ("at+jwt");
  auto claims = key.verify(*token, policy);
  CHECK(static_cast<bool>(claims));
  CHECK(claims->sub() == "user-42"sv);
  CHECK(claims->exp() == 1700000900);
  CHECK(!claims->nbf().has_value());
  CHECK(claims->aud_count() == 1 && claims->aud(0) == "api"sv);
  CHECK(!claims->aud(1).has_value());
  CHECK(claims->has_scope("write") && !claims->has_scope("admin"));
  CHECK(claims->raw("tier") == "3"sv);
  CHECK(claims->get_int("tier").value() == 3 && claims->get_bool("admin").value() == false);
  CHECK(claims->get_string("team").value() == "R\xc3\xa9seau \"A\"");
  CHECK(claims->get_string("long").value() == long_name);
  CHECK(claims->get_string("tier").status() == TESSERA_STATUS_INVALID_CLAIM);
  CHECK(claims->get_int("nope").error_name() == "MissingClaim");
  CHECK(claims->typ() == "at+jwt"sv && claims->alg() == "HS256");

  // A Verified owns its scratch: a later refused verify cannot change what
  // an earlier success returned (with a shared scratch it read zeros).
  std::string_view sub = *claims->sub();
  policy.now(1700000900);
  auto expired = key.verify(*token, policy);
  CHECK(!expired && expired.status() == TESSERA_STATUS_EXPIRED && expired.error_name() == "Expired");
  CHECK(!expired.message().empty());
  CHECK(sub == "user-42"sv && claims->sub() == "user-42"sv);
  tessera::Verified kept = std::move(claims).value();  // moved: the views move with it
  CHECK(kept.sub() == "user-42"sv && sub == "user-42"sv);

  // A prepared policy: the same verdicts, the time per call; a Policy with
  // a fixed time cannot be prepared.
  {
    tessera::Policy base;
    base.issuer("https://auth.example.com").audience("api").typ("at+jwt");
    CHECK(tessera::PreparedPolicy::create(tessera::Policy(base).now(1700000100)).status() ==
          TESSERA_STATUS_INVALID_ARGUMENT);
    auto prepared = tessera::PreparedPolicy::create(base);
    CHECK(static_cast<bool>(prepared));
    tessera::PreparedPolicy pp = std::move(prepared).value();
    base.issuer("someone else");  // copied at prepare time: no effect
    auto ok = key.verify(*token, pp, 1700000100);
    CHECK(ok && ok->sub() == "user-42"sv);
    CHECK(key.verify(*token, pp, 1700000900).status() == TESSERA_STATUS_EXPIRED);
    CHECK(key.verify(*token, pp).status() == TESSERA_STATUS_EXPIRED);  // the clock: 2023 is past
    tessera::PreparedPolicy moved = std::move(pp);
    CHECK(static_cast<bool>(key.verify(*token, moved, 1700000100)));
    auto other = tessera::PreparedPolicy::create(tessera::Policy(base).issuer("https://auth.example.com").audience("billing"));
    CHECK(key.verify(*token, other.value(), 1700000100).status() == TESSERA_STATUS_INVALID_AUDIENCE);
  }

  // Checked access: value() of a failed result throws, never reads garbage.
  bool threw = false;
  try {
    auto weak = tessera::Key::create(TESSERA_ALG_HS256, "short"sv).value();
    (void)weak;
  } catch (const tessera::BadResultAccess &e) {
    threw = e.status() == TESSERA_STATUS_WEAK_KEY;
  }
  CHECK(threw);
  threw = false;
  try {
    (void)expired->sub();
  } catch (const tessera::BadResultAccess &) {
    threw = true;
  }
  CHECK(threw);

  // Policies own their strings: copies and moves are independent of the
  // original, also after it changes or dies (ASan catches any dangling view).
  policy.now(1700000100);
  auto factory = [](const std::string &aud) {
    std::string local_iss = "https://auth.example.com";
    tessera::Policy p;
    p.now(1700000100).issuer(local_iss).audience(aud).typ("at+jwt");
    return p;  // the strings it was built from die here
  };
  tessera::Policy for_api = factory(std::string("api"));
  tessera::Policy for_admin = factory(std::string("admin-api"));
  CHECK(static_cast<bool>(key.verify(*token, for_api)));
  CHECK(key.verify(*token, for_admin).status() == TESSERA_STATUS_INVALID_AUDIENCE);
  tessera::Policy copy = for_api;
  for_api.audience("admin-api");  // the original changes; the copy must not
  CHECK(static_cast<bool>(key.verify(*token, copy)));
  CHECK(key.verify(*token, for_api).status() == TESSERA_STATUS_INVALID_AUDIENCE);
  tessera::Policy assigned;
  assigned = copy;
  copy.issuer("someone else");
  CHECK(static_cast<bool>(key.verify(*token, assigned)));
  CHECK(key.verify(*token, copy).status() == TESSERA_STATUS_INVALID_ISSUER);
  tessera::Policy moved_policy = std::move(assigned);
  CHECK(static_cast<bool>(key.verify(*token, moved_policy)));
  std::vector<tessera::Policy> many;
  for (int i = 0; i < 40; i++) many.push_back(factory(i % 2 ? std::string("api") : std::string("other-audience")));
  int accepted = 0;
  for (const auto &p : many) accepted += key.verify(*token, p) ? 1 : 0;
  CHECK(accepted == 20);
  tessera::Policy move_assigned;
  move_assigned = std::move(many[1]);
  many.clear();
  CHECK(static_cast<bool>(key.verify(*token, move_assigned)));
  // An explicitly empty audience list is a configuration error, not "none expected".
  tessera::Policy empty;
  empty.now(1700000100).audiences({});
  CHECK(key.verify(*token, empty).status() == TESSERA_STATUS_INVALID_ARGUMENT);
  tessera::Policy two;
  two.now(1700000100).audiences({"x", "api"});
  CHECK(static_cast<bool>(key.verify(*token, two)));

  CHECK(tessera::bearer_token("Bearer abc") == "abc"sv);
  CHECK(!tessera::bearer_token("Basic abc"));
  CHECK(tessera::cookie_value("a=1; refresh=x.y", "refresh") == "x.y"sv);

  tessera::Key moved = std::move(key);
  CHECK(moved.get() != nullptr && key.get() == nullptr);
  // Public keys: RFC 7515 A.2's RSA key as a JWK (the caller names RS256),
  // its token; a JWK Set of the same key with an RSA default.
  {
    const std::string n =
        "ofgWCuLjybRlzo0tZWJjNiuSfb4p4fAkd_wWJcyQoTbji9k0l8W26mPddxHmfHQp-Vaw-4qPCJrcS2mJPMEzP1Pt0Bm4d4QlL-yRT-SFd2lZS-"
        "pCgNMsD1W_YpRPEwOWvG6b32690r2jZ47soMZo9wGzjb_7OMg0LOL-bSf63kpaSHSXndS5z5rexMdbBYUsLA9e-KXBdQOS-"
        "UTo7WTBEMa2R2CapHg665xsmtdVMTBQY4uDZlxvb3qCo5ZwKh9kG4LT6_I5IhlJH7aGhyxXFvUK-DWNmoudF8NAco9_"
        "h9iaGNj8q2ethFkMLs91kzk2PAcDTW9gb54h4FRWyuXpoQ";
    const std::string jwk = R"({"kty":"RSA","e":"AQAB","n":")" + n + R"("})";
    const std::string token =
        "eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ."
        "cC4hiUPoj9Eetdgtv3hF80EGrhuB__dzERat0XF9g2VtQgr9PJbu3XOiZj5RZmh7AAuHIm4Bh-0Qc_lF5YKt_O8W2Fp5jujGbds9uJdbF9CUAr7t1dnZ"
        "cAcQjbKBYNX4BAynRFdiuB--f_nZLgrnbyTyWzO75vRK5h6xBArLIARNPvkSjtQBMHlb1L07Qe7K0GarZRmB_eSN9383LcOLn6_dO--"
        "xi12jzDwusC-eOkHWEsqtFZESc6BfI7noOPqvhJ1phCnvWh6IeYI2w9QOYEUipUTI8np6LbgGY9Fs98rqVt5AXLIhWkWywlVmtVrBp0igcN_"
        "IoypGlUPQGe77Rw";
    CHECK(tessera::Key::from_jwk(jwk).error_name() == "InvalidKey");
    auto rsa = tessera::Key::from_jwk(jwk, TESSERA_ALG_RS256);
    CHECK(static_cast<bool>(rsa));
    tessera::Policy old;
    old.now(1300819379);
    auto verified = rsa->verify(token, old);
    CHECK(verified && verified->iss() == "joe"sv);
    CHECK(tessera::Key::from_jwk(jwk, TESSERA_ALG_PS256)->verify(token, old).status() ==
          TESSERA_STATUS_ALGORITHM_MISMATCH);
    const std::string jwks = R"({"keys":[{"kty":"RSA","kid":"a2","e":"AQAB","n":")" + n + R"("}]})";
    std::size_t skipped = 9;
    auto set = tessera::KeySet::from_jwks(jwks, TESSERA_ALG_RS256, &skipped);
    CHECK(set && skipped == 0);
    // A.2's token has no kid: a key set cannot pick a key for it.
    CHECK(set->verify(token, old).status() == TESSERA_STATUS_UNKNOWN_KEY);
    CHECK(tessera::KeySet::from_jwks(jwks, TESSERA_ALG_ES256).status() == TESSERA_STATUS_INVALID_ARGUMENT);
    CHECK(tessera::Key::from_pem("-----BEGIN PRIVATE KEY-----\nAA==\n-----END PRIVATE KEY-----\n", TESSERA_ALG_EDDSA)
              .status() == TESSERA_STATUS_INVALID_KEY);
  }
  std::printf("c++ wrapper: %d passed, %d failed\n", passed, failed);
  return failed == 0 ? 0 : 1;
}
