// Tessera for C++17: a header-only wrapper over tessera.h.
//
// Errors are values, not exceptions: a verification failure (an expired
// token, a bad signature) is the ordinary outcome of a request, happens at
// request rate, and must not cost an unwind on the hot path. `Result<T>`
// holds either a value or a tessera_status; `explicit operator bool` tells
// which, and it is [[nodiscard]]. Reading the value of a failed result is a
// programming error with defined behaviour: it throws
// `tessera::BadResultAccess` (or calls std::abort() when built with
// -fno-exceptions), never reads an empty optional.
//
//   auto key = tessera::Key::create(TESSERA_ALG_HS256, secret);
//   if (!key) return fail(key.error_name());          // "WeakKey" for a short secret
//   tessera::Policy policy;                           // owns copies of its strings
//   policy.issuer("https://auth.example.com").audience("api").typ("at+jwt");
//   auto token = key->verify(bearer, policy);         // Result<Verified>
//   if (!token) return reply(401, token.error_name());
//   use(token->sub());                                // views into the Verified's own scratch
//
// Lifetimes: a `Verified` owns the scratch its claims point into, so no
// later verify can overwrite what an earlier one returned; string_views
// taken from it live as long as the `Verified` does. A `Policy` owns its
// strings: copies and moves are independent and safe to return.
#ifndef TESSERA_HPP
#define TESSERA_HPP

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <initializer_list>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "tessera.h"

namespace tessera {

/// Thrown by `Result::value()` (and `*`, `->`) on a failed result.
class BadResultAccess : public std::logic_error {
 public:
  explicit BadResultAccess(tessera_status s)
      : std::logic_error(std::string("tessera::Result has no value: ") + tessera_status_name(s)), status_(s) {}
  tessera_status status() const noexcept { return status_; }

 private:
  tessera_status status_;
};

/// A value or a status.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)), status_(TESSERA_STATUS_OK) {}  // NOLINT: implicit by design
  Result(tessera_status status) : status_(status == TESSERA_STATUS_OK ? TESSERA_STATUS_INVALID_ARGUMENT : status) {}  // NOLINT

  explicit operator bool() const noexcept { return value_.has_value(); }
  tessera_status status() const noexcept { return status_; }
  /// The stable error name, e.g. "Expired" ("Ok" on success).
  std::string_view error_name() const noexcept { return tessera_status_name(status_); }
  /// A human message.
  std::string_view message() const noexcept { return tessera_status_str(status_); }
  /// The value; a failed result throws BadResultAccess (aborts without exceptions).
  T &value() & { check(); return *value_; }
  const T &value() const & { check(); return *value_; }
  T &&value() && { check(); return std::move(*value_); }
  T *operator->() { return &value(); }
  const T *operator->() const { return &value(); }
  T &operator*() & { return value(); }
  const T &operator*() const & { return value(); }

 private:
  void check() const {
    if (value_.has_value()) return;
#if defined(__cpp_exceptions) || defined(__EXCEPTIONS)
    throw BadResultAccess(status_);
#else
    std::abort();
#endif
  }
  std::optional<T> value_;
  tessera_status status_;
};

inline std::string_view view(tessera_str s) noexcept {
  return s.ptr ? std::string_view(s.ptr, s.len) : std::string_view();
}
/// A tessera_str viewing `s` (never {NULL, n}: an empty view gets a valid pointer).
inline tessera_str str(std::string_view s) noexcept { return tessera_str{s.data() ? s.data() : "", s.size()}; }

/// A verified token: its header and claims, and the scratch they point into.
/// Move-only; string views it returns live as long as it does.
class Verified {
 public:
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
  /// A custom string claim, unescaped; `MissingClaim` when absent,
  /// `InvalidClaim` when not a string.
  Result<std::string> get_string(std::string_view name) const {
    std::string out(64, '\0');
    std::size_t n = 0;
    tessera_status s = tessera_claims_get_string(&c_, bytes(name), name.size(), reinterpret_cast<uint8_t *>(out.data()), out.size(), &n);
    if (s == TESSERA_STATUS_BUFFER_TOO_SMALL) {
      out.resize(n);
      s = tessera_claims_get_string(&c_, bytes(name), name.size(), reinterpret_cast<uint8_t *>(out.data()), out.size(), &n);
    }
    if (s != TESSERA_STATUS_OK) return s;
    out.resize(n);
    return out;
  }
  /// A custom integer claim (written as an integer, fits int64_t).
  Result<int64_t> get_int(std::string_view name) const {
    int64_t v = 0;
    tessera_status s = tessera_claims_get_int(&c_, bytes(name), name.size(), &v);
    if (s != TESSERA_STATUS_OK) return s;
    return v;
  }
  /// A custom boolean claim.
  Result<bool> get_bool(std::string_view name) const {
    bool v = false;
    tessera_status s = tessera_claims_get_bool(&c_, bytes(name), name.size(), &v);
    if (s != TESSERA_STATUS_OK) return s;
    return v;
  }
  const tessera_claims &c_struct() const { return c_; }

