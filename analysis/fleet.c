// SPDX-License-Identifier: GPL-2.0
/* The fleet command and fleet.csv: see fleet.h. */
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "csv.h"
#include "diag.h"
#include "fleet.h"
#include "headline.h"
#include "meta.h"
#include "rundir.h"
#include "stats.h"

/* A host of the fleet: its run (meta.csv) or why it has none. */
struct host {
	char *name, *model, *microcode, *kernel, *platform;
	char *status, *reason;	/* fleet-summary.csv's, or ours */
	int emulated, has_run;
};

/* One headline.csv row of one host. */
struct row {
	size_t host, setup;
	char *method, *reason;
	double ticks, lo, hi, ns;
	int outlier;
};

/* A setup: instruction and every axis but cpu (hosts pin different CPUs). */
struct setup {
	char *key;		/* "instruction\0name=value\0..." */
	size_t key_len;
};

struct fleet {
	const char *dir;
	struct host *host;
	size_t nhost;
	struct row *row;
	size_t nrow;
	struct setup *setup;
	size_t nsetup;
	char **axis;		/* the axes that vary across setups: the labels */
	size_t naxis;
};

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

static struct host *host_named(struct fleet *fl, const char *name)
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
static int load_summary(struct fleet *fl)
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
		struct host *h = host_named(fl, field(&r, ch));

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

