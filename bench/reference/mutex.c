// Uncontended pthread mutex lock + unlock, the native reference for bench/sync.bench.js.
// Prints nanoseconds per lock+unlock pair.
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

int main(int argc, char **argv) {
  long n = argc > 1 ? atol(argv[1]) : 100000000L;
  pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
  volatile long counter = 0;
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  for (long i = 0; i < n; i++) {
    pthread_mutex_lock(&m);
    counter++;
    pthread_mutex_unlock(&m);
  }
  clock_gettime(CLOCK_MONOTONIC, &t1);
  double ns = (t1.tv_sec - t0.tv_sec) * 1e9 + (t1.tv_nsec - t0.tv_nsec);
  printf("%.2f\n", ns / n);
  return counter == n ? 0 : 1;
}
