// SPDX-License-Identifier: GPL-2.0
/*
 * keys-ref [--markdown]: the key reference from bench/'s table of keys, as
 * `vmptrst-bench help keys [--markdown]` writes it; check-keys-ref.sh diffs
 * it against configs/README.md.
 */
#include <stdio.h>
#include <string.h>

#include "keys.h"

int main(int argc, char **argv)
{
	int markdown = argc == 2 && !strcmp(argv[1], "--markdown");

	if (argc > 2 || (argc == 2 && !markdown)) {
		fprintf(stderr, "usage: keys-ref [--markdown]\n");
		return 2;
	}
	if (vb_keys_reference(stdout, markdown ? VB_REF_MARKDOWN : VB_REF_TEXT) ||
	    fflush(stdout)) {
		fprintf(stderr, "keys-ref: could not write the key reference\n");
		return 1;
	}
	return 0;
}