  Verified(Verified &&) noexcept = default;  // the scratch is on the heap: views stay valid
  Verified &operator=(Verified &&) noexcept = default;
  Verified(const Verified &) = delete;
  Verified &operator=(const Verified &) = delete;

 private:
  friend class Key;
  friend class KeySet;
  explicit Verified(std::size_t scratch_len) : scratch_(new uint8_t[scratch_len]), len_(scratch_len), c_() {}
  static const uint8_t *bytes(std::string_view s) { return reinterpret_cast<const uint8_t *>(s.data()); }
  static std::optional<std::string_view> opt(tessera_str s) {
    return s.ptr ? std::optional<std::string_view>(view(s)) : std::nullopt;
  }
  std::optional<int64_t> time(int64_t v, uint32_t claim) const {
    return (c_.present >> claim) & 1u ? std::optional<int64_t>(v) : std::nullopt;
  }
  std::unique_ptr<uint8_t[]> scratch_;
  std::size_t len_;
  tessera_claims c_;
};

/// A policy with secure defaults; setters chain. It owns copies of its
/// strings, so copies, moves and policies returned from factories are
/// independent of whatever built them.
class Policy {
 public:
  Policy() { tessera_policy_init(&p_); }
  Policy(const Policy &o) : p_(o.p_), issuer_(o.issuer_), typ_(o.typ_), auds_(o.auds_) { repoint(); }
  Policy(Policy &&o) noexcept
      : p_(o.p_), issuer_(std::move(o.issuer_)), typ_(std::move(o.typ_)), auds_(std::move(o.auds_)) {
    repoint();
    o.repoint();
  }
  Policy &operator=(const Policy &o) {
    if (this != &o) {
      p_ = o.p_;
      issuer_ = o.issuer_;
      typ_ = o.typ_;
      auds_ = o.auds_;
      repoint();
    }
    return *this;
  }
  Policy &operator=(Policy &&o) noexcept {
    if (this != &o) {
      p_ = o.p_;
      issuer_ = std::move(o.issuer_);
      typ_ = std::move(o.typ_);
      auds_ = std::move(o.auds_);
      repoint();
      o.repoint();
    }
    return *this;
  }
  ~Policy() = default;

  Policy &now(uint64_t t) { p_.now = t; return *this; }
  Policy &leeway(uint64_t s) { p_.leeway = s; return *this; }
  Policy &issuer(std::string_view iss) { issuer_ = std::string(iss); repoint(); return *this; }
  /// Accept tokens whose `aud` contains `aud`.
  Policy &audience(std::string_view aud) { return audiences({aud}); }
  /// Accept tokens whose `aud` contains any of `auds` (at most 16). An empty
  /// list is a configuration error: every verify fails with INVALID_ARGUMENT.
  Policy &audiences(std::initializer_list<std::string_view> auds) {
    auds_.emplace();
    for (auto a : auds) auds_->emplace_back(a);
    repoint();
    return *this;
  }
  Policy &typ(std::string_view typ) { typ_ = std::string(typ); repoint(); return *this; }
  Policy &require(tessera_claim c) { p_.required |= 1u << c; return *this; }
  Policy &max_age(uint64_t s) { p_.max_age = s; p_.has_max_age = true; return *this; }
  Policy &ignore_audience(bool on) { p_.ignore_audience = on; return *this; }
  Policy &issued_before(uint64_t t) { p_.issued_before = t; return *this; }
  const tessera_policy *get() const { return &p_; }

 private:
  // Points the C struct at this object's own strings (after any copy or move).
  void repoint() {
    p_.issuer = issuer_ ? str(*issuer_) : tessera_str{nullptr, 0};
    p_.typ = typ_ ? str(*typ_) : tessera_str{nullptr, 0};
    views_.clear();
    if (!auds_) {
      p_.audiences = nullptr;
      p_.audiences_len = 0;
      return;
    }
    for (const auto &a : *auds_) views_.push_back(str(a));
    // An explicitly empty list must reach the library as such (non-NULL, 0).
    static const tessera_str empty_list[1] = {{"", 0}};
    p_.audiences = views_.empty() ? empty_list : views_.data();
    p_.audiences_len = views_.size();
  }
  tessera_policy p_;
  std::optional<std::string> issuer_;
  std::optional<std::string> typ_;
  std::optional<std::vector<std::string>> auds_;
  std::vector<tessera_str> views_;
};

