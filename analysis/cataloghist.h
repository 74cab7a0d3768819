/* SPDX-License-Identifier: GPL-2.0 */
/* catalog history's rows (cataloghist.c) and their history.csv
   (cataloghistcsv.c). */
#ifndef AZ_CATALOGHIST_H
#define AZ_CATALOGHIST_H

#include <stddef.h>

#include "catalogcyc.h"

/* One run's headline row of the setup asked for. */
struct az_hist_row {
	long long id;
	char *date, *host, *microcode, *platform, *setup, *method, *reason;
	int emulated, changed;	/* microcode not the host's previous run's */
	struct az_cat_ci tk, ns;	/* ticks and ns per instruction */
	struct az_cat_cyc cyc;
	const struct az_hist_row *prev;	/* the host's previous run; NULL */
};

/* DIR/history.csv of rows h[n]; 0, or -1 reported. */
int az_cat_history_csv(const char *dir, const struct az_hist_row *h, size_t n);

#endif /* AZ_CATALOGHIST_H */
