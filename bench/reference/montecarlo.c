/*
 * Monte Carlo π reference for the montecarlo target: N points in the unit square, counted inside
 * the quarter circle, with xoshiro256+ (Blackman & Vigna) per OpenMP thread, each thread's state
 * seeded by splitmix64 from (seed, thread number). Doubles from the top 53 bits of each output.
 *   gcc -O3 -march=native -fopenmp bench/reference/montecarlo.c -o /tmp/montecarlo
 *   OMP_NUM_THREADS=2 /tmp/montecarlo 2000000000 [seed]
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <omp.h>

static inline uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

static inline uint64_t splitmix64(uint64_t *x) {
  uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

static inline uint64_t xoshiro256plus(uint64_t s[4]) {
  const uint64_t result = s[0] + s[3];
  const uint64_t t = s[1] << 17;
  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = rotl(s[3], 45);
  return result;
}

int main(int argc, char **argv) {
  const long n = argc > 1 ? (long)atof(argv[1]) : 2000000000L;
  const uint64_t seed = argc > 2 ? strtoull(argv[2], NULL, 0) : 20240601ULL;
  long hits = 0;
  const double t0 = omp_get_wtime();
#pragma omp parallel reduction(+ : hits)
  {
    uint64_t s[4], sm = seed ^ (0x632be59bd9b4e019ULL * (uint64_t)(omp_get_thread_num() + 1));
    for (int k = 0; k < 4; k++) s[k] = splitmix64(&sm);
#pragma omp for schedule(static)
    for (long i = 0; i < n; i++) {
      const double x = (double)(xoshiro256plus(s) >> 11) * 0x1.0p-53;
      const double y = (double)(xoshiro256plus(s) >> 11) * 0x1.0p-53;
      hits += x * x + y * y < 1.0;
    }
  }
  const double t = omp_get_wtime() - t0;
  printf("pi ~ %.9f  hits %ld of %ld  %d threads  %.3f s  %.3f ns/point\n", 4.0 * hits / n, hits, n,
         omp_get_max_threads(), t, t / n * 1e9);
  return 0;
}