/// A policy converted once (`tessera_policy_prepare`) for every request:
/// its strings are copied, so the `Policy` may go. Its `now` must be 0: the
/// time is given to each verify. Immutable and shareable between threads.
/// Move-only.
class PreparedPolicy {
 public:
  static Result<PreparedPolicy> create(const Policy &policy) {
    tessera_prepared_policy *p = nullptr;
    tessera_status s = tessera_policy_prepare(policy.get(), &p);
    if (s != TESSERA_STATUS_OK) return s;
    return PreparedPolicy(p);
  }
  PreparedPolicy(PreparedPolicy &&o) noexcept : p_(std::exchange(o.p_, nullptr)) {}
  PreparedPolicy &operator=(PreparedPolicy &&o) noexcept {
    if (this != &o) {
      tessera_prepared_policy_free(p_);
      p_ = std::exchange(o.p_, nullptr);
    }
    return *this;
  }
  PreparedPolicy(const PreparedPolicy &) = delete;
  PreparedPolicy &operator=(const PreparedPolicy &) = delete;
  ~PreparedPolicy() { tessera_prepared_policy_free(p_); }
  const tessera_prepared_policy *get() const { return p_; }

 private:
  explicit PreparedPolicy(tessera_prepared_policy *p) : p_(p) {}
  tessera_prepared_policy *p_;
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
  /// A public key from a JWK (`alg` 0: the JWK's own `alg` or curve decides;
  /// an RSA JWK without `alg` needs one).
  static Result<Key> from_jwk(std::string_view jwk, uint32_t alg = 0) {
    return from_public(TESSERA_KEY_FORMAT_JWK, jwk, alg);
  }
  /// A public key from a PEM `PUBLIC KEY` / `RSA PUBLIC KEY` document, for `alg`.
  static Result<Key> from_pem(std::string_view pem, tessera_alg alg) {
    return from_public(TESSERA_KEY_FORMAT_PEM, pem, alg);
  }
  /// A public key from a DER SubjectPublicKeyInfo, for `alg`.
  static Result<Key> from_spki_der(std::string_view der, tessera_alg alg) {
    return from_public(TESSERA_KEY_FORMAT_SPKI_DER, der, alg);
  }
  /// A signing key from a private key (Ed25519 → EdDSA, P-256 → ES256):
  /// `format` TESSERA_KEY_FORMAT_JWK (with `d`), _PEM (`PRIVATE KEY`) or
  /// _PKCS8_DER. It also verifies, with its public half.
  static Result<Key> from_private(tessera_key_format format, std::string_view data) {
    tessera_key *k = nullptr;
    tessera_status s = tessera_key_from_private(format, reinterpret_cast<const uint8_t *>(data.data()), data.size(), &k);
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

  /// Verifies `token`; the result owns the scratch its claims point into.
  Result<Verified> verify(std::string_view token, const Policy &policy) const {
    Verified v(tessera_scratch_len(token.size()));
    tessera_status s = tessera_verify(reinterpret_cast<const uint8_t *>(token.data()), token.size(), k_, policy.get(),
                                      v.scratch_.get(), v.len_, &v.c_);
    if (s != TESSERA_STATUS_OK) return s;
    return Result<Verified>(std::move(v));
  }

  /// Verifies `token` under a prepared policy at `now` (0: the system clock).
  Result<Verified> verify(std::string_view token, const PreparedPolicy &policy, uint64_t now = 0) const {
    Verified v(tessera_scratch_len(token.size()));
    tessera_status s = tessera_verify_prepared(reinterpret_cast<const uint8_t *>(token.data()), token.size(), k_,
                                               policy.get(), now, v.scratch_.get(), v.len_, &v.c_);
    if (s != TESSERA_STATUS_OK) return s;
    return Result<Verified>(std::move(v));
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

  /// The public JWK (public keys and private keys' public halves).
  Result<std::string> public_jwk() const {
    std::string out(1024, '\0');
    size_t n = 0;
    tessera_status s = tessera_key_public_jwk(k_, reinterpret_cast<uint8_t *>(out.data()), out.size(), &n);
    if (s != TESSERA_STATUS_OK) return s;
    out.resize(n);
    return out;
  }

  /// The RFC 7638 thumbprint of the public key: the conventional `kid`.
  Result<std::string> thumbprint() const {
    std::string out(TESSERA_THUMBPRINT_LEN + 1, '\0');
    tessera_status s = tessera_key_thumbprint(k_, reinterpret_cast<uint8_t *>(out.data()), out.size());
    if (s != TESSERA_STATUS_OK) return s;
    out.resize(TESSERA_THUMBPRINT_LEN);
    return out;
  }

  const tessera_key *get() const { return k_; }

 private:
  explicit Key(tessera_key *k) : k_(k) {}
  static Result<Key> from_public(uint32_t format, std::string_view data, uint32_t alg) {
    tessera_key *k = nullptr;
    tessera_status s =
        tessera_key_from_public(format, reinterpret_cast<const uint8_t *>(data.data()), data.size(), alg, &k);
    if (s != TESSERA_STATUS_OK) return s;
    return Key(k);
  }
  tessera_key *k_;
};

/// An owned JWK Set key set (RAII). Move-only; immutable once built, so
/// share it read-only between threads. To rotate, build a new one and swap
/// a `std::shared_ptr<const KeySet>` (`std::atomic_store`): verifiers keep
/// the set they started with, and none waits for a fetch.
class KeySet {
 public:
  /// The keys of a JWK Set document; `rsa_default` (0: none) binds RSA keys
  /// without `alg`. `skipped` counts the members passed over.
  static Result<KeySet> from_jwks(std::string_view jwks, uint32_t rsa_default = 0, std::size_t *skipped = nullptr) {
    tessera_keyset *set = nullptr;
    tessera_status s = tessera_keyset_from_jwks(reinterpret_cast<const uint8_t *>(jwks.data()), jwks.size(),
                                                rsa_default, &set, skipped);
    if (s != TESSERA_STATUS_OK) return s;
    return KeySet(set);
  }
  /// An empty set, for `add`.
  static Result<KeySet> create() {
    tessera_keyset *set = nullptr;
    tessera_status s = tessera_keyset_new(&set);
    if (s != TESSERA_STATUS_OK) return s;
    return KeySet(set);
  }
  /// Adds (a copy of) `key` under `kid`: for a private key, its public half.
  tessera_status add(std::string_view kid, const Key &key) {
    return tessera_keyset_add(s_, reinterpret_cast<const uint8_t *>(kid.data()), kid.size(), key.get());
  }
  /// The set as a JWK Set document (public keys only: a set holding an
  /// HMAC secret is refused).
  Result<std::string> to_jwks() const {
    std::string out(TESSERA_KEYSET_CAPACITY * 900 + 16, '\0');
    size_t n = 0;
    tessera_status s = tessera_keyset_to_jwks(s_, reinterpret_cast<uint8_t *>(out.data()), out.size(), &n);
    if (s != TESSERA_STATUS_OK) return s;
    out.resize(n);
    return out;
  }
  KeySet(KeySet &&o) noexcept : s_(std::exchange(o.s_, nullptr)) {}
  KeySet &operator=(KeySet &&o) noexcept {
    if (this != &o) {
      tessera_keyset_free(s_);
      s_ = std::exchange(o.s_, nullptr);
    }
    return *this;
  }
  KeySet(const KeySet &) = delete;
  KeySet &operator=(const KeySet &) = delete;
  ~KeySet() { tessera_keyset_free(s_); }

  /// Verifies `token` with the key its `kid` names.
  Result<Verified> verify(std::string_view token, const Policy &policy) const {
    Verified v(tessera_scratch_len(token.size()));
    tessera_status s = tessera_verify_keyset(reinterpret_cast<const uint8_t *>(token.data()), token.size(), s_,
                                             policy.get(), v.scratch_.get(), v.len_, &v.c_);
    if (s != TESSERA_STATUS_OK) return s;
    return Result<Verified>(std::move(v));
  }

  /// Verifies `token` with the key its `kid` names, under a prepared policy
  /// at `now` (0: the system clock).
  Result<Verified> verify(std::string_view token, const PreparedPolicy &policy, uint64_t now = 0) const {
    Verified v(tessera_scratch_len(token.size()));
    tessera_status s = tessera_verify_keyset_prepared(reinterpret_cast<const uint8_t *>(token.data()), token.size(),
                                                      s_, policy.get(), now, v.scratch_.get(), v.len_, &v.c_);
    if (s != TESSERA_STATUS_OK) return s;
    return Result<Verified>(std::move(v));
  }

  const tessera_keyset *get() const { return s_; }

 private:
  explicit KeySet(tessera_keyset *s) : s_(s) {}
  tessera_keyset *s_;
};

/// The token of an `Authorization: Bearer …` value.
inline std::optional<std::string_view> bearer_token(std::string_view header) {
  tessera_str out;
  if (!tessera_bearer_token(reinterpret_cast<const uint8_t *>(header.data()), header.size(), &out)) return std::nullopt;
  return view(out);
}

/// The value of cookie `name` in a `Cookie` header value (the first one
/// when the name appears more than once; see tessera_cookie_value).
inline std::optional<std::string_view> cookie_value(std::string_view header, std::string_view name) {
  tessera_str out;
  if (!tessera_cookie_value(reinterpret_cast<const uint8_t *>(header.data()), header.size(),
                            reinterpret_cast<const uint8_t *>(name.data()), name.size(), &out))
    return std::nullopt;
  return view(out);
}

}  // namespace tessera

#endif  // TESSERA_HPP
