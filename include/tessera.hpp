// Tessera for C++17: a header-only wrapper over tessera.h.
//
// Errors are values, not exceptions: a verification failure (an expired
// token, a bad signature) is the ordinary outcome of a request, happens at
// request rate, and must not cost an unwind on the hot path; servers built
// with -fno-exceptions can use this header as is. `Result<T>` holds either a
// value or a tessera_status; `explicit operator bool` tells which.
//
//   tessera::Key key = tessera::Key::create(TESSERA_ALG_HS256, secret).value();
//   tessera::Policy policy;
//   policy.issuer("https://auth.example.com").audience("api").typ("at+jwt");
//   std::array<uint8_t, 4096> scratch;
//   auto claims = key.verify(token, policy, scratch);
//   if (!claims) return reply(401, claims.error_name());
//   use(claims->sub());
#ifndef TESSERA_HPP
#define TESSERA_HPP

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "tessera.h"

namespace tessera {

/// A value or a status.
template <typename T>
class Result {
 public:
  Result(T value) : value_(std::move(value)), status_(TESSERA_STATUS_OK) {}  // NOLINT: implicit by design
  Result(tessera_status status) : status_(status) {}                       // NOLINT: implicit by design

  explicit operator bool() const noexcept { return status_ == TESSERA_STATUS_OK; }
  tessera_status status() const noexcept { return status_; }
  /// The stable error name, e.g. "Expired" ("Ok" on success).
  std::string_view error_name() const noexcept { return tessera_status_name(status_); }
  /// A human message.
  std::string_view message() const noexcept { return tessera_status_str(status_); }
  /// The value; only call when the result is true.
  T &value() & { return *value_; }
  T &&value() && { return std::move(*value_); }
  T *operator->() { return &*value_; }
  const T *operator->() const { return &*value_; }
  const T &operator*() const { return *value_; }

 private:
  std::optional<T> value_;
  tessera_status status_;
};

inline std::string_view view(tessera_str s) noexcept {
  return s.ptr ? std::string_view(s.ptr, s.len) : std::string_view();
}
inline tessera_str str(std::string_view s) noexcept { return tessera_str{s.data(), s.size()}; }

/// The claims of a verified token: views into the scratch buffer.
class Claims {
 public:
  explicit Claims(const tessera_claims &c) : c_(c) {}
  std::optional<std::string_view> iss() const { return opt(c_.iss); }
  std::optional<std::string_view> sub() const { return opt(c_.sub); }
  std::optional<std::string_view> jti() const { return opt(c_.jti); }
  std::optional<std::string_view> sid() const { return opt(c_.sid); }
  std::optional<std::string_view> scope() const { return opt(c_.scope); }
  std::optional<std::string_view> azp() const { return opt(c_.azp); }
  std::optional<std::string_view> client_id() const { return opt(c_.client_id); }
  std::optional<std::string_view> typ() const { return opt(c_.typ); }
  std::optional<std::string_view> kid() const { return opt(c_.kid); }
  std::string_view alg() const { return view(c_.alg); }
  std::optional<int64_t> exp() const { return time(c_.exp, TESSERA_CLAIM_EXP); }
  std::optional<int64_t> nbf() const { return time(c_.nbf, TESSERA_CLAIM_NBF); }
  std::optional<int64_t> iat() const { return time(c_.iat, TESSERA_CLAIM_IAT); }
  std::size_t aud_count() const { return c_.aud_count; }
  std::optional<std::string_view> aud(std::size_t i) const {
    tessera_str out;
    if (tessera_claims_aud_at(&c_, i, &out) != TESSERA_STATUS_OK) return std::nullopt;
    return view(out);
  }
  bool has_scope(std::string_view scope) const {
    return tessera_claims_has_scope(&c_, reinterpret_cast<const uint8_t *>(scope.data()), scope.size());
  }
  /// The raw JSON text of any top-level claim.
  std::optional<std::string_view> raw(std::string_view name) const {
    tessera_str out;
    if (tessera_claims_get(&c_, reinterpret_cast<const uint8_t *>(name.data()), name.size(), &out) != TESSERA_STATUS_OK)
      return std::nullopt;
    return view(out);
  }
  const tessera_claims &c_struct() const { return c_; }

