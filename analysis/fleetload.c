// SPDX-License-Identifier: GPL-2.0
/*
 * A fleet run read: DIR/fleet-summary.csv, then every DIR/<host>/ with its
 * meta.csv and headline.csv (made as summary makes it when missing), the
 * setups collected across hosts.
 */
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "csv.h"
#include "diag.h"
#include "fleetrun.h"
#include "headline.h"
#include "meta.h"
#include "rundir.h"

static size_t col(const struct csv_reader *r, const char *name)
{
	size_t i;

	for (i = 0; i < r->nfield; i++)
		if (!strcmp(r->field[i], name))
			return i;
	return (size_t)-1;
}

static const char *field(const struct csv_reader *r, size_t c)
{
	return c < r->nfield ? r->field[c] : "";
}

static double number(const char *s)
{
	double v;

	return csv_number(s, &v) ? NAN : v;
}

static struct az_fleet_host *host_named(struct az_fleet *fl, const char *name)
{
	size_t i;

	for (i = 0; i < fl->nhost; i++)
		if (!strcmp(fl->host[i].name, name))
			return &fl->host[i];
	fl->host = az_realloc(fl->host, (fl->nhost + 1) * sizeof(*fl->host));
	memset(&fl->host[fl->nhost], 0, sizeof(*fl->host));
	fl->host[fl->nhost].name = az_strdup(name);
	return &fl->host[fl->nhost++];
}

/* DIR/fleet-summary.csv (the playbook's): every host's status and reason. */
int az_fleet_load_summary(struct az_fleet *fl)
{
	char *path = az_path(fl->dir, "fleet-summary.csv");
	struct csv_reader r;
	size_t ch, cs, cr;
	int rc;

	if (access(path, F_OK)) {
		free(path);
		return 0;
	}
	if (csv_open(&r, path)) {
		free(path);
		return -1;
	}
	rc = csv_next(&r);
	ch = col(&r, "host");
	cs = col(&r, "status");
	cr = col(&r, "reason");
	if (rc == 1 && (ch == (size_t)-1 || cs == (size_t)-1 || cr == (size_t)-1)) {
		az_err(path, r.line, "the header needs the columns host, status and reason");
		rc = -1;
	}
	while (rc == 1 && (rc = csv_next(&r)) == 1) {
		struct az_fleet_host *h = host_named(fl, field(&r, ch));

		free(h->status);
		free(h->reason);
		h->status = az_strdup(field(&r, cs));
		h->reason = az_strdup(field(&r, cr));
	}
	csv_close(&r);
	free(path);
	return rc < 0 ? -1 : 0;
}

static char *model_of(const struct az_meta *m)
{
	char buf[512];

	snprintf(buf, sizeof(buf), "%s (family %s model %s stepping %s)",
		 az_meta_get(m, "cpu_model_name"), az_meta_get(m, "cpu_family"),
		 az_meta_get(m, "cpu_model"), az_meta_get(m, "cpu_stepping"));
	return az_strdup(buf);
}

static size_t setup_of(struct az_fleet *fl, const char *key, size_t len)
{
	size_t i;

	for (i = 0; i < fl->nsetup; i++)
		if (fl->setup[i].key_len == len && !memcmp(fl->setup[i].key, key, len))
			return i;
	fl->setup = az_realloc(fl->setup, (fl->nsetup + 1) * sizeof(*fl->setup));
	fl->setup[i].key = az_malloc(len);
	memcpy(fl->setup[i].key, key, len);
	fl->setup[i].key_len = len;
	fl->nsetup++;
	return i;
}

