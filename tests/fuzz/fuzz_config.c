// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: the sweep config parser and the plan expansion, as
 * `vmptrst-bench plan -c FILE` runs them (vb_main: getopt, libinih,
 * keys.c, sweep.c, the libpfm4 event check, the plan printed).
 *
 * Input: the bytes of the config file.  If its first line is
 *     #flags: --cpu 0-3 --unroll 8
 * (an INI comment, so the file is unchanged) its words are added to the
 * command line after `-c FILE`: flags and file meet as they do for users.
 *
 * The file is a memfd, named /proc/self/fd/N: no disk, no clean-up.  The
 * environment has no device, CPU pinning, CPUID or perf_event: each
 * aborts if called, so a path to the module is a crash, not a silent
 * ioctl.  Oracle besides the sanitizers: exit code 0 with nothing on
 * stderr, or exit code 2 with exactly one line "vmptrst-bench: ...".
 */
#define _GNU_SOURCE	/* memfd_create */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "bench.h"

#define MAX_FLAG_WORDS	16

static int trap_open(void *priv, const char *path)
{
	(void)priv;
	fprintf(stderr, "fuzz_config: the plan opened the device %s\n", path);
	abort();
}

static int trap_ioctl(void *priv, int fd, unsigned long req, void *arg)
{
	(void)priv; (void)fd; (void)req; (void)arg;
	abort();
}

static void trap_close(void *priv, int fd)
{
	(void)priv; (void)fd;
	abort();
}

static const struct vb_dev_ops trap_dev = { trap_open, trap_ioctl,
					    trap_close };

static int trap_pin(unsigned int cpu)
{
	fprintf(stderr, "fuzz_config: the plan pinned to CPU %u\n", cpu);
	abort();
}

static void trap_cpuid(unsigned int leaf, unsigned int sub,
		       unsigned int regs[4])
{
	(void)leaf; (void)sub; (void)regs;
	abort();
}

static int trap_perf_open(void *priv, const struct vb_event *ev,
			  unsigned int cpu)
{
	(void)priv; (void)ev; (void)cpu;
	abort();
}

static int trap_perf_read(void *priv, int fd, uint64_t v[3])
{
	(void)priv; (void)fd; (void)v;
	abort();
}

static const struct vb_perf_ops trap_perf = { trap_perf_open, trap_perf_read,
					      trap_close };

static int cfg_fd = -1;
static char cfg_path[64];
static FILE *devnull;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc; (void)argv;
	cfg_fd = memfd_create("fuzz-config.ini", 0);
	devnull = fopen("/dev/null", "w");
	if (cfg_fd < 0 || !devnull) {
		perror("fuzz_config: memfd_create or /dev/null");
		exit(1);
	}
	snprintf(cfg_path, sizeof(cfg_path), "/proc/self/fd/%d", cfg_fd);
	return 0;
}

/* "#flags: a b c\n" at the start: its words into argv (copied to words). */
static int flag_words(const uint8_t *data, size_t size, char *words,
		      char **argv, int max)
{
	static const char tag[] = "#flags:";
	const uint8_t *nl;
	size_t n;
	int argc = 0;
	char *s;

	if (size < sizeof(tag) - 1 || memcmp(data, tag, sizeof(tag) - 1))
		return 0;
	nl = memchr(data, '\n', size);
	n = (nl ? (size_t)(nl - data) : size) - (sizeof(tag) - 1);
	memcpy(words, data + sizeof(tag) - 1, n);
	words[n] = '\0';
	for (s = strtok(words, " \t\r"); s && argc < max; s = strtok(NULL, " \t\r"))
		argv[argc++] = s;
	return argc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *argv[4 + MAX_FLAG_WORDS + 1] = { "vmptrst-bench", "plan", "-c",
					       cfg_path };
	char *errbuf = NULL, *words = malloc(size + 1);
	size_t errlen = 0;
	FILE *err = open_memstream(&errbuf, &errlen);
	const struct vb_env env = {
		.dev_ops = &trap_dev,
		.device_path = "/dev/vmptrst_bench (fuzz: never opened)",
		.root = "",
		.pin_cpu = trap_pin,
		.cpuid = trap_cpuid,
		.out = devnull,
		.err = err,
		.progress = 0,
		.perf_ops = &trap_perf,
	};
	int argc, rc;

	if (!words || !err)
		abort();
	if (ftruncate(cfg_fd, 0) || pwrite(cfg_fd, data, size, 0) != (ssize_t)size)
		abort();
	argc = 4 + flag_words(data, size, words, argv + 4, MAX_FLAG_WORDS);
	argv[argc] = NULL;

	rc = vb_main(argc, argv, &env);

	fclose(err);
	if (rc == VB_EXIT_OK && errlen) {
		fprintf(stderr, "fuzz_config: exit 0 but stderr says: %s", errbuf);
		abort();
	}
	if (rc != VB_EXIT_OK &&
	    (rc != VB_EXIT_USAGE || errlen < 2 ||
	     strncmp(errbuf, "vmptrst-bench: ", 15) ||
	     memchr(errbuf, '\n', errlen) != errbuf + errlen - 1)) {
		fprintf(stderr, "fuzz_config: exit %d; a bad config must give "
			"exit 2 and one line \"vmptrst-bench: ...\"; stderr "
			"was:\n%.*s\n", rc, (int)errlen, errbuf ? errbuf : "");
		abort();
	}
	free(errbuf);
	free(words);
	return 0;
}
