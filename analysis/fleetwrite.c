// SPDX-License-Identifier: GPL-2.0
/* A fleet run written: fleet.csv and the text table on stdout. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "csv.h"
#include "fleetrun.h"

/* "instruction axis=value ..." with only the axes that vary across setups. */
static void label(const struct az_fleet *fl, size_t s, char *buf, size_t len)
{
	const struct az_fleet_setup *st = &fl->setup[s];
	const char *p = st->key, *end = st->key + st->key_len;
	size_t o = (size_t)snprintf(buf, len, "%s", p), t;

	for (p += strlen(p) + 1; p < end && o < len; p += strlen(p) + 1) {
		size_t nl = (size_t)(strchr(p, '=') - p);
		int varies = 0;

		for (t = 0; t < fl->nsetup && !varies; t++) {
			const struct az_fleet_setup *u = &fl->setup[t];
			const char *q = u->key + strlen(u->key) + 1;

			for (; q < u->key + u->key_len; q += strlen(q) + 1)
				if (!strncmp(q, p, nl + 1) && strcmp(q, p))
					varies = 1;
		}
		if (varies)
			o += (size_t)snprintf(buf + o, len - o, " %s", p);
	}
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
int az_fleet_write_csv(const struct az_fleet *fl, FILE *f)
{
	char lab[1024];
	size_t i;

	fputs(fleet_cols, f);
	CSV_EOL(f);
	for (i = 0; i < fl->nrow; i++) {
		const struct az_fleet_row *w = &fl->row[i];
		const struct az_fleet_host *h = &fl->host[w->host];

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
		const struct az_fleet_host *h = &fl->host[i];

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
void az_fleet_print(const struct az_fleet *fl)
{
	char lab[1024], cost[128], ns[32];
	size_t i, nmiss = 0;

	for (i = 0; i < fl->nrow; i++) {
		const struct az_fleet_row *w = &fl->row[i];
		const struct az_fleet_host *h = &fl->host[w->host];

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

