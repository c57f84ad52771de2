/* mod_tessera: an Apache httpd module that protects locations with
 * `Authorization: Bearer` access tokens, verified by libtessera against the
 * JWK Set an auth server publishes (RFC 7517), by `kid`.
 *
 * The JWK Set is fetched when a child process starts and again when a token
 * names a `kid` the set does not hold (a key rotated in since), at most once
 * per `TesseraJwksCooldown`: a flood of tokens with made-up `kid`s costs the
 * auth server one request per cooldown, not one per token. A set is used for
 * `TesseraJwksMaxAge`, or the shorter `Cache-Control: max-age` its answer
 * gave, then fetched again. Each location
 * states its issuer, audience, `typ` and required scopes; what passes is
 * handed to the backend as `X-Tessera-Sub` / `X-Tessera-Scope` request
 * headers (any a client sent are removed first) and as the `TESSERA_SUB`,
 * `TESSERA_SCOPE` and `TESSERA_KID` environment variables; `REMOTE_USER` is
 * the subject. Refusals follow RFC 6750: 401 with `WWW-Authenticate: Bearer
 * ... error="invalid_token"` and the Tessera error name, 403 with
 * `error="insufficient_scope"`.
 *
 * Every verification rule is libtessera's; this file converts Apache's
 * types and manages the key set's lifetime, nothing else. Directives:
 * README.md beside this file.
 */
/* httpd.h first: the other headers need its types. */
#include "httpd.h"

#include "apr_lib.h"
#include "apr_strings.h"
#include "apr_thread_mutex.h"
#include "http_config.h"
#include "http_core.h"
#include "http_log.h"
#include "http_protocol.h"
#include "http_request.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>
#include <tessera.h>

#include "cache_control.h"

module AP_MODULE_DECLARE_DATA tessera_module;

#define UNSET (-1)
#define MAX_JWKS_BYTES (256 * 1024)

/* A key set and the requests using it: the current set holds one
 * reference of its own, each request one while it verifies; the last
 * release of a replaced set frees it. */
typedef struct held {
  tessera_keyset *set;
  unsigned refs;
} held;

/* The JWK Set of one URL, in one child process. */
typedef struct keys {
  apr_thread_mutex_t *lock;
  held *current;
  apr_time_t last_fetch; /* 0: never tried */
  apr_time_t fetched_at; /* when `current` was fetched */
  apr_interval_time_t cache_max_age; /* its answer's Cache-Control: see cache_control(); -1: none */
  int fetching;
} keys;

typedef struct {
  const char *jwks_url;
  apr_interval_time_t cooldown; /* UNSET: 30 s */
  apr_interval_time_t timeout;  /* UNSET: 5 s */
  apr_interval_time_t max_age;  /* UNSET: 600 s */
  uint32_t rsa_default;         /* 0: none */
  int allow_http;               /* UNSET, 0, 1: TesseraJwksAllowHttp */
  keys *keys;
} server_conf;

typedef struct {
  int enabled; /* UNSET, 0, 1 */
  const char *issuer;
  apr_array_header_t *audiences; /* of tessera_str, views of config strings: built once */
  const char *typ;
  apr_array_header_t *scopes; /* of const char * */
  int leeway;                 /* UNSET: 0 */
  const char *realm;
  const char *cors_origin;
} dir_conf;

/* --- configuration ---------------------------------------------------------- */

static void *create_server_conf(apr_pool_t *p, server_rec *s) {
  (void)s;
  server_conf *c = apr_pcalloc(p, sizeof *c);
  c->cooldown = UNSET;
  c->timeout = UNSET;
  c->max_age = UNSET;
  c->allow_http = UNSET;
  c->keys = apr_pcalloc(p, sizeof *c->keys);
  c->keys->cache_max_age = -1;
  return c;
}

static void *merge_server_conf(apr_pool_t *p, void *base_, void *add_) {
  server_conf *base = base_, *add = add_, *c = apr_pcalloc(p, sizeof *c);
  c->jwks_url = add->jwks_url ? add->jwks_url : base->jwks_url;
  c->cooldown = add->cooldown != UNSET ? add->cooldown : base->cooldown;
  c->timeout = add->timeout != UNSET ? add->timeout : base->timeout;
  c->max_age = add->max_age != UNSET ? add->max_age : base->max_age;
  c->rsa_default = add->rsa_default ? add->rsa_default : base->rsa_default;
  c->allow_http = add->allow_http != UNSET ? add->allow_http : base->allow_http;
  /* A virtual host with its own URL has its own keys; otherwise it shares the main server's. */
  c->keys = add->jwks_url ? add->keys : base->keys;
  return c;
}

