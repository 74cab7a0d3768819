/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The parts of export (export.c: the command): summary.csv and
 * headline.csv read as text and checked (exportsummary.c), written as JSON
 * (exportjson.c) or Markdown (exportmd.c).
 */
#ifndef AZ_EXPORT_H
#define AZ_EXPORT_H

#include <stddef.h>
#include <stdio.h>

#include "conform.h"
#include "meta.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* A CSV file held as text: header, rows, and each row's line number. */
struct az_csvtext {
	const char *path;
	size_t ncol, nrow;
	char **col;
	char ***cell;		/* [row][col] */
	unsigned long *line;
};

/* 0, or -1 reported.  Every row must have as many fields as the header. */
int az_csvtext_load(struct az_csvtext *t, const char *path);
void az_csvtext_free(struct az_csvtext *t);
/* The column called name, or -1. */
long az_csvtext_col(const struct az_csvtext *t, const char *name);

/* The summary's layout: axes are the columns before "metric". */
struct az_layout {
	size_t naxis;
	long point, instruction, metric, section;
};

/* summary.csv's columns after the axes, by kind. */
enum az_col_kind { AZ_COL_COUNT, AZ_COL_NUM, AZ_COL_TEXT, AZ_COL_OTHER };
enum az_col_kind az_summary_col_kind(const char *name);
/* Every column of this version there, point and instruction among the
   axes: 0, or -1 reported. */
int az_summary_layout(const struct az_csvtext *t, struct az_layout *l);
/* Every typed field of every row: 0, or -1 with "PATH:LINE: what". */
int az_summary_check(const struct az_csvtext *t, const struct az_layout *l);

/* -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?, and integer-only if asked. */
int az_json_grammar(const char *s, int integer);

/* The run as JSON (export.schema.json) or Markdown into f; head NULL when
   the run has no headline.csv.  0. */
int az_export_json(FILE *f, const char *dir, const struct az_meta *m,
		   const struct az_csvtext *sum, const struct az_layout *l,
		   const struct az_csvtext *head, const struct az_conf *conf);
int az_export_md(FILE *f, const char *dir, const struct az_meta *m,
		 const struct az_csvtext *sum, const struct az_layout *l,
		 const struct az_csvtext *head, const struct az_conf *conf);

#endif /* AZ_EXPORT_H */
