// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: vmptrst-analyze's readers and statistics on a run
 * directory written from the input: csv.c (streaming RFC 4180), meta.c,
 * dataset.c (samples.csv into groups, baseline pairing), stats.c and
 * summary.c, as `vmptrst-analyze summary DIR` runs them (az_run_load,
 * az_summary_write), plus the title and group keys plots and compare use.
 *
 * Input: the bytes of samples.csv; after a line "%%meta%%" (LF-ended,
 * after an LF), those of meta.csv (without it meta.csv is a fixed valid
 * one).
 *
 * Oracles besides the sanitizers:
 *   - the tool's contract (analysis/README.md): a failed load says exactly
 *     one line "vmptrst-analyze: ..." on stderr; a good one says nothing,
 *     and its summary.csv reads back as CSV with the header's number of
 *     fields in every row, one row per point, instruction and metric;
 *   - streaming: samples.csv read again by csv_next() after a one-record
 *     pad that puts the reader's 1 MiB chunk boundary in the middle of the
 *     input gives the same records and the same verdict (a refill must not
 *     change what is parsed).
 */
#define _GNU_SOURCE	/* mkdtemp */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "csv.h"
#include "dataset.h"
#include "diag.h"
#include "headline.h"
#include "meta.h"
#include "rundir.h"
#include "summary.h"

#define CSV_CHUNK_BYTES	(1u << 20)	/* analysis/csv.c's CSV_CHUNK */
#define MAX_LEN		(1u << 16)	/* longest input (-max_len) */

static const char meta_default[] =
	"key,value\r\n"
	"tool,vmptrst-bench\r\n"
	"platform,bochs\r\n"
	"timing_note,emulated: timings are not real\r\n"
	"cpu_model_name,\"Fuzz CPU, \"\"quoted\"\"\"\r\n"
	"microcode,0x1\r\n";

static char dir[64] = "/tmp/fuzz-csv.XXXXXX";
static char *samples_path, *meta_path;
static char *padded;	/* CSV_CHUNK_BYTES of 'x', then room for an input */
static FILE *report;	/* the real stderr, for the oracle's messages */
/*
 * FUZZ_CSV_MULTILINE_OK=1: a failed load's message may span lines (a field
 * value with a line break echoed in it) -- to fuzz on past that known
 * issue; the message must still start "vmptrst-analyze: ".
 */
static int multiline_ok;