static void *create_dir_conf(apr_pool_t *p, char *dir) {
  (void)dir;
  dir_conf *c = apr_pcalloc(p, sizeof *c);
  c->enabled = UNSET;
  c->leeway = UNSET;
  return c;
}

static void *merge_dir_conf(apr_pool_t *p, void *base_, void *add_) {
  dir_conf *base = base_, *add = add_, *c = apr_pcalloc(p, sizeof *c);
  c->enabled = add->enabled != UNSET ? add->enabled : base->enabled;
  c->issuer = add->issuer ? add->issuer : base->issuer;
  c->audiences = add->audiences ? add->audiences : base->audiences;
  c->typ = add->typ ? add->typ : base->typ;
  /* A nested location's scopes replace its parent's: say them all there. */
  c->scopes = add->scopes ? add->scopes : base->scopes;
  c->leeway = add->leeway != UNSET ? add->leeway : base->leeway;
  c->realm = add->realm ? add->realm : base->realm;
  c->cors_origin = add->cors_origin ? add->cors_origin : base->cors_origin;
  return c;
}

/* Whether a URL's host (as curl reads it) is this machine: `localhost` or
 * a loopback address, which nobody on the network can answer for. */
static int loopback(const char *host) {
  struct in_addr v4;
  if (strcasecmp(host, "localhost") == 0 || strcmp(host, "[::1]") == 0) return 1;
  return inet_pton(AF_INET, host, &v4) == 1 && (ntohl(v4.s_addr) >> 24) == 127;
}

/* What TesseraJwksAllowHttp has to say about `url`, read by the parser that
 * will fetch it (curl's, so no other parser can disagree about the host):
 * 0 for https or http to this machine, 1 for http to another machine, -1
 * for what curl cannot read. */
static int plain_http_elsewhere(const char *url) {
  CURLU *u = curl_url();
  char *scheme = NULL, *host = NULL;
  int answer = -1;
  if (u && curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
      curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK &&
      curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK) {
    answer = strcmp(scheme, "https") == 0 ? 0 : !loopback(host);
  }
  curl_free(scheme);
  curl_free(host);
  curl_url_cleanup(u);
  return answer;
}

static const char *set_jwks_url(cmd_parms *cmd, void *d, const char *url) {
  (void)d;
  server_conf *c = ap_get_module_config(cmd->server->module_config, &tessera_module);
  if (strncmp(url, "https://", 8) != 0 && strncmp(url, "http://", 7) != 0) {
    return "TesseraJwksUrl must be an http:// or https:// URL";
  }
  if (plain_http_elsewhere(url) < 0) return "TesseraJwksUrl is not a URL curl can read";
  c->jwks_url = url;
  return NULL;
}

static const char *set_allow_http(cmd_parms *cmd, void *d, int on) {
  (void)d;
  server_conf *c = ap_get_module_config(cmd->server->module_config, &tessera_module);
  c->allow_http = on;
  return NULL;
}

/* Whole seconds in [min, max]. */
static const char *seconds(const char *arg, long min, long max, long *out) {
  char *end;
  errno = 0;
  long v = strtol(arg, &end, 10);
  if (errno || end == arg || *end || v < min || v > max) return "expected a whole number of seconds";
  *out = v;
  return NULL;
}

/* A server-wide duration directive: where it goes and its range. */
typedef struct {
  size_t offset; /* of an apr_interval_time_t in server_conf */
  long min, max;
} seconds_directive;

static const seconds_directive COOLDOWN = {APR_OFFSETOF(server_conf, cooldown), 1, 86400};
static const seconds_directive FETCH_TIMEOUT = {APR_OFFSETOF(server_conf, timeout), 1, 60};
static const seconds_directive MAX_AGE = {APR_OFFSETOF(server_conf, max_age), 1, 86400};

