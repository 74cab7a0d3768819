// SPDX-License-Identifier: GPL-2.0
/*
 * export DIR --format json|md [-o FILE]: a run for other tools and for
 * people, JSON (exportjson.c) or Markdown (exportmd.c) from summary.csv,
 * headline.csv, meta.csv and conformance.csv (exportsummary.c reads and
 * checks them).  summary.csv is made first when missing.  The output is
 * built in memory and written only when complete.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "commands.h"
#include "diag.h"
#include "export.h"
#include "headline.h"
#include "meta.h"
#include "rundir.h"
#include "summary.h"

/* DIR/headline.csv as the summary command writes it (quietly: stdout may
 * be the export). */
static int save_headline(const struct az_run *run)
{
	char *path = az_path(run->dir, "headline.csv");
	FILE *f = fopen(path, "wb");
	int rc = 0;

	if (!f) {
		az_syserr(path, "cannot create");
		rc = -1;
	} else if (az_headline_write(f, run) | fclose(f)) {
		az_syserr(path, "write error");
		remove(path);
		rc = -1;
	}
	free(path);
	return rc;
}

/* DIR/summary.csv (and headline.csv), made by the summary command's
 * writers when summary.csv is missing. */
static int ensure_summary(const char *dir, const char *path)
{
	struct stat st;
	struct az_run run;
	FILE *f;
	int rc = 0;

	if (!stat(path, &st))
		return 0;
	if (errno != ENOENT) {
		az_syserr(path, "cannot read");
		return -1;
	}
	if (az_run_load(&run, dir))
		return -1;
	f = fopen(path, "wb");
	if (!f) {
		az_syserr(path, "cannot create");
		rc = -1;
	} else if (az_summary_write(f, &run) | fclose(f)) {
		az_syserr(path, "write error");
		remove(path);
		rc = -1;
	} else {
		rc = save_headline(&run);
	}
	az_run_free(&run);
	return rc;
}

static int export(const char *dir, int md, const char *out)
{
	char *meta_path = az_path(dir, "meta.csv");
	char *sum_path = az_path(dir, "summary.csv");
	char *head_path = az_path(dir, "headline.csv");
	struct az_csvtext sum, head;
	struct az_meta meta;
	struct az_conf conf;
	struct az_layout l;
	struct stat st;
	int have_head = 0, rc = -1;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	memset(&sum, 0, sizeof(sum));
	memset(&head, 0, sizeof(head));
	memset(&meta, 0, sizeof(meta));
	memset(&conf, 0, sizeof(conf));
	if (stat(dir, &st) || !S_ISDIR(st.st_mode)) {
		az_err(dir, 0, "not a run directory");
		goto out_paths;
	}
	if (az_meta_load(&meta, meta_path))
		goto out_paths;
	if (az_conf_load(&conf, dir))
		goto out_meta;
	if (ensure_summary(dir, sum_path) || az_csvtext_load(&sum, sum_path))
		goto out_meta;
	if (az_summary_layout(&sum, &l) || az_summary_check(&sum, &l))
		goto out_sum;
	if (!stat(head_path, &st)) {
		if (az_csvtext_load(&head, head_path))
			goto out_sum;
		have_head = 1;
	}
	f = open_memstream(&buf, &len);
	if (!f) {
		az_err(NULL, 0, "out of memory");
		goto out_head;
	}
	if (md)
		az_export_md(f, dir, &meta, &sum, &l, have_head ? &head : NULL, &conf);
	else
		az_export_json(f, dir, &meta, &sum, &l, have_head ? &head : NULL, &conf);
	fclose(f);
	f = out ? fopen(out, "wb") : stdout;
	if (!f) {
		az_syserr(out, "cannot create");
		goto out_buf;
	}
	fwrite(buf, 1, len, f);
	if (out ? fclose(f) : fflush(f)) {
		az_syserr(out ? out : "stdout", "write error");
		goto out_buf;
	}
	if (out)
		printf("wrote %s\n", out);
	rc = 0;
out_buf:
	free(buf);
out_head:
	if (have_head)
		az_csvtext_free(&head);
out_sum:
	az_csvtext_free(&sum);
out_meta:
	az_conf_free(&conf);
	az_meta_free(&meta);
out_paths:
	free(meta_path);
	free(sum_path);
	free(head_path);
	return rc;
}

static void usage(FILE *f)
{
	fputs("usage: " AZ_TOOL " export DIR [--format json|md] [-o FILE]\n"
	      "\n"
	      "Writes the run in DIR to stdout (or FILE):\n"
	      "  json  (default) {\"context\": meta.csv, \"benchmarks\": one object per\n"
	      "        summary.csv row, \"headline\": headline.csv rows when present,\n"
	      "        \"conformance\": conformance.csv (null before ABI 9)};\n"
	      "        schema: analysis/export.schema.json\n"
	      "  md    Markdown: run table, headline, behaviour, one summary table per metric\n"
	      "        (and section); starts with a warning line when emulated\n"
	      "Runs `summary` first when DIR/summary.csv is missing.\n", f);
}

int az_cmd_export(int argc, char **argv)
{
	const char *dir = NULL, *out = NULL, *fmt = "json";
	int i;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			usage(stdout);
			return AZ_EXIT_OK;
		} else if (!strcmp(a, "--format") || !strcmp(a, "-o")) {
			if (i + 1 == argc) {
				az_err(NULL, 0, "export: %s needs a value (see export --help)", a);
				return AZ_EXIT_USAGE;
			}
			*(a[1] == 'o' ? &out : &fmt) = argv[++i];
		} else if (!strncmp(a, "--format=", 9)) {
			fmt = a + 9;
		} else if (a[0] == '-' && a[1]) {
			az_err(NULL, 0, "export: unknown option \"%s\" (see export --help)", a);
			return AZ_EXIT_USAGE;
		} else if (dir) {
			az_err(NULL, 0, "export: expected one run directory, got \"%s\" and \"%s\"", dir, a);
			return AZ_EXIT_USAGE;
		} else {
			dir = a;
		}
	}
	if (!dir) {
		az_err(NULL, 0, "export: expected one run directory (see export --help)");
		return AZ_EXIT_USAGE;
	}
	if (strcmp(fmt, "json") && strcmp(fmt, "md")) {
		az_err(NULL, 0, "export: unknown format \"%s\" (json, md)", fmt);
		return AZ_EXIT_USAGE;
	}
	return export(dir, !strcmp(fmt, "md"), out) ? AZ_EXIT_DATA : AZ_EXIT_OK;
}
