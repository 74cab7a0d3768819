// SPDX-License-Identifier: GPL-2.0
/*
 * The user backend's machine: see usermachine.h.  CPUID bits, the TSC
 * frequency (CPUID.15H, else measured) and the online CPUs.
 */
#define _GNU_SOURCE	/* CPU_SETSIZE */
#include <cpuid.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "usermachine.h"

static void real_cpuid(unsigned int leaf, unsigned int sub, unsigned int r[4])
{
	__cpuid_count(leaf, sub, r[0], r[1], r[2], r[3]);
}

const struct vb_user_machine vb_user_real_machine = { .cpuid = real_cpuid };

/*
 * Bit @bit of register @reg (0 EAX .. 3 EDX) of CPUID leaf @leaf, subleaf 0;
 * false when the leaf is beyond the highest one of its range.
 */
static bool cpuid_bit(const struct vb_user_machine *m, unsigned int leaf,
		      int reg, int bit)
{
	unsigned int r[4];

	m->cpuid(leaf & 0x80000000u, 0, r);
	if (r[0] < leaf)
		return false;
	m->cpuid(leaf, 0, r);
	return r[reg] & (1u << bit);
}

bool vb_user_have_clflushopt(const struct vb_user_machine *m)
{
	return cpuid_bit(m, 7, 1, 23);
}

bool vb_user_have_rdtscp(const struct vb_user_machine *m)
{
	return cpuid_bit(m, 0x80000001u, 3, 27);
}

static uint64_t clock_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC_RAW, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/* RDTSC kept in program order with the clock reads around it. */
static uint64_t rdtsc_ordered(void)
{
	uint32_t lo, hi;

	__asm__ volatile("lfence\n\trdtsc\n\tlfence"
			 : "=a"(lo), "=d"(hi) : : "memory");
	return (uint64_t)hi << 32 | lo;
}

/* The TSC against CLOCK_MONOTONIC_RAW over ~20 ms, kHz. */
static unsigned int measure_tsc_khz(void)
{
	uint64_t t0, t1, n0, n1, a, b;

	clock_ns();	/* the first call may fault the vDSO in */
	a = rdtsc_ordered();
	n0 = clock_ns();
	b = rdtsc_ordered();
	t0 = a + (b - a) / 2;
	do {
		a = rdtsc_ordered();
		n1 = clock_ns();
		b = rdtsc_ordered();
	} while (n1 - n0 < 20000000ULL);
	t1 = a + (b - a) / 2;
	return (unsigned int)(((t1 - t0) * 1000000ULL + (n1 - n0) / 2) /
			      (n1 - n0));
}

/*
 * CPUID.15H (TSC/crystal ratio and crystal frequency, Intel, where all
 * three are reported), else measured.
 */
unsigned int vb_user_tsc_khz(void)
{
	static unsigned int khz;

	if (khz)
		return khz;
	if (__get_cpuid_max(0, NULL) >= 0x15) {
		unsigned int a, b, c, d;

		__cpuid(0x15, a, b, c, d);
		(void)d;
		if (a && b && c)
			khz = (unsigned int)((uint64_t)c * b / a / 1000);
	}
	if (!khz)
		khz = measure_tsc_khz();
	return khz;
}

bool vb_user_cpu_online(uint32_t cpu)
{
	char buf[1024], *p, *end;
	bool found = false;
	FILE *f;

	if (cpu >= CPU_SETSIZE)
		return false;
	f = fopen("/sys/devices/system/cpu/online", "re");
	if (!f)
		return cpu < (uint32_t)sysconf(_SC_NPROCESSORS_ONLN);
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = '\0';
	fclose(f);
	for (p = buf; *p && *p != '\n' && !found; p = end) {
		unsigned long lo = strtoul(p, &end, 10), hi = lo;

		if (end == p)
			break;
		if (*end == '-')
			hi = strtoul(end + 1, &end, 10);
		found = cpu >= lo && cpu <= hi;
		if (*end == ',')
			end++;
	}
	return found;
}