static const char *set_server_seconds(cmd_parms *cmd, void *d, const char *arg) {
  (void)d;
  const seconds_directive *what = cmd->info;
  server_conf *c = ap_get_module_config(cmd->server->module_config, &tessera_module);
  long v;
  if (seconds(arg, what->min, what->max, &v)) {
    return apr_psprintf(cmd->pool, "%s: expected a whole number of seconds from %ld to %ld", cmd->cmd->name, what->min,
                        what->max);
  }
  *(apr_interval_time_t *)((char *)c + what->offset) = apr_time_from_sec(v);
  return NULL;
}

static const char *set_rsa_default(cmd_parms *cmd, void *d, const char *arg) {
  (void)d;
  static const struct {
    const char *name;
    uint32_t alg;
  } rsa[] = {{"RS256", TESSERA_ALG_RS256}, {"RS384", TESSERA_ALG_RS384}, {"RS512", TESSERA_ALG_RS512},
             {"PS256", TESSERA_ALG_PS256}, {"PS384", TESSERA_ALG_PS384}, {"PS512", TESSERA_ALG_PS512}};
  server_conf *c = ap_get_module_config(cmd->server->module_config, &tessera_module);
  for (size_t i = 0; i < sizeof rsa / sizeof rsa[0]; i++) {
    if (strcmp(arg, rsa[i].name) == 0) {
      c->rsa_default = rsa[i].alg;
      return NULL;
    }
  }
  return "TesseraJwksRsaAlgorithm: one of RS256, RS384, RS512, PS256, PS384, PS512";
}

static const char *set_leeway(cmd_parms *cmd, void *d_, const char *arg) {
  dir_conf *d = d_;
  long v;
  const char *err = seconds(arg, 0, TESSERA_MAX_LEEWAY, &v); /* the core's bound */
  if (err) return apr_psprintf(cmd->pool, "TesseraLeeway: %s from 0 to %d", err, (int)TESSERA_MAX_LEEWAY);
  d->leeway = (int)v;
  return NULL;
}

static const char *add_audience(cmd_parms *cmd, void *d_, const char *arg) {
  dir_conf *d = d_;
  if (!*arg) return "TesseraAudience: an audience is not empty";
  if (!d->audiences) d->audiences = apr_array_make(cmd->pool, 2, sizeof(tessera_str));
  if (d->audiences->nelts >= TESSERA_MAX_AUDIENCES) return "TesseraAudience: too many audiences";
  *(tessera_str *)apr_array_push(d->audiences) = (tessera_str){arg, strlen(arg)};
  return NULL;
}

static const char *add_scope(cmd_parms *cmd, void *d_, const char *arg) {
  dir_conf *d = d_;
  if (!*arg || strchr(arg, ' ')) return "TesseraRequireScope: one scope per word";
  if (!d->scopes) d->scopes = apr_array_make(cmd->pool, 2, sizeof(const char *));
  *(const char **)apr_array_push(d->scopes) = arg;
  return NULL;
}

static const char *set_flag(cmd_parms *cmd, void *d_, int on) {
  (void)cmd;
  ((dir_conf *)d_)->enabled = on;
  return NULL;
}

static const char *set_dir_string(cmd_parms *cmd, void *d_, const char *arg) {
  if (!*arg) return apr_pstrcat(cmd->pool, cmd->cmd->name, " must not be empty", NULL);
  /* Header-bound values: no quote, backslash or control character. */
  for (const char *c = arg; *c; c++) {
    if ((unsigned char)*c < 0x20 || *c == '"' || *c == '\\' || *c == 0x7f) {
      return apr_pstrcat(cmd->pool, cmd->cmd->name, ": no quotes, backslashes or control characters", NULL);
    }
  }
  *(const char **)((char *)d_ + (size_t)cmd->info) = arg;
  return NULL;
}

