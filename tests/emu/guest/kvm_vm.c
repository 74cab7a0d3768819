/*
 * kvm_vm SECONDS: a VM that exists for SECONDS, through the real KVM in the
 * emulated machine.  KVM turns VMX on on every CPU while it has a VM (6.1;
 * 6.12 with kvm.enable_virt_at_load=0), and off again when the last one is
 * gone: what a lab server does to a run when someone starts a VM.
 * Prints one line when the VM exists and one when it is gone; exit 0, or 1
 * with the reason.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/kvm.h>

int main(int argc, char **argv)
{
	unsigned int seconds = argc == 2 ? (unsigned int)atoi(argv[1]) : 0;
	int kvm, vm;

	if (argc != 2 || !seconds) {
		fprintf(stderr, "usage: kvm_vm SECONDS\n");
		return 2;
	}
	kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (kvm < 0) {
		fprintf(stderr, "kvm_vm: /dev/kvm: %s\n", strerror(errno));
		return 1;
	}
	vm = ioctl(kvm, KVM_CREATE_VM, 0);
	if (vm < 0) {
		fprintf(stderr, "kvm_vm: KVM_CREATE_VM: %s\n", strerror(errno));
		return 1;
	}
	printf("kvm_vm: VM created, kept for %u s\n", seconds);
	fflush(stdout);
	sleep(seconds);
	close(vm);
	close(kvm);
	printf("kvm_vm: VM gone\n");
	return 0;
}
