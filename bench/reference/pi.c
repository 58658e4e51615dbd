#include <stdio.h>
#include <stdlib.h>
#include <omp.h>
int main(int c, char**v){ long n = c>1? atol(v[1]) : 4000000000L; double h=1.0/n, sum=0;
 double t=omp_get_wtime();
 #pragma omp parallel for simd reduction(+:sum)
 for(long i=1;i<=n;i++){ double x=(i-0.5)*h; sum+=4.0/(1.0+x*x);} 
 t=omp_get_wtime()-t; printf("%.15f %.3f s %.4f ns/term\n", sum*h, t, t/n*1e9); }
