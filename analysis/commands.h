/* SPDX-License-Identifier: GPL-2.0 */
/* The subcommands: each takes argv with argv[0] the command's name. */
#ifndef AZ_COMMANDS_H
#define AZ_COMMANDS_H

int az_cmd_summary(int argc, char **argv);
int az_cmd_plot(int argc, char **argv);
int az_cmd_report(int argc, char **argv);
int az_cmd_compare(int argc, char **argv);
int az_cmd_export(int argc, char **argv);
int az_cmd_catalog(int argc, char **argv);
int az_cmd_fleet(int argc, char **argv);

#endif /* AZ_COMMANDS_H */