static const command_rec directives[] = {
    AP_INIT_TAKE1("TesseraJwksUrl", set_jwks_url, NULL, RSRC_CONF, "URL of the JWK Set that verifies tokens"),
    AP_INIT_FLAG("TesseraJwksAllowHttp", set_allow_http, NULL, RSRC_CONF,
                 "allow a plain http TesseraJwksUrl to another machine (default Off)"),
    AP_INIT_TAKE1("TesseraJwksCooldown", set_server_seconds, (void *)&COOLDOWN, RSRC_CONF,
                  "seconds between two fetches of the JWK Set (default 30)"),
    AP_INIT_TAKE1("TesseraJwksTimeout", set_server_seconds, (void *)&FETCH_TIMEOUT, RSRC_CONF, "seconds a fetch may take (default 5)"),
    AP_INIT_TAKE1("TesseraJwksMaxAge", set_server_seconds, (void *)&MAX_AGE, RSRC_CONF,
                  "seconds a fetched JWK Set is used before it is fetched again (default 600)"),
    AP_INIT_TAKE1("TesseraJwksRsaAlgorithm", set_rsa_default, NULL, RSRC_CONF,
                  "algorithm of RSA keys published without alg (default: such keys are skipped)"),
    AP_INIT_FLAG("TesseraAuth", set_flag, NULL, ACCESS_CONF, "require a valid bearer access token here"),
    AP_INIT_TAKE1("TesseraIssuer", set_dir_string, (void *)APR_OFFSETOF(dir_conf, issuer), ACCESS_CONF,
                  "the iss tokens must carry (required)"),
    AP_INIT_ITERATE("TesseraAudience", add_audience, NULL, ACCESS_CONF,
                    "audiences accepted here: the token's aud must contain one (required)"),
    AP_INIT_TAKE1("TesseraType", set_dir_string, (void *)APR_OFFSETOF(dir_conf, typ), ACCESS_CONF,
                  "the header typ tokens must carry (default at+jwt)"),
    AP_INIT_ITERATE("TesseraRequireScope", add_scope, NULL, ACCESS_CONF, "scopes the token must all hold"),
    AP_INIT_TAKE1("TesseraLeeway", set_leeway, NULL, ACCESS_CONF, "clock leeway in seconds (default 0, at most 300)"),
    AP_INIT_TAKE1("TesseraRealm", set_dir_string, (void *)APR_OFFSETOF(dir_conf, realm), ACCESS_CONF,
                  "the realm in WWW-Authenticate (default: the server name)"),
    AP_INIT_TAKE1("TesseraCorsOrigin", set_dir_string, (void *)APR_OFFSETOF(dir_conf, cors_origin), ACCESS_CONF,
                  "one origin whose pages may call this location with a bearer token"),
    {NULL},
};

/* --- the JWK Set ------------------------------------------------------------- */

typedef struct {
  char *data;
  size_t len;
} body;

static size_t collect(char *chunk, size_t size, size_t n, void *user) {
  body *b = user;
  size_t len = size * n;
  if (len > MAX_JWKS_BYTES - b->len) return 0; /* too large: curl fails the transfer */
  memcpy(b->data + b->len, chunk, len);
  b->len += len;
  return len;
}

/* How long the current set is used: TesseraJwksMaxAge, or less when its
 * answer's Cache-Control said so, but never less than the cooldown (no
 * fetch could come sooner; as in RemoteJwks). Called under the lock. */
static apr_interval_time_t usable_for(const server_conf *c) {
  apr_interval_time_t max_age = c->max_age == UNSET ? apr_time_from_sec(600) : c->max_age;
  apr_interval_time_t cooldown = c->cooldown == UNSET ? apr_time_from_sec(30) : c->cooldown;
  if (c->keys->cache_max_age >= 0 && c->keys->cache_max_age < max_age) max_age = c->keys->cache_max_age;
  return max_age > cooldown ? max_age : cooldown;
}

/* Fetches and parses the JWK Set: a new key set, or NULL (logged);
 * `*cache_max_age` gets its answer's Cache-Control max-age in seconds
 * (see cache_control()). */