 private:
  static std::optional<std::string_view> opt(tessera_str s) {
    return s.ptr ? std::optional<std::string_view>(view(s)) : std::nullopt;
  }
  std::optional<int64_t> time(int64_t v, uint32_t claim) const {
    return (c_.present >> claim) & 1u ? std::optional<int64_t>(v) : std::nullopt;
  }
  tessera_claims c_;
};

/// A policy with secure defaults; setters chain. Strings are borrowed:
/// keep them alive while the policy is used.
class Policy {
 public:
  Policy() { tessera_policy_init(&p_); }
  Policy &now(uint64_t t) { p_.now = t; return *this; }
  Policy &leeway(uint64_t s) { p_.leeway = s; return *this; }
  Policy &issuer(std::string_view iss) { p_.issuer = str(iss); return *this; }
  Policy &audience(std::string_view aud) {
    aud_ = str(aud);
    p_.audiences = &aud_;
    p_.audiences_len = 1;
    return *this;
  }
  Policy &typ(std::string_view typ) { p_.typ = str(typ); return *this; }
  Policy &require(tessera_claim c) { p_.required |= 1u << c; return *this; }
  Policy &max_age(uint64_t s) { p_.max_age = s; p_.has_max_age = true; return *this; }
  Policy &ignore_audience(bool on) { p_.ignore_audience = on; return *this; }
  Policy &issued_before(uint64_t t) { p_.issued_before = t; return *this; }
  const tessera_policy *get() const { return &p_; }

 private:
  tessera_policy p_;
  tessera_str aud_{nullptr, 0};
};

/// An owned key (RAII: freed and zeroized on destruction). Move-only.
class Key {
 public:
  static Result<Key> create(tessera_alg alg, std::string_view secret) {
    tessera_key *k = nullptr;
    tessera_status s =
        tessera_key_new(alg, reinterpret_cast<const uint8_t *>(secret.data()), secret.size(), &k);
    if (s != TESSERA_STATUS_OK) return s;
    return Key(k);
  }
  Key(Key &&o) noexcept : k_(std::exchange(o.k_, nullptr)) {}
  Key &operator=(Key &&o) noexcept {
    if (this != &o) {
      tessera_key_free(k_);
      k_ = std::exchange(o.k_, nullptr);
    }
    return *this;
  }
  Key(const Key &) = delete;
  Key &operator=(const Key &) = delete;
  ~Key() { tessera_key_free(k_); }

  /// Verifies `token`; the claims borrow `scratch` (any contiguous byte container).
  template <typename Buffer>
  Result<Claims> verify(std::string_view token, const Policy &policy, Buffer &scratch) const {
    tessera_claims out;
    tessera_status s = tessera_verify(reinterpret_cast<const uint8_t *>(token.data()), token.size(), k_, policy.get(),
                                      reinterpret_cast<uint8_t *>(scratch.data()), scratch.size(), &out);
    if (s != TESSERA_STATUS_OK) return s;
    return Claims(out);
  }

  /// Signs typed claims (and optional custom claims JSON) into a new string.
  Result<std::string> sign(const tessera_header_out &header, const tessera_claims_out &claims,
                           std::optional<std::string_view> custom_json = std::nullopt) const {
    std::string out(4096, '\0');
    size_t n = 0;
    tessera_status s = tessera_sign(
        k_, &header, &claims, custom_json ? reinterpret_cast<const uint8_t *>(custom_json->data()) : nullptr,
        custom_json ? custom_json->size() : 0, reinterpret_cast<uint8_t *>(out.data()), out.size(), &n);
    if (s != TESSERA_STATUS_OK) return s;
    out.resize(n);
    return out;
  }

  const tessera_key *get() const { return k_; }

 private:
  explicit Key(tessera_key *k) : k_(k) {}
  tessera_key *k_;
};

/// The token of an `Authorization: Bearer …` value.
inline std::optional<std::string_view> bearer_token(std::string_view header) {
  tessera_str out;
  if (!tessera_bearer_token(reinterpret_cast<const uint8_t *>(header.data()), header.size(), &out)) return std::nullopt;
  return view(out);
}

/// The value of cookie `name` in a `Cookie` header value.
inline std::optional<std::string_view> cookie_value(std::string_view header, std::string_view name) {
  tessera_str out;
  if (!tessera_cookie_value(reinterpret_cast<const uint8_t *>(header.data()), header.size(),
                            reinterpret_cast<const uint8_t *>(name.data()), name.size(), &out))
    return std::nullopt;
  return view(out);
}

}  // namespace tessera

#endif  // TESSERA_HPP
