/*
 * Reference for wasm-mp's heat plate (src/workloads/heat.ts): the same Jacobi sweep in C with
 * OpenMP, timed around the solve alone (grids already set up, as in the wasm-mp timing).
 *
 *   gcc -O3 -march=native -fopenmp heat.c -o heat -lm      (as bench/reference.js builds it)
 *   OMP_NUM_THREADS=2 ./heat N TOLERANCE MAX_ITERATIONS [TOP]
 *
 * Same algorithm and same bits as wasm-mp: interior rows in one block per thread, each cell
 * 0.25 * (up + down + left + right) added in that order, the sweep's max |new - old| reduced
 * through one padded slot per thread with slot sets alternating by sweep parity, so one barrier
 * per sweep. GCC fuses no multiply-add here (v is also stored, so 0.25 * sum is rounded once;
 * objdump shows no vfm* instruction), so iterations and maxDiff match wasm-mp's to the bit.
 * Boundary: top = TOP (default 100), the other edges 0, interior 0.
 */
#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SLOT_DOUBLES 8 /* one 64-byte cache line per slot */

int main(int argc, char **argv) {
  if (argc < 4) {
    fprintf(stderr, "usage: %s N TOLERANCE MAX_ITERATIONS [TOP]\n", argv[0]);
    return 2;
  }
  const int n = atoi(argv[1]);
  const double tol = atof(argv[2]);
  const int maxIter = atoi(argv[3]);
  const double top = argc > 4 ? atof(argv[4]) : 100.0;
  const size_t w = (size_t)n + 2;
  double *a = aligned_alloc(64, w * w * sizeof(double) + 64);
  double *b = aligned_alloc(64, w * w * sizeof(double) + 64);
  memset(a, 0, w * w * sizeof(double));
  for (size_t c = 0; c < w; c++) a[c] = top;
  memcpy(b, a, w * w * sizeof(double));
  const int threads = omp_get_max_threads();
  double *slots = aligned_alloc(64, 2 * (size_t)threads * SLOT_DOUBLES * sizeof(double));
  int iterations = 0;
  double maxDiff = 0;

  /* first touch of both grids by the threads that sweep them, as the wasm workers do */
  #pragma omp parallel for schedule(static)
  for (int r = 1; r <= n; r++) { b[(size_t)r * w] = b[(size_t)r * w]; }

  const double t0 = omp_get_wtime();
  #pragma omp parallel
  {
    const int t = omp_get_thread_num();
    const int p = omp_get_num_threads();
    const int chunk = (n + p - 1) / p;
    const int r0 = 1 + t * chunk;
    const int r1 = r0 + chunk > n + 1 ? n + 1 : r0 + chunk;
    const double *src = a;
    double *dst = b;
    for (int k = 0;; k++) {
      double m = 0;
      for (int r = r0; r < r1; r++) {
        const double *up = src + (size_t)(r - 1) * w, *row = src + (size_t)r * w, *down = src + (size_t)(r + 1) * w;
        double *out = dst + (size_t)r * w;
        #pragma omp simd reduction(max : m)
        for (size_t c = 1; c <= (size_t)n; c++) {
          const double v = 0.25 * (up[c] + down[c] + row[c - 1] + row[c + 1]);
          out[c] = v;
          const double d = fabs(v - row[c]);
          m = d > m ? d : m;
        }
      }
      double *mine = slots + ((size_t)(k & 1) * p + t) * SLOT_DOUBLES;
      *mine = m;
      #pragma omp barrier
      double g = 0;
      for (int i = 0; i < p; i++) {
        const double s = slots[((size_t)(k & 1) * p + i) * SLOT_DOUBLES];
        g = s > g ? s : g;
      }
      const double *tmp = src; src = dst; dst = (double *)tmp;
      if (g < tol || k + 1 >= maxIter) {
        if (t == 0) { iterations = k + 1; maxDiff = g; }
        break;
      }
    }
  }
  const double seconds = omp_get_wtime() - t0;
  const double *u = iterations & 1 ? b : a;
  double centre;
  if (n % 2 == 0) {
    const size_t i = n / 2, j = n / 2 + 1;
    centre = (u[i * w + i] + u[i * w + j] + u[j * w + i] + u[j * w + j]) / 4;
  } else {
    const size_t i = (n + 1) / 2;
    centre = u[i * w + i];
  }
  const double updates = (double)n * n * iterations;
  printf("{\"n\":%d,\"threads\":%d,\"iterations\":%d,\"maxDiff\":%.17g,\"centre\":%.17g,"
         "\"elapsedMs\":%.3f,\"nsPerCellUpdate\":%.4f,\"usPerSweep\":%.3f}\n",
         n, threads, iterations, maxDiff, centre, seconds * 1e3, seconds / updates * 1e9, seconds / iterations * 1e6);
  free(a);
  free(b);
  free(slots);
  return 0;
}