static tessera_keyset *fetch_jwks(server_rec *s, const server_conf *c, apr_pool_t *p, long *cache_max_age) {
  body b = {apr_palloc(p, MAX_JWKS_BYTES), 0};
  *cache_max_age = -1;
  CURL *curl = curl_easy_init();
  if (!curl) return NULL;
  curl_easy_setopt(curl, CURLOPT_URL, c->jwks_url);
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(curl, CURLOPT_FAILONERROR, 1L);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, (long)apr_time_as_msec(c->timeout == UNSET ? apr_time_from_sec(5) : c->timeout));
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, collect);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &b);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, cache_control);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, cache_max_age);
  curl_easy_setopt(curl, CURLOPT_USERAGENT, "mod_tessera/" TESSERA_VERSION);
  CURLcode rc = curl_easy_perform(curl);
  long status = 0;
  if (rc == CURLE_OK) curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  curl_easy_cleanup(curl);
  if (rc != CURLE_OK) {
    ap_log_error(APLOG_MARK, APLOG_ERR, 0, s, "tessera: fetching the JWK Set from %s failed: %s", c->jwks_url,
                 curl_easy_strerror(rc));
    return NULL;
  }
  /* Only a 200 carries the set: a redirect is not followed, and its body
   * (whatever it holds) is not a JWK Set from this URL. */
  if (status != 200) {
    ap_log_error(APLOG_MARK, APLOG_ERR, 0, s, "tessera: fetching the JWK Set from %s failed: HTTP %ld", c->jwks_url,
                 status);
    return NULL;
  }
  tessera_keyset *set = NULL;
  size_t skipped = 0;
  tessera_status st = tessera_keyset_from_jwks((const uint8_t *)b.data, b.len, c->rsa_default, &set, &skipped);
  if (st != TESSERA_STATUS_OK) {
    ap_log_error(APLOG_MARK, APLOG_ERR, 0, s, "tessera: the JWK Set from %s is refused: %s (%s)", c->jwks_url,
                 tessera_status_name(st), tessera_status_str(st));
    return NULL;
  }
  /* APR's formatter has no %zu (it printed the two characters): APR_SIZE_T_FMT. */
  ap_log_error(APLOG_MARK, APLOG_NOTICE, 0, s,
               "tessera: JWK Set fetched from %s (%" APR_SIZE_T_FMT " members skipped; Cache-Control max-age %ld)",
               c->jwks_url, skipped, *cache_max_age);
  return set;
}

static void release(keys *k, held *h) {
  if (!h) return;
  apr_thread_mutex_lock(k->lock);
  int last = --h->refs == 0;
  apr_thread_mutex_unlock(k->lock);
  if (last) {
    tessera_keyset_free(h->set);
    free(h);
  }
}

static held *acquire(keys *k) {
  apr_thread_mutex_lock(k->lock);
  held *h = k->current;
  if (h) h->refs++;
  apr_thread_mutex_unlock(k->lock);
  return h;
}

/* Fetches the set again unless another thread is at it or the cooldown
 * has not passed; true when a new set is in place. The old set stays in
 * use by requests that hold it and is freed by the last of them. */
static int refresh_keys(server_rec *s, const server_conf *c, apr_pool_t *p) {
  keys *k = c->keys;
  apr_interval_time_t cooldown = c->cooldown == UNSET ? apr_time_from_sec(30) : c->cooldown;
  apr_time_t t = apr_time_now();
  apr_thread_mutex_lock(k->lock);
  int go = !k->fetching && (k->last_fetch == 0 || t - k->last_fetch >= cooldown);
  if (go) {
    k->fetching = 1;
    k->last_fetch = t;
  }
  apr_thread_mutex_unlock(k->lock);
  if (!go) return 0;

  long cache_max_age;
  tessera_keyset *set = fetch_jwks(s, c, p, &cache_max_age);
  held *fresh = set ? malloc(sizeof *fresh) : NULL;
  if (set && !fresh) tessera_keyset_free(set);
  held *old = NULL;
  apr_thread_mutex_lock(k->lock);
  k->fetching = 0;
  if (fresh) {
    fresh->set = set;
    fresh->refs = 1;
    old = k->current;
    k->current = fresh;
    k->fetched_at = t;
    k->cache_max_age = cache_max_age < 0 ? -1 : apr_time_from_sec(cache_max_age);
  }
  apr_thread_mutex_unlock(k->lock);
  release(k, old);
  return fresh != NULL;
}

/* Whole seconds (at least 1) until the cooldown allows the next fetch:
 * the Retry-After of a request that found no set. */
static long next_fetch_in(const server_conf *c) {
  apr_interval_time_t cooldown = c->cooldown == UNSET ? apr_time_from_sec(30) : c->cooldown;
  apr_thread_mutex_lock(c->keys->lock);
  apr_interval_time_t left = c->keys->last_fetch + cooldown - apr_time_now();
  apr_thread_mutex_unlock(c->keys->lock);
  long seconds = (long)((left + APR_USEC_PER_SEC - 1) / APR_USEC_PER_SEC);
  return seconds < 1 ? 1 : seconds;
}

/* Whether the current set has outlived TesseraJwksMaxAge (or the shorter
 * max-age its answer gave). */
