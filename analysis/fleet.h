/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fleet DIR: one report across the hosts of a fleet run (fleet/, make
 * fleet): DIR/<host>/ run folders and DIR/fleet-summary.csv.  Per setup, a
 * row per host (microcode, kernel, net cost with its 95% CI from the host's
 * headline.csv), hosts grouped by CPU model, outliers marked; hosts without
 * a run listed with the reason.  Writes DIR/fleet.csv.
 */
#ifndef AZ_FLEET_H
#define AZ_FLEET_H

#include "commands.h"	/* az_cmd_fleet() */

#endif /* AZ_FLEET_H */
