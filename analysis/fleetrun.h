/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A fleet run in memory (fleet.h: the command): its hosts and their
 * headline.csv rows, read by fleetload.c, marked and sorted by fleet.c,
 * written as fleet.csv and a table by fleetwrite.c.
 */
#ifndef AZ_FLEETRUN_H
#define AZ_FLEETRUN_H

#include <stddef.h>
#include <stdio.h>

/* A host of the fleet: its run (meta.csv) or why it has none. */
struct az_fleet_host {
	char *name, *model, *microcode, *kernel, *platform;
	char *status, *reason;	/* fleet-summary.csv's, or ours */
	int emulated, has_run;
};

/* One headline.csv row of one host. */
struct az_fleet_row {
	size_t host, setup;
	char *method, *reason;
	double ticks, lo, hi, ns;
	int outlier;
};

/* A setup: instruction and every axis but cpu (hosts pin different CPUs). */
struct az_fleet_setup {
	char *key;		/* "instruction\0name=value\0..." */
	size_t key_len;
};

struct az_fleet {
	const char *dir;
	struct az_fleet_host *host;
	size_t nhost;
	struct az_fleet_row *row;
	size_t nrow;
	struct az_fleet_setup *setup;
	size_t nsetup;
	char **axis;		/* the axes that vary across setups: the labels */
	size_t naxis;
};

/* DIR/fleet-summary.csv (the playbook's): every host's status and reason;
   0, or -1 reported. */
int az_fleet_load_summary(struct az_fleet *fl);
/* Every DIR/<host>/ holding meta.csv, in name order; 0, or -1 reported. */
int az_fleet_load_hosts(struct az_fleet *fl);

/* fleet.csv: the rows, then a row per host without a run; 0, or -1. */
int az_fleet_write_csv(const struct az_fleet *fl, FILE *f);
/* The text table on stdout. */
void az_fleet_print(const struct az_fleet *fl);

#endif /* AZ_FLEETRUN_H */
