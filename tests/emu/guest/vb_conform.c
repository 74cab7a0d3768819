/*
 * vb_conform: the CONFORM ioctl from inside an emulated machine, every row
 * checked against what the reference page says (constants of this file,
 * not the ABI header's), and this checker shown able to fail.
 *
 *   vb_conform --expect-vmx yes|no|owned [--cpu N]
 *
 * yes (Bochs): all ten CPL 0 branches executed.  Outside VMX operation #UD;
 * in VMX root the store of the current VMCS's address (page-aligned, not 0,
 * not all ones) and all ones with none current, each with CF PF AF ZF SF
 * OF cleared (all six were set before); LOCK #UD; the register form #UD,
 * or completed where CPUID has RDSEED (the encoding is RDSEED there); a
 * non-canonical address #GP through DS and #SS through SS; #PF with CR2
 * the address on a not-present and on a read-only page (CR0.WP set), and
 * with CR2 in the second page on a store split across a present and a
 * not-present page.  A faulting branch must leave its destination's
 * physical bytes as they were (no store through the sign-extended twin,
 * the PTE, or the first page of the split).  Then every row of the real
 * table is altered one field at a time (vector, bytes, flags, CR2): each
 * alteration must be caught by the same checks.  After it: VMX left
 * (INFO: CR4.VMXE clear).
 * no (QEMU): the outside branch #UD, the others not executed (no VMX).
 * owned (kvm_intel holds VMX): none executed, all "VMX owned".
 * Bad requests: EINVAL (size, abi_version), ENXIO (cpu).
 * Prints one line per check and, last, "vb_conform: N passed, N failed";
 * exit status 0 only if none failed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "vmptrst_bench_abi.h"
#include "vb_expect.h"

/* The reference page's outcomes, written here again. */
#define UD		6
#define SS		12
#define GP		13
#define PF		14
#define COMPLETED	(-1)
#define ARITH_FLAGS	0x8d5ULL	/* CF PF AF ZF SF OF */
#define POISON		0x5642504f49534f4eULL
#define PAGE		4096ULL

static int passed, failed;
static int fd = -1;
static unsigned int cpu;

static const char *const names[] = {
	"outside VMX operation", "store (a current VMCS)",
	"no current VMCS", "LOCK prefix", "register operand",
	"non-canonical through DS", "non-canonical through SS",
	"#PF: page not present", "#PF: page read-only", "#PF: split store",
};

static int xioctl(unsigned long cmd, void *arg)
{
	return ioctl(fd, cmd, arg) == 0 ? 0 : errno;
}

static bool canonical(uint64_t a)
{
	uint64_t top = a >> 47;

	return top == 0 || top == 0x1ffff;
}

/* The vector the page gives branch @br (the register form: CPUID's say). */
static int want_vector(uint32_t br, const struct vb_conf_row *r)
{
	switch (br) {
	case VB_BR_STORE:
	case VB_BR_NO_VMCS:
		return COMPLETED;
	case VB_BR_REGISTER:
		return r->flags & VB_CONF_RDSEED ? COMPLETED : UD;
	case VB_BR_NONCANON_DS:
		return GP;
	case VB_BR_NONCANON_SS:
		return SS;
	case VB_BR_PF_NOT_PRESENT:
	case VB_BR_PF_READ_ONLY:
	case VB_BR_PF_SPLIT:
		return PF;
	default:
		return UD;
	}
}

/* The first thing wrong with an executed row, or NULL. */
static const char *row_wrong(uint32_t br, const struct vb_conf_row *r)
{
	if (r->vector != want_vector(br, r))
		return "vector";
	if (br == VB_BR_REGISTER)
		return r->before == POISON ? NULL : "register before";
	if (r->before != POISON)
		return "bytes before (not the poison)";
	if (r->vector == COMPLETED) {
		if (r->after != r->expected)
			return "stored value";
		if (r->rflags & ARITH_FLAGS)
			return "a flag left set";
		if (br == VB_BR_NO_VMCS ? r->expected != ~0ULL :
		    !r->expected || r->expected == ~0ULL ||
		    (r->expected & (PAGE - 1)))
			return "expected pointer";
		return NULL;
	}
	if (r->after != r->before)
		return "memory changed by a faulting VMPTRST";
	switch (br) {
	case VB_BR_NONCANON_DS:
	case VB_BR_NONCANON_SS:
		return canonical(r->address) ? "address canonical" : NULL;
	case VB_BR_PF_NOT_PRESENT:
	case VB_BR_PF_READ_ONLY:
		if (br == VB_BR_PF_READ_ONLY && !(r->flags & VB_CONF_WP))
			return "CR0.WP";
		return r->cr2 == r->address ? NULL : "CR2";
	case VB_BR_PF_SPLIT:
		return (r->address & (PAGE - 1)) == PAGE - 4 &&
		       r->cr2 >= (r->address & ~(PAGE - 1)) + PAGE &&
		       r->cr2 < r->address + 8 ? NULL : "CR2";
	default:
		return NULL;
	}
}

static int conform(struct vb_conform *c, uint32_t size, uint32_t abi,
		   unsigned int on)
{
	memset(c, 0, sizeof(*c));
	c->size = size;
	c->abi_version = abi;
	c->cpu = on;
	return xioctl(VB_IOC_CONFORM, c);
}

