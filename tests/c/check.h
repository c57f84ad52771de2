/* A minimal test harness: CHECK counts, the summary line is what CI reads. */
#ifndef TESSERA_CHECK_H
#define TESSERA_CHECK_H

#include <stdio.h>
#include <string.h>

static int checks_passed = 0;
static int checks_failed = 0;

#define CHECK(cond)                                                                  \
  do {                                                                               \
    if (cond) {                                                                      \
      checks_passed++;                                                               \
    } else {                                                                         \
      checks_failed++;                                                               \
      fprintf(stderr, "FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond);                \
    }                                                                                \
  } while (0)

#define CHECK_STATUS(expr, want)                                                     \
  do {                                                                               \
    tessera_status got_ = (expr);                                                    \
    if (got_ == (want)) {                                                            \
      checks_passed++;                                                               \
    } else {                                                                         \
      checks_failed++;                                                               \
      fprintf(stderr, "FAIL %s:%d: %s = %s, want %s\n", __FILE__, __LINE__, #expr,   \
              tessera_status_name(got_), tessera_status_name(want));                 \
    }                                                                                \
  } while (0)

/* A string view over a C string literal or NUL-terminated string. */
#define S(lit) ((tessera_str){(lit), strlen(lit)})

static inline int str_eq(tessera_str s, const char *want) {
  return s.ptr != NULL && s.len == strlen(want) && memcmp(s.ptr, want, s.len) == 0;
}

static inline int summary(const char *suite) {
  printf("%s: %d passed, %d failed\n", suite, checks_passed, checks_failed);
  return checks_failed == 0 && checks_passed > 0 ? 0 : 1;
}

#endif
