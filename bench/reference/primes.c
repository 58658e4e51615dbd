/*
 * Reference for `wasm-mp primes`: a plain OpenMP segmented sieve of Eratosthenes that writes
 * the list of primes ≤ N (N < 2^32) into one uint32 array, in order.
 *
 *   gcc -O3 -march=native -fopenmp bench/reference/primes.c -o /tmp/primes-ref -lm
 *   OMP_NUM_THREADS=2 /tmp/primes-ref 1e9          # list
 *   OMP_NUM_THREADS=2 /tmp/primes-ref 1e10 count   # count only (N may pass 2^32)
 *
 * Odd numbers only, one byte per odd number, 32 KiB segments (L1). Each segment's primes go to
 * a buffer of its own (the count is known after sieving); a prefix sum over the segment counts
 * gives every segment its offset and the buffers are copied into the list in parallel.
 * Prints: count, last prime, sum, seconds.
 */
#include <math.h>
#include <omp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SEGMENT 32768 /* odd numbers per segment */

int main(int argc, char **argv) {
  uint64_t n = argc > 1 ? (uint64_t)strtod(argv[1], NULL) : 1000000000ull;
  int count_only = argc > 2 && strcmp(argv[2], "count") == 0;
  if (!count_only && n >= 4294967296ull) { fprintf(stderr, "the list needs N < 2^32\n"); return 2; }
  double t0 = omp_get_wtime();

  uint64_t root = (uint64_t)sqrt((double)n);
  while (root * root > n) root--;
  while ((root + 1) * (root + 1) <= n) root++;
  char *composite = calloc(root + 1, 1);
  uint32_t *base = malloc(sizeof(uint32_t) * (root / 2 + 2));
  int nbase = 0;
  for (uint64_t i = 3; i <= root; i += 2) {
    if (composite[i]) continue;
    base[nbase++] = (uint32_t)i;
    for (uint64_t j = i * i; j <= root; j += 2 * i) composite[j] = 1;
  }

  uint64_t odds = n >= 1 ? (n + 1) / 2 : 0; /* 1, 3, 5, …, ≤ n */
  uint64_t segments = (odds + SEGMENT - 1) / SEGMENT;
  uint64_t *counts = calloc(segments + 1, sizeof(uint64_t));
  uint32_t **lists = calloc(segments, sizeof(uint32_t *));

#pragma omp parallel
  {
    uint8_t *seg = malloc(SEGMENT);
#pragma omp for schedule(dynamic, 16)
    for (uint64_t s = 0; s < segments; s++) {
      uint64_t k0 = s * SEGMENT, k1 = k0 + SEGMENT < odds ? k0 + SEGMENT : odds, len = k1 - k0;
      uint64_t lo = 2 * k0 + 1, hi = 2 * (k1 - 1) + 1;
      memset(seg, 1, len);
      for (int i = 0; i < nbase; i++) {
        uint64_t p = base[i];
        if (p * p > hi) break;
        uint64_t m = p * p;
        if (m < lo) {
          m = (lo + p - 1) / p * p;
          if (!(m & 1)) m += p;
        }
        for (uint64_t j = (m - 1) / 2 - k0; j < len; j += p) seg[j] = 0;
      }
      if (s == 0) seg[0] = 0; /* 1 is not prime */
      uint64_t c = 0;
      for (uint64_t j = 0; j < len; j++) c += seg[j];
      counts[s + 1] = c;
      if (!count_only && c) {
        uint32_t *out = malloc(sizeof(uint32_t) * c), *o = out;
        for (uint64_t j = 0; j < len; j++) if (seg[j]) *o++ = (uint32_t)(2 * (k0 + j) + 1);
        lists[s] = out;
      }
    }
    free(seg);
  }

  uint64_t total = n >= 2; /* 2 */
  for (uint64_t s = 1; s <= segments; s++) { counts[s] += counts[s - 1]; }
  total += counts[segments];
  uint32_t last = 0;
  unsigned __int128 sum = n >= 2 ? 2 : 0;
  if (!count_only) {
    uint32_t *list = malloc(sizeof(uint32_t) * (total ? total : 1));
    if (n >= 2) list[0] = 2;
#pragma omp parallel for schedule(dynamic, 16)
    for (uint64_t s = 0; s < segments; s++) {
      uint64_t c = counts[s + 1] - counts[s];
      if (c) memcpy(list + (n >= 2) + counts[s], lists[s], c * sizeof(uint32_t));
      free(lists[s]);
    }
    double t1 = omp_get_wtime();
    for (uint64_t i = 1; i < total; i++) sum += list[i];
    if (total) last = list[total - 1];
    unsigned long long high = (unsigned long long)(sum / 1000000000000000000ull), low = (unsigned long long)(sum % 1000000000000000000ull);
    if (high) printf("count %llu last %u sum %llu%018llu seconds %.3f\n", (unsigned long long)total, last, high, low, t1 - t0);
    else printf("count %llu last %u sum %llu seconds %.3f\n", (unsigned long long)total, last, low, t1 - t0);
    free(list);
  } else {
    printf("count %llu seconds %.3f\n", (unsigned long long)total, omp_get_wtime() - t0);
  }
  return 0;
}
