// SPDX-License-Identifier: GPL-2.0
/*
 * catalog history DB --setup "...": one setup's headline cost in every
 * catalogued run, per host in date order, in ticks, ns and cycles, each
 * run against the host's previous one (a change only where the 95%
 * intervals do not overlap: catalogcyc.h), as a table, as history.csv and
 * as a gnuplot plot (history.gp, .dat, .png, .svg) with each host's
 * microcode changes marked on the time axis.
 */
#include <libgen.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "cataloghist.h"
#include "diag.h"
#include "plot.h"


static void free_row(struct az_hist_row *r)
{
	free(r->date);
	free(r->host);
	free(r->microcode);
	free(r->platform);
	free(r->setup);
	free(r->method);
	free(r->reason);
}

/*
 * Of the rows --setup want matched, those it means: where want names no
 * field or part and some row's setup has none, the rows with one go (a
 * mode=guest exit's field is the handler's optional VMWRITE, part a half
 * of its round trip: "instruction=vmcall mode=guest" is the plain round
 * trip); n rows kept.
 */
static size_t narrow(struct az_hist_row *h, size_t n, const char *want)
{
	static const char *const optional[] = { "field", "part" };
	size_t i, k, m;

	for (k = 0; k < 2; k++) {
		if (az_cat_has_axis(want, optional[k]))
			continue;
		for (i = 0; i < n && az_cat_has_axis(h[i].setup, optional[k]); i++)
			;
		if (i == n)
			continue;	/* every row has one: "name more axes" */
		for (i = m = 0; i < n; i++)
			if (az_cat_has_axis(h[i].setup, optional[k]))
				free_row(&h[i]);
			else
				h[m++] = h[i];
		n = m;
	}
	return n;
}

/* The matching headline rows, by host and date; n set; -1 reported. */
static int load(const struct az_cat *c, const struct az_cat_opts *o,
		struct az_hist_row **out, size_t *n)
{
	sqlite3_stmt *st = az_cat_prepare(c, "SELECT r.id, r.start_time, r.host, r.microcode, r.platform, r.emulated, h.setup, h.method, h.ticks, h.ci_low, h.ci_high, h.ns, h.ns_ci_low, h.ns_ci_high, h.reason, " AZ_CAT_CYC_COLS("h", "r") " FROM headline h JOIN run r ON r.id = h.run_id WHERE (?1 IS NULL OR r.host = ?1) ORDER BY r.host, r.start_time, r.id, h.rowid");
	struct az_hist_row *h = NULL;
	char *want;
	size_t i;
	int rc, root;

	*n = 0;
	*out = NULL;
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, o->host, -1, SQLITE_STATIC);
	want = az_cat_root_as_before(o->setup);
	root = az_cat_setup_matches("mode=root", o->setup);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct az_hist_row *r;
		char *setup = az_cat_root_as_before(az_cat_text(st, 6));

		/* mode=root asked for: a setup of another mode is not it */
		if (!az_cat_setup_matches(want, setup) ||
		    (root && az_cat_has_axis(setup, "mode"))) {
			free(setup);
			continue;
		}
		h = az_realloc(h, (*n + 1) * sizeof(*h));
		r = &h[(*n)++];
		r->id = sqlite3_column_int64(st, 0);
		r->date = az_strdup(az_cat_text(st, 1));
		r->host = az_strdup(az_cat_text(st, 2));
		r->microcode = az_strdup(az_cat_text(st, 3));
		r->platform = az_strdup(az_cat_text(st, 4));
		r->emulated = sqlite3_column_int(st, 5);
		r->setup = setup;
		r->method = az_strdup(az_cat_text(st, 7));
		az_cat_ci_read(st, 8, &r->tk);
		az_cat_ci_read(st, 11, &r->ns);
		az_cat_cyc_read(st, 15, &r->cyc);
		r->reason = az_strdup(az_cat_text(st, 14));
		r->changed = *n > 1 && !strcmp(h[*n - 2].host, r->host) &&
			     strcmp(h[*n - 2].microcode, r->microcode);
	}
	sqlite3_finalize(st);
	free(want);
	*n = narrow(h, *n, o->setup);
	for (i = 0; i < *n; i++)	/* after the last realloc */
		h[i].prev = i && !strcmp(h[i - 1].host, h[i].host) ? &h[i - 1] : NULL;
	*out = h;
	if (rc != SQLITE_DONE)
		return az_cat_fail(c, "cannot read the catalogue");
	return 0;
}

static void free_rows(struct az_hist_row *h, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free_row(&h[i]);
	free(h);
}