static int stale(const server_conf *c) {
  apr_thread_mutex_lock(c->keys->lock);
  int old = c->keys->current && apr_time_now() - c->keys->fetched_at >= usable_for(c);
  apr_thread_mutex_unlock(c->keys->lock);
  return old;
}

static apr_status_t drop_keys(void *k_) {
  keys *k = k_;
  held *h = k->current;
  k->current = NULL;
  release(k, h);
  return APR_SUCCESS;
}

static apr_status_t cleanup_curl(void *unused) {
  (void)unused;
  curl_global_cleanup();
  return APR_SUCCESS;
}

/* Once the configuration is read (also under `httpd -t`): a JWK Set URL
 * that is plain http to another machine needs TesseraJwksAllowHttp On,
 * since whoever answers that fetch chooses the keys every token is checked
 * with. (Checked here, not in the directive: the two may come in either
 * order, and a virtual host inherits either.) */
static int check_config(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp, server_rec *main_server) {
  (void)pconf;
  (void)plog;
  (void)ptemp;
  for (server_rec *s = main_server; s; s = s->next) {
    server_conf *c = ap_get_module_config(s->module_config, &tessera_module);
    if (c->jwks_url && c->allow_http != 1 && plain_http_elsewhere(c->jwks_url) != 0) {
      ap_log_error(APLOG_MARK, APLOG_STARTUP | APLOG_CRIT, 0, s,
                   "TesseraJwksUrl %s is plain http to another machine: whoever answers it chooses the keys. "
                   "Use https, or TesseraJwksAllowHttp On for a network you trust end to end",
                   c->jwks_url);
      return HTTP_INTERNAL_SERVER_ERROR;
    }
  }
  return OK;
}

static int post_config(apr_pool_t *p, apr_pool_t *plog, apr_pool_t *ptemp, server_rec *s) {
  (void)plog;
  (void)ptemp;
  (void)s;
  /* Once, in the parent, before any thread: curl's global state. */
  if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) return HTTP_INTERNAL_SERVER_ERROR;
  apr_pool_cleanup_register(p, NULL, cleanup_curl, apr_pool_cleanup_null);
  return OK;
}

/* Each child: a lock per key set, and the first fetch. */
static void child_init(apr_pool_t *p, server_rec *main_server) {
  for (server_rec *s = main_server; s; s = s->next) {
    server_conf *c = ap_get_module_config(s->module_config, &tessera_module);
    if (!c->jwks_url || c->keys->lock) continue;
    apr_thread_mutex_create(&c->keys->lock, APR_THREAD_MUTEX_DEFAULT, p);
    apr_pool_cleanup_register(p, c->keys, drop_keys, apr_pool_cleanup_null);
    apr_pool_t *tmp;
    apr_pool_create(&tmp, p);
    refresh_keys(s, c, tmp);
    apr_pool_destroy(tmp);
  }
}

/* --- requests ---------------------------------------------------------------- */

static int challenge(request_rec *r, const dir_conf *d, int status, const char *error, const char *description) {
  const char *realm = d->realm ? d->realm : ap_get_server_name(r);
  const char *value = apr_psprintf(r->pool, "Bearer realm=\"%s\"", realm);
  if (error) value = apr_psprintf(r->pool, "%s, error=\"%s\", error_description=\"%s\"", value, error, description);
  if (status == HTTP_FORBIDDEN && d->scopes) {
    value = apr_psprintf(r->pool, "%s, scope=\"%s\"", value, apr_array_pstrcat(r->pool, d->scopes, ' '));
  }
  apr_table_setn(r->err_headers_out, "WWW-Authenticate", value);
  apr_table_setn(r->err_headers_out, "Cache-Control", "no-store");
  ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r, "tessera: %d %s", status, description ? description : "no bearer token");
  return status;
}

/* A claim that may travel in a request header: printable ASCII only (a
 * token could carry a line break in `sub` as \n). */
static int header_safe(tessera_str v) {
  for (size_t i = 0; i < v.len; i++) {
    unsigned char ch = (unsigned char)v.ptr[i];
    if (ch < 0x20 || ch > 0x7e) return 0;
  }
  return 1;
}

/* Whether a request header's name is `ours` (lower case), ignoring case and
 * reading `_` as `-`: app servers behind mod_proxy (and anything that maps
 * header names to variables) may fold `X_Tessera_Sub` into the same name
 * as `X-Tessera-Sub` (as mod_auth_openidc's scrubbing assumes too). */
