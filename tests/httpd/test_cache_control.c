/* mod_tessera's reader of a JWK Set answer's Cache-Control header
 * (ffi/apache/cache_control.h), run by `make test-httpd` under ASan and
 * UBSan: the answers it must give, and hostile header lines (curl hands
 * them over without a NUL; here each sits in a buffer of exactly its size,
 * so a read past its end is caught). What it answers decides when httpd
 * fetches the key set again, so a wrong answer keeps a withdrawn key. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../ffi/apache/cache_control.h"

static int failures;

/* The answer for one header line, given in a buffer of exactly its length. */
static long read_line(const char *text, size_t len, long before) {
  char *line = malloc(len ? len : 1);
  if (!line) abort();
  memcpy(line, text, len);
  long max_age = before;
  size_t taken = cache_control(line, 1, len, &max_age);
  free(line);
  if (taken != len) {
    printf("FAIL: %zu of %zu bytes taken\n", taken, len);
    failures++;
  }
  return max_age;
}

static void expect(const char *line, long want) {
  long got = read_line(line, strlen(line), -1);
  if (got != want) {
    printf("FAIL: \"%s\" gives %ld, expected %ld\n", line, got, want);
    failures++;
  }
}

/* The shared vectors (tests/vectors/cache-control.txt, which RemoteJwks
 * runs too), each under the header's name. */
static int run_vectors(const char *path) {
  FILE *f = fopen(path, "r");
  if (!f) {
    printf("FAIL: cannot open %s\n", path);
    return -1;
  }
  char row[512];
  int count = 0;
  while (fgets(row, sizeof row, f)) {
    row[strcspn(row, "\n")] = 0;
    if (row[0] == '#' || row[0] == 0) continue;
    char *tab = strchr(row, '\t');
    if (!tab) {
      printf("FAIL: no tab in \"%s\"\n", row);
      failures++;
      continue;
    }
    *tab = 0;
    char line[600];
    snprintf(line, sizeof line, "Cache-Control: %s", tab + 1);
    expect(line, strtol(row, NULL, 10));
    count++;
  }
  fclose(f);
  return count;
}

int main(int argc, char **argv) {
  int vectors = run_vectors(argc > 1 ? argv[1] : "tests/vectors/cache-control.txt");
  if (vectors < 20) {
    printf("FAIL: %d shared vectors read\n", vectors);
    failures++;
  }
  /* What only a header line can hold: tabs, the name in other cases, the
   * line ending, other headers. */
  expect("cache-control:\tmax-age=\t9\r\n", 9);
  expect("CACHE-CONTROL:max-age=8", 8);
  expect("Cache-Control:", -1);
  expect("X-Cache-Control: max-age=1", -1);
  expect("Cache-Control-Extension: max-age=1", -1);
  expect("HTTP/1.1 200 OK\r\n", -1);
  expect("\r\n", -1);
  /* A second header line can only lower what the first gave. */
  if (read_line("Cache-Control: max-age=50", 25, 20) != 20 || read_line("Cache-Control: max-age=5", 24, 20) != 5) {
    printf("FAIL: a later line raised the max-age or was ignored\n");
    failures++;
  }
  /* The line ends where its length says, not at a NUL: a prefix of a
   * longer line is read as it is. */
  const char *full = "Cache-Control: max-age=123";
  if (read_line(full, strlen(full) - 2, -1) != 1) {
    printf("FAIL: a line cut short was read past its length\n");
    failures++;
  }

  /* Hostile lines: pieces of directives and random bytes, half of them
   * under the header's name, each in an exact-size buffer. */
  static const char *pieces[] = {"cache-control:", "max-age", "MAX-AGE", "=", "\"", ",", " ", "\t", "no-store", "no-cache",
                                 "0", "5", "99999999999999999999", "-1", "s-maxage", "\r\n", "x", "=="};
  unsigned state = 12345;
  long answered = 0;
  for (int round = 0; round < 300000; round++) {
    char buf[200];
    size_t n = 0;
    state = state * 1103515245u + 12345u;
    if (state >> 31) {
      memcpy(buf, "Cache-Control:", 14);
      n = 14;
    }
    for (int parts = (int)((state >> 16) % 12); parts > 0; parts--) {
      state = state * 1103515245u + 12345u;
      char byte[1] = {(char)(state >> 24)};
      const char *piece = (state >> 8) % 4 ? pieces[(state >> 12) % (sizeof pieces / sizeof *pieces)] : byte;
      size_t len = piece == byte ? 1 : strlen(piece);
      if (n + len > sizeof buf) break;
      memcpy(buf + n, piece, len);
      n += len;
    }
    long got = read_line(buf, n, -1);
    if (got < -1 || got > 1000000000L) {
      printf("FAIL: %ld out of range\n", got);
      failures++;
    }
    answered += got >= 0;
  }
  if (answered < 1000) {
    printf("FAIL: only %ld hostile lines carried an answer: the generator is broken\n", answered);
    failures++;
  }
  if (failures) return 1;
  printf("cache-control: %d shared vectors and the header-line cases right; 300000 hostile lines read in bounds (%ld with an answer)\n", vectors, answered);
  return 0;
}
