// SPDX-License-Identifier: GPL-2.0
/* vmptrst-bench: the real environment around vb_main(). */
#include <stdio.h>
#include <unistd.h>

#include "bench.h"
#include "cpu.h"

int main(int argc, char **argv)
{
	const struct vb_env env = {
		.dev_ops = &vb_dev_real_ops,
		.dev_priv = NULL,
		.device_path = VB_DEVICE_PATH,
		.root = "",
		.pin_cpu = vb_pin_native,
		.cpuid = vb_cpuid_native,
		.out = stdout,
		.err = stderr,
		.progress = isatty(STDERR_FILENO),
		.perf_ops = &vb_perf_real_ops,
	};
	int rc = vb_main(argc, argv, &env);

	if (fflush(stdout) || ferror(stdout)) {
		perror(VB_TOOL_NAME ": stdout");
		if (rc == VB_EXIT_OK)
			rc = VB_EXIT_ERROR;
	}
	return rc;
}