/* The closing count of the changes against each host's previous run. */
static void changes(const struct az_hist_row *h, size_t n)
{
	struct az_cat_tally tc = { 0, 0, 0, 0 }, tt = { 0, 0, 0, 0 };
	char cy[128], tk[128];
	size_t i;

	for (i = 0; i < n; i++) {
		if (!h[i].prev)
			continue;
		az_cat_tally_add(&tc, &h[i].prev->cyc.c, &h[i].cyc.c);
		az_cat_tally_add(&tt, &h[i].prev->tk, &h[i].tk);
	}
	az_cat_tally_text(&tc, cy, sizeof(cy));
	az_cat_tally_text(&tt, tk, sizeof(tk));
	printf("against each host's previous run (a change only where the 95%% intervals do not overlap): cycles %s; ticks %s\n", cy, tk);
}

static void table(const struct az_hist_row *h, size_t n)
{
	static const char *const head[] = {
		"host", "date", "microcode", "run", "platform", "method",
		"ticks/insn [95% CI]", "ns/insn [95% CI]",
		"cycles/insn [95% CI]", "cycles from", "against the host's previous run",
	};
	struct az_table t;
	char mc[300], id[32], pl[300], tk[128], ns[128], cy[600], fr[128];
	char vs[600];
	const char *cells[11] = { NULL, NULL, mc, id, pl, NULL, tk, ns, cy, fr, vs };
	size_t i;

	az_table_init(&t, 11, head);
	for (i = 0; i < n; i++) {
		cells[0] = h[i].host;
		cells[1] = h[i].date;
		snprintf(mc, sizeof(mc), "%s%s", h[i].microcode, h[i].changed ? " (changed)" : "");
		snprintf(id, sizeof(id), "%lld", h[i].id);
		snprintf(pl, sizeof(pl), "%s%s", h[i].platform, h[i].emulated ? " (emulated: not real timing)" : "");
		cells[5] = h[i].method;
		az_cat_ci_text(&h[i].tk, 6, tk, sizeof(tk));
		az_cat_ci_text(&h[i].ns, 6, ns, sizeof(ns));
		az_cat_cyc_text(&h[i].cyc, 6, cy, sizeof(cy));
		az_cat_cyc_from(&h[i].cyc, fr, sizeof(fr));
		vs[0] = '\0';
		if (h[i].prev)
			az_cat_change_text(h[i].prev->id, &h[i].prev->tk,
					   &h[i].prev->cyc, h[i].id, &h[i].tk,
					   &h[i].cyc, vs, sizeof(vs));
		az_table_row(&t, cells);
	}
	az_table_print(&t);
	az_table_free(&t);
	changes(h, n);
}

/* The x axis: meta.csv's start_time. */
static const char time_axis[] =
	"set xdata time\nset timefmt \"%Y-%m-%dT%H:%M:%SZ\"\n"
	"set format x \"%Y-%m-%d\\n%H:%M\"\n"
	"set offsets graph 0.05, graph 0.05, graph 0.1, graph 0.1\n"
	"set xlabel \"run start (UTC)\"\nset key outside right top\n";

/* A start_time gnuplot can place: 2024-05-17T10:00:00Z. */
static int dated(const struct az_hist_row *r)
{
	return strlen(r->date) == 20 && r->date[4] == '-' && r->date[10] == 'T' &&
	       r->date[19] == 'Z';
}

/* history.dat (a block per host, dated runs only) and history.gp; 1 when
   no run has a start_time, 0, or -1 reported. */
