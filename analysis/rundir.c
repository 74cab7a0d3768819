// SPDX-License-Identifier: GPL-2.0
/* Loading a run directory. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "csv.h"
#include "diag.h"
#include "rundir.h"

char *az_path(const char *dir, const char *name)
{
	size_t n = strlen(dir) + strlen(name) + 2;
	char *p = az_malloc(n);

	snprintf(p, n, "%s/%s", dir, name);
	return p;
}

int az_mkdir(const char *path)
{
	if (mkdir(path, 0777) && errno != EEXIST) {
		az_syserr(path, "cannot create directory");
		return -1;
	}
	return 0;
}

static size_t col_of(const struct csv_reader *r, const char *name)
{
	size_t i;

	for (i = 0; i < r->nfield; i++)
		if (!strcmp(r->field[i], name))
			return i;
	return AZ_NO_GROUP;
}

/* DIR/points.csv when it exists: each point's status and records. */
static int load_planned(struct az_run *run)
{
	struct csv_reader r;
	size_t cp, cs, cr;
	int rc;

	if (access(run->points_path, F_OK))
		return 0;
	if (csv_open(&r, run->points_path))
		return -1;
	rc = csv_next(&r);
	if (rc == 0) {
		az_err(run->points_path, 1, "empty file: no header");
		rc = -1;
	}
	if (rc < 0)
		goto out;
	cp = col_of(&r, "point");
	cs = col_of(&r, "status");
	cr = col_of(&r, "records");
	if (cp == AZ_NO_GROUP || cs == AZ_NO_GROUP || cr == AZ_NO_GROUP) {
		az_err(run->points_path, r.line, "the header needs the columns point, status and records");
		rc = -1;
		goto out;
	}
	while ((rc = csv_next(&r)) > 0) {
		struct az_planned *p;
		double v;
		int n;

		if (r.nfield <= cp || r.nfield <= cs || r.nfield <= cr) {
			az_err(run->points_path, r.line, "%zu fields, fewer than the header's", r.nfield);
			rc = -1;
			break;
		}
		n = csv_number(r.field[cr], &v);
		if (n < 0 || (!n && v < 0)) {
			az_err(run->points_path, r.line, "records is \"%s\", not a count", r.field[cr]);
			rc = -1;
			break;
		}
		run->planned = az_realloc(run->planned, (run->nplanned + 1) *
					  sizeof(*run->planned));
		p = &run->planned[run->nplanned++];
		p->point = az_strdup(r.field[cp]);
		p->status = az_strdup(r.field[cs]);
		p->records = n ? NAN : v;
		p->line = r.line;
	}
out:
	csv_close(&r);
	return rc < 0 ? -1 : 0;
}

static int cut_status(const char *status)
{
	return !strcmp(status, "interrupted") || !strcmp(status, "stopped");
}

/* Say once that the run is partial, naming where it says so. */
static void note_partial(struct az_run *run)
{
	const struct az_meta *m = &run->meta;
	size_t i;

	if (!strcmp(az_meta_get(m, "interrupted"), "yes")) {
		az_warn(m->path, az_meta_line(m, "interrupted"), "the run was interrupted (interrupted,yes): samples.csv holds fewer rows than planned; statistics cover what was measured");
		run->partial = 1;
	} else if (az_meta_partial(m)) {
		az_warn(m->path, az_meta_line(m, "stopped"), "the run was stopped (%s): samples.csv holds fewer rows than planned; statistics cover what was measured", az_meta_get(m, "stopped"));
		run->partial = 1;
	} else {
		for (i = 0; i < run->nplanned; i++)
			if (cut_status(run->planned[i].status))
				break;
		if (i == run->nplanned)
			return;
		az_warn(run->points_path, run->planned[i].line, "point %s was %s: it holds fewer rows than planned; statistics cover what was measured", run->planned[i].point, run->planned[i].status);
		run->partial = 1;
	}
}

/* Rows against points.csv and meta.csv's records: 0, or -1 reported. */
static int check_complete(struct az_run *run)
{
	const struct az_dataset *ds = &run->ds;
	const struct az_meta *m = &run->meta;
	const char *rec = az_meta_get(m, "records");
	size_t i;
	double v;

	note_partial(run);
	for (i = 0; i < run->nplanned; i++) {
		const struct az_planned *p = &run->planned[i];
		uint64_t rows;

		if (strcmp(p->status, "measured") || isnan(p->records))
			continue;
		rows = az_dataset_point_rows(ds, p->point);
		if (rows == (uint64_t)p->records)
			continue;
		if (!ds->rows)
			az_err(ds->path, 1, "no rows, but %s:%lu says point %s was measured with %.0f records", run->points_path, p->line, p->point, p->records);
		else if (!rows)
			az_err(ds->path, ds->last_line, "point %s has no rows, but %s:%lu says it was measured with %.0f records (samples.csv cut short?)", p->point, run->points_path, p->line, p->records);
		else
			az_err(ds->path, ds->last_line, "point %s has %llu rows, but %s:%lu says it was measured with %.0f records%s", p->point, (unsigned long long)rows, run->points_path, p->line, p->records, rows < p->records ? " (samples.csv cut short?)" : "");
		return -1;
	}
	if (csv_number(rec, &v) || v < 0 || (double)ds->rows == v)
		return 0;
	if (run->partial && (double)ds->rows < v)
		return 0;
	if (!ds->rows)
		az_err(ds->path, 1, "no rows, but %s:%lu says records %s", m->path, az_meta_line(m, "records"), rec);
	else
		az_err(ds->path, ds->last_line, "%llu rows, but %s:%lu says records %s%s", (unsigned long long)ds->rows, m->path, az_meta_line(m, "records"), rec, (double)ds->rows < v ? " (samples.csv cut short?)" : "");
	return -1;
}

int az_run_load(struct az_run *run, const char *dir)
{
	struct stat st;

	memset(run, 0, sizeof(*run));
	if (stat(dir, &st) || !S_ISDIR(st.st_mode)) {
		az_err(dir, 0, "not a run directory");
		return -1;
	}
	run->dir = az_strdup(dir);
	run->meta_path = az_path(dir, "meta.csv");
	run->samples_path = az_path(dir, "samples.csv");
	run->points_path = az_path(dir, "points.csv");
	if (az_meta_load(&run->meta, run->meta_path) ||
	    load_planned(run) ||
	    az_dataset_load(&run->ds, run->samples_path) ||
	    check_complete(run) || az_dataset_finish(&run->ds)) {
		az_run_free(run);
		return -1;
	}
	return 0;
}

const char *az_run_point_status(const struct az_run *run, const char *id)
{
	size_t i;

	for (i = 0; i < run->nplanned; i++)
		if (!strcmp(run->planned[i].point, id))
			return run->planned[i].status;
	return "";
}

void az_run_free(struct az_run *run)
{
	size_t i;

	az_meta_free(&run->meta);
	az_dataset_free(&run->ds);
	for (i = 0; i < run->nplanned; i++) {
		free(run->planned[i].point);
		free(run->planned[i].status);
	}
	free(run->planned);
	free(run->dir);
	free(run->meta_path);
	free(run->samples_path);
	free(run->points_path);
	memset(run, 0, sizeof(*run));
}