static int same_header(const char *name, const char *ours) {
  for (; *name && *ours; name++, ours++) {
    char ch = *name == '_' ? '-' : (char)apr_tolower((unsigned char)*name);
    if (ch != *ours) return 0;
  }
  return *name == *ours;
}

/* Removes every request header a client sent under one of the names this
 * module sets, in any spelling (names collected first: unsetting moves the
 * table's entries). */
static void scrub_client_headers(request_rec *r) {
  static const char *const ours[] = {"x-tessera-sub", "x-tessera-scope"};
  const apr_array_header_t *all = apr_table_elts(r->headers_in);
  const apr_table_entry_t *entries = (const apr_table_entry_t *)all->elts;
  apr_array_header_t *found = NULL;
  for (int i = 0; i < all->nelts; i++) {
    for (size_t j = 0; j < sizeof ours / sizeof *ours; j++) {
      if (!entries[i].key || !same_header(entries[i].key, ours[j])) continue;
      if (!found) found = apr_array_make(r->pool, 2, sizeof(const char *));
      APR_ARRAY_PUSH(found, const char *) = entries[i].key;
    }
  }
  for (int k = 0; found && k < found->nelts; k++) apr_table_unset(r->headers_in, APR_ARRAY_IDX(found, k, const char *));
}

/* Whether the request comes from the page origin TesseraCorsOrigin names. */
static int cors_allowed(request_rec *r, const dir_conf *d) {
  const char *origin = apr_table_get(r->headers_in, "Origin");
  return d->cors_origin && origin && strcmp(origin, d->cors_origin) == 0;
}

static void cors(request_rec *r, const dir_conf *d) {
  if (!cors_allowed(r, d)) return;
  apr_table_setn(r->err_headers_out, "Access-Control-Allow-Origin", d->cors_origin);
  apr_table_setn(r->err_headers_out, "Access-Control-Allow-Headers", "Authorization");
  apr_table_setn(r->err_headers_out, "Access-Control-Expose-Headers", "WWW-Authenticate");
  apr_table_mergen(r->err_headers_out, "Vary", "Origin");
}

