/* SPDX-License-Identifier: GPL-2.0 */
/*
 * catalog table: the VMX cost table across the catalogue.  A row per CPU
 * model, microcode revision, kernel and platform; a column per instruction
 * and setup as the headline names them (the setup without the target CPU
 * and with mode=root as before the mode axis: catalogsetup.c); a cell one
 * run's headline value with its 95% interval, never an average: of the
 * row's runs with that column the newest (start_time) with a value.
 * catalogtable.c builds it, catalogtableout.c writes it (Markdown, CSV,
 * HTML).  README.md, "Catalogue".
 */
#ifndef AZ_CATALOGTABLE_H
#define AZ_CATALOGTABLE_H

#include <stddef.h>
#include <stdio.h>

#include "catalogcyc.h"

enum az_ct_metric { AZ_CT_CYCLES, AZ_CT_TICKS, AZ_CT_NS };

/* The sweep keys' defaults (bench/keytab.c), left out of column labels. */
#define AZ_CT_DEFAULTS	"offset=0 cache=hot memtype=wb page=4k tlb=warm ad=set vmcs=loaded serialize=lfence mode=root"
#define AZ_CT_DEFAULT_WORDS "offset=0", "cache=hot", "memtype=wb", "page=4k", \
	"tlb=warm", "ad=set", "vmcs=loaded", "serialize=lfence", "mode=root"

struct az_ct_row {
	char *model, *microcode, *kernel, *platform;
	int emulated;		/* run.emulated: timings meaningless */
	char *runs;		/* its runs' ids, newest first: "7, 3" */
	size_t nrun;
};

struct az_ct_col {
	char *instruction;
	char *setup;		/* az_cat_setup_key of the headline's setup */
	char *label;		/* instruction and the words not every column has */
};

struct az_ct_cell {
	long long run;		/* the run shown; 0: no run of the row has the column */
	char *start;		/* its start_time */
	struct az_cat_ci v;	/* v.v NaN: not measured */
	char *why;		/* then why */
	char *runs;		/* the row's runs with the column, newest first */
	size_t nrun;
	size_t note;		/* its note, 1...; 0: none */
};

struct az_ct {
	const char *db;
	enum az_ct_metric metric;
	int fell_back;		/* cycles asked by default, no run has them: ticks */
	size_t nrow, ncol, nnote;
	struct az_ct_row *row;
	struct az_ct_col *col;
	struct az_ct_cell *cell;	/* nrow x ncol, row by row */
	char *common;		/* the setup words every column has */
	char **note;
};

/* The metric named ("cycles", "ticks", "ns"; NULL: cycles), or -1. */
int az_ct_metric_of(const char *name);
/* Its unit: "core cycles per instruction". */
const char *az_ct_unit(const struct az_ct *t);
/* A cell's text: "24.06 [23.92, 24.18]", "—" (not measured), "" (no run). */
void az_ct_value(const struct az_ct_cell *x, char *buf, size_t len);
/* The platform cell: "bochs (emulated: timings meaningless)". */
void az_ct_platform(const struct az_ct_row *r, char *buf, size_t len);
/* What the table shows and by which rule, one paragraph (no newline). */
void az_ct_intro(const struct az_ct *t, char *buf, size_t len);

/* The table in a format; 0, or -1 (a write error, the caller reports). */
int az_ct_md(FILE *f, const struct az_ct *t);
int az_ct_csv(FILE *f, const struct az_ct *t);
int az_ct_html(FILE *f, const struct az_ct *t);

#endif /* AZ_CATALOGTABLE_H */
