/*
 * vb_rdmsr CPU MSR...: read each MSR (hex or decimal) of CPU through
 * /dev/cpu/CPU/msr (the kernel's msr module) and print one line per MSR,
 * "0x480 0x00da040000000001", or "0x48c unreadable (Input/output error)"
 * when the CPU refuses it (#GP: the MSR does not exist on that model).
 * For tests/emu/guest/models-test.sh: the VMX capability MSRs of each
 * Bochs CPU model, read independently of the module.  Exit 0 when the
 * device opened, 1 otherwise, 2 on bad usage.
 */
#define _XOPEN_SOURCE 700
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	char path[64], *end;
	unsigned long cpu;
	int fd, i;

	if (argc < 3) {
		fprintf(stderr, "usage: vb_rdmsr CPU MSR...\n");
		return 2;
	}
	cpu = strtoul(argv[1], &end, 10);
	if (*argv[1] == '\0' || *end != '\0') {
		fprintf(stderr, "vb_rdmsr: bad CPU '%s'\n", argv[1]);
		return 2;
	}
	snprintf(path, sizeof(path), "/dev/cpu/%lu/msr", cpu);
	fd = open(path, O_RDONLY);
	if (fd < 0) {
		fprintf(stderr, "vb_rdmsr: %s: %s\n", path, strerror(errno));
		return 1;
	}
	for (i = 2; i < argc; i++) {
		unsigned long msr = strtoul(argv[i], &end, 0);
		uint64_t value;

		if (*argv[i] == '\0' || *end != '\0' || msr > 0xffffffffUL) {
			fprintf(stderr, "vb_rdmsr: bad MSR '%s'\n", argv[i]);
			close(fd);
			return 2;
		}
		if (pread(fd, &value, sizeof(value), (off_t)msr) == (ssize_t)sizeof(value))
			printf("0x%lx 0x%016" PRIx64 "\n", msr, value);
		else
			printf("0x%lx unreadable (%s)\n", msr, strerror(errno));
	}
	close(fd);
	return 0;
}
