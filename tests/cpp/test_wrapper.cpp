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
  auto token = key.sign(h, c, R"({"tier":3})"sv);
  CHECK(static_cast<bool>(token));

  tessera::Policy policy;
  policy.now(1700000100).issuer("https://auth.example.com").audience("api").typ("at+jwt");
  std::array<uint8_t, 2048> scratch{};
  auto claims = key.verify(*token, policy, scratch);
  CHECK(static_cast<bool>(claims));
  CHECK(claims->sub() == "user-42"sv);
  CHECK(claims->exp() == 1700000900);
  CHECK(!claims->nbf().has_value());
  CHECK(claims->aud_count() == 1 && claims->aud(0) == "api"sv);
  CHECK(!claims->aud(1).has_value());
  CHECK(claims->has_scope("write") && !claims->has_scope("admin"));
  CHECK(claims->raw("tier") == "3"sv);
  CHECK(claims->typ() == "at+jwt"sv && claims->alg() == "HS256");

  policy.now(1700000900);
  auto expired = key.verify(*token, policy, scratch);
  CHECK(!expired && expired.status() == TESSERA_STATUS_EXPIRED && expired.error_name() == "Expired");
  CHECK(!expired.message().empty());

  std::vector<uint8_t> small(8);
  CHECK(key.verify(*token, policy.now(1700000100), small).status() == TESSERA_STATUS_BUFFER_TOO_SMALL);

  CHECK(tessera::bearer_token("Bearer abc") == "abc"sv);
  CHECK(!tessera::bearer_token("Basic abc"));
  CHECK(tessera::cookie_value("a=1; refresh=x.y", "refresh") == "x.y"sv);

  tessera::Key moved = std::move(key);
  CHECK(moved.get() != nullptr && key.get() == nullptr);
  std::printf("c++ wrapper: %d passed, %d failed\n", passed, failed);
  return failed == 0 ? 0 : 1;
}