static void cleanup(void)
{
	unlink(samples_path);
	unlink(meta_path);
	rmdir(dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *tmp = getenv("TMPDIR");

	(void)argc; (void)argv;
	if (tmp && strlen(tmp) < 32)
		snprintf(dir, sizeof(dir), "%s/fuzz-csv.XXXXXX", tmp);
	if (!mkdtemp(dir)) {
		perror("fuzz_csv: mkdtemp");
		exit(1);
	}
	samples_path = az_path(dir, "samples.csv");
	meta_path = az_path(dir, "meta.csv");
	padded = az_malloc(CSV_CHUNK_BYTES + MAX_LEN);
	memset(padded, 'x', CSV_CHUNK_BYTES);
	multiline_ok = getenv("FUZZ_CSV_MULTILINE_OK") &&
		       !strcmp(getenv("FUZZ_CSV_MULTILINE_OK"), "1");
	report = fdopen(dup(2), "w");
	if (!report)
		exit(1);
	setvbuf(report, NULL, _IONBF, 0);
	atexit(cleanup);
	return 0;
}

static void put_file(const char *path, const uint8_t *d, size_t n)
{
	FILE *f = fopen(path, "wb");

	if (!f || fwrite(d, 1, n, f) != n || fclose(f))
		abort();
}

static const uint8_t *find(const uint8_t *d, size_t n, const char *s)
{
	size_t k = strlen(s), i;

	for (i = 0; i + k <= n; i++)
		if (!memcmp(d + i, s, k))
			return d + i;
	return NULL;
}

__attribute__((noreturn))
static void fail(const char *what, const char *out, size_t outlen)
{
	fprintf(report, "fuzz_csv: %s; its stderr:\n%.*s\n", what,
		(int)outlen, out ? out : "");
	abort();
}

/* summary.csv as written must read back with a constant field count. */
static void check_summary(const struct az_run *run, char *text, size_t len)
{
	struct csv_reader r;
	FILE *f = fmemopen(text, len ? len : 1, "rb");
	size_t nf = 0, rows = 0, want = 0, p;
	int rc;

	if (!f)
		abort();
	csv_init(&r, f, "summary.csv");
	while ((rc = csv_next(&r)) > 0) {
		if (!rows++)
			nf = r.nfield;
		else if (r.nfield != nf)
			fail("summary.csv: a row has another field count than "
			     "the header", text, len);
	}
	csv_close(&r);
	fclose(f);
	if (rc < 0)
		fail("summary.csv does not read back as CSV", text, len);
	for (p = 0; p < run->ds.npoint; p++)
		want += run->ds.points[p].ngroup * run->ds.nmetric;
	if (rows != want + 1)
		fail("summary.csv: not one row per point, instruction and "
		     "metric", text, len);
}

/*
 * Every record of the file (path) or of the stream f as
 * "nfield\0field\0field\0...\n" into *out; the first `skip` records are
 * left out.  Returns csv_next's last result.
 */
static int records(const char *path, FILE *f, size_t skip, char **out,
		   size_t *len)
{
	FILE *mem = open_memstream(out, len);
	struct csv_reader r;
	size_t i;
	int rc;

	if (!mem)
		abort();
	if (f)
		csv_init(&r, f, path);
	else if (csv_open(&r, path))
		abort();
	while ((rc = csv_next(&r)) > 0) {
		if (skip) {
			skip--;
			continue;
		}
		fprintf(mem, "%zu", r.nfield);
		for (i = 0; i < r.nfield; i++) {
			putc('\0', mem);
			fputs(r.field[i], mem);
		}
		putc('\n', mem);
	}
	csv_close(&r);
	fclose(mem);
	return rc;
}

static void check_streaming(const uint8_t *d, size_t n)
{
	size_t at = CSV_CHUNK_BYTES - n / 2;	/* where the input starts */
	char *a = NULL, *b = NULL;
	size_t alen = 0, blen = 0;
	int ra, rb;
	FILE *f;

	/* One record "xx...x\r\n" before it: the chunk ends at its middle. */
	memcpy(padded + at - 2, "\r\n", 2);
	memcpy(padded + at, d, n);
	f = fmemopen(padded, at + n, "rb");
	if (!f)
		abort();
	ra = records(samples_path, NULL, 0, &a, &alen);
	rb = records("padded samples.csv", f, 1, &b, &blen);
	fclose(f);
	memset(padded + at - 2, 'x', n + 2);	/* all x again */
	if (ra != rb || alen != blen || memcmp(a, b, alen)) {
		fprintf(report, "fuzz_csv: samples.csv parses differently when "
			"its middle is at the reader's 1 MiB chunk boundary "
			"(csv_next %d vs %d, %zu vs %zu bytes of records)\n",
			ra, rb, alen, blen);
		abort();
	}
	free(a);
	free(b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	FILE *real_stderr = stderr;
	const uint8_t *sep;
	char *errbuf = NULL, *sum = NULL, title[512];
	size_t errlen = 0, sumlen = 0, n, g;
	struct az_run run;
	FILE *out;
	int rc;

	if (size > MAX_LEN)
		return -1;	/* not kept in the corpus */
	sep = find(data, size, "\n%%meta%%\n");
	n = sep ? (size_t)(sep - data) + 1 : size;
	put_file(samples_path, data, n);
	if (sep)
		put_file(meta_path, sep + 10, size - n - 9);
	else
		put_file(meta_path, (const uint8_t *)meta_default,
			 sizeof(meta_default) - 1);

	stderr = fopen("/dev/null", "w");	/* both readers' messages */
	if (!stderr)
		abort();
	check_streaming(data, n);
	fclose(stderr);

	stderr = open_memstream(&errbuf, &errlen);	/* az_err's messages */
	if (!stderr)
		abort();
	rc = az_run_load(&run, dir);
	fclose(stderr);
	stderr = real_stderr;

	if (rc) {
		if (errlen < 2 || strncmp(errbuf, AZ_TOOL ": ", strlen(AZ_TOOL) + 2) ||
		    errbuf[errlen - 1] != '\n' ||
		    (!multiline_ok &&
		     memchr(errbuf, '\n', errlen) != errbuf + errlen - 1))
			fail("a failed load must say one line \"" AZ_TOOL
			     ": ...\"", errbuf, errlen);
		free(errbuf);
		return 0;
	}
	if (errlen)
		fail("the load succeeded but wrote to stderr", errbuf, errlen);
	free(errbuf);

	az_meta_title(&run.meta, title, sizeof(title));
	for (g = 0; g < run.ds.ngroup; g++)
		free(az_group_key(&run.ds, &run.ds.groups[g]));
	out = open_memstream(&sum, &sumlen);
	if (!out || az_summary_write(out, &run) || fclose(out))
		abort();
	check_summary(&run, sum, sumlen);
	free(sum);
	/* headline.csv too: the slopes, the exit/entry split's rows */
	out = open_memstream(&sum, &sumlen);
	if (!out || az_headline_write(out, &run) || fclose(out))
		abort();
	free(sum);
	az_run_free(&run);
	return 0;
}