static int plot(struct az_plotdir *pd, const struct az_hist_row *h, size_t n,
		const char *sub)
{
	size_t i, k, used, nhost = 0, *first = az_malloc((n + 1) * sizeof(size_t));
	int ns = 1, emu, rc = -1;
	char plotcmd[8192], insn[64] = "instruction";
	const char *last = NULL;
	const struct az_cat_ci *x;
	FILE *d = NULL, *f;

	for (i = 0; i < n; i++)
		ns &= !isnan(h[i].ns.v);
	sscanf(h[0].setup, "instruction=%63[^ ]", insn);
	for (i = 0; i < n; i++) {
		if (!dated(&h[i]))
			continue;
		if (!d && !(d = az_plot_open(pd, "history", "dat")))
			goto out;
		if (!nhost)
			fputs("# one block per host: start_time, cost, 95% CI low, high, run id, microcode, emulated (0/1)\n", d);
		x = ns ? &h[i].ns : &h[i].tk;
		if (!last || strcmp(last, h[i].host)) {
			fprintf(d, "%s# host %s\n", nhost ? "\n\n" : "", h[i].host);
			first[nhost++] = i;
			last = h[i].host;
		}
		fprintf(d, "%s %.17g %.17g %.17g %lld \"%s\" %d\n", h[i].date,
			x->v, isnan(x->lo) ? x->v : x->lo, isnan(x->hi) ? x->v : x->hi,
			h[i].id, h[i].microcode, h[i].emulated);
	}
	if (!nhost) {
		rc = 1;
		goto out;
	}
	if (fclose(d))
		goto out;
	f = az_plot_script(pd, "history", sub);
	if (!f)
		goto out;
	fputs(time_axis, f);
	fprintf(f, "set ylabel \"%s per %s (net, 95%% CI)\"\n", ns ? "ns" : "TSC ticks", insn);
	for (i = 0, k = 1; i < n; i++) {
		if (!h[i].changed || !dated(&h[i]))
			continue;
		fprintf(f, "set arrow %zu from first \"%s\", graph 0 to first \"%s\", graph 1 nohead dt 2 lc rgb \"#777777\"\n",
			k, h[i].date, h[i].date);
		fprintf(f, "set label %zu \"%s: microcode %s\" at first \"%s\", graph 0.98 rotate by 90 right offset -0.6,0 font \",8\" tc rgb \"#555555\"\n",
			k++, h[i].host, h[i].microcode, h[i].date);
	}
	used = (size_t)snprintf(plotcmd, sizeof(plotcmd), "plot ");
	for (i = 0; i < nhost && used < sizeof(plotcmd) - 400; i++) {
		for (emu = 0, k = first[i]; k < n && !strcmp(h[k].host, h[first[i]].host); k++)
			emu |= h[k].emulated;
		used += (size_t)snprintf(plotcmd + used, sizeof(plotcmd) - used,
			"%s'history.dat' index %zu using 1:2:3:4 with yerrorlines lw 2 pt 7 title '%s%s'",
			i ? ", " : "", i, h[first[i]].host, emu ? " (emulated: not real timing)" : "");
	}
	d = NULL;
	rc = az_plot_finish(pd, f, "history", plotcmd);
out:
	if (d)
		fclose(d);
	free(first);
	return rc;
}

/* The same runs' behaviour (catalogconf.c); 0, or -1 reported. */
static int behaviour(const struct az_cat *c, const struct az_hist_row *h, size_t n,
		     const char *dir)
{
	long long *ids = az_malloc((n + 1) * sizeof(*ids));
	size_t i;
	int rc;

	for (i = 0; i < n; i++)
		ids[i] = h[i].id;
	rc = az_cat_conf_history(c, ids, n, dir);
	free(ids);
	return rc;
}

static int history(const struct az_cat *c, const struct az_cat_opts *o)
{
	struct az_hist_row *h;
	struct az_plotdir pd;
	char title[1200], sub[1024], *dbcopy, *dir;
	size_t n, i;
	int rc = -1, emu = 0;

	if (load(c, o, &h, &n))
		goto out;
	if (!n) {
		az_err(c->path, 0, "no headline row of setup \"%s\"%s%s: catalog show RUN lists a run's setups", o->setup, o->host ? " on host " : "", o->host ? o->host : "");
		goto out;
	}
	for (i = 1; i < n; i++)
		if (strcmp(h[i].setup, h[0].setup)) {
			az_err(NULL, 0, "catalog history: --setup \"%s\" matches more than one setup (\"%s\" and \"%s\"): name more axes", o->setup, h[0].setup, h[i].setup);
			rc = 1;
			goto out;
		}
	for (i = 0; i < n; i++)
		emu |= h[i].emulated;
	printf("setup: %s\n", h[0].setup);
	table(h, n);
	dbcopy = az_strdup(c->path);
	dir = o->out ? az_strdup(o->out) : az_path(dirname(dbcopy), "catalog-history");
	snprintf(title, sizeof(title), "catalogue history%s", emu ? " · emulated runs — not real timing" : "");
	if (!az_plotdir_open(&pd, dir, title, emu)) {
		snprintf(sub, sizeof(sub), "%s · per host, microcode changes marked · %s", h[0].setup, c->path);
		rc = az_cat_history_csv(dir, h, n) ? -1 : plot(&pd, h, n, sub);
		if (az_plotdir_run(&pd))
			rc = -1;
		if (rc > 0)
			printf("no plot: no run has a start_time in meta.csv\n");
		else if (!rc)
			printf("wrote %s/history.png and history.svg (script history.gp)\n", dir);
		rc = rc > 0 ? 0 : rc;
		if (!rc)
			rc = behaviour(c, h, n, dir);
	}
	free(dir);
	free(dbcopy);
out:
	free_rows(h, n);
	return rc;
}

int az_cat_history_args(const struct az_cat_opts *o)
{
	if (o->setup && az_cat_setup_valid(o->setup))
		return 0;
	az_err(NULL, 0, "catalog history: expected --setup \"axis=value ...\", e.g. \"instruction=vmptrst offset=0\"");
	return -1;
}

int az_cat_history(const struct az_cat *c, const struct az_cat_opts *o)
{
	int rc = history(c, o);

	return rc < 0 ? AZ_EXIT_DATA : rc > 0 ? AZ_EXIT_USAGE : AZ_EXIT_OK;
}