static void check_requests(void)
{
	struct vb_conform c;
	int err;

	err = conform(&c, sizeof(c) - 8, VB_ABI_VERSION, cpu);
	CHECK(err == EINVAL, "CONFORM size %zu: EINVAL (%s)", sizeof(c) - 8,
	      strerror(err));
	err = conform(&c, sizeof(c), VB_ABI_VERSION - 1, cpu);
	CHECK(err == EINVAL, "CONFORM abi_version %u: EINVAL (%s)",
	      VB_ABI_VERSION - 1, strerror(err));
	err = conform(&c, sizeof(c), VB_ABI_VERSION, 4096);
	CHECK(err == ENXIO, "CONFORM cpu 4096: ENXIO (%s)", strerror(err));
}

/* Each row altered one field at a time must be caught. */
static void check_checker(const struct vb_conform *c)
{
	uint32_t br, caught = 0, tried = 0;
	struct vb_conf_row r;

	for (br = 0; br < VB_BR_COUNT; br++) {
		if (!(c->row[br].flags & VB_CONF_RAN) ||
		    row_wrong(br, &c->row[br]))
			continue;
		r = c->row[br];
		r.vector = r.vector == COMPLETED ? GP : COMPLETED;
		tried++, caught += row_wrong(br, &r) != NULL;
		if (br != VB_BR_REGISTER) {	/* its RAX may be anything */
			r = c->row[br];
			r.after ^= 1;
			tried++, caught += row_wrong(br, &r) != NULL;
		}
		if (c->row[br].vector == COMPLETED && br != VB_BR_REGISTER) {
			r = c->row[br];
			r.rflags |= 1;	/* CF left set */
			tried++, caught += row_wrong(br, &r) != NULL;
		}
		if (c->row[br].vector == PF) {
			r = c->row[br];
			r.cr2 += PAGE;
			tried++, caught += row_wrong(br, &r) != NULL;
		}
	}
	CHECK(tried > 0 && caught == tried,
	      "this checker catches %u of %u altered rows (a wrong vector, a byte changed, a flag left set, CR2 a page off)",
	      caught, tried);
}

static void check_yes(const struct vb_conform *c)
{
	uint32_t br;
	const char *bad;

	for (br = 0; br < VB_BR_COUNT; br++) {
		const struct vb_conf_row *r = &c->row[br];

		if (!(r->flags & VB_CONF_RAN)) {
			CHECK(0, "%s: not executed (skip %u)", names[br],
			      r->skip);
			continue;
		}
		bad = row_wrong(br, r);
		CHECK(!bad, "%s: vector %d (want %d), address %#llx, CR2 %#llx, before %#llx, after %#llx, RFLAGS %#llx%s%s%s",
		      names[br], r->vector, want_vector(br, r), r->address,
		      r->cr2, r->before, r->after, r->rflags,
		      br == VB_BR_REGISTER && (r->flags & VB_CONF_RDSEED) ?
		      " (CPUID: RDSEED, the encoding is RDSEED here)" : "",
		      bad ? ": wrong " : "", bad ? bad : "");
	}
	check_checker(c);
}

static void check_not_run(const struct vb_conform *c, uint32_t first,
			  uint32_t skip, const char *why)
{
	uint32_t br, n = 0;

	for (br = first; br < VB_BR_COUNT; br++)
		n += !(c->row[br].flags & VB_CONF_RAN) &&
		     c->row[br].skip == skip;
	CHECK(n == VB_BR_COUNT - first,
	      "%u of %u branches not executed, each for %s (skip %u)", n,
	      VB_BR_COUNT - first, why, skip);
}

int main(int argc, char **argv)
{
	struct vb_info in = { .size = sizeof(in), .abi_version = VB_ABI_VERSION };
	struct vb_conform c;
	const char *expect = NULL;
	uint32_t br;
	int i, err;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--expect-vmx") && i + 1 < argc)
			expect = argv[++i];
		else if (!strcmp(argv[i], "--cpu") && i + 1 < argc)
			cpu = (unsigned int)strtoul(argv[++i], NULL, 0);
		else
			expect = NULL, i = argc;
	}
	if (!expect || (strcmp(expect, "yes") && strcmp(expect, "no") &&
			strcmp(expect, "owned"))) {
		fprintf(stderr, "usage: vb_conform --expect-vmx yes|no|owned [--cpu N]\n");
		return 2;
	}
	fd = open(VB_DEVICE_PATH, O_RDWR);
	if (fd < 0) {
		perror(VB_DEVICE_PATH);
		return 1;
	}
	check_requests();
	err = conform(&c, sizeof(c), VB_ABI_VERSION, cpu);
	CHECK(err == 0 && c.rows == VB_BR_COUNT,
	      "CONFORM on CPU %u: %u rows (%s)", cpu, c.rows, strerror(err));
	for (br = 0; !err && br < VB_BR_COUNT; br++)
		if (c.row[br].branch != br)
			break;
	CHECK(!err && br == VB_BR_COUNT, "each row names its own branch");
	if (!err && !strcmp(expect, "yes")) {
		check_yes(&c);
	} else if (!err && !strcmp(expect, "no")) {
		CHECK((c.row[0].flags & VB_CONF_RAN) && c.row[0].vector == UD &&
		      c.row[0].after == c.row[0].before,
		      "outside VMX operation: vector %d (want #UD, 6), memory unchanged",
		      c.row[0].vector);
		check_not_run(&c, 1, VB_CONF_SKIP_NO_VMX, "no VMX");
	} else if (!err) {
		check_not_run(&c, 0, VB_CONF_SKIP_VMX_OWNED,
			      "VMX owned by another hypervisor");
	}
	in.cpu = cpu;
	err = xioctl(VB_IOC_INFO, &in);
	if (strcmp(expect, "owned"))
		CHECK(err == 0 && !(in.flags & VB_INFO_VMX_IN_USE),
		      "after CONFORM: CR4.VMXE clear (INFO flags %#x)", in.flags);
	close(fd);
	printf("vb_conform: %d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
