// SPDX-License-Identifier: GPL-2.0
/* gen-samples DIR N: a samples.csv of N rows (N/2 pairs of vmptrst and the
 * baseline, 10 points) and a meta.csv, for the benchmark.  Fast, seeded. */
#include <inttypes.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static uint64_t s = 88172645463325252ull;

static uint64_t xorshift(void)
{
	s ^= s << 13;
	s ^= s >> 7;
	s ^= s << 17;
	return s;
}

int main(int argc, char **argv)
{
	char path[4096];
	uint64_t n, i, pairs, per;
	FILE *f;

	if (argc != 3) {
		fputs("usage: gen-samples DIR ROWS\n", stderr);
		return 2;
	}
	n = strtoull(argv[2], NULL, 10);
	snprintf(path, sizeof(path), "%s/meta.csv", argv[1]);
	f = fopen(path, "w");
	if (!f)
		return 1;
	fputs("key,value\r\nplatform,native\r\ncpu_model_name,benchmark data\r\n"
	      "microcode,0x0\r\n", f);
	fclose(f);
	snprintf(path, sizeof(path), "%s/samples.csv", argv[1]);
	f = fopen(path, "w");
	if (!f)
		return 1;
	setvbuf(f, NULL, _IOFBF, 1 << 20);
	fputs("point,instruction,cpu,offset,cache,memtype,page,tlb,vmcs,serialize,"
	      "unroll,sample,tsc,check\r\n", f);
	pairs = n / 2;
	per = pairs / 10 + 1;
	for (i = 0; i < pairs; i++) {
		unsigned pt = (unsigned)(i / per);
		uint64_t r = xorshift();
		unsigned x = 380 + pt * 8 + (unsigned)(r % 64) + ((r >> 20) % 100 == 0 ? 500 : 0);
		unsigned b = 40 + (unsigned)((r >> 8) % 8);

		fprintf(f, "%u,vmptrst,3,%u,hot,wb,4k,warm,loaded,lfence,8,%" PRIu64 ",%u,ok\r\n"
			"%u,none,3,%u,hot,wb,4k,warm,loaded,lfence,8,%" PRIu64 ",%u,ok\r\n",
			pt, pt * 8, i % per, x, pt, pt * 8, i % per, b);
	}
	return fclose(f) ? 1 : 0;
}
