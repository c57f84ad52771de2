/* The `Cache-Control` header of a JWK Set answer, read for mod_tessera
 * (RFC 9111 §5.2.2) as the JavaScript RemoteJwks reads it. Its own file so
 * that tests/httpd/test_cache_control.c can run it under the sanitizers with
 * hostile header lines; mod_tessera.c is its only other user. */
#ifndef TESSERA_CACHE_CONTROL_H
#define TESSERA_CACHE_CONTROL_H

#include <stddef.h>
#include <string.h>
#include <strings.h>

/* Whether `len` bytes at `at` are `word`, ignoring ASCII case. */
static int cache_control_is_word(const char *at, size_t len, const char *word) {
  return len == strlen(word) && strncasecmp(at, word, len) == 0;
}

/* The answer's `Cache-Control` (RFC 9111 §5.2.2), as the JavaScript
 * RemoteJwks reads it: the smallest `max-age` in seconds, 0 for `no-store`
 * or `no-cache`, -1 when no header says either. It can only shorten
 * TesseraJwksMaxAge: an auth server that announces a short life for its
 * set (before withdrawing a key) is believed; one that announces a long
 * one cannot keep a set past the directive. `*user` is that number; each
 * header line comes here (not NUL-terminated). */
static size_t cache_control(char *line, size_t size, size_t n, void *user) {
  long *max_age = user;
  size_t len = size * n;
  static const char name[] = "cache-control:";
  if (len < sizeof name - 1 || strncasecmp(line, name, sizeof name - 1) != 0) return len;
  const char *at = line + sizeof name - 1, *end = line + len;
  while (at < end) {
    /* One directive: its name up to `=`, `,` or white space. */
    while (at < end && (*at == ' ' || *at == '\t' || *at == ',')) at++;
    const char *word = at;
    while (at < end && *at != '=' && *at != ',' && *at != ' ' && *at != '\t' && *at != '\r' && *at != '\n') at++;
    size_t word_len = (size_t)(at - word);
    long seconds = -1;
    if (cache_control_is_word(word, word_len, "no-store") || cache_control_is_word(word, word_len, "no-cache")) {
      seconds = 0;
    } else if (cache_control_is_word(word, word_len, "max-age")) {
      while (at < end && (*at == ' ' || *at == '\t')) at++;
      if (at < end && *at == '=') {
        at++;
        while (at < end && (*at == ' ' || *at == '\t')) at++;
        if (at < end && *at == '"') at++;
        /* Digits, saturated at 10^9 (far above the directive's 86400)
         * before they could overflow even a 32-bit long. */
        for (; at < end && *at >= '0' && *at <= '9'; at++) {
          long sofar = seconds < 0 ? 0 : seconds;
          seconds = sofar >= 100000000L ? 1000000000L : sofar * 10 + (*at - '0');
        }
      }
    }
    if (seconds >= 0 && (*max_age < 0 || seconds < *max_age)) *max_age = seconds;
    /* The rest of this directive (its argument), up to the next comma. */
    while (at < end && *at != ',') at++;
  }
  return len;
}

#endif