/* The host's headline.csv rows; 0, or -1 reported. */
static int load_headline(struct az_fleet *fl, size_t hi, const char *path)
{
	struct csv_reader r;
	size_t cp, cm, ct, cl, ch, cn, cr, a;
	char key[4096];
	int rc;

	if (csv_open(&r, path))
		return -1;
	rc = csv_next(&r);
	cp = col(&r, "points");
	cm = col(&r, "method");
	ct = col(&r, "ticks_per_insn");
	cl = col(&r, "ci_low");
	ch = col(&r, "ci_high");
	cn = col(&r, "ns_per_insn");
	cr = col(&r, "reason");
	if (rc == 1 && (cp == (size_t)-1 || ct == (size_t)-1 || cl == (size_t)-1 ||
			ch == (size_t)-1 || cp < 1)) {
		az_err(path, r.line, "the header needs instruction, the setup axes, points, ticks_per_insn, ci_low and ci_high");
		rc = -1;
	}
	while (rc == 1 && (rc = csv_next(&r)) == 1) {
		struct az_fleet_row *w;
		size_t o = 0;

		/* the header's axes, as "name=value"; r.field is the row now */
		o = (size_t)snprintf(key, sizeof(key), "%s", field(&r, 0)) + 1;
		for (a = 1; a < cp && a < fl->naxis && o < sizeof(key); a++) {
			if (!strcmp(fl->axis[a], "cpu") || !*field(&r, a))
				continue;	/* empty: no variant */
			o += (size_t)snprintf(key + o, sizeof(key) - o, "%s=%s",
					      fl->axis[a], field(&r, a)) + 1;
		}
		if (o > sizeof(key))
			o = sizeof(key);
		fl->row = az_realloc(fl->row, (fl->nrow + 1) * sizeof(*fl->row));
		w = &fl->row[fl->nrow++];
		memset(w, 0, sizeof(*w));
		w->host = hi;
		w->setup = setup_of(fl, key, o);
		w->method = az_strdup(field(&r, cm));
		w->reason = az_strdup(field(&r, cr));
		w->ticks = number(field(&r, ct));
		w->lo = number(field(&r, cl));
		w->hi = number(field(&r, ch));
		w->ns = number(field(&r, cn));
	}
	csv_close(&r);
	return rc < 0 ? -1 : 0;
}

/* Keep headline.csv's axis names (the same config on every host). */
static int header_axes(struct az_fleet *fl, const char *path)
{
	struct csv_reader r;
	size_t i, cp;

	if (fl->axis || csv_open(&r, path))
		return fl->axis ? 0 : -1;
	if (csv_next(&r) != 1) {
		csv_close(&r);
		return -1;
	}
	cp = col(&r, "points");
	fl->naxis = cp == (size_t)-1 ? 0 : cp;
	fl->axis = az_malloc((fl->naxis + 1) * sizeof(*fl->axis));
	for (i = 0; i < fl->naxis; i++)
		fl->axis[i] = az_strdup(r.field[i]);
	csv_close(&r);
	return 0;
}

/* DIR/<name>/: meta.csv, then headline.csv (made as summary makes it when
   missing). */
static void load_host(struct az_fleet *fl, const char *name)
{
	char *hdir = az_path(fl->dir, name);
	char *mpath = az_path(hdir, "meta.csv");
	char *hpath = az_path(hdir, "headline.csv");
	struct az_fleet_host *h = host_named(fl, name);
	size_t hi = (size_t)(h - fl->host);
	struct az_meta m;
	struct az_run run;

	if (az_meta_load(&m, mpath))
		goto out;
	h->model = model_of(&m);
	h->microcode = az_strdup(az_meta_get(&m, "microcode"));
	h->kernel = az_strdup(az_meta_get(&m, "kernel"));
	h->platform = az_strdup(az_meta_get(&m, "platform"));
	h->emulated = az_meta_emulated(&m);
	az_meta_free(&m);
	if (access(hpath, F_OK)) {
		if (az_run_load(&run, hdir))
			goto out;
		if (az_headline_save(&run)) {
			az_run_free(&run);
			goto out;
		}
		az_run_free(&run);
	}
	if (header_axes(fl, hpath) || load_headline(fl, hi, hpath))
		goto out;
	h->has_run = 1;
out:
	if (!h->has_run && !h->reason) {
		h->status = az_strdup("unreadable");
		h->reason = az_strdup("its run folder could not be read (the error above)");
	}
	free(hdir);
	free(mpath);
	free(hpath);
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every DIR/<host>/ holding meta.csv, in name order; 0, or -1 reported. */
int az_fleet_load_hosts(struct az_fleet *fl)
{
	DIR *d = opendir(fl->dir);
	struct dirent *e;
	char **names = NULL;
	size_t n = 0, i;

	if (!d) {
		az_syserr(fl->dir, "cannot open the fleet folder");
		return -1;
	}
	while ((e = readdir(d))) {
		char *hdir, *meta;
		struct stat st;

		if (e->d_name[0] == '.')
			continue;
		hdir = az_path(fl->dir, e->d_name);
		meta = az_path(hdir, "meta.csv");
		if (!stat(hdir, &st) && S_ISDIR(st.st_mode) && !access(meta, F_OK)) {
			names = az_realloc(names, (n + 1) * sizeof(*names));
			names[n++] = az_strdup(e->d_name);
		}
		free(hdir);
		free(meta);
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof(*names), by_name);
	for (i = 0; i < n; i++) {
		load_host(fl, names[i]);
		free(names[i]);
	}
	free(names);
	return 0;
}

