// π by the midpoint rule, the C baseline of the pi targets:
// gcc -O3 -march=native -fopenmp pi.c -o pi && OMP_NUM_THREADS=2 ./pi 4000000000
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
  long n = argc > 1 ? atol(argv[1]) : 4000000000L;
  double h = 1.0 / n, sum = 0;
  double t = omp_get_wtime();
#pragma omp parallel for simd reduction(+ : sum)
  for (long i = 1; i <= n; i++) {
    double x = (i - 0.5) * h;
    sum += 4.0 / (1.0 + x * x);
  }
  t = omp_get_wtime() - t;
  printf("%.15f %.4f s %.4f ns/term threads=%d\n", sum * h, t, t / n * 1e9, omp_get_max_threads());
  return 0;
}