static size_t setup_of(struct fleet *fl, const char *key, size_t len)
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
static int load_headline(struct fleet *fl, size_t hi, const char *path)
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
		struct row *w;
		size_t o = 0;

		/* the header's axes, as "name=value"; r.field is the row now */
		o = (size_t)snprintf(key, sizeof(key), "%s", field(&r, 0)) + 1;
		for (a = 1; a < cp && a < fl->naxis && o < sizeof(key); a++) {
			if (!strcmp(fl->axis[a], "cpu"))
				continue;
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
static int header_axes(struct fleet *fl, const char *path)
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
static void load_host(struct fleet *fl, const char *name)
{
	char *hdir = az_path(fl->dir, name);
	char *mpath = az_path(hdir, "meta.csv");
	char *hpath = az_path(hdir, "headline.csv");
	struct host *h = host_named(fl, name);
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
static int load_hosts(struct fleet *fl)
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

/*
 * The outlier rule, per setup and CPU model with 3 hosts or more: a host is
 * marked when its net cost lies outside every other host's 95% CI (below
 * the lowest ci_low or above the highest ci_high of the others) and more
 * than 3 scaled MADs (1.4826 x MAD of the model's costs) from the model's
 * median.  Two hosts cannot say which one is off: not marked.
 */
static void mark_outliers(struct fleet *fl)
{
	double *v = az_malloc((fl->nrow + 1) * sizeof(*v));
	size_t i, j, n;

	for (i = 0; i < fl->nrow; i++) {
		struct row *w = &fl->row[i];
		const char *model = fl->host[w->host].model;
		double med, mad, lo = INFINITY, hi = -INFINITY;

		if (isnan(w->ticks))
			continue;
		for (j = n = 0; j < fl->nrow; j++) {
			const struct row *o = &fl->row[j];

			if (o->setup != w->setup || isnan(o->ticks) ||
			    strcmp(fl->host[o->host].model, model))
				continue;
			v[n++] = o->ticks;
			if (j != i) {
				lo = fmin(lo, isnan(o->lo) ? o->ticks : o->lo);
				hi = fmax(hi, isnan(o->hi) ? o->ticks : o->hi);
			}
		}
		if (n < 3)
			continue;
		az_sort(v, n);
		med = az_quantile(v, n, 0.5);
		for (j = 0; j < n; j++)
			v[j] = fabs(v[j] - med);
		az_sort(v, n);
		mad = 1.4826 * az_quantile(v, n, 0.5);
		w->outlier = (w->ticks < lo || w->ticks > hi) &&
			     fabs(w->ticks - med) > 3 * mad;
	}
	free(v);
}

/* "instruction axis=value ..." with only the axes that vary across setups. */
static void label(const struct fleet *fl, size_t s, char *buf, size_t len)
{
	const struct setup *st = &fl->setup[s];
	const char *p = st->key, *end = st->key + st->key_len;
	size_t o = (size_t)snprintf(buf, len, "%s", p), t;

	for (p += strlen(p) + 1; p < end && o < len; p += strlen(p) + 1) {
		size_t nl = (size_t)(strchr(p, '=') - p);
		int varies = 0;

		for (t = 0; t < fl->nsetup && !varies; t++) {
			const struct setup *u = &fl->setup[t];
			const char *q = u->key + strlen(u->key) + 1;

			for (; q < u->key + u->key_len; q += strlen(q) + 1)
				if (!strncmp(q, p, nl + 1) && strcmp(q, p))
					varies = 1;
		}
		if (varies)
			o += (size_t)snprintf(buf + o, len - o, " %s", p);
	}
}

static const struct fleet *sort_fl;

static int by_setup_model_host(const void *a, const void *b)
{
	const struct row *x = a, *y = b;
	const struct host *hx = &sort_fl->host[x->host], *hy = &sort_fl->host[y->host];
	int c;

	if (x->setup != y->setup)
		return x->setup < y->setup ? -1 : 1;
	c = strcmp(hx->model, hy->model);
	return c ? c : strcmp(hx->name, hy->name);
}

static void num(FILE *f, double v)
{
	CSV_SEP(f);
	csv_put_num(f, v);
}

static void put_text(FILE *f, const char *s)
{
	CSV_SEP(f);
	csv_put(f, s);
}

static const char fleet_cols[] = "setup,instruction,cpu_model,host,microcode,kernel,platform,status,method,ticks_per_insn,ci_low,ci_high,ns_per_insn,outlier,reason";

/* fleet.csv: the rows, then a row per host without a run. */
static int write_csv(const struct fleet *fl, FILE *f)
{
	char lab[1024];
	size_t i;

	fputs(fleet_cols, f);
	CSV_EOL(f);
	for (i = 0; i < fl->nrow; i++) {
		const struct row *w = &fl->row[i];
		const struct host *h = &fl->host[w->host];

		label(fl, w->setup, lab, sizeof(lab));
		csv_put(f, lab);
		put_text(f, fl->setup[w->setup].key);
		put_text(f, h->model);
		put_text(f, h->name);
		put_text(f, h->microcode);
		put_text(f, h->kernel);
		put_text(f, h->platform);
		put_text(f, "complete");
		put_text(f, w->method);
		num(f, w->ticks);
		num(f, w->lo);
		num(f, w->hi);
		num(f, w->ns);
		put_text(f, w->outlier ? "yes" : "no");
		put_text(f, w->reason);
		CSV_EOL(f);
	}
	for (i = 0; i < fl->nhost; i++) {
		const struct host *h = &fl->host[i];

		if (h->has_run)
			continue;
		fputs(",,", f);
		csv_put(f, h->model ? h->model : "");
		put_text(f, h->name);
		fputs(",,,", f);
		put_text(f, h->status ? h->status : "missing");
		fputs(",,,,,,", f);
		put_text(f, h->reason ? h->reason : "");
		CSV_EOL(f);
	}
	return ferror(f) ? -1 : 0;
}

/* The text table on stdout. */
static void print_table(const struct fleet *fl)
{
	char lab[1024], cost[128], ns[32];
	size_t i, nmiss = 0;

	for (i = 0; i < fl->nrow; i++) {
		const struct row *w = &fl->row[i];
		const struct host *h = &fl->host[w->host];

		if (!i || w->setup != fl->row[i - 1].setup) {
			label(fl, w->setup, lab, sizeof(lab));
			printf("%s%s\n", i ? "\n" : "", lab);
			printf("  %-40s %-16s %-12s %-20s %-34s %s\n", "cpu model", "host", "microcode", "kernel", "net TSC ticks/insn [95% CI]", "ns/insn");
		}
		if (isnan(w->ticks))
			snprintf(cost, sizeof(cost), "- (%s)", w->reason[0] ? "see reason in fleet.csv" : "not measured");
		else if (isnan(w->lo))
			snprintf(cost, sizeof(cost), "%.4g [no CI]", w->ticks);
		else
			snprintf(cost, sizeof(cost), "%.4g [%.4g, %.4g]", w->ticks, w->lo, w->hi);
		snprintf(ns, sizeof(ns), isnan(w->ns) ? "-" : "%.4g", w->ns);
		printf("  %-40s %-16s %-12s %-20s %-34s %-8s%s%s\n", h->model, h->name, h->microcode, h->kernel, cost, ns, w->outlier ? " OUTLIER" : "", h->emulated ? " (emulated: not real timing)" : "");
	}
	for (i = 0; i < fl->nhost; i++)
		if (!fl->host[i].has_run) {
			if (!nmiss++)
				printf("\nhosts without a run:\n");
			printf("  %s: %s: %s\n", fl->host[i].name, fl->host[i].status ? fl->host[i].status : "missing", fl->host[i].reason ? fl->host[i].reason : "");
		}
	printf("\noutlier: a host whose net cost is outside every other host's 95%% CI for its CPU model and setup and more than 3 scaled MADs from the model's median (3 hosts of a model or more)\n");
}

static void fleet_free(struct fleet *fl)
{
	size_t i, k;

	for (i = 0; i < fl->nhost; i++) {
		struct host *h = &fl->host[i];
		char *owned[] = { h->name, h->model, h->microcode, h->kernel,
				  h->platform, h->status, h->reason };

		for (k = 0; k < sizeof(owned) / sizeof(owned[0]); k++)
			free(owned[k]);
	}
	for (i = 0; i < fl->nrow; i++) {
		free(fl->row[i].method);
		free(fl->row[i].reason);
	}
	for (i = 0; i < fl->nsetup || i < fl->naxis; i++) {
		if (i < fl->nsetup)
			free(fl->setup[i].key);
		if (i < fl->naxis)
			free(fl->axis[i]);
	}
	free(fl->axis);
	free(fl->host);
	free(fl->row);
	free(fl->setup);
}

static void usage(FILE *f)
{
	fputs("usage: " AZ_TOOL " fleet DIR\n"
	      "\n"
	      "DIR is a fleet run (make fleet): DIR/<host>/ run folders and\n"
	      "DIR/fleet-summary.csv.  Per setup, a row per host with its CPU\n"
	      "model, microcode, kernel and net cost with its 95% CI (the host's\n"
	      "headline.csv, made first when missing), hosts grouped by CPU model;\n"
	      "outliers marked (outside every other host's CI of that model and\n"
	      "setup, and more than 3 scaled MADs from the model's median; 3 hosts\n"
	      "of a model or more).  Hosts without a run are listed with the\n"
	      "reason fleet-summary.csv gives.  Prints the table, writes\n"
	      "DIR/fleet.csv.\n", f);
}

/* Load DIR, mark, print, write DIR/fleet.csv: an exit code. */
static int fleet_report(const char *dir)
{
	struct fleet fl = { .dir = dir };
	char *out = az_path(dir, "fleet.csv");
	FILE *f = NULL;
	int rc = AZ_EXIT_DATA;

	if (load_summary(&fl) || load_hosts(&fl))
		goto out;
	mark_outliers(&fl);
	sort_fl = &fl;
	if (fl.nrow)
		qsort(fl.row, fl.nrow, sizeof(*fl.row), by_setup_model_host);
	print_table(&fl);
	f = fopen(out, "wb");
	if (!f)
		az_syserr(out, "cannot create");
	else if (write_csv(&fl, f) | fclose(f))
		az_syserr(out, "write error");
	else
		rc = AZ_EXIT_OK;
	if (!rc)
		printf("wrote %s\n", out);
out:
	free(out);
	fleet_free(&fl);
	return rc;
}

int az_cmd_fleet(int argc, char **argv)
{
	const char *dir = NULL;
	int i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			usage(stdout);
			return AZ_EXIT_OK;
		}
		if (argv[i][0] == '-' || dir)
			break;
		dir = argv[i];
	}
	if (i < argc || !dir) {
		az_err(NULL, 0, "fleet: expected one fleet folder (see fleet --help)");
		return AZ_EXIT_USAGE;
	}
	return fleet_report(dir);
}