static int check_access(request_rec *r) {
  /* Whatever a client claims about itself in these headers is not ours:
   * they go on every request, in every spelling, also where TesseraAuth is
   * off, so that a backend never sees one this module did not set (as
   * mod_auth_openidc scrubs its OIDC_ headers). */
  scrub_client_headers(r);
  dir_conf *d = ap_get_module_config(r->per_dir_config, &tessera_module);
  if (d->enabled != 1) return DECLINED;
  server_conf *c = ap_get_module_config(r->server->module_config, &tessera_module);
  cors(r, d);
  /* A CORS preflight from the allowed origin carries no credentials: it is
   * answered here, and never reaches the backend (which would run without a
   * token: a script that ignores the method would act on it). From another
   * origin it is a request like any other, and needs a token. */
  if (r->method_number == M_OPTIONS && cors_allowed(r, d) && apr_table_get(r->headers_in, "Access-Control-Request-Method")) {
    return HTTP_NO_CONTENT;
  }
  if (!c->jwks_url || !c->keys->lock || !d->issuer || !d->audiences) {
    ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                  "tessera: TesseraAuth needs TesseraJwksUrl, TesseraIssuer and TesseraAudience: refusing");
    return HTTP_INTERNAL_SERVER_ERROR;
  }

  const char *authorization = apr_table_get(r->headers_in, "Authorization");
  tessera_str token;
  if (!authorization || !tessera_bearer_token((const uint8_t *)authorization, strlen(authorization), &token)) {
    return challenge(r, d, HTTP_UNAUTHORIZED, NULL, NULL);
  }

  tessera_policy policy;
  tessera_policy_init(&policy); /* exp required; now = 0 reads the clock */
  policy.issuer = (tessera_str){d->issuer, strlen(d->issuer)};
  policy.audiences = (const tessera_str *)d->audiences->elts;
  policy.audiences_len = (size_t)d->audiences->nelts;
  const char *typ = d->typ ? d->typ : "at+jwt";
  policy.typ = (tessera_str){typ, strlen(typ)};
  policy.leeway = d->leeway == UNSET ? 0 : (uint64_t)d->leeway;
  if (token.len > policy.max_token_len) {
    return challenge(r, d, HTTP_UNAUTHORIZED, "invalid_token", tessera_status_name(TESSERA_STATUS_TOKEN_TOO_LONG));
  }

  size_t scratch_len = tessera_scratch_len(token.len);
  uint8_t *scratch = apr_palloc(r->pool, scratch_len);
  tessera_claims claims;
  tessera_status st = TESSERA_STATUS_UNKNOWN_KEY;
  /* A set older than its max-age is fetched again (by one request; the
   * others go on with it meanwhile), so a key the auth server withdrew
   * stops verifying within TesseraJwksMaxAge (or the shorter max-age the
   * set's answer gave). A failed fetch keeps it. */
  if (stale(c)) refresh_keys(r->server, c, r->pool);
  held *h = acquire(c->keys);
  if (h) st = tessera_verify_keyset((const uint8_t *)token.ptr, token.len, h->set, &policy, scratch, scratch_len, &claims);
  release(c->keys, h);
  /* No set yet, or a kid it does not hold: perhaps a key rotated in. */
  if (st == TESSERA_STATUS_UNKNOWN_KEY && refresh_keys(r->server, c, r->pool)) {
    h = acquire(c->keys);
    if (h) st = tessera_verify_keyset((const uint8_t *)token.ptr, token.len, h->set, &policy, scratch, scratch_len, &claims);
    release(c->keys, h);
  } else if (!h) {
    ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r, "tessera: no JWK Set from %s yet", c->jwks_url);
    apr_table_setn(r->err_headers_out, "Retry-After", apr_psprintf(r->pool, "%ld", next_fetch_in(c)));
    return HTTP_SERVICE_UNAVAILABLE;
  }
  if (st != TESSERA_STATUS_OK) return challenge(r, d, HTTP_UNAUTHORIZED, "invalid_token", tessera_status_name(st));
  /* The backend's user: present, not empty (it would name nobody), and
   * fit for a request header. */
  if (!claims.sub.ptr || claims.sub.len == 0 || !header_safe(claims.sub) ||
      (claims.scope.ptr && !header_safe(claims.scope))) {
    return challenge(r, d, HTTP_UNAUTHORIZED, "invalid_token", "InvalidClaim");
  }
  for (int i = 0; d->scopes && i < d->scopes->nelts; i++) {
    const char *scope = APR_ARRAY_IDX(d->scopes, i, const char *);
    if (!tessera_claims_has_scope(&claims, (const uint8_t *)scope, strlen(scope))) {
      return challenge(r, d, HTTP_FORBIDDEN, "insufficient_scope", "InsufficientScope");
    }
  }

  const char *sub = apr_pstrmemdup(r->pool, claims.sub.ptr, claims.sub.len);
  const char *scope = claims.scope.ptr ? apr_pstrmemdup(r->pool, claims.scope.ptr, claims.scope.len) : "";
  apr_table_setn(r->headers_in, "X-Tessera-Sub", sub);
  apr_table_setn(r->headers_in, "X-Tessera-Scope", scope);
  apr_table_setn(r->subprocess_env, "TESSERA_SUB", sub);
  apr_table_setn(r->subprocess_env, "TESSERA_SCOPE", scope);
  if (claims.kid.ptr && header_safe(claims.kid)) {
    apr_table_setn(r->subprocess_env, "TESSERA_KID", apr_pstrmemdup(r->pool, claims.kid.ptr, claims.kid.len));
  }
  r->user = (char *)sub;
  r->ap_auth_type = "Bearer";
  return OK;
}

static void register_hooks(apr_pool_t *p) {
  (void)p;
  ap_hook_check_config(check_config, NULL, NULL, APR_HOOK_MIDDLE);
  ap_hook_post_config(post_config, NULL, NULL, APR_HOOK_MIDDLE);
  ap_hook_child_init(child_init, NULL, NULL, APR_HOOK_MIDDLE);
  /* Before authz_core: a location with TesseraAuth needs no Require line. */
  ap_hook_access_checker(check_access, NULL, NULL, APR_HOOK_FIRST);
}

AP_DECLARE_MODULE(tessera) = {
    STANDARD20_MODULE_STUFF, create_dir_conf, merge_dir_conf, create_server_conf, merge_server_conf, directives,
    register_hooks, AP_MODULE_FLAG_NONE,
};
